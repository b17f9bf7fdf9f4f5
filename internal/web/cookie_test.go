package web_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/web"
	"github.com/shelfhq/shelf/internal/web/webtest"
)

// TestSessionCookie: over https the session cookie is __Host- prefixed,
// Secure, Path=/ and has no Domain, and only that name is read; over plain
// http (local development) it keeps a plain name without Secure.
func TestSessionCookie(t *testing.T) {
	f := webtest.New(t)
	for _, c := range []struct {
		base, name, other string
		secure            bool
	}{
		{"https://market.example.com", "__Host-shelf_session", "shelf_session", true},
		{"http://127.0.0.1:8080", "shelf_session", "__Host-shelf_session", false},
	} {
		t.Run(c.base, func(t *testing.T) {
			srv, err := web.New(web.Config{Store: f.Store, Clock: f.Clock, Logger: slog.New(slog.DiscardHandler), BaseURL: c.base})
			if err != nil {
				t.Fatal(err)
			}
			form := url.Values{"email": {demo.MemberEmail}, "password": {demo.Password}}
			req := httptest.NewRequest("POST", c.base+"/signin", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			w := httptest.NewRecorder()
			srv.ServeHTTP(w, req)
			cookies := w.Result().Cookies()
			if w.Code != http.StatusSeeOther || len(cookies) != 1 {
				t.Fatalf("sign in = %d with cookies %v", w.Code, w.Header()["Set-Cookie"])
			}
			ck := cookies[0]
			if ck.Name != c.name || ck.Secure != c.secure || ck.Path != "/" || ck.Domain != "" || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode {
				t.Fatalf("session cookie = %s, want %s (Secure %v, Path=/, no Domain, HttpOnly, SameSite=Lax)", w.Header().Get("Set-Cookie"), c.name, c.secure)
			}
			me := func(name string) int {
				req := httptest.NewRequest("GET", c.base+"/api/v1/me", nil)
				req.AddCookie(&http.Cookie{Name: name, Value: ck.Value})
				w := httptest.NewRecorder()
				srv.ServeHTTP(w, req)
				return w.Code
			}
			if got := me(c.name); got != 200 {
				t.Errorf("GET /api/v1/me with %s = %d, want 200", c.name, got)
			}
			if got := me(c.other); got != 401 {
				t.Errorf("GET /api/v1/me with %s = %d, want 401: only %s is read", c.other, got, c.name)
			}
		})
	}
}

// TestWarnPlainHTTP: serve warns when the public address is plain http on
// anything but loopback, where the session cookie travels without Secure.
func TestWarnPlainHTTP(t *testing.T) {
	for base, warn := range map[string]bool{
		"https://market.example.com": false,
		"http://127.0.0.1:8080":      false,
		"http://localhost:8080":      false,
		"http://[::1]:8080":          false,
		"http://market.example.com":  true,
		"http://0.0.0.0:8080":        true,
		"http://10.0.0.5:8080":       true,
	} {
		var buf bytes.Buffer
		web.WarnPlainHTTP(slog.New(slog.NewTextHandler(&buf, nil)), base)
		if got := strings.Contains(buf.String(), "level=WARN"); got != warn {
			t.Errorf("%s: warned %v, want %v (%s)", base, got, warn, buf.String())
		}
	}
}
