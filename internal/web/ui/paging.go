package ui

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

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
// shape and key, as the API's pagers (signed alike; the API's tags also
// carry the request's path, so the two do not take each other's cursors).
type pagingList[T any] struct {
	tag   string
	shape string
	key   func(T) []any
}

// in is the list narrowed by a filter or a search (its values): a cursor
// made under one filter is refused under another, as the API's are.
func (l pagingList[T]) in(scope ...string) pagingList[T] {
	l.tag = strings.Join(append([]string{l.tag}, scope...), "\x1f")
	return l
}

// listSearch is a paged list's search box: the page it searches and what
// was typed (?q=, kept by the paging links).
type listSearch struct {
	ID, Action, Q string
}

// searchOf is the search box of the page r asks for, with its ?q=.
func searchOf(r *http.Request, id string) listSearch {
	return listSearch{ID: id, Action: r.URL.Path, Q: strings.TrimSpace(r.URL.Query().Get("q"))}
}

// listRequest is r as the paged list at path sees it: r itself on a GET of
// path; after a refused form (a POST elsewhere, shown again) the list's
// own first page, so its search box and links lead to path.
func listRequest(r *http.Request, path string) *http.Request {
	if r.Method == http.MethodGet && r.URL.Path == path {
		return r
	}
	c := *r
	c.URL = &url.URL{Path: path}
	return &c
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
