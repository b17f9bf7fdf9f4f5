package api_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/payment"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store/storetest"
	"github.com/shelfhq/shelf/internal/web"
	"github.com/shelfhq/shelf/internal/web/httpx"
	"github.com/shelfhq/shelf/internal/web/webtest"
)

// shop is a fixture whose sandbox provider the test holds, with a freshly
// listed app (std-month 1–50 users at ¥9.00, a 15-day trial).
type shop struct {
	*webtest.Fixture
	sandbox *payment.Sandbox
	listing string
	app     string
	org     string
	admin   string
}

func newShop(t *testing.T) *shop {
	sb := &payment.Sandbox{Key: []byte("api-test-sandbox"), BaseURL: "http://shelf.test"}
	f := webtest.NewWith(t, storetest.SQLite, func(c *web.Config) {
		sb.Clock = c.Clock
		c.Sandbox, c.Payments = sb, payment.NewProviders(sb, &payment.Manual{})
	})
	rev := f.RevisionIn("listed")
	return &shop{Fixture: f, sandbox: sb, listing: rev.ListingID, app: rev.AppID, org: f.World.Customer.ID, admin: demo.CustomerEmail}
}

func key(k string) http.Header { return http.Header{"Idempotency-Key": {k}} }

func (s *shop) order(k string, body map[string]any) *webtest.Response {
	s.T.Helper()
	return s.CallHeader(s.admin, "POST", "/api/v1/orgs/{org}/orders", map[string]string{"org": s.org}, "", body, key(k))
}

func (s *shop) buy(users int) map[string]any {
	return map[string]any{"listing_id": s.listing, "type": "BUY", "spec_code": "std-month", "users": users, "periods": 12}
}

