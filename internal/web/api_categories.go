package web

import (
	"net/http"

	"github.com/shelfhq/shelf/internal/shelf"
)

// apiListCategories is public: the storefront and partners read the tree.
// Platform admins may ask for archived nodes too with ?archived=true.
func (s *Server) apiListCategories(w http.ResponseWriter, r *http.Request) error {
	withArchived := false
	if r.URL.Query().Get("archived") == "true" {
		if _, err := requirePlatform(r, shelf.PlatformAdmin); err != nil {
			return err
		}
		withArchived = true
	}
	cats, err := s.store.Categories(r.Context(), withArchived)
	return writeList(w, cats, err)
}

func (s *Server) apiCreateCategory(w http.ResponseWriter, r *http.Request) error {
	if _, err := requirePlatform(r, shelf.PlatformAdmin); err != nil {
		return err
	}
	var req shelf.NewCategory
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	c, err := s.store.CreateCategory(r.Context(), req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, c)
	return nil
}

func (s *Server) apiUpdateCategory(w http.ResponseWriter, r *http.Request) error {
	if _, err := requirePlatform(r, shelf.PlatformAdmin); err != nil {
		return err
	}
	var req shelf.CategoryPatch
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	c, err := s.store.UpdateCategory(r.Context(), r.PathValue("cat"), req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (s *Server) apiAssignOperator(w http.ResponseWriter, r *http.Request) error {
	u, err := requirePlatform(r, shelf.PlatformAdmin)
	if err != nil {
		return err
	}
	if err := s.store.AssignOperator(r.Context(), r.PathValue("cat"), r.PathValue("user"), u.ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiUnassignOperator(w http.ResponseWriter, r *http.Request) error {
	u, err := requirePlatform(r, shelf.PlatformAdmin)
	if err != nil {
		return err
	}
	if err := s.store.UnassignOperator(r.Context(), r.PathValue("cat"), r.PathValue("user"), u.ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiListOperators lists the users who may be assigned to categories.
func (s *Server) apiListOperators(w http.ResponseWriter, r *http.Request) error {
	if _, err := requirePlatform(r, shelf.PlatformAdmin); err != nil {
		return err
	}
	users, err := s.store.PlatformUsers(r.Context(), shelf.CategoryOperator)
	return writeList(w, users, err)
}
