package web

import (
	"net/http"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
)

type signupRequest struct {
	Email    string `json:"email"`
	Name     string `json:"name"`
	Password string `json:"password"`
}

func (s *Server) apiSignup(w http.ResponseWriter, r *http.Request) error {
	if !s.limiter.allow(r) {
		return s.rateLimited()
	}
	var req signupRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	u, err := s.store.CreateUser(r.Context(), req.Email, req.Name, req.Password)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, u)
	return nil
}

type tokenRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

type tokenResponse struct {
	Token     string      `json:"token"`
	TokenType string      `json:"token_type"`
	ExpiresAt *time.Time  `json:"expires_at"`
	User      *shelf.User `json:"user"`
}

// apiToken exchanges an email and password for a bearer token valid 24 h.
func (s *Server) apiToken(w http.ResponseWriter, r *http.Request) error {
	if !s.limiter.allow(r) {
		return s.rateLimited()
	}
	var req tokenRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if req.Password == "" {
		return shelf.FieldError("password", "required", "password is required")
	}
	u, err := s.store.Authenticate(r.Context(), req.Email, req.Password, s.limiter.clientAddr(r))
	if err != nil {
		return err
	}
	plain, tok, err := s.store.CreateToken(r.Context(), u.ID, "api sign-in", shelf.TokenSession, apiTokenTTL)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, tokenResponse{Token: plain, TokenType: "Bearer", ExpiresAt: tok.ExpiresAt, User: u})
	return nil
}

// apiRevokeOwnToken signs the bearer token itself out.
func (s *Server) apiRevokeOwnToken(w http.ResponseWriter, r *http.Request) error {
	u, err := requireUser(r)
	if err != nil {
		return err
	}
	a := actorFrom(r.Context())
	if a.session != "" {
		if err := s.store.DeleteSession(r.Context(), a.session); err != nil {
			return err
		}
		s.clearSessionCookie(w)
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	if err := s.store.RevokeBearer(r.Context(), u.ID, a.bearer); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type meResponse struct {
	*shelf.User
	Orgs []shelf.OrgWithRole `json:"orgs"`
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) error {
	u, err := requireUser(r)
	if err != nil {
		return err
	}
	orgs, err := s.store.OrgsForUser(r.Context(), u.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, meResponse{User: u, Orgs: orgs})
	return nil
}

func (s *Server) apiListTokens(w http.ResponseWriter, r *http.Request) error {
	u, err := requireUser(r)
	if err != nil {
		return err
	}
	list, err := s.store.Tokens(r.Context(), u.ID)
	return writeList(w, list, err)
}

type createTokenRequest struct {
	Name          string `json:"name"`
	ExpiresInDays int    `json:"expires_in_days"`
}

type createdToken struct {
	*shelf.Token
	Secret string `json:"token"`
}

func (s *Server) apiCreateToken(w http.ResponseWriter, r *http.Request) error {
	u, err := requireUser(r)
	if err != nil {
		return err
	}
	var req createTokenRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if req.ExpiresInDays < 0 || req.ExpiresInDays > 366 {
		return shelf.FieldError("expires_in_days", "out_of_range", "expires_in_days must be between 0 (never) and 366")
	}
	plain, tok, err := s.store.CreateToken(r.Context(), u.ID, req.Name, shelf.TokenPersonal, time.Duration(req.ExpiresInDays)*24*time.Hour)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, createdToken{Token: tok, Secret: plain})
	return nil
}

func (s *Server) apiDeleteToken(w http.ResponseWriter, r *http.Request) error {
	u, err := requireUser(r)
	if err != nil {
		return err
	}
	if err := s.store.RevokeToken(r.Context(), u.ID, r.PathValue("token")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
