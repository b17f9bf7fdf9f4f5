package ui_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/shelfhq/shelf/internal/browsertest"
	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/webtest"
)

// TestBrowserSales looks at the selling pages as their users do, at a
// desktop's width and on a 390 px phone: the partner's sales of an app
// (revenue bars, subscriptions by status, orders) and the platform
// admin's orders and one order's computation.
func TestBrowserSales(t *testing.T) {
	f := webtest.New(t)
	paid1, _, open := sellApp(f)
	// Two more apps sold over the following weeks, so the platform's list
	// has several apps and the chart several days.
	for range 2 {
		f.Advance(9 * 24 * time.Hour)
		f.FreshOrder(true)
	}
	f.Advance(5 * 24 * time.Hour)
	b := browsertest.New(t, 2*time.Minute)
	base := f.Srv.URL
	look := func(path, ready, name string) {
		t.Helper()
		for _, w := range []struct {
			width, height int64
			suffix        string
		}{{1280, 900, ""}, {390, 844, "-phone"}} {
			if err := chromedp.Do(b, chromedp.EmulateViewport(w.width, w.height), chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.ID(ready))); err != nil {
				t.Fatalf("%s at %d px: %v", path, w.width, err)
			}
			fits, err := chromedp.Run(b, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth + 1`))
			if err != nil || !fits {
				wide, _ := chromedp.Run(b, chromedp.Evaluate[string](widestElements))
				t.Errorf("%s scrolls sideways at %d px (%v); too wide: %s", path, w.width, err, wide)
			}
			browsertest.Screenshot(t, b, name+w.suffix)
		}
	}

	chromeSignIn(t, b, base, demo.PartnerEmail)
	look("/apps/"+paid1.AppID+"/sales", "revenue-chart", "sales")
	bars, err := chromedp.Run(b, chromedp.Evaluate[int](`document.querySelectorAll("#revenue-chart rect.revenue").length`))
	if err != nil || bars != 2 {
		t.Errorf("revenue bars = %d (%v), want 2", bars, err)
	}
	height, err := chromedp.Run(b, chromedp.Evaluate[float64](`document.querySelector("#revenue-chart rect.revenue").getBoundingClientRect().height`))
	if err != nil || height < 20 {
		t.Errorf("the tallest revenue bar is %.0f px high (%v): too flat to read", height, err)
	}
	look("/apps/"+paid1.AppID+"/sso", "sso-form", "app-sso")
	look("/lang?to=en&back=/apps/"+paid1.AppID+"/sales", "revenue-chart", "sales-en")
	if err := chromedp.Do(b, chromedp.Navigate(base+"/lang?to=zh-CN&back=/"), chromedp.Click(chromedp.ID("signout")), chromedp.WaitVisible(chromedp.ID("nav-signin"))); err != nil {
		t.Fatal(err)
	}

	chromeSignIn(t, b, base, demo.AdminEmail)
	look("/admin/orders", "orders", "platform-orders")
	if got := chromeText(t, b, "#orders tbody"); !containsAll(got, open.ID, "待支付", "已生效") {
		t.Errorf("platform orders = %q", got)
	}
	look("/admin/orders/"+open.ID, "record-payment", "platform-order")
	if got := chromeText(t, b, "#computation"); !containsAll(got, shelf.DescribeQuote(&open.Computation, shelf.LangZH)...) {
		t.Errorf("computation = %q", got)
	}
}

func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}