// notify posts a sandbox notification to the callback endpoint as the
// provider would.
func (s *shop) notify(body []byte, header http.Header) *webtest.Response {
	s.T.Helper()
	req, _ := http.NewRequest("POST", s.Srv.URL+"/api/v1/payments/sandbox/callback", bytes.NewReader(body))
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := s.Srv.Client().Do(req)
	if err != nil {
		s.T.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	r := &webtest.Response{Status: res.StatusCode, Header: res.Header, Body: b}
	webtest.CheckOpenAPI(s.T, "POST", "/api/v1/payments/{provider}/callback", r)
	return r
}

func wantError(t *testing.T, r *webtest.Response, status int, code string) {
	t.Helper()
	if got, _ := r.ErrCode(t); r.Status != status || got != code {
		t.Fatalf("status %d code %q (%s), want %d %s", r.Status, got, r.Body, status, code)
	}
}

func TestOrderIdempotencyOverHTTP(t *testing.T) {
	s := newShop(t)
	before := s.Counts()
	wantError(t, s.Call(s.admin, "POST", "/api/v1/orgs/{org}/orders", map[string]string{"org": s.org}, s.buy(25)), 400, "idempotency_key_required")
	wantError(t, s.order("k0", map[string]any{"listing_id": s.listing, "type": "BUY", "spec_code": "std-month", "users": 51, "periods": 12}), 422, "users_out_of_range")
	wantError(t, s.order("k0", map[string]any{"listing_id": s.listing, "type": "BUY", "spec_code": "std-month", "users": 5, "periods": 37}), 422, "periods_out_of_range")
	wantError(t, s.order("k0", map[string]any{"listing_id": s.listing, "type": "GIFT", "spec_code": "std-month", "users": 5, "periods": 1}), 422, "order_type_invalid")
	wantError(t, s.order("k0", map[string]any{"listing_id": s.listing, "type": "BUY", "spec_code": "gold", "users": 5, "periods": 1}), 422, "spec_unknown")
	if changed := before.Changed(s.Counts()); len(changed) > 0 {
		t.Fatalf("refused orders changed %v", changed)
	}
	first := s.order("k1", s.buy(25))
	if first.Status != 201 {
		t.Fatalf("order = %d %s", first.Status, first.Body)
	}
	var o struct {
		ID, State, Currency string
		Amount              int64
		Summary             []string
	}
	first.JSON(t, &o)
	if o.State != "created" || o.Amount != 25*900*12 || o.Currency != "CNY" || !strings.HasPrefix(o.Summary[0], "25 users × ¥9.00/month × 12 months") {
		t.Fatalf("order = %+v", o)
	}
	again := s.order("k1", s.buy(25))
	if again.Status != 201 || !bytes.Equal(again.Body, first.Body) || again.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replay = %d %s (replayed %q), want the first answer", again.Status, again.Body, again.Header.Get("Idempotent-Replayed"))
	}
	wantError(t, s.order("k1", s.buy(26)), 409, "idempotency_key_reused")
	wantError(t, s.order("k2", s.buy(26)), 409, "order_pending")
	var list httpx.List[map[string]any]
	s.Call(s.admin, "GET", "/api/v1/orgs/{org}/orders", map[string]string{"org": s.org}, nil).JSON(t, &list)
	n := 0
	for _, o := range list.Items {
		if o["listing_id"] == s.listing {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d orders of the listing, want 1", n)
	}
}

func TestSandboxPaymentAndVendorAPI(t *testing.T) {
	s := newShop(t)
	ctx := context.Background()
	var o shelf.Order
	s.order("k1", s.buy(25)).JSON(t, &o)
	pay := s.Call(s.admin, "POST", "/api/v1/orders/{order}/pay", map[string]string{"order": o.ID}, nil)
	if !strings.Contains(string(pay.Body), "/pay/sandbox/"+o.ID) {
		t.Fatalf("pay = %d %s", pay.Status, pay.Body)
	}
	// A forged notification (another key) changes nothing.
	forger := &payment.Sandbox{Key: []byte("forged"), Clock: s.Clock}
	wantError(t, s.notify(forger.Notify(&o, true)), 401, "invalid_signature")
	if got, _ := s.Store.Order(ctx, o.ID); got.State != shelf.OrderCreated {
		t.Fatalf("after a forged payment: %s", got.State)
	}
	body, header := s.sandbox.Notify(&o, true)
	for range 2 { // the provider retries: one payment
		if r := s.notify(body, header); r.Status != 200 {
			t.Fatalf("callback = %d %s", r.Status, r.Body)
		}
	}
	if got, _ := s.Store.Order(ctx, o.ID); got.State != shelf.OrderFulfilled {
		t.Fatalf("after payment: %s", got.State)
	}
	wantError(t, s.notify(s.sandbox.Notify(&o, true)), 409, "order_already_paid")

	// Seats: the member gets one; more than licensed is refused.
	member := s.World.Users[demo.MemberEmail].ID
	seats := map[string]string{"org": s.org, "app": s.app}
	if r := s.Call(s.admin, "PUT", "/api/v1/orgs/{org}/subscriptions/{app}/seats", seats, map[string]any{"user_ids": []string{member}}); r.Status != 200 {
		t.Fatalf("seats = %d %s", r.Status, r.Body)
	}

	// The vendor: install code → org token → entitlements.
	app, err := s.Store.App(ctx, s.app)
	if err != nil {
		t.Fatal(err)
	}
	vendor := s.VendorOf(s.app).ClientSecret
	code := storetest.InstallCode(t, s.Store, s.app, s.org)
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "client_id": {app.ClientID}, "client_secret": {"wrong"}}
	if r := s.postForm("/api/v1/vendor/token", form); r.Status != 401 || !strings.Contains(string(r.Body), `"invalid_client"`) {
		t.Fatalf("wrong secret = %d %s", r.Status, r.Body)
	}
	form.Set("client_secret", vendor)
	r := s.postForm("/api/v1/vendor/token", form)
	var tok struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
		TokenType    string `json:"token_type"`
	}
	if r.Status != 200 {
		t.Fatalf("token = %d %s", r.Status, r.Body)
	}
	r.JSON(t, &tok)
	admin := s.World.Users[demo.CustomerEmail].ID
	var one shelf.Entitlement
	if r := s.entitlement(tok.AccessToken, "user="+member); r.Status != 200 {
		t.Fatalf("entitlement = %d %s", r.Status, r.Body)
	} else if r.JSON(t, &one); one.Status != shelf.EntValid || one.Users != 25 || one.Spec != "std-month" || one.Trial || one.EndsAt == nil {
		t.Fatalf("member = %+v", one)
	}
	var many struct{ Items []shelf.Entitlement }
	s.entitlement(tok.AccessToken, "users="+member+","+admin).JSON(t, &many)
	if len(many.Items) != 2 || many.Items[0].Status != shelf.EntValid || many.Items[1].Status != shelf.EntNotInScope {
		t.Fatalf("both = %+v", many.Items)
	}
	wantError(t, s.entitlement(tok.AccessToken, ""), 422, "required")
	wantError(t, s.entitlement(tok.AccessToken, "users="+member+",,"+admin), 422, "invalid")
	wantError(t, s.entitlement("shelf_sat_forged", "user="+member), 401, "invalid_token")
	// A person's API token is not a vendor token.
	wantError(t, s.entitlement(s.Tokens[demo.CustomerEmail], "user="+member), 401, "invalid_token")
	if r := s.postForm("/api/v1/vendor/token", form); r.Status != 400 || !strings.Contains(string(r.Body), `"invalid_grant"`) {
		t.Fatalf("replayed code = %d %s", r.Status, r.Body)
	}
	// The replay revoked the token; a fresh install code is needed.
	if r := s.entitlement(tok.AccessToken, "user="+member); r.Status != 401 {
		t.Fatalf("revoked token = %d %s", r.Status, r.Body)
	}
}

