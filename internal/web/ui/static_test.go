package ui_test

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/shelfhq/shelf/internal/web/webtest"
)

// Pages link every static file at its content's hash; that address is kept
// a year, any other is revalidated by its ETag (a 304 when unchanged).
func TestStaticFilesVersioned(t *testing.T) {
	f := webtest.New(t)
	_, body, _ := f.Browser().Get("/")
	links := regexp.MustCompile(`"(/static/([a-z]+\.(?:css|js))\?v=([0-9a-f]+))"`).FindAllStringSubmatch(body, -1)
	if len(links) < 4 {
		t.Fatalf("the page links %d versioned static files: %v", len(links), links)
	}
	get := func(path string, header ...string) *http.Response {
		req, _ := http.NewRequest("GET", f.Srv.URL+path, nil)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { res.Body.Close() })
		return res
	}
	for _, l := range links {
		path, name, v := l[1], l[2], l[3]
		res := get(path)
		b, _ := io.ReadAll(res.Body)
		sum := sha256.Sum256(b)
		if res.StatusCode != 200 || !strings.HasPrefix(hex.EncodeToString(sum[:]), v) {
			t.Errorf("%s: %d, its content hashes to %x", path, res.StatusCode, sum[:6])
		}
		if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
			t.Errorf("%s: Cache-Control %q, want a year and immutable", path, cc)
		}
		for _, other := range []string{"/static/" + name, "/static/" + name + "?v=0000"} {
			res := get(other)
			if cc := res.Header.Get("Cache-Control"); cc != "no-cache" || res.Header.Get("ETag") != `"`+v+`"` {
				t.Errorf("%s: Cache-Control %q, ETag %q", other, cc, res.Header.Get("ETag"))
			}
			if res := get(other, "If-None-Match", `"`+v+`"`); res.StatusCode != http.StatusNotModified {
				t.Errorf("%s revalidated: %d, want 304", other, res.StatusCode)
			}
		}
	}
}
