package ui

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/shelfhq/shelf/internal/shelf"
)

// pagingSize is the rows a paged page shows.
const pagingSize = 50

// pagingLinks are a paged page's "previous" and "next" links (the page's
// own address with ?after= or ?before=; "" when there is none).
type pagingLinks struct {
	Prev, Next string
}

// pagingList is one keyset-paged list of the pages: its cursor tag, key
// shape and key, as the API's pagers (a cursor of the page is a cursor of
// the same list).
type pagingList[T any] struct {
	tag   string
	shape string
	key   func(T) []any
}

// read reads the page that ?after= or ?before= asks for (the first
// without either): size rows of it, in the list's order, and the links
// to the pages around it. read gets the store's page request (one row
// more than size; with Back, the rows before the key nearest first).
func (l pagingList[T]) read(r *http.Request, size int, read func(shelf.PageReq) ([]T, error)) ([]T, pagingLinks, error) {
	q := r.URL.Query()
	back := q.Get("before") != ""
	c := q.Get("after")
	if back {
		c = q.Get("before")
	}
	p := shelf.PageReq{Limit: size + 1, Back: back}
	if c != "" {
		key, err := shelf.DecodeCursor(c, l.tag, l.shape)
		if err != nil {
			return nil, pagingLinks{}, err
		}
		p.After = key
	}
	rows, err := read(p)
	if err != nil {
		return nil, pagingLinks{}, err
	}
	more := len(rows) > size
	rows = rows[:min(len(rows), size)]
	if back {
		slices.Reverse(rows)
	}
	var links pagingLinks
	if len(rows) > 0 {
		first, last := rows[0], rows[len(rows)-1]
		if (back && more) || (!back && c != "") {
			links.Prev = pagingURL(r, "before", shelf.EncodeCursor(l.tag, l.key(first)))
		}
		if (!back && more) || back {
			links.Next = pagingURL(r, "after", shelf.EncodeCursor(l.tag, l.key(last)))
		}
	}
	return rows, links, nil
}

// pagingURL is the page's address with its cursor replaced.
func pagingURL(r *http.Request, name, cursor string) string {
	q := url.Values{}
	for k, v := range r.URL.Query() {
		if k != "after" && k != "before" {
			q[k] = v
		}
	}
	q.Set(name, cursor)
	return r.URL.Path + "?" + q.Encode()
}
