package ui_test

import (
	"fmt"
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/web/webtest"
)

// pagingPagesN is the rows generated for each paged page's list: more
// than two pages of 50.
const pagingPagesN = 120

// TestPagingEveryPage: no page renders an unbounded list. Each paged page
// is given more than two pages of rows; its first page shows one page of
// them and a "next" link, and that link shows the rows after them with a
// "previous" link back. The search boxes narrow the org list and the
// console's apps by name, and keep their search across pages.
func TestPagingEveryPage(t *testing.T) {
	f := webtest.New(t)
	o := pagingFill(t, f)
	admin, partner, customer := f.Browser(), f.Browser(), f.Browser()
	admin.SignIn(demo.AdminEmail)
	partner.SignIn(demo.PartnerEmail)
	customer.SignIn(demo.CustomerEmail)
	for _, c := range []struct {
		name string
		b    *webtest.Browser
		path string
		rows func(page string) int
		size int
	}{
		{"audit log", admin, "/admin/audit", tableRows("audit"), 50},
		{"members", admin, "/orgs/" + o.OrgID, tableRows("members"), 50},
		{"delivery log", partner, "/apps/" + o.AppID + "/events", tableRows("deliveries"), 50},
		{"org list", admin, "/orgs", tableRows("org-list"), 50},
		{"console apps", partner, "/orgs/" + o.PartnerID + "/console", tableRows("apps"), 50},
		{"groups", admin, "/orgs/" + o.OrgID + "/groups", tableRows("groups"), 50},
		{"test orgs", partner, "/orgs/" + o.PartnerID + "/test-orgs", tableRows("test-orgs"), 50},
		{"category operators", admin, "/admin/categories", tableRows("operators"), 50},
		{"an org's orders", customer, "/orgs/" + o.OrgID + "/orders", tableRows("org-orders"), 50},
		{"platform orders", admin, "/admin/orders", tableRows("orders"), 50},
		{"review queue", admin, "/review", tableRows("queue"), 50},
		{"listing reviews", admin, "/listings/" + o.ListingID, func(p string) int { return strings.Count(p, `<article class="review`) }, 20},
	} {
		t.Run(c.name, func(t *testing.T) {
			status, page, _ := c.b.Get(c.path)
			if status != 200 || c.rows(page) != c.size {
				t.Fatalf("%s = %d with %d rows, want one page of %d", c.path, status, c.rows(page), c.size)
			}
			next := relLink(page, "next")
			if next == "" || relLink(page, "prev") != "" {
				t.Fatalf("%s: first page links next %q prev %q", c.path, next, relLink(page, "prev"))
			}
			status, second, _ := c.b.Get(next)
			if status != 200 || c.rows(second) != c.size || relLink(second, "prev") == "" || second == page {
				t.Fatalf("%s = %d with %d rows, prev %q", next, status, c.rows(second), relLink(second, "prev"))
			}
		})
	}
	t.Run("member count", func(t *testing.T) {
		// The members tab counts all of them, not the page it shows.
		_, page, _ := admin.Get("/orgs/" + o.OrgID)
		n, err := f.Store.MemberCount(t.Context(), o.OrgID)
		if err != nil || n <= pagingPagesN {
			t.Fatalf("member count = %d, %v", n, err)
		}
		if want := fmt.Sprintf("共 %d 名成员", n); !strings.Contains(page, want) {
			t.Errorf("the members page does not say %s", want)
		}
	})
	t.Run("search", func(t *testing.T) {
		for _, c := range []struct {
			b          *webtest.Browser
			path, want string
			rows       func(string) int
			n          int
		}{
			{admin, "/orgs?q=ORG+11", "Gen org 119", tableRows("org-list"), 11},                                     // 11, 110–119; letters in any case
			{partner, "/orgs/" + o.PartnerID + "/console?q=app+0000010", "Gen app 00000100", tableRows("apps"), 10}, // 100–109
		} {
			status, page, _ := c.b.Get(c.path)
			if status != 200 || c.rows(page) != c.n || !strings.Contains(page, c.want) || relLink(page, "next") != "" {
				t.Errorf("%s = %d with %d rows, want %d", c.path, status, c.rows(page), c.n)
			}
		}
		if _, page, _ := admin.Get("/orgs?q=nothing+like+it"); !strings.Contains(page, `id="no-match"`) {
			t.Error("a search that matches nothing does not say so")
		}
		status, page, _ := admin.Get("/orgs?q=gen")
		next := relLink(page, "next")
		if status != 200 || !strings.Contains(next, "q=gen") {
			t.Fatalf("/orgs?q=gen = %d, next %q keeps no search", status, next)
		}
		if status, _, _ := admin.Get(strings.Replace(next, "q=gen", "q=org", 1)); status != 400 {
			t.Errorf("a cursor of another search = %d, want 400", status)
		}
	})
}

// tableRows counts the body rows of the table with the id.
func tableRows(id string) func(string) int {
	return func(page string) int {
		_, rest, ok := strings.Cut(page, `id="`+id+`"`)
		if !ok {
			return 0
		}
		table, _, _ := strings.Cut(rest, "</table>")
		_, body, _ := strings.Cut(table, "<tbody")
		return strings.Count(body, "<tr")
	}
}

var relHref = regexp.MustCompile(`<a href="([^"]*)" rel="(prev|next)"`)

// relLink is the page's link with rel ("" when it has none).
func relLink(page, rel string) string {
	for _, m := range relHref.FindAllStringSubmatch(page, -1) {
		if m[2] == rel {
			return html.UnescapeString(m[1])
		}
	}
	return ""
}
