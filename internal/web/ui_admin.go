package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/shelfhq/shelf/internal/shelf"
)

// categoriesPage is what the platform admin's category page shows.
type categoriesPage struct {
	Categories []shelf.Category
	Operators  []shelf.User
	Names      map[string]string
}

func (s *Server) pageCategories(w http.ResponseWriter, r *http.Request) {
	s.showCategories(w, r, nil)
}

func (s *Server) showCategories(w http.ResponseWriter, r *http.Request, formErr error) {
	if _, err := requirePlatform(r, shelf.PlatformAdmin); err != nil {
		s.pageError(w, r, err)
		return
	}
	cats, err := s.store.Categories(r.Context(), true)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	ops, err := s.store.PlatformUsers(r.Context(), shelf.CategoryOperator)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	p := categoriesPage{Categories: cats, Operators: ops, Names: map[string]string{}}
	for _, u := range ops {
		p.Names[u.ID] = u.Name
	}
	s.show(w, r, "categories", "admin.categories", p, formErr)
}

func formInt(r *http.Request, field string) (int, error) {
	v := strings.TrimSpace(r.PostFormValue(field))
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, shelf.FieldError(field, "not_a_number", "%s must be a whole number", field)
	}
	return n, nil
}

func (s *Server) postCategory(w http.ResponseWriter, r *http.Request) {
	if _, err := requirePlatform(r, shelf.PlatformAdmin); err != nil {
		s.pageError(w, r, err)
		return
	}
	pos, err := formInt(r, "position")
	if err == nil {
		_, err = s.store.CreateCategory(r.Context(), shelf.NewCategory{
			ParentID: r.PostFormValue("parent_id"), Name: r.PostFormValue("name"), NameEn: r.PostFormValue("name_en"), Position: pos,
		})
	}
	if err != nil {
		s.showCategories(w, r, err)
		return
	}
	done(w, r, "/admin/categories", "")
}

// postCategoryUpdate renames, reorders, archives or restores a category.
func (s *Server) postCategoryUpdate(w http.ResponseWriter, r *http.Request) {
	if _, err := requirePlatform(r, shelf.PlatformAdmin); err != nil {
		s.pageError(w, r, err)
		return
	}
	var p shelf.CategoryPatch
	switch r.PostFormValue("action") {
	case "archive", "restore":
		archived := r.PostFormValue("action") == "archive"
		p.Archived = &archived
	default:
		name, nameEn := r.PostFormValue("name"), r.PostFormValue("name_en")
		pos, err := formInt(r, "position")
		if err != nil {
			s.showCategories(w, r, err)
			return
		}
		p.Name, p.NameEn, p.Position = &name, &nameEn, &pos
	}
	if _, err := s.store.UpdateCategory(r.Context(), r.PathValue("cat"), p); err != nil {
		s.showCategories(w, r, err)
		return
	}
	done(w, r, "/admin/categories", "")
}

func (s *Server) postCategoryOperator(w http.ResponseWriter, r *http.Request) {
	u, err := requirePlatform(r, shelf.PlatformAdmin)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if err := s.store.AssignOperator(r.Context(), r.PathValue("cat"), r.PostFormValue("user_id"), u.ID); err != nil {
		s.showCategories(w, r, err)
		return
	}
	done(w, r, "/admin/categories", "")
}

func (s *Server) postCategoryOperatorRemove(w http.ResponseWriter, r *http.Request) {
	u, err := requirePlatform(r, shelf.PlatformAdmin)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if err := s.store.UnassignOperator(r.Context(), r.PathValue("cat"), r.PathValue("user"), u.ID); err != nil {
		s.showCategories(w, r, err)
		return
	}
	done(w, r, "/admin/categories", "")
}

// accountPage shows the user's tokens; NewToken only right after creation.
type accountPage struct {
	Tokens   []shelf.Token
	NewToken string
}

func (s *Server) pageAccount(w http.ResponseWriter, r *http.Request) {
	s.showAccount(w, r, "", nil)
}

func (s *Server) showAccount(w http.ResponseWriter, r *http.Request, newToken string, formErr error) {
	u, err := requireUser(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	tokens, err := s.store.Tokens(r.Context(), u.ID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.show(w, r, "account", "account.title", accountPage{Tokens: tokens, NewToken: newToken}, formErr)
}

// postToken creates a personal token and shows it once, in the response
// to the POST itself (never in a URL).
func (s *Server) postToken(w http.ResponseWriter, r *http.Request) {
	u, err := requireUser(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	plain, _, err := s.store.CreateToken(r.Context(), u.ID, r.PostFormValue("name"), shelf.TokenPersonal, 0)
	if err != nil {
		s.showAccount(w, r, "", err)
		return
	}
	s.showAccount(w, r, plain, nil)
}

func (s *Server) postTokenRevoke(w http.ResponseWriter, r *http.Request) {
	u, err := requireUser(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if err := s.store.RevokeToken(r.Context(), u.ID, r.PathValue("token")); err != nil {
		s.showAccount(w, r, "", err)
		return
	}
	done(w, r, "/account", "")
}
