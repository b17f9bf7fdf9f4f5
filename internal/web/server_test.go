package web_test

import (
	"io"
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

func TestHealthAndMetrics(t *testing.T) {
	f := webtest.New(t)
	for _, c := range []struct {
		path, want string
	}{
		{"/healthz", `"status":"ok"`},
		{"/readyz", `"status":"ready"`},
		{"/metrics", `shelf_http_requests_total{code="200",method="GET",route="GET /healthz"} 1`},
	} {
		res, err := http.Get(f.Srv.URL + c.path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || !strings.Contains(string(b), c.want) {
			t.Errorf("GET %s = %d, want it to contain %s:\n%.600s", c.path, res.StatusCode, c.want, b)
		}
		if res.Header.Get("X-Request-Id") == "" {
			t.Errorf("GET %s has no request id", c.path)
		}
	}
}

// TestBodyLimit: an oversized body is refused as such (400
// body_too_large) before anything is parsed or stored, whoever sends it
// and however the form carries its CSRF token.
func TestBodyLimit(t *testing.T) {
	f := webtest.New(t)
	big := strings.Repeat("x", 2<<20)
	b := f.Browser()
	b.SignIn(demo.CustomerEmail)
	_, page, _ := b.Get("/orgs")
	csrf := webtest.CSRFOf(t, page)
	before := f.Counts()
	f.Call(demo.CustomerEmail, "POST", "/api/v1/orgs", nil, `{"name":"`+big+`","kind":"customer"}`).WantError(t, 400, "body_too_large")
	form := url.Values{"name": {big}, "kind": {"customer"}}
	// The token in the header, as the pages' script sends it: readable
	// without the body, so only the body limit can refuse this.
	status, body, _ := b.Post("/orgs", form, "X-CSRF-Token", csrf)
	(&webtest.Response{Status: status, Body: []byte(body)}).WantError(t, 400, "body_too_large")
	// The token in the form, as a plain form post sends it: the body limit
	// is the reason, not a CSRF failure.
	form.Set("csrf_token", csrf)
	status, body, _ = b.Post("/orgs", form)
	(&webtest.Response{Status: status, Body: []byte(body)}).WantError(t, 400, "body_too_large")
	// Nor is an oversized sign-in counted as a failed one.
	status, body, _ = f.Browser().Post("/signin", url.Values{"email": {demo.MemberEmail}, "password": {big}})
	(&webtest.Response{Status: status, Body: []byte(body)}).WantError(t, 400, "body_too_large")
	if changed := before.Changed(f.Counts()); len(changed) > 0 {
		t.Fatalf("oversized bodies changed data: %v", changed)
	}
}

func TestMetricsAccess(t *testing.T) {
	f := webtest.New(t)
	get := func(srv http.Handler, remote, auth string) int {
		r := httptest.NewRequest("GET", "/metrics", nil)
		r.RemoteAddr = remote
		if auth != "" {
			r.Header.Set("Authorization", "Bearer "+auth)
		}
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		return w.Code
	}
	if got := get(f.Server, "127.0.0.1:9", ""); got != 200 {
		t.Errorf("loopback without a token = %d", got)
	}
	if got := get(f.Server, "203.0.113.5:9", ""); got != 403 {
		t.Errorf("a remote caller without a token = %d", got)
	}
	scraped, err := web.New(web.Config{Store: f.Store, Clock: f.Clock, Logger: slog.New(slog.DiscardHandler), MetricsToken: "s3cret-scrape"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		remote, auth string
		want         int
	}{{"203.0.113.5:9", "s3cret-scrape", 200}, {"203.0.113.5:9", "wrong", 401}, {"127.0.0.1:9", "", 401}} {
		if got := get(scraped, c.remote, c.auth); got != c.want {
			t.Errorf("%s with %q = %d, want %d", c.remote, c.auth, got, c.want)
		}
	}
}

// TestReadyzChecksTheDispatcher: a node whose dispatcher is not running
// says so on /readyz, so a load balancer can take it out.
func TestReadyzChecksTheDispatcher(t *testing.T) {
	var down error
	f := webtest.NewWith(t, "sqlite", func(c *web.Config) {
		c.Ready = map[string]func() error{"dispatcher": func() error { return down }}
	})
	get := func() (int, string) {
		res, err := http.Get(f.Srv.URL + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	if status, body := get(); status != 200 {
		t.Fatalf("running: %d %s", status, body)
	}
	down = io.ErrUnexpectedEOF
	if status, body := get(); status != 503 || !strings.Contains(body, "dispatcher not running") {
		t.Fatalf("stopped: %d %s", status, body)
	}
}
