package api

import (
	"encoding/base64"
	"net/http"
	"strconv"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/httpx"
)

// Cursor paging, the one helper list endpoints share: ?limit=&cursor=
// answered with {"items": […], "next_cursor": "…"}; next_cursor is "" on
// the last page. A cursor is opaque to clients: here the sort key of the
// page's last item, base64url-encoded.
const (
	defaultPageLimit = 50
	maxPageLimit     = 200
)

// Page is one page of a cursor-paged list.
type Page[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor"`
}

// pageQuery reads ?limit= (1 to maxPageLimit, defaultPageLimit when absent)
// and ?cursor=, returning the sort key to continue after ("" for the first
// page). The route's query check (openapi.yaml) refuses a limit out of
// range first (422); a cursor this endpoint did not make is a 400.
func pageQuery(r *http.Request) (limit int, after string, err error) {
	limit = defaultPageLimit
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxPageLimit {
			return 0, "", &shelf.Error{Kind: shelf.KindBadRequest, Code: "invalid_limit", Field: "limit", Message: "limit must be a whole number from 1 to " + strconv.Itoa(maxPageLimit)}
		}
		limit = n
	}
	if v := r.URL.Query().Get("cursor"); v != "" {
		b, err := base64.RawURLEncoding.DecodeString(v)
		if err != nil || len(b) == 0 {
			return 0, "", &shelf.Error{Kind: shelf.KindBadRequest, Code: "invalid_cursor", Field: "cursor", Message: "cursor must be a next_cursor this endpoint returned"}
		}
		after = string(b)
	}
	return limit, after, nil
}

// writePage answers a page read with limit+1 items: the extra item, if
// any, only says there is a next page, whose cursor is the key of the last
// item shown.
func writePage[T any](w http.ResponseWriter, items []T, limit int, key func(T) string, err error) error {
	if err != nil {
		return err
	}
	p := Page[T]{Items: items}
	if p.Items == nil {
		p.Items = []T{}
	}
	if len(p.Items) > limit {
		p.Items = p.Items[:limit]
		p.NextCursor = base64.RawURLEncoding.EncodeToString([]byte(key(p.Items[limit-1])))
	}
	httpx.WriteJSON(w, http.StatusOK, p)
	return nil
}
