package api

import (
	"net/http"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/access"
	"github.com/shelfhq/shelf/internal/web/httpx"
)

func (h *Handler) categoryRoutes() []route {
	return []route{
		{"GET", "/api/v1/categories", h.listCategories},
		{"POST", "/api/v1/categories", h.createCategory},
		{"PATCH", "/api/v1/categories/{cat}", h.updateCategory},
		{"PUT", "/api/v1/categories/{cat}/operators/{user}", h.assignOperator},
		{"DELETE", "/api/v1/categories/{cat}/operators/{user}", h.unassignOperator},
		{"GET", "/api/v1/platform/operators", h.listOperators},
	}
}

// listCategories is public: the storefront and partners read the tree.
// Platform admins may ask for archived nodes too with ?archived=true.
func (h *Handler) listCategories(w http.ResponseWriter, r *http.Request) error {
	withArchived := false
	if r.URL.Query().Get("archived") == "true" {
		if _, err := access.RequirePlatform(r, shelf.PlatformAdmin); err != nil {
			return err
		}
		withArchived = true
	}
	cats, err := h.Store.Categories(r.Context(), withArchived)
	return httpx.WriteList(w, cats, err)
}

func (h *Handler) createCategory(w http.ResponseWriter, r *http.Request) error {
	if _, err := access.RequirePlatform(r, shelf.PlatformAdmin); err != nil {
		return err
	}
	var req shelf.NewCategory
	if err := httpx.DecodeJSON(w, r, &req); err != nil {
		return err
	}
	c, err := h.Store.CreateCategory(r.Context(), req)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, c)
	return nil
}

func (h *Handler) updateCategory(w http.ResponseWriter, r *http.Request) error {
	if _, err := access.RequirePlatform(r, shelf.PlatformAdmin); err != nil {
		return err
	}
	var req shelf.CategoryPatch
	if err := httpx.DecodeJSON(w, r, &req); err != nil {
		return err
	}
	c, err := h.Store.UpdateCategory(r.Context(), r.PathValue("cat"), req)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, c)
	return nil
}

func (h *Handler) assignOperator(w http.ResponseWriter, r *http.Request) error {
	u, err := access.RequirePlatform(r, shelf.PlatformAdmin)
	if err != nil {
		return err
	}
	if err := h.Store.AssignOperator(r.Context(), r.PathValue("cat"), r.PathValue("user"), u.ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (h *Handler) unassignOperator(w http.ResponseWriter, r *http.Request) error {
	u, err := access.RequirePlatform(r, shelf.PlatformAdmin)
	if err != nil {
		return err
	}
	if err := h.Store.UnassignOperator(r.Context(), r.PathValue("cat"), r.PathValue("user"), u.ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// listOperators lists the users who may be assigned to categories.
func (h *Handler) listOperators(w http.ResponseWriter, r *http.Request) error {
	if _, err := access.RequirePlatform(r, shelf.PlatformAdmin); err != nil {
		return err
	}
	page, limit, err := operatorsPager.request(r)
	if err != nil {
		return err
	}
	users, err := h.Store.PlatformUsers(r.Context(), shelf.CategoryOperator, page)
	return operatorsPager.write(w, r, users, limit, err)
}

// operatorsPager pages the category operators by user id.
var operatorsPager = pager[shelf.User]{tag: "operators", shape: "s", key: func(u shelf.User) []any { return []any{u.ID} }}
