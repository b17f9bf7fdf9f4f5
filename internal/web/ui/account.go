package ui

import (
	"net/http"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/access"
)

// accountPage shows the user's tokens; NewToken only right after creation.
type accountPage struct {
	Tokens   []shelf.Token
	NewToken string
	// Sessions are the person's signed-in browsers (account_self.go).
	Sessions []shelf.UserSession
}

func (h *Handler) pageAccount(w http.ResponseWriter, r *http.Request) {
	h.showAccount(w, r, "", nil)
}

func (h *Handler) showAccount(w http.ResponseWriter, r *http.Request, newToken string, formErr error) {
	u, err := access.RequireUser(r)
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	tokens, err := h.Store.Tokens(r.Context(), u.ID, shelf.PageReq{})
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	sessions, err := h.Store.UserSessions(r.Context(), u.ID, currentSession(r))
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	h.show(w, r, "account", "account.title", accountPage{Tokens: tokens, NewToken: newToken, Sessions: sessions}, formErr)
}

// postToken creates a personal token and shows it once, in the response
// to the POST itself (never in a URL).
func (h *Handler) postToken(w http.ResponseWriter, r *http.Request) {
	u, err := access.RequireUser(r)
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	plain, _, err := h.Store.CreateToken(r.Context(), u.ID, r.PostFormValue("name"), shelf.TokenPersonal, 0)
	if err != nil {
		h.showAccount(w, r, "", err)
		return
	}
	h.showAccount(w, r, plain, nil)
}

func (h *Handler) postTokenRevoke(w http.ResponseWriter, r *http.Request) {
	u, err := access.RequireUser(r)
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	if err := h.Store.RevokeToken(r.Context(), u.ID, r.PathValue("token")); err != nil {
		h.showAccount(w, r, "", err)
		return
	}
	done(w, r, "/account", "")
}
