package ui_test

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/shelfhq/shelf/internal/browsertest"
	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/webtest"
)

// TestBrowserSelfop runs partner self-operation in a real browser: the
// platform admin sets the partner's commission on the page; the partner's
// dashboard shows the order paid after it (desktop and phone); the
// customer rates the app and the partner replies; after the month the
// platform admin closes the statement, which the partner then reads.
func TestBrowserSelfop(t *testing.T) {
	f := webtest.New(t)
	b := browsertest.New(t, 2*time.Minute)
	base := f.Srv.URL
	p1 := f.World.Partner1.ID
	chromeSignIn(t, b, base, demo.AdminEmail)
	if err := chromedp.Do(b, chromedp.Navigate(base+"/admin/statements"), chromedp.WaitVisible(chromedp.ID("rate-form")),
		chromedp.SetValue(chromedp.ID("scope"), "partner"), chromedp.SetValue(chromedp.ID("scope_id"), p1),
		chromedp.SetValue(chromedp.ID("percent"), "12.5"), chromedp.Click(chromedp.ID("add-rate")), chromedp.WaitVisible(chromedp.CSS(".flash"))); err != nil {
		t.Fatal(err)
	}
	if got := chromeText(t, b, "#rates tbody"); !containsAll(got, "12.5%", "伙伴") {
		t.Errorf("rates = %q", got)
	}
	o, st := selfopStatement(t, f) // ¥45.00, commission ¥5.63
	month := shelf.MonthOf(*o.PaidAt)

	partner := browsertest.New(t, 2*time.Minute)
	chromeSignIn(t, partner, base, demo.PartnerEmail)
	for _, w := range []struct {
		width, height int64
		suffix        string
	}{{1280, 900, ""}, {390, 844, "-phone"}} {
		if err := chromedp.Do(partner, chromedp.EmulateViewport(w.width, w.height), chromedp.Navigate(base+"/orgs/"+p1+"/sales"),
			chromedp.WaitVisible(chromedp.ID("month-chart"))); err != nil {
			t.Fatal(err)
		}
		fits, err := chromedp.Run(partner, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth + 1`))
		if err != nil || !fits {
			wide, _ := chromedp.Run(partner, chromedp.Evaluate[string](widestElements))
			t.Errorf("the dashboard scrolls sideways at %d px (%v): %s", w.width, err, wide)
		}
		browsertest.Screenshot(t, partner, "selfop-dashboard"+w.suffix)
	}
	if got := chromeText(t, partner, "#month-table tbody"); !containsAll(got, month, "¥45.00", "¥5.63", "¥39.37") {
		t.Errorf("month table = %q", got)
	}
	if bars, err := chromedp.Run(partner, chromedp.Evaluate[int](`document.querySelectorAll("#month-chart rect").length`)); err != nil || bars != 2 {
		t.Errorf("bars = %d (%v), want gross and net", bars, err)
	}

	// The customer rates the app on its listing page; the partner replies.
	customer := browsertest.New(t, 2*time.Minute)
	chromeSignIn(t, customer, base, demo.CustomerEmail)
	if err := chromedp.Do(customer, chromedp.Navigate(base+"/listings/"+o.ListingID), chromedp.WaitVisible(chromedp.ID("rating-form")),
		chromedp.SetValue(chromedp.ID("rating-stars"), "4"), chromedp.SetValue(chromedp.ID("rating-text"), "考勤很方便 easy to use"),
		chromedp.Click(chromedp.ID("rating-submit")), chromedp.WaitVisible(chromedp.CSS(".flash"))); err != nil {
		t.Fatal(err)
	}
	if got := chromeText(t, customer, "#reviews"); !containsAll(got, "4.0", "考勤很方便 easy to use", "管理员") {
		t.Errorf("reviews = %q", got)
	}
	if err := chromedp.Do(partner, chromedp.Navigate(base+"/listings/"+o.ListingID), chromedp.WaitVisible(chromedp.CSS("#reviews input[name=text]")),
		chromedp.SetValue(chromedp.CSS("#reviews input[name=text]"), "谢谢支持 thanks"), chromedp.Click(chromedp.CSS("#reviews form button")),
		chromedp.WaitVisible(chromedp.CSS(".reply"))); err != nil {
		t.Fatal(err)
	}
	browsertest.Screenshot(t, partner, "selfop-reviews")
	if err := chromedp.Do(customer, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(".reply"))); err != nil {
		t.Fatal(err)
	}
	if got := chromeText(t, customer, ".reply"); !containsAll(got, "谢谢支持 thanks") {
		t.Errorf("reply = %q", got)
	}

	f.Advance(32 * 24 * time.Hour) // the month is over; the sessions too
	chromeSignIn(t, b, base, demo.AdminEmail)
	if err := chromedp.Do(b, chromedp.Navigate(base+"/admin/statements?month="+month), chromedp.WaitVisible(chromedp.ID("admin-statements"))); err != nil {
		t.Fatal(err)
	}
	browsertest.Screenshot(t, b, "selfop-admin-statements")
	if err := chromedp.Do(b, chromedp.Click(chromedp.CSS("#close-step-"+st.ID+" > summary")), // the confirmation step
		chromedp.WaitVisible(chromedp.ID("close-"+st.ID)), chromedp.Click(chromedp.ID("close-"+st.ID)), chromedp.WaitVisible(chromedp.CSS(".flash"))); err != nil {
		t.Fatal(err)
	}
	if got := chromeText(t, b, "#stm-"+st.ID); !containsAll(got, "已关闭", "¥39.37") {
		t.Errorf("after closing = %q", got)
	}

	chromeSignIn(t, partner, base, demo.PartnerEmail)
	if err := chromedp.Do(partner, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(base+"/orgs/"+p1+"/statements"),
		chromedp.WaitVisible(chromedp.ID("statements")), chromedp.Click(chromedp.CSS(`#statements a[href$="`+st.ID+`"]`)), chromedp.WaitVisible(chromedp.ID("statement"))); err != nil {
		t.Fatal(err)
	}
	if got := chromeText(t, partner, "#statement-facts"); !containsAll(got, "已关闭", "¥39.37") {
		t.Errorf("statement = %q", got)
	}
	if got := chromeText(t, partner, "#statement-payout"); got != "¥39.37" {
		t.Errorf("payout = %q", got)
	}
	browsertest.Screenshot(t, partner, "selfop-statement")
}
