package search

import (
	"net/url"
	"slices"
	"strconv"

	"github.com/shelfhq/shelf/internal/shelf"
)

// Paging of market searches.
const (
	PerPage    = 20
	MaxPerPage = 50
)

// ParseQuery reads a market search from a query string (the API's and
// the search page's): q, category, free, trial, kind, min_price, max_price,
// sort, page and per_page; bad values are field errors.
func ParseQuery(q url.Values) (req Request, page, perPage int, err error) {
	req = Request{Q: q.Get("q"), Category: q.Get("category"), MinPrice: -1, MaxPrice: -1, Sort: SortRelevance}
	if s := q.Get("sort"); s != "" {
		if !slices.Contains(Sorts, Sort(s)) {
			return req, 0, 0, shelf.FieldError("sort", "invalid_sort", "sort must be relevance, popular, newest, price or rating")
		}
		req.Sort = Sort(s)
	}
	flag := func(name string) (bool, error) {
		switch q.Get(name) {
		case "", "false", "0":
			return false, nil
		case "true", "1":
			return true, nil
		}
		return false, shelf.FieldError(name, "invalid_flag", "%s must be true or false", name)
	}
	if req.Free, err = flag("free"); err != nil {
		return
	}
	if req.Trial, err = flag("trial"); err != nil {
		return
	}
	if req.Kind, err = parseKind(q); err != nil {
		return
	}
	num := func(name string, def, lo, hi int64) (int64, error) {
		s := q.Get(name)
		if s == "" {
			return def, nil
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < lo || n > hi {
			return 0, shelf.FieldError(name, "out_of_range", "%s must be a whole number from %d to %d", name, lo, hi)
		}
		return n, nil
	}
	if req.MinPrice, err = num("min_price", -1, 0, shelf.MaxSpecPrice); err != nil {
		return
	}
	if req.MaxPrice, err = num("max_price", -1, 0, shelf.MaxSpecPrice); err != nil {
		return
	}
	if req.MinPrice >= 0 && req.MaxPrice >= 0 && req.MinPrice > req.MaxPrice {
		return req, 0, 0, shelf.FieldError("max_price", "out_of_range", "max_price must not be below min_price")
	}
	p, err := num("page", 1, 1, 1<<20)
	if err != nil {
		return
	}
	pp, err := num("per_page", PerPage, 1, MaxPerPage)
	if err != nil {
		return
	}
	page, perPage = int(p), int(pp)
	req.Offset, req.Limit = (page-1)*perPage, perPage
	return req, page, perPage, nil
}
