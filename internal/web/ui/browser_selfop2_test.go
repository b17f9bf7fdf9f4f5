package ui_test

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/shelfhq/shelf/internal/browsertest"
	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/webtest"
)

// chromeDo runs actions in a browser, failing the test on an error.
func chromeDo(t *testing.T, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatal(err)
	}
}

// TestBrowserSelfop2 runs a partner's business with one customer in a real
// browser: the customer asks to be contacted from the listing page; the
// partner assigns the lead and marks it won after the order; the customer
// opens a ticket, the partner answers, the customer closes it; the
// customer rates the app and the partner replies; the partner's dashboard
// shows the order; the platform admin closes the month's statement and
// reads the ticket health.
func TestBrowserSelfop2(t *testing.T) {
	f := webtest.New(t)
	base, p1 := f.Srv.URL, f.World.Partner1.ID
	listing := f.RevisionIn("listed").ListingID
	customer := browsertest.New(t, 3*time.Minute)
	chromeSignIn(t, customer, base, demo.CustomerEmail)
	chromeDo(t, customer, chromedp.EmulateViewport(390, 844), chromedp.Navigate(base+"/listings/"+listing), chromedp.WaitVisible(chromedp.ID("contact-form")),
		chromedp.SetValue(chromedp.ID("contact-message"), "想了解 30 人的报价 a quote for 30 people"), chromedp.ScrollIntoView(chromedp.ID("contact-consent")))
	browsertest.Screenshot(t, customer, "selfop2-contact-phone")
	chromeDo(t, customer, chromedp.Click(chromedp.ID("contact-consent")), chromedp.Click(chromedp.ID("contact-submit")), chromedp.WaitVisible(chromedp.CSS(".flash")))

	partner := browsertest.New(t, 3*time.Minute)
	chromeSignIn(t, partner, base, demo.PartnerEmail)
	chromeDo(t, partner, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(base+"/orgs/"+p1+"/leads"), chromedp.WaitVisible(chromedp.ID("leads")))
	browsertest.Screenshot(t, partner, "selfop2-leads")
	ls, err := f.Store.Leads(context.Background(), shelf.LeadFilter{PartnerID: p1, ListingID: listing, Limit: 5})
	if err != nil || len(ls) != 1 {
		t.Fatalf("leads = %+v, %v", ls, err)
	}
	chromeDo(t, partner, chromedp.Click(chromedp.CSS(`#lead-`+ls[0].ID+` a`)), chromedp.WaitVisible(chromedp.ID("lead-form")))
	if got := chromeText(t, partner, "#lead-contact"); !containsAll(got, demo.CustomerEmail, "a quote for 30 people") {
		t.Errorf("contact = %q", got)
	}
	chromeDo(t, partner, chromedp.SetValue(chromedp.ID("f-owner"), f.World.Users["dev@shelf.test"].ID), chromedp.SetValue(chromedp.ID("f-state"), "contacted"),
		chromedp.SetValue(chromedp.ID("f-note"), "已电话联系 called"), chromedp.Click(chromedp.ID("lead-save")), chromedp.WaitVisible(chromedp.CSS(".flash")))
	o := f.Order(listing, shelf.OrderBuy, true) // 5 users × ¥9.00
	chromeDo(t, partner, chromedp.SetValue(chromedp.ID("f-state"), "won"), chromedp.SetValue(chromedp.ID("f-note"), "已下单 ordered"),
		chromedp.Click(chromedp.ID("lead-save")), chromedp.WaitVisible(chromedp.ID("lead-closed")))
	if got := chromeText(t, partner, "#lead-facts"); !containsAll(got, "赢单", "林开发") {
		t.Errorf("lead = %q", got)
	}
	browsertest.Screenshot(t, partner, "selfop2-lead")

	// The customer opens a ticket; the partner answers; the customer closes it.
	chromeDo(t, customer, chromedp.Navigate(base+"/orgs/"+f.World.Customer.ID+"/tickets"), chromedp.Click(chromedp.CSS("#new-ticket summary")),
		chromedp.WaitVisible(chromedp.ID("ticket-form")),
		chromedp.SetValue(chromedp.ID("t-app"), o.AppID), chromedp.SetValue(chromedp.ID("t-subject"), "打卡失败 clock-in fails"),
		chromedp.SetValue(chromedp.ID("t-priority"), "high"), chromedp.SetValue(chromedp.ID("t-text"), "手机打卡一直提示网络错误 the phone says network error"),
		chromedp.Click(chromedp.ID("ticket-submit")), chromedp.WaitVisible(chromedp.ID("reply-form")))
	var path string
	path, err = chromedp.Run(customer, chromedp.Evaluate[string](`location.pathname`))
	if err != nil {
		t.Fatal(err)
	}
	f.Advance(3 * time.Hour)
	chromeDo(t, partner, chromedp.Navigate(base+"/orgs/"+p1+"/tickets"), chromedp.WaitVisible(chromedp.ID("tickets")),
		chromedp.Click(chromedp.CSS(`#tickets a[href="`+path+`"]`)), chromedp.WaitVisible(chromedp.ID("reply-form")),
		chromedp.SetValue(chromedp.ID("r-text"), "请更新到 2.3 版 please update to 2.3"), chromedp.Click(chromedp.ID("reply-submit")), chromedp.WaitVisible(chromedp.CSS(".flash")))
	browsertest.Screenshot(t, partner, "selfop2-ticket-partner")
	chromeDo(t, customer, chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("ticket-close")))
	if got := chromeText(t, customer, "#ticket-facts"); !containsAll(got, "已回复", "3 小时") {
		t.Errorf("ticket = %q", got)
	}
	chromeDo(t, customer, chromedp.Click(chromedp.ID("ticket-close")), chromedp.WaitVisible(chromedp.ID("ticket-reopen")))
	browsertest.Screenshot(t, customer, "selfop2-ticket-closed-phone")

	// The customer rates the app; the partner replies.
	chromeDo(t, customer, chromedp.Navigate(base+"/listings/"+listing), chromedp.WaitVisible(chromedp.ID("rating-form")),
		chromedp.SetValue(chromedp.ID("rating-stars"), "5"), chromedp.SetValue(chromedp.ID("rating-text"), "响应很快 quick support"),
		chromedp.Click(chromedp.ID("rating-submit")), chromedp.WaitVisible(chromedp.CSS(".flash")))
	chromeDo(t, partner, chromedp.Navigate(base+"/listings/"+listing), chromedp.WaitVisible(chromedp.CSS("#reviews input[name=text]")),
		chromedp.SetValue(chromedp.CSS("#reviews input[name=text]"), "感谢好评 thank you"), chromedp.Click(chromedp.CSS("#reviews form button")),
		chromedp.WaitVisible(chromedp.CSS(".reply")))

	// The partner's dashboard shows the order.
	chromeDo(t, partner, chromedp.Navigate(base+"/orgs/"+p1+"/sales"), chromedp.WaitVisible(chromedp.ID("month-table")))
	if got := chromeText(t, partner, "#month-table tbody"); !containsAll(got, shelf.MonthOf(*o.PaidAt), "¥45.00") {
		t.Errorf("dashboard = %q", got)
	}

	// After the month the platform admin closes the statement.
	sts, err := f.Store.Statements(context.Background(), p1, shelf.MonthOf(*o.PaidAt), shelf.PageReq{})
	if err != nil || len(sts) != 1 {
		t.Fatalf("statements = %+v, %v", sts, err)
	}
	f.Advance(32 * 24 * time.Hour)
	admin := browsertest.New(t, 3*time.Minute)
	chromeSignIn(t, admin, base, demo.AdminEmail)
	chromeDo(t, admin, chromedp.Navigate(base+"/admin/statements?month="+sts[0].Month), chromedp.Click(chromedp.CSS("#close-step-"+sts[0].ID+" > summary")),
		chromedp.WaitVisible(chromedp.ID("close-"+sts[0].ID)), chromedp.Click(chromedp.ID("close-"+sts[0].ID)), chromedp.WaitVisible(chromedp.CSS(".flash")))
	if got := chromeText(t, admin, "#stm-"+sts[0].ID); !containsAll(got, "已关闭") {
		t.Errorf("statement = %q", got)
	}
	chromeDo(t, admin, chromedp.Navigate(base+"/admin/tickets"), chromedp.WaitVisible(chromedp.ID("health-"+p1)))
	browsertest.Screenshot(t, admin, "selfop2-ticket-health")
}
