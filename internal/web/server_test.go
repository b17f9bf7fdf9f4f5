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

// TestBodyLimit: an oversized body is refused before anything is parsed or
// stored.
func TestBodyLimit(t *testing.T) {
	f := webtest.New(t)
	big := strings.Repeat("x", 2<<20)
	r := f.Call(demo.CustomerEmail, "POST", "/api/v1/orgs", nil, `{"name":"`+big+`","kind":"customer"}`)
	if code, _ := r.ErrCode(t); r.Status != 400 || code != "body_too_large" {
		t.Fatalf("2 MiB JSON = %d %s", r.Status, code)
	}
	b := f.Browser()
	b.SignIn(demo.CustomerEmail)
	status, _, _ := b.Post("/orgs", url.Values{"name": {big}, "kind": {"customer"}})
	if status != http.StatusForbidden && status != http.StatusRequestEntityTooLarge && status != http.StatusBadRequest {
		t.Fatalf("2 MiB form = %d", status)
	}
	orgs, _ := f.Store.OrgsForUser(t.Context(), f.World.Users[demo.CustomerEmail].ID)
	for _, o := range orgs {
		if len(o.Name) > 1000 {
			t.Fatal("an oversized form created an org")
		}
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
