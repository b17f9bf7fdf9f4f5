// Package auth says who is calling: a bearer token or a session cookie
// (with its CSRF token) becomes the Actor in the request's context.
package auth

import (
	"context"
	"crypto/subtle"
	"net/http"
	"strings"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/httpx"
)

// Session lengths.
const (
	SessionTTL  = 14 * 24 * time.Hour // a browser session
	APITokenTTL = 24 * time.Hour      // a token from POST /api/v1/auth/token
)

// The cookie that holds the web session token. Over HTTPS it carries the
// __Host- prefix: browsers then keep it only when it is Secure, has Path=/
// and no Domain, so neither a plain-http page nor a sibling subdomain can
// plant or overwrite it. Plain http (local development) cannot use the
// prefix and keeps the bare name.
const (
	sessionCookie       = "shelf_session"
	secureSessionCookie = "__Host-" + sessionCookie
)

// Actor is who is calling.
type Actor struct {
	User *shelf.User
	// Session is the web session token when the caller came with a cookie;
	// such callers must also send its CSRF token on unsafe requests.
	Session string
	CSRF    string
	// Bearer is the API token when the caller sent one.
	Bearer string
}

type ctxKey struct{}

// FromContext returns the caller, or nil when anonymous.
func FromContext(ctx context.Context) *Actor {
	a, _ := ctx.Value(ctxKey{}).(*Actor)
	return a
}

// Store is what authentication needs from storage.
type Store interface {
	TokenUser(ctx context.Context, plain string) (*shelf.User, error)
	SessionUser(ctx context.Context, token string) (*shelf.User, string, error)
}

// Sessions resolves callers and keeps the session cookie.
type Sessions struct {
	Store Store
	// Secure marks cookies Secure and names the session cookie with the
	// __Host- prefix (the site's base URL is https).
	Secure bool
}

// cookieName is the session cookie's name; only this name is read.
func (s *Sessions) cookieName() string {
	if s.Secure {
		return secureSessionCookie
	}
	return sessionCookie
}

// Middleware resolves the caller from a bearer token or a session cookie.
// A bad bearer token is refused outright; a stale cookie is dropped and the
// caller is anonymous. A form sent with an unsafe method is read here,
// before anything needs its fields, so one over the body limit is refused
// as too large rather than as a form without its token or its fields.
// Unsafe requests on a cookie session must carry the session's CSRF token
// (header X-CSRF-Token or form field csrf_token), on top of the
// cross-origin check in front of this.
func (s *Sessions) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/metrics" { // the scraper's token is not a user's
			next.ServeHTTP(w, r)
			return
		}
		a, err := s.actor(w, r)
		if err != nil {
			httpx.WriteError(w, r, err)
			return
		}
		if !SafeMethod(r.Method) && httpx.IsForm(r) {
			if err := httpx.ParseForm(r); err != nil {
				httpx.WriteError(w, r, err)
				return
			}
		}
		if a != nil && a.Session != "" && !SafeMethod(r.Method) && !validCSRF(r, a.CSRF) {
			httpx.WriteError(w, r, shelf.Forbidden("csrf_failed", "the form is stale or was not sent by Shelf; reload the page and try again"))
			return
		}
		if a != nil {
			r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, a))
		}
		next.ServeHTTP(w, r)
	})
}

// actor reads the credentials a request carries (nil: none).
func (s *Sessions) actor(w http.ResponseWriter, r *http.Request) (*Actor, error) {
	h := r.Header.Get("Authorization")
	if strings.HasPrefix(h, "Basic ") {
		return nil, nil // an app's client credentials: the vendor endpoints check them
	}
	if h != "" {
		tok, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			return nil, &shelf.Error{Kind: shelf.KindUnauthenticated, Code: "invalid_token", Message: "use Authorization: Bearer <token>"}
		}
		tok = strings.TrimSpace(tok)
		if strings.HasPrefix(tok, shelf.VendorAccessPrefix) {
			return nil, nil // a vendor's org token: the vendor endpoints check it
		}
		u, err := s.Store.TokenUser(r.Context(), tok)
		if err != nil {
			return nil, err
		}
		return &Actor{User: u, Bearer: tok}, nil
	}
	c, err := r.Cookie(s.cookieName())
	if err != nil || c.Value == "" {
		return nil, nil
	}
	u, csrf, err := s.Store.SessionUser(r.Context(), c.Value)
	switch {
	case err == nil:
		return &Actor{User: u, Session: c.Value, CSRF: csrf}, nil
	case shelf.ErrorKind(err) == shelf.KindUnauthenticated:
		s.ClearCookie(w)
		return nil, nil
	}
	return nil, err
}

// SafeMethod reports whether a request of this method changes nothing.
func SafeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

func validCSRF(r *http.Request, want string) bool {
	got := r.Header.Get("X-CSRF-Token")
	if got == "" && httpx.IsForm(r) {
		got = r.PostFormValue("csrf_token")
	}
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// SetCookie starts a browser session with the token.
func (s *Sessions) SetCookie(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{
		Name: s.cookieName(), Value: token, Path: "/", HttpOnly: true, Secure: s.Secure,
		SameSite: http.SameSiteLaxMode, MaxAge: int(SessionTTL.Seconds()),
	})
}

// ClearCookie ends the browser session.
func (s *Sessions) ClearCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: s.cookieName(), Value: "", Path: "/", HttpOnly: true, Secure: s.Secure, SameSite: http.SameSiteLaxMode, MaxAge: -1})
}
