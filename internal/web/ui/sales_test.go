package ui_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store/storetest"
	"github.com/shelfhq/shelf/internal/web/webtest"
)

// sellApp gives a fresh app of partner org 1 three orders of the customer
// org, days apart: a purchase and a renewal paid, a second renewal
// waiting for payment.
func sellApp(f *webtest.Fixture) (paid1, paid2, open *shelf.Order) {
	f.T.Helper()
	paid1 = f.FreshOrder(true)
	f.Advance(3 * 24 * time.Hour)
	paid2 = f.Order(paid1.ListingID, shelf.OrderRenew, true)
	f.Advance(2 * 24 * time.Hour)
	open = f.Order(paid1.ListingID, shelf.OrderRenew, false)
	return paid1, paid2, open
}

// TestPagesSales: the partner admin sees the app's orders, subscriptions
// and revenue chart in either language, filters the orders, and downloads
// the same CSV the API serves.
func TestPagesSales(t *testing.T) {
	f := webtest.New(t)
	paid1, paid2, open := sellApp(f)
	b := f.Browser()
	b.SignIn(demo.PartnerEmail)
	path := "/apps/" + paid1.AppID + "/sales"
	status, page, _ := b.Get(path)
	for _, want := range []string{"已生效", "待支付", "新购", "续费", "生效中", f.World.Customer.Name, shelf.FormatMoney(paid1.Amount, paid1.Currency),
		shelf.FormatMoney(paid1.Amount+paid2.Amount, paid1.Currency), `id="revenue-chart"`, `id="subs-by-status"`, open.ID} {
		if !strings.Contains(page, want) {
			t.Errorf("sales page (%d) lacks %q", status, want)
		}
	}
	if n := strings.Count(page, `class="revenue"`); n != 2 {
		t.Errorf("revenue chart has %d bars, want 2 (two days with paid orders)", n)
	}
	if _, en, _ := b.Get(path + "?lang=en"); !strings.Contains(en, "Awaiting payment") || !strings.Contains(en, "Renewal") || !strings.Contains(en, "Revenue per day") {
		t.Error("the English sales page is not in English")
	}
	_, only, _ := b.Get(path + "?state=created")
	if !strings.Contains(only, open.ID) || strings.Contains(only, paid1.ID) {
		t.Error("the state filter does not filter")
	}
	status, bad, _ := b.Get(path + "?state=bogus")
	if status != http.StatusUnprocessableEntity || !strings.Contains(bad, "未知的订单状态") || strings.Contains(bad, "invalid_state") {
		t.Errorf("a bogus state = %d, or its message is not translated", status)
	}

	status, csv, h := b.Get(path + "/orders.csv")
	if status != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/csv") || !strings.Contains(h.Get("Content-Disposition"), "attachment") {
		t.Fatalf("CSV = %d %s", status, h.Get("Content-Type"))
	}
	lines := strings.Split(strings.TrimSpace(csv), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "order_id,org_id,type") || !strings.Contains(csv, paid1.ID+","+paid1.OrgID+",BUY,std-month,5,1,fulfilled,") {
		t.Errorf("CSV:\n%s", csv)
	}
	// The API's export, by bearer token (f.Call checks JSON answers only).
	req, _ := http.NewRequest("GET", f.Srv.URL+"/api/v1/apps/"+paid1.AppID+"/orders?format=csv", nil)
	req.Header.Set("Authorization", "Bearer "+f.Tokens[demo.PartnerEmail])
	res, err := f.Srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	api, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if string(api) != csv {
		t.Errorf("the page's CSV differs from the API's:\n%s\n---\n%s", csv, api)
	}
	if _, open1, _ := b.Get(path + "/orders.csv?state=created"); strings.Count(strings.TrimSpace(open1), "\n") != 1 {
		t.Errorf("filtered CSV:\n%s", open1)
	}
	// The page's export has every order, however many pages of them there are.
	db := storetest.OpenRaw(t, f.DSN())
	at := f.Clock.Now().UnixMicro()
	for i := 1; i <= 1234; i++ {
		if _, err := db.Exec(`INSERT INTO orders (id, org_id, app_id, listing_id, type, spec_code, users, periods, state, amount, currency, computation, created_by, created_at)
			VALUES ($1, $2, $3, $4, 'BUY', 'std', 5, 1, 'cancelled', 100, 'CNY', '{}', $5, $6)`,
			storetest.GenID("ord", i), paid1.OrgID, paid1.AppID, paid1.ListingID, paid1.CreatedBy, at-int64(i)); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	_, all, _ := b.Get(path + "/orders.csv")
	if n := strings.Count(strings.TrimSpace(all), "\n"); n != 3+1234 || !strings.Contains(all, storetest.GenID("ord", 1234)+",") {
		t.Errorf("the export has %d orders, want %d", n, 3+1234)
	}

	for email, want := range map[string]int{"dev@shelf.test": 403, demo.Partner2Email: 404, demo.MemberEmail: 404} {
		o := f.Browser()
		o.SignIn(email)
		for _, p := range []string{path, path + "/orders.csv"} {
			status, body, _ := o.Get(p)
			if status != want || strings.Contains(body, paid1.ID) || strings.Contains(body, "org_admin_required") {
				t.Errorf("%s as %s = %d, want %d and no order nor error code", p, email, status, want)
			}
		}
	}
}

