package api

import (
	"net/http"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/access"
	"github.com/shelfhq/shelf/internal/web/auth"
	"github.com/shelfhq/shelf/internal/web/httpx"
)

type signupRequest struct {
	Email    string `json:"email"`
	Name     string `json:"name"`
	Password string `json:"password"`
}

func (h *Handler) signup(w http.ResponseWriter, r *http.Request) error {
	if !h.limiter.Allow(r) {
		return httpx.ErrRateLimited()
	}
	var req signupRequest
	if err := httpx.DecodeJSON(w, r, &req); err != nil {
		return err
	}
	u, err := h.Store.CreateUser(r.Context(), req.Email, req.Name, req.Password)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, u)
	return nil
}

type tokenRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

// TokenResponse is a bearer token obtained by signing in.
type TokenResponse struct {
	Token     string      `json:"token"`
	TokenType string      `json:"token_type"`
	ExpiresAt *time.Time  `json:"expires_at"`
	User      *shelf.User `json:"user"`
}

// token exchanges an email and password for a bearer token valid 24 h.
func (h *Handler) token(w http.ResponseWriter, r *http.Request) error {
	if !h.limiter.Allow(r) {
		return httpx.ErrRateLimited()
	}
	var req tokenRequest
	if err := httpx.DecodeJSON(w, r, &req); err != nil {
		return err
	}
	if req.Password == "" {
		return shelf.FieldError("password", "required", "password is required")
	}
	u, err := h.Store.Authenticate(r.Context(), req.Email, req.Password, h.limiter.ClientAddr(r))
	if err != nil {
		return err
	}
	plain, tok, err := h.Store.CreateToken(r.Context(), u.ID, "api sign-in", shelf.TokenSession, auth.APITokenTTL)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, TokenResponse{Token: plain, TokenType: "Bearer", ExpiresAt: tok.ExpiresAt, User: u})
	return nil
}

// revokeOwnToken signs the bearer token itself out.
func (h *Handler) revokeOwnToken(w http.ResponseWriter, r *http.Request) error {
	u, err := access.RequireUser(r)
	if err != nil {
		return err
	}
	a := auth.FromContext(r.Context())
	if a.Session != "" {
		if err := h.Store.DeleteSession(r.Context(), a.Session); err != nil {
			return err
		}
		h.sessions.ClearCookie(w)
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	if err := h.Store.RevokeBearer(r.Context(), u.ID, a.Bearer); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type meResponse struct {
	*shelf.User
	Orgs []shelf.OrgWithRole `json:"orgs"`
}

func (h *Handler) me(w http.ResponseWriter, r *http.Request) error {
	u, err := access.RequireUser(r)
	if err != nil {
		return err
	}
	orgs, err := h.Store.OrgsForUser(r.Context(), u.ID, shelf.FirstPage(defaultPageLimit))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, meResponse{User: u, Orgs: orgs})
	return nil
}

func (h *Handler) listTokens(w http.ResponseWriter, r *http.Request) error {
	u, err := access.RequireUser(r)
	if err != nil {
		return err
	}
	page, limit, err := tokensPager.request(r)
	if err != nil {
		return err
	}
	list, err := h.Store.Tokens(r.Context(), u.ID, page)
	return tokensPager.write(w, r, list, limit, err)
}

var tokensPager = pager[shelf.Token]{tag: "tokens", shape: "is", key: func(t shelf.Token) []any { return []any{t.CreatedAt.UnixMicro(), t.ID} }}

type createTokenRequest struct {
	Name          string `json:"name"`
	ExpiresInDays int    `json:"expires_in_days"`
}

// CreatedToken is a new personal token with its secret, shown once.
type CreatedToken struct {
	*shelf.Token
	Secret string `json:"token"`
}

func (h *Handler) createToken(w http.ResponseWriter, r *http.Request) error {
	u, err := access.RequireUser(r)
	if err != nil {
		return err
	}
	var req createTokenRequest
	if err := httpx.DecodeJSON(w, r, &req); err != nil {
		return err
	}
	if req.ExpiresInDays < 0 || req.ExpiresInDays > 366 {
		return shelf.FieldError("expires_in_days", "out_of_range", "expires_in_days must be between 0 (never) and 366")
	}
	plain, tok, err := h.Store.CreateToken(r.Context(), u.ID, req.Name, shelf.TokenPersonal, time.Duration(req.ExpiresInDays)*24*time.Hour)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, CreatedToken{Token: tok, Secret: plain})
	return nil
}

func (h *Handler) deleteToken(w http.ResponseWriter, r *http.Request) error {
	u, err := access.RequireUser(r)
	if err != nil {
		return err
	}
	if err := h.Store.RevokeToken(r.Context(), u.ID, r.PathValue("token")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
