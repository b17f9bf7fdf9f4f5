package cli

import (
	"context"
	"net/url"
	"strings"
)

// getAll reads every page of a cursor-paged list of the API at path (which
// may carry a query already), 200 items a page, following next_cursor
// until it is null.
func getAll[T any](ctx context.Context, cl *apiClient, path string) ([]T, error) {
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	var all []T
	for cursor := ""; ; {
		var page struct {
			Items      []T    `json:"items"`
			NextCursor string `json:"next_cursor"`
		}
		if err := cl.getJSON(ctx, path+sep+"limit=200&cursor="+url.QueryEscape(cursor), &page); err != nil {
			return nil, err
		}
		all = append(all, page.Items...)
		if cursor = page.NextCursor; cursor == "" {
			return all, nil
		}
	}
}
