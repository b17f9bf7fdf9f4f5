package ui_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/shelfhq/shelf/internal/browsertest"
	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/store/storetest"
	"github.com/shelfhq/shelf/internal/web/webtest"
)

// pagingFill gives the fixture 120 generated rows of every paged list
// (storetest.PagingFill): entries by the platform admin, who joins the
// generated orgs and groups; members, groups, orders of the customer org;
// apps and test orgs of partner 1; deliveries, channels and reviews of its
// first app with a live listing.
func pagingFill(t *testing.T, f *webtest.Fixture) storetest.PagingOwners {
	t.Helper()
	o := f.PagingOwners(demo.AdminEmail)
	storetest.PagingFill(t, f.DSN(), o, pagingPagesN, f.Clock.Now().UnixMicro())
	return o
}

// TestBrowserPaging walks the audit log in a real browser: 50 entries a
// page, next and previous links, names instead of ids, and the search by a
// person (a name that matches several people lists them; picking one shows
// their entries), on a phone.
func TestBrowserPaging(t *testing.T) {
	f := webtest.New(t)
	pagingFill(t, f)
	b := browsertest.New(t, 2*time.Minute)
	base := f.Srv.URL
	chromeSignIn(t, b, base, demo.AdminEmail)
	rows := func() int {
		n, err := chromedp.Run(b, chromedp.Evaluate[int](`document.querySelectorAll("#audit tbody tr").length`))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if err := chromedp.Do(b, chromedp.EmulateViewport(390, 844), chromedp.Navigate(base+"/admin/audit"), chromedp.WaitVisible(chromedp.ID("audit"))); err != nil {
		t.Fatal(err)
	}
	first := chromeText(t, b, "#audit tbody")
	if n := rows(); n != 50 || !strings.Contains(first, "gen · fill") || strings.Contains(first, "usr_") { // an action without a name in the catalog reads "gen · fill"
		t.Fatalf("first page: %d rows, %q", n, first)
	}
	browsertest.Screenshot(t, b, "paging-audit-phone")
	if err := chromedp.Do(b, chromedp.Click(`a[rel=next]`), chromedp.WaitVisible(`a[rel=prev]`)); err != nil {
		t.Fatal(err)
	}
	links := func() string {
		s, err := chromedp.Run(b, chromedp.Evaluate[string](`[...document.querySelectorAll("a[rel]")].map(a => a.rel).join(",") + " " + location.search.split("=")[0]`))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	if got := links(); got != "prev,next ?after" || rows() != 50 {
		t.Fatalf("second page: links %q, %d rows", got, rows())
	}
	if err := chromedp.Do(b, chromedp.Click(`a[rel=prev]`), chromedp.WaitNotPresent(`a[rel=prev]`)); err != nil {
		t.Fatal(err)
	}
	if got := links(); got != "next ?before" || chromeText(t, b, "#audit tbody") != first {
		t.Fatalf("previous did not come back to the first page: links %q", got)
	}
	if err := chromedp.Do(b, chromedp.SetValue(`#audit-person input`, "Gen 11"), chromedp.Submit(`#audit-person input`), chromedp.WaitVisible(chromedp.ID("people"))); err != nil {
		t.Fatal(err)
	}
	if got := chromeText(t, b, "#people"); !containsAll(got, "Gen 119", "Gen 110", "gen11@gen.test") {
		t.Errorf("people = %q", got)
	}
	if err := chromedp.Do(b, chromedp.SetValue(`#audit-person input`, demo.AdminEmail), chromedp.Submit(`#audit-person input`), chromedp.WaitVisible(chromedp.ID("audit-actor"))); err != nil {
		t.Fatal(err)
	}
	browsertest.Screenshot(t, b, "paging-audit-person-phone")
	if got := chromeText(t, b, "#audit-actor"); !strings.Contains(got, demo.AdminEmail) || rows() != 50 {
		t.Errorf("entries by the admin: %q, %d rows", got, rows())
	}
}
