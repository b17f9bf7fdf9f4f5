package webtest

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/shelfhq/shelf/internal/demo"
)

// Browser is a cookie-keeping HTTP client that does not follow redirects,
// so tests can see them.
type Browser struct {
	t    *testing.T
	base string
	c    *http.Client
}

// Browser returns a new browser on the fixture's server.
func (f *Fixture) Browser() *Browser {
	jar, _ := cookiejar.New(nil)
	return &Browser{t: f.T, base: f.Srv.URL, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// Get opens a page.
func (b *Browser) Get(path string) (int, string, http.Header) {
	b.t.Helper()
	res, err := b.c.Get(b.base + path)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body), res.Header
}

// Post sends a form, with extra headers as name, value pairs.
func (b *Browser) Post(path string, form url.Values, header ...string) (int, string, http.Header) {
	b.t.Helper()
	req, _ := http.NewRequest("POST", b.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body), res.Header
}

// SignIn signs in with the demo password.
func (b *Browser) SignIn(email string) {
	b.t.Helper()
	status, body, h := b.Post("/signin", url.Values{"email": {email}, "password": {demo.Password}})
	if status != http.StatusSeeOther || h.Get("Location") != "/orgs" {
		b.t.Fatalf("sign in as %s = %d %s: %.300s", email, status, h.Get("Location"), body)
	}
}

var csrfRe = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// CSRFOf returns the CSRF token of a page's forms.
func CSRFOf(t *testing.T, page string) string {
	t.Helper()
	m := csrfRe.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no csrf_token in the page")
	}
	return m[1]
}
