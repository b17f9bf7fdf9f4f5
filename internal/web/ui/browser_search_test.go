package ui_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/shelfhq/shelf/internal/browsertest"
	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/web/webtest"
)

// TestBrowserSearch: on a 390 px phone and on a desktop, a visitor sees
// the listing platform admins featured first on the home page, searches
// 考勤 from it, narrows to the category and its sub-category
// (the query kept), opens the listing and looks at its screenshot in the
// larger view. Screenshots: search-{phone,desktop}-*.png.
func TestBrowserSearch(t *testing.T) {
	f := webtest.New(t)
	base := f.Srv.URL
	hr, leaf := f.World.Categories["HR"].ID, f.HRLeaf()
	flow := f.SearchListingID("larkflow")
	if _, err := f.Store.SetFeaturedListings(context.Background(), f.World.Users[demo.AdminEmail].ID, []string{flow}); err != nil {
		t.Fatal(err)
	}
	for _, vp := range []struct {
		name string
		w, h int64
	}{{"phone", 390, 844}, {"desktop", 1280, 900}} {
		t.Run(vp.name, func(t *testing.T) {
			b := browsertest.New(t, 2*time.Minute)
			shot := func(step string) { browsertest.Screenshot(t, b, "search-"+vp.name+"-"+step) }
			do := func(step string, actions ...chromedp.Action[chromedp.Void]) {
				t.Helper()
				if err := chromedp.Do(b, actions...); err != nil {
					shot(step + "-failed")
					t.Fatalf("%s: %v", step, err)
				}
			}
			do("viewport", chromedp.EmulateViewport(vp.w, vp.h))
			do("home", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.ID("market-featured")), chromedp.WaitVisible(chromedp.ID("market")))
			if got := chromeText(t, b, "#market-featured"); !strings.Contains(got, "云雀审批") {
				t.Errorf("featured shelf shows %q, want 云雀审批", got)
			}
			first, err := chromedp.Run(b, chromedp.Evaluate[bool](`document.querySelector("#market-featured").compareDocumentPosition(document.querySelector("#market")) === Node.DOCUMENT_POSITION_FOLLOWING`))
			if err != nil || !first {
				t.Errorf("the featured shelf is not before the popular one (%v)", err)
			}
			shot("0-home")
			do("search", chromedp.SendKeys(chromedp.ID("search"), "考勤"), chromedp.Submit(chromedp.ID("search")), chromedp.WaitVisible(chromedp.ID("total")))
			if got := chromeText(t, b, "#market"); !strings.Contains(got, "云雀考勤") {
				t.Fatalf("search 考勤 finds %q", got)
			}
			marks, err := chromedp.Run(b, chromedp.Evaluate[int](`document.querySelectorAll("#market mark").length`))
			if err != nil || marks == 0 {
				t.Errorf("no highlighted match in the results (%v)", err)
			}
			shot("1-results")
			do("category", chromedp.Click(chromedp.CSS(fmt.Sprintf(`#categories a[href*="category=%s"]`, hr))), chromedp.WaitVisible(chromedp.ID("subcategories")))
			do("sub-category", chromedp.Click(chromedp.CSS(fmt.Sprintf(`#subcategories a[href*="category=%s"]`, leaf))), chromedp.WaitVisible(chromedp.ID("market")))
			loc, err := chromedp.Run(b, chromedp.Evaluate[string](`location.search`))
			if err != nil || !strings.Contains(loc, "q=%E8%80%83%E5%8B%A4") || !strings.Contains(loc, leaf) {
				t.Errorf("the sub-category lost the query: %q", loc)
			}
			shot("2-category")
			do("open listing", chromedp.Click(chromedp.CSS(`#market a.product-card`)), chromedp.WaitVisible(chromedp.ID("product-name")), chromedp.WaitVisible(chromedp.ID("vendor")))
			shot("3-listing")
			alt, err := chromedp.Run(b, chromedp.Evaluate[string](`document.querySelector("#gallery img").alt`))
			if err != nil || !strings.Contains(alt, "截图") {
				t.Errorf("screenshot alt text %q (%v)", alt, err)
			}
			do("larger view", chromedp.Click(chromedp.CSS(`#gallery a.shot`)), chromedp.WaitVisible(chromedp.ID("shot-1")))
			shot("4-screenshot")
			do("close", chromedp.Click(chromedp.CSS(`#shot-1 .lightbox-close`)), chromedp.WaitNotVisible(chromedp.ID("shot-1")))
		})
	}
}
