package ui_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/shelfhq/shelf/internal/browsertest"
	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/webtest"
)

// TestBrowserConsoles looks at the demo's consoles as their users do: the
// partner console lists every app with its state; the platform admin's
// queue shows the operators' load as a chart, and the audit log the demo's
// decisions; the English storefront shows the demo market.
func TestBrowserConsoles(t *testing.T) {
	f := webtest.New(t)
	b := browsertest.New(t, 90*time.Second)
	base := f.Srv.URL
	chromeSignIn(t, b, base, demo.PartnerEmail)
	if err := chromedp.Do(b, chromedp.Navigate(base+"/orgs/"+f.World.Partner1.ID+"/console"), chromedp.WaitVisible(chromedp.ID("apps"))); err != nil {
		t.Fatal(err)
	}
	apps := chromeText(t, b, "#apps tbody")
	for _, want := range []string{"已上架", "审核中", "已驳回", "酷应用"} {
		if !strings.Contains(apps, want) {
			t.Errorf("the console's app list lacks the state %q:\n%s", want, apps)
		}
	}
	browsertest.Screenshot(t, b, "partner-console")

	// An app's events page with two weeks of delivery history: the chart
	// shows each day's success rate (coloured by grade) and p95 latency.
	app := f.World.Apps["larkattend"]
	seedDeliveryHistory(t, f, app.ID)
	if err := chromedp.Do(b, chromedp.Navigate(base+"/apps/"+app.ID+"/events"), chromedp.WaitVisible(chromedp.ID("health-chart"))); err != nil {
		t.Fatal(err)
	}
	poor, err := chromedp.Run(b, chromedp.Evaluate[int](`document.querySelectorAll("#health-chart rect.rate-poor").length`))
	if err != nil {
		t.Fatal(err)
	}
	good, err := chromedp.Run(b, chromedp.Evaluate[int](`document.querySelectorAll("#health-chart rect.rate-good").length`))
	if err != nil {
		t.Fatal(err)
	}
	if poor != 1 || good != 11 {
		t.Errorf("chart bars: %d poor, %d good; want 1 and 11 (one bad day, one fair, one without attempts)", poor, good)
	}
	browsertest.Screenshot(t, b, "app-events")
	if err := chromedp.Do(b, chromedp.EmulateViewport(390, 844), chromedp.Navigate(base+"/lang?to=en&back=/apps/"+app.ID+"/events"),
		chromedp.WaitVisible(chromedp.ID("health-chart"))); err != nil {
		t.Fatal(err)
	}
	fits, err := chromedp.Run(b, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth + 1`))
	if err != nil || !fits {
		t.Errorf("the events page scrolls sideways on a 390 px phone (%v)", err)
	}
	browsertest.Screenshot(t, b, "app-events-phone-en")
	if err := chromedp.Do(b, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(base+"/lang?to=zh-CN&back=/")); err != nil {
		t.Fatal(err)
	}

	if err := chromedp.Do(b, chromedp.Click(chromedp.ID("signout")), chromedp.WaitVisible(chromedp.ID("nav-signin"))); err != nil {
		t.Fatal(err)
	}
	chromeSignIn(t, b, base, demo.AdminEmail)
	if err := chromedp.Do(b, chromedp.Navigate(base+"/review"), chromedp.WaitVisible(chromedp.ID("operator-load"))); err != nil {
		t.Fatal(err)
	}
	if got := chromeText(t, b, "#operator-load"); !strings.Contains(got, "周运营") || !strings.Contains(got, "吴运营") {
		t.Errorf("operator load = %q", got)
	}
	browsertest.Screenshot(t, b, "review-queue")
	if err := chromedp.Do(b, chromedp.Navigate(base+"/admin/audit?q=revision.reject"), chromedp.WaitVisible(chromedp.ID("audit"))); err != nil {
		t.Fatal(err)
	}
	if got := chromeText(t, b, "#audit tbody"); !strings.Contains(got, "审核驳回") { // the action by its name
		t.Errorf("audit search = %q", got)
	}
	if err := chromedp.Do(b, chromedp.Navigate(base+"/lang?to=en&back=/"), chromedp.WaitVisible(chromedp.CSS(`html[lang="en"] #market`))); err != nil {
		t.Fatal(err)
	}
	if got := chromeText(t, b, "#market"); !strings.Contains(got, "From ¥") {
		t.Errorf("English storefront = %q", got)
	}
	browsertest.Screenshot(t, b, "storefront-en")
}

// seedDeliveryHistory logs test pings to the app over the last 14 days:
// every day fine but one at 60% and one at 92%, and one day without any.
func seedDeliveryHistory(t *testing.T, f *webtest.Fixture, appID string) {
	t.Helper()
	ctx := context.Background()
	for k := 0; k < 14; k++ {
		if k == 9 {
			continue
		}
		ping, err := f.Store.EmitTestPing(ctx, appID, "")
		if err != nil {
			t.Fatal(err)
		}
		at := f.Clock.Now().AddDate(0, 0, -k)
		n, ok := 25, 25
		switch k {
		case 4:
			ok = 15
		case 10:
			ok = 23
		}
		var outs []shelf.DeliveryOutcome
		for i := 0; i < n; i++ {
			code := 204
			if i >= ok {
				code = 503
			}
			outs = append(outs, shelf.DeliveryOutcome{AppID: appID, State: shelf.DeliveryPending, NextAttemptAt: at,
				Attempt: shelf.DeliveryAttempt{EventID: ping.ID, EventType: ping.Type, AttemptedAt: at.Add(time.Duration(i) * time.Minute),
					OK: code == 204, StatusCode: code, Latency: time.Duration(40+10*k+3*i) * time.Millisecond}})
		}
		if err := f.Store.RecordDeliveries(ctx, outs); err != nil {
			t.Fatal(err)
		}
	}
}
