package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/shelfhq/shelf/internal/shelf"
)

// keyset is the order of a cursor-paged list: its sort columns, the last
// of them unique, all ascending or all descending. Every paged list query
// ends with page(), so the condition, the order and the limit agree, and an
// index on (filter columns…, sort columns…) serves the page without a sort
// on both engines (the row-value comparison is a range on that index).
type keyset struct {
	cols []string
	desc bool
}

// defaultPageLimit bounds a list read whose caller asked for no limit.
const defaultPageLimit = 200

// maxPageLimit bounds any one page read (the API's largest page, plus the
// one row that says whether there is a next page).
const maxPageLimit = 501

// page returns the SQL that continues a WHERE clause for p — " AND (cols)
// > ($n, …)" when p has a key — then the ORDER BY and LIMIT, with args
// extended by the key and the limit. p.Back turns both the other way (the
// rows before the key, nearest first). A key of the wrong shape is a 400:
// it came from a client.
func (k keyset) page(p shelf.PageReq, args []any) (string, []any, error) {
	var b strings.Builder
	if len(p.After) > 0 {
		if len(p.After) != len(k.cols) {
			return "", nil, badCursor()
		}
		op, ph := " > ", make([]string, len(k.cols))
		if k.desc != p.Back {
			op = " < "
		}
		for i, v := range p.After {
			switch v.(type) {
			case int64, string, bool:
			default:
				return "", nil, badCursor()
			}
			args = append(args, v)
			ph[i] = "$" + strconv.Itoa(len(args))
		}
		fmt.Fprintf(&b, " AND (%s)%s(%s)", strings.Join(k.cols, ", "), op, strings.Join(ph, ", "))
	}
	dir := ""
	if k.desc != p.Back {
		dir = " DESC"
	}
	b.WriteString(" ORDER BY " + strings.Join(k.cols, dir+", ") + dir)
	args = append(args, pageLimit(p))
	b.WriteString(" LIMIT $" + strconv.Itoa(len(args)))
	return b.String(), args, nil
}

// afterKey is the page request of a list whose callers continue after
// one string key (an id): "" is the first page.
func afterKey(after string, limit int) shelf.PageReq {
	p := shelf.PageReq{Limit: limit}
	if after != "" {
		p.After = []any{after}
	}
	return p
}

// pageAfter is page() for a list keyed by (time, id) whose callers
// continue after the key's text (shelf.TimeKey, or the lead and ticket
// cursors read by parse); "" is the first page.
func (k keyset) pageAfter(after string, limit int, parse func(string) (int64, string, error), args []any) (string, []any, error) {
	p := shelf.PageReq{Limit: limit}
	if after != "" {
		at, id, err := parse(after)
		if err != nil {
			return "", nil, err
		}
		p.After = []any{at, id}
	}
	return k.page(p, args)
}

func badCursor() error {
	return &shelf.Error{Kind: shelf.KindBadRequest, Code: "invalid_cursor", Field: "cursor", Message: "cursor must be a next_cursor this list returned"}
}

// pageLimit is the number of rows p reads.
func pageLimit(p shelf.PageReq) int {
	if p.Limit <= 0 {
		return defaultPageLimit
	}
	return min(p.Limit, maxPageLimit)
}

// queryPage runs a list query that ends with a keyset's page(). Every
// paged list reads through it, so the list-plan test sees each of them.
func (s *Store) queryPage(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if see := s.pageQueries.Load(); see != nil {
		(*see)(query, args)
	}
	return s.read.QueryContext(ctx, query, args...)
}
