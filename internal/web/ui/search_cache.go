package ui

import (
	"bytes"
	"net/http"
	"sync"

	"github.com/shelfhq/shelf/internal/web/auth"
)

// searchCacheMax bounds the cached pages; past it the cache starts over.
const searchCacheMax = 4096

// searchPageCache keeps public storefront pages as rendered for visitors
// who are not signed in, by language and address, at the market version
// they were rendered at (search.Market.Version): a change to any listing
// or category, heard from the change feed on every node, makes them
// stale. Rendering a page per request costs thirty times serving it.
type searchPageCache struct {
	mu      sync.RWMutex
	version uint64
	pages   map[string]*searchCachedPage
}

type searchCachedPage struct {
	header http.Header
	body   []byte
}

// searchRecorder captures what a page handler writes.
type searchRecorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *searchRecorder) Header() http.Header { return r.header }
func (r *searchRecorder) WriteHeader(s int) {
	if r.status == 0 {
		r.status = s
	}
}
func (r *searchRecorder) Write(b []byte) (int, error) {
	r.WriteHeader(http.StatusOK)
	return r.body.Write(b)
}

// searchCached serves page from the cache to visitors not signed in.
func (h *Handler) searchCached(page http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c := h.searchCache
		if c == nil || h.Market == nil || auth.FromContext(r.Context()) != nil || r.URL.Query().Has("flash") {
			page(w, r)
			return
		}
		key := language(r) + " " + r.URL.RequestURI()
		v := h.Market.Version()
		c.mu.RLock()
		p, ok := c.pages[key]
		fresh := ok && c.version == v
		c.mu.RUnlock()
		if fresh {
			for k, vs := range p.header {
				w.Header()[k] = vs
			}
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write(p.body)
			return
		}
		rec := &searchRecorder{header: http.Header{}}
		page(rec, r)
		for k, vs := range rec.header {
			w.Header()[k] = vs
		}
		w.WriteHeader(max(rec.status, http.StatusOK))
		_, _ = w.Write(rec.body.Bytes())
		if rec.status != http.StatusOK || rec.header.Get("Set-Cookie") != "" {
			return
		}
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.version != v || len(c.pages) >= searchCacheMax {
			c.version, c.pages = v, map[string]*searchCachedPage{}
		}
		c.pages[key] = &searchCachedPage{header: rec.header, body: rec.body.Bytes()}
	}
}
