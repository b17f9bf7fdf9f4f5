package shelf

// PageReq asks a store list for one page in keyset order: the rows after
// After (the sort key of the last row of the previous page; nil for the
// first page), at most Limit of them. Keyset, never offset: a row inserted
// meanwhile falls before or after the key, so a walk sees every row that
// existed when it started exactly once.
type PageReq struct {
	Limit int
	After []any // int64, string or bool values, one per sort column
	// Back reads the rows before After instead, nearest first (the caller
	// reverses them): the "previous" link of a page.
	Back bool
}

// FirstPage is the request for the first n rows of a list.
func FirstPage(n int) PageReq { return PageReq{Limit: n} }