// TestPagesAppSSO: the partner admin sets the app's redirect URIs and
// initiate-login URI; a bad URI is refused with its line and a translated
// message and changes nothing.
func TestPagesAppSSO(t *testing.T) {
	f := webtest.New(t)
	app := f.World.Apps["larkattend"]
	ctx := context.Background()
	b := f.Browser()
	b.SignIn(demo.PartnerEmail)
	path := "/apps/" + app.ID + "/sso"
	status, page, _ := b.Get(path)
	if status != 200 || !strings.Contains(page, "/.well-known/openid-configuration") || !strings.Contains(page, app.ClientID) || !strings.Contains(page, "docs/oidc.md") {
		t.Fatalf("sso page = %d:\n%.2000s", status, page)
	}
	csrf := webtest.CSRFOf(t, page)
	for _, c := range []struct{ redirects, initiate, field, want string }{
		{"https://app.example.com/cb\nhttp://evil.example.com/cb", "", "redirect_uris", "第 2 行：须使用 https"},
		{"https://app.example.com/cb#x", "", "redirect_uris", "第 1 行：须为完整的 https 地址"},
		{"https://app.example.com/cb", "ftp://app.example.com/start", "initiate_login_uri", "须使用 https"},
		{strings.Repeat("https://app.example.com/cb?n\n", 11), "", "redirect_uris", "最多只能登记 10 个回调地址"},
	} {
		for i := range 11 {
			c.redirects = strings.Replace(c.redirects, "?n\n", "?"+string(rune('a'+i))+"\n", 1)
		}
		status, page, _ := b.Post(path, url.Values{"csrf_token": {csrf}, "redirect_uris": {c.redirects}, "initiate_login_uri": {c.initiate}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(page, c.want) || !strings.Contains(page, `id="`+c.field+`-error"`) || strings.Contains(page, "https_required") {
			t.Errorf("%q / %q = %d, want the field error %q:\n%.3000s", c.redirects, c.initiate, status, c.want, page)
		}
		if got, _ := f.Store.AppOIDC(ctx, app.ID); len(got.RedirectURIs) != 0 || got.InitiateLoginURI != "" {
			t.Errorf("a refused form changed the settings: %+v", got)
		}
	}
	status, _, h := b.Post(path+"?lang=en", url.Values{"csrf_token": {csrf}, "redirect_uris": {" https://app.example.com/cb \n\nhttp://localhost:3000/cb\n"},
		"initiate_login_uri": {"https://app.example.com/start"}})
	if status != http.StatusSeeOther || h.Get("Location") != path+"?flash=sso.saved" {
		t.Fatalf("save = %d %s", status, h.Get("Location"))
	}
	got, err := f.Store.AppOIDC(ctx, app.ID)
	if err != nil || strings.Join(got.RedirectURIs, " ") != "https://app.example.com/cb http://localhost:3000/cb" || got.InitiateLoginURI != "https://app.example.com/start" {
		t.Fatalf("saved %+v, %v", got, err)
	}
	if _, page, _ := b.Get(path + "?flash=sso.saved"); !strings.Contains(page, "单点登录设置已保存") || !strings.Contains(page, "https://app.example.com/cb\nhttp://localhost:3000/cb</textarea>") {
		t.Error("the saved settings are not shown back")
	}
	dev := f.Browser()
	dev.SignIn("dev@shelf.test")
	if status, _, _ := dev.Post(path, url.Values{"csrf_token": {csrf}, "redirect_uris": {"https://x.example/cb"}}); status != http.StatusForbidden {
		t.Errorf("a member saving = %d", status)
	}
	if after, _ := f.Store.AppOIDC(ctx, app.ID); after.InitiateLoginURI != got.InitiateLoginURI || len(after.RedirectURIs) != 2 {
		t.Errorf("a member changed the settings: %+v", after)
	}
}

// TestPagesPlatformOrders: a platform admin lists and filters every
// order, reads one's computation, records a bank transfer and refunds;
// missing input and refusals come back translated and change nothing.
func TestPagesPlatformOrders(t *testing.T) {
	f := webtest.New(t)
	ctx := context.Background()
	paid1, paid2, open := sellApp(f)
	admin := f.Browser()
	admin.SignIn(demo.AdminEmail)
	_, list, _ := admin.Get("/admin/orders")
	for _, o := range []*shelf.Order{paid1, paid2, open} {
		if !strings.Contains(list, `href="/admin/orders/`+o.ID+`"`) {
			t.Errorf("the order list lacks %s", o.ID)
		}
	}
	if _, only, _ := admin.Get("/admin/orders?state=created"); !strings.Contains(only, open.ID) || strings.Contains(only, paid1.ID) {
		t.Error("the state filter does not filter")
	}
	state := func(id string) shelf.OrderState {
		o, err := f.Store.Order(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return o.State
	}
	openPath := "/admin/orders/" + open.ID
	status, page, _ := admin.Get(openPath)
	if status != 200 || !strings.Contains(page, shelf.DescribeQuote(&open.Computation, shelf.LangZH)[0]) || !strings.Contains(page, `id="record-payment"`) || strings.Contains(page, `id="refund"`) {
		t.Fatalf("open order page = %d:\n%.3000s", status, page)
	}
	if _, en, _ := admin.Get(openPath + "?lang=en"); !strings.Contains(en, shelf.DescribeQuote(&open.Computation, shelf.LangEn)[0]) {
		t.Error("the English computation is missing")
	}
	csrf := webtest.CSRFOf(t, page)
	post := func(path string, form url.Values) (int, string, http.Header) {
		form.Set("csrf_token", csrf)
		return admin.Post(path, form)
	}
	if status, page, _ := post(openPath+"/payment", url.Values{"reference": {"  "}}); status != 422 || !strings.Contains(page, "请填写银行转账的流水号") || state(open.ID) != shelf.OrderCreated {
		t.Errorf("empty reference = %d", status)
	}
	// A refund refused: the order is not paid, or a later order took effect.
	if status, page, _ := post(openPath+"/refund", url.Values{"reason": {"客户要求"}}); status != 409 || !strings.Contains(page, "只有已支付的订单可以退款") || strings.Contains(page, "order_not_refundable") {
		t.Errorf("refunding an unpaid order = %d", status)
	}
	if status, page, _ := post("/admin/orders/"+paid1.ID+"/refund?lang=en", url.Values{"reason": {"duplicate"}}); status != 409 || !strings.Contains(page, "refund that one first") || state(paid1.ID) != shelf.OrderFulfilled {
		t.Errorf("refunding an earlier order = %d:\n%.2000s", status, page)
	}
	status, _, h := post(openPath+"/payment", url.Values{"reference": {"BANK-2026-0042"}})
	if status != http.StatusSeeOther || h.Get("Location") != openPath+"?flash=orders.paid_flash" || state(open.ID) != shelf.OrderFulfilled {
		t.Fatalf("record payment = %d %s", status, h.Get("Location"))
	}
	if _, page, _ := admin.Get(openPath); !strings.Contains(page, "BANK-2026-0042") || !strings.Contains(page, `id="refund"`) || strings.Contains(page, `id="record-payment"`) {
		t.Error("the paid order does not show its transfer or the refund form")
	}
	if status, page, _ := post(openPath+"/refund", url.Values{"reason": {" "}}); status != 422 || !strings.Contains(page, "请填写退款原因") || state(open.ID) != shelf.OrderFulfilled {
		t.Errorf("empty reason = %d", status)
	}
	status, _, h = post(openPath+"/refund", url.Values{"reason": {"客户重复付款"}})
	if status != http.StatusSeeOther || state(open.ID) != shelf.OrderRefunded {
		t.Fatalf("refund = %d %s", status, h.Get("Location"))
	}
	if _, page, _ := admin.Get(h.Get("Location")); !strings.Contains(page, "订单已退款") || !strings.Contains(page, "客户重复付款") || !strings.Contains(page, "已退款") {
		t.Errorf("the refunded order page (%s) lacks the flash, the reason or the state:\n%s", h.Get("Location"), page)
	}

	op := f.Browser()
	op.SignIn(demo.OperatorEmail)
	_, opPage, _ := op.Get("/orgs")
	if status, body, _ := op.Post("/admin/orders/"+paid2.ID+"/refund", url.Values{"csrf_token": {webtest.CSRFOf(t, opPage)}, "reason": {"x"}}); status != 403 ||
		state(paid2.ID) != shelf.OrderFulfilled || !strings.Contains(body, "此页面仅限平台管理员") {
		t.Errorf("an operator refunding = %d", status)
	}
	if regexp.MustCompile(`>\s*(err|sales|orders|sso)\.[a-z_.]+\s*<`).MatchString(list) {
		t.Error("the order list shows a catalog key")
	}
}
