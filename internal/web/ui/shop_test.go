package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/webtest"
)

// shopWorld is a fixture with a listed app (storetest's ValidRevision:
// std-month 1–50 users at ¥9.00, pro-month 51–500, a 15-day trial) and a
// signed-in browser for each customer role and an outsider.
type shopWorld struct {
	f                        *webtest.Fixture
	rev                      *shelf.RevisionInfo
	admin, member, outsider  *webtest.Browser
	anon                     *webtest.Browser
	org, listingPath, buyURL string
}

func newShopWorld(t *testing.T) *shopWorld {
	t.Helper()
	f := webtest.New(t)
	w := &shopWorld{f: f, rev: f.RevisionIn("listed"), org: f.World.Customer.ID, anon: f.Browser()}
	w.listingPath = "/listings/" + w.rev.ListingID
	w.buyURL = "/orgs/" + w.org + "/shop/" + w.rev.ListingID + "/buy"
	for b, email := range map[**webtest.Browser]string{&w.admin: demo.CustomerEmail, &w.member: demo.MemberEmail, &w.outsider: demo.Partner2Email} {
		*b = f.Browser()
		(*b).SignIn(email)
	}
	return w
}

// post sends a page's form with its CSRF token.
func post(t *testing.T, b *webtest.Browser, page, path string, form url.Values) (int, string, http.Header) {
	t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("csrf_token", webtest.CSRFOf(t, page))
	return b.Post(path, form)
}

func mustContain(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s lacks %q:\n%.1500s", what, w, body)
		}
	}
}

// noCodes fails when a page shows an error code instead of a message.
func noCodes(t *testing.T, what, body string, codes ...string) {
	t.Helper()
	for _, c := range codes {
		if strings.Contains(body, c) {
			t.Errorf("%s shows the code %q", what, c)
		}
	}
}