func (s *shop) postForm(path string, form url.Values) *webtest.Response {
	s.T.Helper()
	res, err := s.Srv.Client().PostForm(s.Srv.URL+path, form)
	if err != nil {
		s.T.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	r := &webtest.Response{Status: res.StatusCode, Header: res.Header, Body: b}
	webtest.CheckOpenAPI(s.T, "POST", path, r)
	return r
}

func (s *shop) entitlement(token, query string) *webtest.Response {
	s.T.Helper()
	req, _ := http.NewRequest("GET", s.Srv.URL+"/api/v1/vendor/entitlements?"+query, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := s.Srv.Client().Do(req)
	if err != nil {
		s.T.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	r := &webtest.Response{Status: res.StatusCode, Header: res.Header, Body: b}
	webtest.CheckOpenAPI(s.T, "GET", "/api/v1/vendor/entitlements", r)
	return r
}

// TestManualPaymentsOnly: with bank transfers only (serve --payments
// manual) there is no sandbox to pay through: its callback is unknown and
// paying an order gives no checkout page.
func TestManualPaymentsOnly(t *testing.T) {
	f := webtest.NewWith(t, storetest.SQLite, func(c *web.Config) { c.Payments = payment.NewProviders(&payment.Manual{}) })
	o := f.FreshOrder(false)
	forger := &payment.Sandbox{Key: []byte("any"), Clock: f.Clock}
	body, header := forger.Notify(o, true)
	req, _ := http.NewRequest("POST", f.Srv.URL+"/api/v1/payments/sandbox/callback", bytes.NewReader(body))
	for k, v := range header {
		req.Header[k] = v
	}
	res, err := f.Srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 404 {
		t.Fatalf("sandbox callback = %d, want 404", res.StatusCode)
	}
	r := f.Call(demo.CustomerEmail, "POST", "/api/v1/orders/{order}/pay", map[string]string{"order": o.ID}, nil)
	if r.Status != 200 || strings.Contains(string(r.Body), "checkout_url") || !strings.Contains(string(r.Body), `"manual"`) {
		t.Fatalf("pay = %d %s, want the manual provider and no checkout page", r.Status, r.Body)
	}
}
