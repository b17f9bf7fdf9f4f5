package ui

import (
	"net/http"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/access"
	"github.com/shelfhq/shelf/internal/web/auth"
)

// currentSession is the asking browser's session cookie ("" for a bearer).
func currentSession(r *http.Request) string {
	if a := auth.FromContext(r.Context()); a != nil {
		return a.Session
	}
	return ""
}

// postAccountName changes the person's display name.
func (h *Handler) postAccountName(w http.ResponseWriter, r *http.Request) {
	u, err := access.RequireUser(r)
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	if err := h.Store.RenameUser(r.Context(), u.ID, r.PostFormValue("name")); err != nil {
		h.showAccount(w, r, "", err)
		return
	}
	done(w, r, "/account", "qaccount.renamed")
}

// postAccountPassword changes the password once the current one is proved
// again (through the sign-in check, so wrong guesses count against the
// sign-in limits); the person's other browsers are signed out.
func (h *Handler) postAccountPassword(w http.ResponseWriter, r *http.Request) {
	u, err := access.RequireUser(r)
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	if !h.limiter.Allow(r) {
		h.showAccount(w, r, "", shelf.FieldError("current_password", "too_many_requests", "too many attempts"))
		return
	}
	if _, err := h.Store.Authenticate(r.Context(), u.Email, r.PostFormValue("current_password"), h.limiter.ClientAddr(r)); err != nil {
		if e, ok := shelf.AsError(err); ok && e.Kind != shelf.KindInternal {
			c := *e // its kind (unauthenticated, rate limited) stays; the field says which box
			c.Field = "current_password"
			err = &c
		}
		h.showAccount(w, r, "", err)
		return
	}
	if r.PostFormValue("new_password") != r.PostFormValue("new_password2") {
		h.showAccount(w, r, "", shelf.FieldError("new_password2", "password_mismatch", "the two new passwords differ"))
		return
	}
	if err := h.Store.ChangeOwnPassword(r.Context(), u.ID, r.PostFormValue("new_password"), currentSession(r)); err != nil {
		if e, ok := shelf.AsError(err); ok && e.Field == "" && e.Kind == shelf.KindInvalid {
			e.Field = "new_password"
		}
		h.showAccount(w, r, "", err)
		return
	}
	done(w, r, "/account", "qaccount.password_changed")
}

// postSessionEnd signs one of the person's browsers out; ending the
// current one is signing out.
func (h *Handler) postSessionEnd(w http.ResponseWriter, r *http.Request) {
	u, err := access.RequireUser(r)
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	if err := h.Store.EndUserSession(r.Context(), u.ID, r.PathValue("key")); err != nil {
		h.showAccount(w, r, "", err)
		return
	}
	done(w, r, "/account", "qaccount.session_ended")
}