func TestShopCallToAction(t *testing.T) {
	w := newShopWorld(t)
	ctx := context.Background()

	_, page, _ := w.anon.Get(w.listingPath)
	mustContain(t, "anonymous listing", page, `id="shop-signin"`, `/signin?next=/listings/`+w.rev.ListingID)

	// A member asks the admins; the admin sees the request.
	_, page, _ = w.member.Get(w.listingPath)
	mustContain(t, "member listing", page, `id="shop-ask"`, "请管理员开通")
	if strings.Contains(page, `id="shop-trial"`) || strings.Contains(page, `id="shop-buy"`) {
		t.Error("a member is offered the admin's actions")
	}
	status, _, h := post(t, w.member, page, "/orgs/"+w.org+"/shop/"+w.rev.ListingID+"/ask", nil)
	if status != http.StatusSeeOther || !strings.Contains(h.Get("Location"), "flash=shop.asked") {
		t.Fatalf("ask = %d %s", status, h.Get("Location"))
	}
	_, page, _ = w.admin.Get("/orgs/" + w.org + "/subscriptions")
	mustContain(t, "admin's apps page", page, `id="seat-requests"`, "张成员")

	// A member may not start the trial: a translated refusal, nothing changes.
	_, page, _ = w.member.Get(w.listingPath)
	status, page, _ = post(t, w.member, page, "/orgs/"+w.org+"/shop/"+w.rev.ListingID+"/trial", nil)
	if status != http.StatusForbidden {
		t.Fatalf("member's trial = %d", status)
	}
	mustContain(t, "member's trial", page, "只有本组织的管理员可以这样做")
	if _, err := w.f.Store.Subscription(ctx, w.org, w.rev.AppID); shelf.ErrorKind(err) != shelf.KindNotFound {
		t.Fatalf("a member's refused trial left a subscription: %v", err)
	}

	// The admin starts the trial once.
	_, page, _ = w.admin.Get(w.listingPath)
	mustContain(t, "admin listing", page, `id="shop-trial"`, `id="shop-buy"`)
	status, _, h = post(t, w.admin, page, "/orgs/"+w.org+"/shop/"+w.rev.ListingID+"/trial", nil)
	if status != http.StatusSeeOther {
		t.Fatalf("trial = %d", status)
	}
	_, page, _ = w.admin.Get(h.Get("Location"))
	mustContain(t, "listing after the trial", page, "试用已开始", `id="shop-trial-used"`, "试用中", `id="shop-manage"`)
	// Again (a stale page): refused in Chinese, or English for an English reader.
	status, page, _ = post(t, w.admin, page, "/orgs/"+w.org+"/shop/"+w.rev.ListingID+"/trial?lang=en", nil)
	if status != http.StatusConflict {
		t.Fatalf("second trial = %d", status)
	}
	mustContain(t, "second trial", page, "already had its trial")
	noCodes(t, "second trial", page, "trial_already_used")

	// The org's apps page shows the trial in words, its days and the seats.
	_, page, _ = w.admin.Get("/orgs/" + w.org + "/subscriptions")
	mustContain(t, "apps page", page, "试用中", "15 天后到期", `class="seat-count"`)

	// The trial covers every member: the member's workbench can launch it.
	launch := "/workbench/launch/" + w.rev.AppID + "?org=" + w.org
	_, page, _ = w.member.Get("/workbench")
	mustContain(t, "member's workbench in the trial", page, `id="launch-`+w.rev.AppID+`"`, "试用中")
	// The admin keeps the only seat: the member's workbench says so and cannot launch.
	seatsPath := "/orgs/" + w.org + "/subscriptions/" + w.rev.AppID + "/seats"
	_, page, _ = w.admin.Get(seatsPath)
	admin, member := w.f.World.Users[demo.CustomerEmail].ID, w.f.World.Users[demo.MemberEmail].ID
	if status, _, _ := post(t, w.admin, page, seatsPath, url.Values{"user": {admin}}); status != http.StatusSeeOther {
		t.Fatalf("assign the admin's seat = %d", status)
	}
	_, page, _ = w.member.Get("/workbench")
	mustContain(t, "member's workbench without a seat", page, `id="no-seat"`)
	noCodes(t, "member's workbench without a seat", page, `id="launch-`+w.rev.AppID+`"`)
	if status, _, _ := w.member.Get(launch); status != http.StatusForbidden {
		t.Fatalf("launch without a seat = %d", status)
	}
	// The admin gives the member a seat; the member launches the app.
	_, page, _ = w.admin.Get(seatsPath)
	if status, _, _ := post(t, w.admin, page, seatsPath, url.Values{"user": {admin, member}}); status != http.StatusSeeOther {
		t.Fatalf("assign a seat = %d", status)
	}
	_, page, _ = w.member.Get("/workbench")
	mustContain(t, "member's workbench", page, `id="launch-`+w.rev.AppID+`"`)
	app, _ := w.f.Store.App(ctx, w.rev.AppID)
	if status, _, h := w.member.Get(launch); status != http.StatusSeeOther || h.Get("Location") != app.LaunchURL {
		t.Fatalf("launch = %d %s, want %s", status, h.Get("Location"), app.LaunchURL)
	}
	if status, _, _ := w.outsider.Get(launch); status != http.StatusNotFound {
		t.Fatalf("an outsider launched the org's app: %d", status)
	}
}

var (
	keyRe   = regexp.MustCompile(`name="idempotency_key" value="([^"]+)"`)
	orderRe = regexp.MustCompile(`^/orders/(ord_[A-Za-z0-9]+)$`)
)

