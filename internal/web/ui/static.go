package ui

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net/http"
	"strings"
)

// Static files are linked by content: pages name "/static/shelf.css?v=<hash>",
// so a browser keeps a file for a year without asking again, and a release
// that changes it changes its address. A request without the current hash
// (an old page, or a node of the previous release during a rolling upgrade)
// is answered with a validator instead, so nothing stale is kept long.

// staticVersions maps each static file to its content hash, computed once.
var staticVersions = hashStatic()

func hashStatic() map[string]string {
	sub, err := fs.Sub(assets, "static")
	if err != nil {
		panic(err)
	}
	out := map[string]string{}
	err = fs.WalkDir(sub, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(sub, path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		out[path] = hex.EncodeToString(sum[:6])
		return nil
	})
	if err != nil {
		panic(err) // embedded files that cannot be read: a broken build
	}
	return out
}

// staticURL is the address of a static file at its current version. A name
// that is not a static file panics while the page renders: a template's
// mistake, caught by any test that renders it.
func staticURL(name string) string {
	v, ok := staticVersions[name]
	if !ok {
		panic("no static file " + name)
	}
	return "/static/" + name + "?v=" + v
}

// staticFiles serves the embedded CSS, JS and images: for a year when asked
// for the current version, else to be revalidated by its ETag.
func staticFiles() http.Handler {
	sub, _ := fs.Sub(assets, "static")
	fsrv := http.StripPrefix("/static/", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, ok := staticVersions[strings.TrimPrefix(r.URL.Path, "/static/")]
		switch {
		case ok && r.URL.Query().Get("v") == v:
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		default:
			w.Header().Set("Cache-Control", "no-cache")
		}
		if ok {
			w.Header().Set("ETag", `"`+v+`"`)
		}
		fsrv.ServeHTTP(w, r)
	})
}
