package ui_test

import (
	"strings"
	"testing"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/web/webtest"
)

// TestPagingBrokenLinks: a page link whose cursor was altered, or made by
// another list, is a 400 page in the reader's language, never a code or a
// database error.
func TestPagingBrokenLinks(t *testing.T) {
	f := webtest.New(t)
	b := f.Browser()
	b.SignIn(demo.AdminEmail)
	org := "/orgs/" + f.World.Platform.ID
	for _, path := range []string{"/admin/audit?after=bm9wZQ", "/admin/audit?before=%21%21", org + "?after=WyJhdWRpdCIsMSwiYSJd", "/review?after=WyJtZW1iZXJzIiwxLCJhIl0"} {
		status, page, _ := b.Get(path)
		if status != 400 || !strings.Contains(page, "翻页链接已失效") || strings.Contains(page, "invalid_cursor") {
			t.Errorf("%s = %d", path, status)
		}
	}
}