func TestBuyPreviewConfirmPay(t *testing.T) {
	w := newShopWorld(t)
	ctx := context.Background()
	orders := func() int {
		os, err := w.f.Store.Orders(ctx, shelf.OrderQuery{OrgID: w.org, AppID: w.rev.AppID})
		if err != nil {
			t.Fatal(err)
		}
		return len(os)
	}

	// Users out of the spec's range: a translated message, no confirm form, no order.
	status, page, _ := w.admin.Get(w.buyURL + "?type=BUY&spec=std-month&users=500&periods=1")
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("out-of-range preview = %d", status)
	}
	mustContain(t, "out-of-range preview", page, "使用人数不在所选规格允许的范围内", `id="users-error"`)
	noCodes(t, "out-of-range preview", page, "users_out_of_range", `id="confirm-form"`)
	if n := orders(); n != 0 {
		t.Fatalf("a refused preview placed %d orders", n)
	}

	// The preview shows the server's price and carries a key.
	status, page, _ = w.admin.Get(w.buyURL + "?type=BUY&spec=std-month&users=2&periods=12")
	if status != http.StatusOK {
		t.Fatalf("preview = %d", status)
	}
	mustContain(t, "preview", page, "2 人 × ¥9.00/月 × 12 个月", "¥216.00", `id="confirm-form"`)
	key := keyRe.FindStringSubmatch(page)
	if key == nil {
		t.Fatal("no idempotency key in the confirm form")
	}
	confirm := url.Values{"idempotency_key": {key[1]}, "type": {"BUY"}, "spec": {"std-month"}, "users": {"2"}, "periods": {"12"}}
	// Out of range at confirm (a forged form): refused, nothing placed.
	bad := url.Values{"idempotency_key": {"k-bad"}, "type": {"BUY"}, "spec": {"std-month"}, "users": {"0"}, "periods": {"12"}}
	if status, page, _ := post(t, w.admin, page, w.buyURL, bad); status != http.StatusUnprocessableEntity || !strings.Contains(page, "使用人数不在") || orders() != 0 {
		t.Fatalf("out-of-range confirm = %d, %d orders", status, orders())
	}

	// The same confirm form twice (a double click) places one order.
	var first string
	for i := range 2 {
		status, _, h := post(t, w.admin, page, w.buyURL, url.Values(cloneValues(confirm)))
		m := orderRe.FindStringSubmatch(h.Get("Location"))
		if status != http.StatusSeeOther || m == nil {
			t.Fatalf("confirm %d = %d %s", i, status, h.Get("Location"))
		}
		if i == 0 {
			first = m[1]
		} else if m[1] != first {
			t.Fatalf("the second submit placed another order: %s, %s", first, m[1])
		}
	}
	if n := orders(); n != 1 {
		t.Fatalf("two submits of one confirm form placed %d orders", n)
	}
	// The key with other terms is refused in words.
	other := cloneValues(confirm)
	other.Set("users", "3")
	if status, page, _ := post(t, w.admin, page, w.buyURL, other); status != http.StatusConflict || !strings.Contains(page, "这张确认单已用于另一笔订单") {
		t.Fatalf("reused key = %d", status)
	}

	// Who sees the order: the org's admin and the vendor; nobody else.
	orderPath := "/orders/" + first
	partner := w.f.Browser()
	partner.SignIn(demo.PartnerEmail)
	for _, c := range []struct {
		b    *webtest.Browser
		want int
	}{{w.admin, 200}, {partner, 200}, {w.member, 404}, {w.outsider, 404}, {w.anon, http.StatusSeeOther}} {
		if status, _, _ := c.b.Get(orderPath); status != c.want {
			t.Errorf("order page = %d, want %d", status, c.want)
		}
	}
	if _, page, _ := partner.Get(orderPath); strings.Contains(page, `id="order-pay"`) {
		t.Error("the vendor is offered to pay the customer's order")
	}
	if status, _, _ := w.outsider.Get("/orgs/" + w.org + "/orders"); status != http.StatusNotFound {
		t.Errorf("another org's orders list = %d", status)
	}
	if status, _, _ := w.member.Get("/orgs/" + w.org + "/orders"); status != http.StatusForbidden {
		t.Errorf("a member's orders list = %d", status)
	}

	// Pay through the sandbox: fail first, then pay.
	_, page, _ = w.admin.Get(orderPath)
	mustContain(t, "order page", page, "待支付", "2 人 × ¥9.00/月", `id="order-pay"`)
	status, _, h := post(t, w.admin, page, orderPath+"/pay", nil)
	loc, _ := url.Parse(h.Get("Location"))
	if status != http.StatusSeeOther || loc == nil || loc.Path != "/pay/sandbox/"+first {
		t.Fatalf("pay = %d %s", status, h.Get("Location"))
	}
	if status, _, _ := w.member.Get(loc.Path); status != http.StatusNotFound {
		t.Errorf("a member opened the sandbox checkout: %d", status)
	}
	if status, _, _ := partner.Get(loc.Path); status != http.StatusForbidden {
		t.Errorf("the vendor opened the sandbox checkout: %d", status)
	}
	_, page, _ = w.admin.Get(loc.Path + "?lang=en")
	mustContain(t, "sandbox page", page, "Sandbox — no real money", `id="sandbox-pay"`, `id="sandbox-fail"`)
	_, page, _ = w.admin.Get(loc.Path)
	mustContain(t, "sandbox page", page, "沙箱支付 — 不会扣款")
	status, _, h = post(t, w.admin, page, loc.Path, url.Values{"result": {"failed"}})
	if status != http.StatusSeeOther || !strings.Contains(h.Get("Location"), "order.failed") {
		t.Fatalf("sandbox fail = %d %s", status, h.Get("Location"))
	}
	_, page, _ = w.admin.Get(h.Get("Location"))
	mustContain(t, "order after a failed payment", page, "支付失败", "待支付")
	status, _, h = post(t, w.admin, page, loc.Path, url.Values{"result": {"paid"}})
	if status != http.StatusSeeOther {
		t.Fatalf("sandbox pay = %d", status)
	}
	_, page, _ = w.admin.Get(h.Get("Location"))
	mustContain(t, "paid order", page, "支付成功", "已支付", `id="order-receipt"`)
	if status, page, _ := w.admin.Get(orderPath + "/receipt"); status != 200 || !strings.Contains(page, `id="receipt"`) || !strings.Contains(page, "¥216.00") {
		t.Fatalf("receipt = %d", status)
	}
	if status, _, _ := w.outsider.Get(orderPath + "/receipt"); status != http.StatusNotFound {
		t.Errorf("another org's receipt = %d", status)
	}
	_, page, _ = w.admin.Get("/orgs/" + w.org + "/orders")
	mustContain(t, "orders list", page, `id="org-orders"`, first, "已支付")

	// With a paid term, the listing offers renew and change; the buy page offers the four order types.
	_, page, _ = w.admin.Get(w.listingPath)
	mustContain(t, "listing with a paid term", page, `id="shop-change"`)
	_, page, _ = w.admin.Get(w.buyURL + "?type=UPGRADE&spec=std-month&users=5&periods=1")
	mustContain(t, "upgrade preview", page, "升级（到当前周期结束）", "抵扣未使用的", `id="confirm-form"`)

	// Seats: three members are more than the two licensed: refused in words, nothing changes.
	members, _ := w.f.Store.Members(ctx, w.org, shelf.PageReq{})
	seatsPath := "/orgs/" + w.org + "/subscriptions/" + w.rev.AppID + "/seats"
	_, page, _ = w.admin.Get(seatsPath)
	before, _ := w.f.Store.Seats(ctx, w.org, w.rev.AppID, shelf.PageReq{})
	three := url.Values{"user": {members[0].UserID, members[1].UserID, members[2].UserID}}
	status, page, _ = post(t, w.admin, page, seatsPath, three)
	if status != http.StatusConflict && status != http.StatusBadRequest && status != http.StatusUnprocessableEntity {
		t.Fatalf("too many seats = %d", status)
	}
	mustContain(t, "too many seats", page, "分配的席位超过了购买的人数，未做任何更改")
	noCodes(t, "too many seats", page, "seats_exceeded")
	if after, _ := w.f.Store.Seats(ctx, w.org, w.rev.AppID, shelf.PageReq{}); len(after) != len(before) {
		t.Fatalf("a refused seat change changed the seats: %d → %d", len(before), len(after))
	}
	if status, _, _ := post(t, w.member, page, seatsPath, url.Values{"user": {members[0].UserID}}); status != http.StatusForbidden {
		t.Errorf("a member changed the seats: %d", status)
	}
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

func TestOrgPagesAuthorization(t *testing.T) {
	w := newShopWorld(t)
	org := w.org
	for _, c := range []struct {
		path string
		want [4]int // anonymous, member, admin, another org's admin
	}{
		{"/orgs/" + org + "/subscriptions", [4]int{303, 403, 200, 404}},
		{"/orgs/" + org + "/orders", [4]int{303, 403, 200, 404}},
		{w.buyURL, [4]int{303, 403, 200, 404}},
		{"/workbench", [4]int{303, 200, 200, 200}},
		{"/signin/oidc?id=nope", [4]int{404, 404, 404, 404}}, // no OpenID provider here
	} {
		for i, b := range []*webtest.Browser{w.anon, w.member, w.admin, w.outsider} {
			if status, _, _ := b.Get(c.path); status != c.want[i] {
				t.Errorf("GET %s as #%d = %d, want %d", c.path, i, status, c.want[i])
			}
		}
	}
}
