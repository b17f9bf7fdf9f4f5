package ui

import (
	"net/http"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/auth"
	"github.com/shelfhq/shelf/internal/web/httpx"
)

type authForm struct {
	Email string
	Name  string
	Next  string
	// DemoHint shows the demo password (a server started with --demo).
	DemoHint bool
}

func (h *Handler) pageSignin(w http.ResponseWriter, r *http.Request) {
	h.show(w, r, "signin", "auth.signin_title", authForm{Next: safeNext(r.URL.Query().Get("next")), DemoHint: h.DemoHint}, nil)
}

func (h *Handler) postSignin(w http.ResponseWriter, r *http.Request) {
	form := authForm{Email: r.PostFormValue("email"), Next: safeNext(r.PostFormValue("next")), DemoHint: h.DemoHint}
	if !h.limiter.Allow(r) {
		h.show(w, r, "signin", "auth.signin_title", form, httpx.ErrRateLimited())
		return
	}
	u, err := h.Store.Authenticate(r.Context(), form.Email, r.PostFormValue("password"), h.limiter.ClientAddr(r))
	if err != nil {
		h.show(w, r, "signin", "auth.signin_title", form, err)
		return
	}
	h.startSession(w, r, u, form.Next)
}

func (h *Handler) startSession(w http.ResponseWriter, r *http.Request, u *shelf.User, next string) {
	token, _, err := h.Store.CreateSession(r.Context(), u.ID, auth.SessionTTL, shelf.DeviceOf(r.UserAgent(), h.limiter.ClientAddr(r)))
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	h.sessions.SetCookie(w, token)
	if next == "/" || next == "" {
		next = "/orgs"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (h *Handler) pageSignup(w http.ResponseWriter, r *http.Request) {
	h.show(w, r, "signup", "auth.signup_title", authForm{Next: safeNext(r.URL.Query().Get("next")), DemoHint: h.DemoHint}, nil)
}

func (h *Handler) postSignup(w http.ResponseWriter, r *http.Request) {
	form := authForm{Email: r.PostFormValue("email"), Name: r.PostFormValue("name"), Next: safeNext(r.PostFormValue("next"))}
	if !h.limiter.Allow(r) {
		h.show(w, r, "signup", "auth.signup_title", form, httpx.ErrRateLimited())
		return
	}
	u, err := h.Store.CreateUser(r.Context(), form.Email, form.Name, r.PostFormValue("password"))
	if err != nil {
		h.show(w, r, "signup", "auth.signup_title", form, err)
		return
	}
	h.startSession(w, r, u, form.Next)
}

func (h *Handler) postSignout(w http.ResponseWriter, r *http.Request) {
	if a := auth.FromContext(r.Context()); a != nil && a.Session != "" {
		if err := h.Store.DeleteSession(r.Context(), a.Session); err != nil {
			h.pageError(w, r, err)
			return
		}
	}
	h.sessions.ClearCookie(w)
	done(w, r, "/", "auth.signed_out")
}
