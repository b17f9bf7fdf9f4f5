package ui

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/access"
)

// categoriesPage is what the platform admin's category page shows.
type categoriesPage struct {
	Categories []shelf.Category
	Operators  []shelf.User
	Names      map[string]string
	// Load lists each operator with the categories they look after: one
	// page of the operators.
	Load   []operatorLoad
	Paging pagingLinks
}

// operatorChoices bounds the operators a category's picker offers.
const operatorChoices = 200

// operatorsList pages the category operators by id, as the API does.
var operatorsList = pagingList[shelf.User]{tag: "operators", shape: "s", key: func(u shelf.User) []any { return []any{u.ID} }}

// operatorLoad is one category operator and their categories.
type operatorLoad struct {
	User       shelf.User
	Categories []shelf.Category
}

func (h *Handler) pageCategories(w http.ResponseWriter, r *http.Request) {
	h.showCategories(w, r, nil)
}

func (h *Handler) showCategories(w http.ResponseWriter, r *http.Request, formErr error) {
	if _, err := access.RequirePlatform(r, shelf.PlatformAdmin); err != nil {
		h.pageError(w, r, err)
		return
	}
	cats, err := h.Store.Categories(r.Context(), true)
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	p := categoriesPage{Categories: cats}
	// The pickers offer the first operators by id (a bounded list: a
	// platform has a handful); the table of operators pages them all.
	if p.Operators, err = h.Store.PlatformUsers(r.Context(), shelf.CategoryOperator, shelf.FirstPage(operatorChoices)); err != nil {
		h.pageError(w, r, err)
		return
	}
	var assigned []string
	for _, c := range cats {
		assigned = append(assigned, c.Operators...)
	}
	if p.Names, err = h.Store.PeopleNames(r.Context(), assigned); err != nil {
		h.pageError(w, r, err)
		return
	}
	ops, links, err := operatorsList.read(listRequest(r, "/admin/categories"), pagingSize, func(pr shelf.PageReq) ([]shelf.User, error) {
		return h.Store.PlatformUsers(r.Context(), shelf.CategoryOperator, pr)
	})
	if err != nil {
		h.failPage(w, r, err)
		return
	}
	p.Paging = links
	for _, u := range ops {
		load := operatorLoad{User: u}
		for _, c := range cats {
			if slices.Contains(c.Operators, u.ID) && !c.Archived {
				load.Categories = append(load.Categories, c)
			}
		}
		p.Load = append(p.Load, load)
	}
	h.show(w, r, "categories", "admin.categories", p, formErr)
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

func (h *Handler) postCategory(w http.ResponseWriter, r *http.Request) {
	if _, err := access.RequirePlatform(r, shelf.PlatformAdmin); err != nil {
		h.pageError(w, r, err)
		return
	}
	pos, err := formInt(r, "position")
	if err == nil {
		_, err = h.Store.CreateCategory(r.Context(), shelf.NewCategory{
			ParentID: r.PostFormValue("parent_id"), Name: r.PostFormValue("name"), NameEn: r.PostFormValue("name_en"), Position: pos,
		})
	}
	if err != nil {
		h.showCategories(w, r, err)
		return
	}
	done(w, r, "/admin/categories", "")
}

// postCategoryUpdate renames, reorders, archives or restores a category.
func (h *Handler) postCategoryUpdate(w http.ResponseWriter, r *http.Request) {
	if _, err := access.RequirePlatform(r, shelf.PlatformAdmin); err != nil {
		h.pageError(w, r, err)
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
			h.showCategories(w, r, err)
			return
		}
		p.Name, p.NameEn, p.Position = &name, &nameEn, &pos
	}
	if _, err := h.Store.UpdateCategory(r.Context(), r.PathValue("cat"), p); err != nil {
		h.showCategories(w, r, err)
		return
	}
	done(w, r, "/admin/categories", "")
}

func (h *Handler) postCategoryOperator(w http.ResponseWriter, r *http.Request) {
	u, err := access.RequirePlatform(r, shelf.PlatformAdmin)
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	if err := h.Store.AssignOperator(r.Context(), r.PathValue("cat"), r.PostFormValue("user_id"), u.ID); err != nil {
		h.showCategories(w, r, err)
		return
	}
	done(w, r, "/admin/categories", "")
}

func (h *Handler) postCategoryOperatorRemove(w http.ResponseWriter, r *http.Request) {
	u, err := access.RequirePlatform(r, shelf.PlatformAdmin)
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	if err := h.Store.UnassignOperator(r.Context(), r.PathValue("cat"), r.PathValue("user"), u.ID); err != nil {
		h.showCategories(w, r, err)
		return
	}
	done(w, r, "/admin/categories", "")
}
