package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/httpx"
)

// Cursor paging, the one helper list endpoints share: ?limit=&cursor=
// answered with {"items": […], "next_cursor": "…"}; next_cursor is null on
// the last page. A cursor is opaque to clients. A list names its order with
// a pager (its tag, key shape and key); the store continues after the key
// with its keyset helper; a list its store continues after one string key
// (an id, or a time-and-id key) is a keyPager, with cursors made the same way.
const (
	defaultPageLimit = 50
	maxPageLimit     = 200
)

// pager is one keyset-paged list of the API. Its cursors are base64url
// JSON arrays [tag, key…]: the tag names the list, so a cursor of another
// list (or of another filter of this one) is refused with a 400, and the
// key is checked against shape ('i' a whole number, 's' a string, 'b' a
// boolean, one per sort column) before it reaches a query.
type pager[T any] struct {
	tag   string
	shape string
	key   func(T) []any
}

// keyPager is the pager of a list its store continues after one unique
// string key: its cursors are tagged like every other list's, so a cursor
// of another list, or made under another filter, is refused as well.
func keyPager[T any](tag string, key func(T) string) pager[T] {
	return pager[T]{tag: tag, shape: "s", key: func(x T) []any { return []any{key(x)} }}
}

// afterKey is the string key a keyPager's page request continues after
// ("" on the first page).
func afterKey(p shelf.PageReq) string {
	if len(p.After) != 1 {
		return ""
	}
	k, _ := p.After[0].(string)
	return k
}

// request reads ?limit= and ?cursor= into the store's page request, which
// asks for one row more than limit (it says whether there is a next page).
// The request's path (the org, app or listing whose list it is) and scope
// (e.g. the filter's values) are part of the tag: a cursor made for
// another org's list, or under another filter, is foreign too.
func (p pager[T]) request(r *http.Request, scope ...string) (shelf.PageReq, int, error) {
	limit := defaultPageLimit
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxPageLimit {
			return shelf.PageReq{}, 0, shelf.FieldError("limit", "out_of_range", "limit must be a whole number from 1 to %d", maxPageLimit)
		}
		limit = n
	}
	after, err := p.decode(r.URL.Query().Get("cursor"), p.fullTag(r, scope))
	return shelf.PageReq{Limit: limit + 1, After: after}, limit, err
}

// write answers {"items", "next_cursor"} from rows read with limit+1.
func (p pager[T]) write(w http.ResponseWriter, r *http.Request, items []T, limit int, err error, scope ...string) error {
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, p.page(r, items, limit, scope...))
	return nil
}

// page is the envelope of rows read with limit+1, for an answer that
// carries more than the page (it embeds it).
func (p pager[T]) page(r *http.Request, items []T, limit int, scope ...string) CursorPage[T] {
	out := CursorPage[T]{Items: items}
	if out.Items == nil {
		out.Items = []T{}
	}
	if len(out.Items) > limit {
		out.Items = out.Items[:limit]
		c := shelf.EncodeCursor(p.fullTag(r, scope), p.key(out.Items[limit-1]))
		out.NextCursor = &c
	}
	return out
}

// CursorPage is the answer of a keyset-paged list: next_cursor is null on
// the last page.
type CursorPage[T any] struct {
	Items      []T     `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

// fullTag names the list a cursor belongs to: the pager's tag, the
// request's path (whose org, app or listing) and the filter's values.
func (p pager[T]) fullTag(r *http.Request, scope []string) string {
	return strings.Join(append([]string{p.tag, r.URL.Path}, scope...), "\x1f")
}

// decode reads a cursor this list made ("" is the first page: nil).
func (p pager[T]) decode(c, tag string) ([]any, error) {
	if c == "" {
		return nil, nil
	}
	return shelf.DecodeCursor(c, tag, p.shape)
}
