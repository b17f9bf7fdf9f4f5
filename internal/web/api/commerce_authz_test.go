package api_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/shelfhq/shelf/internal/web/webtest"
)

// commerceRow is an authorization row whose body depends on what prep
// made (a fresh listing or order per call).
type commerceRow struct {
	method, pattern string
	on              target
	want            [6]int
	prep            func(f *webtest.Fixture) (params map[string]string, body any)
}

func commerceAuthzRows() []commerceRow {
	customer := func(f *webtest.Fixture) map[string]string { return map[string]string{"org": f.World.Customer.ID} }
	listing := func(f *webtest.Fixture) (map[string]string, any) {
		return customer(f), map[string]any{"listing_id": f.RevisionIn("listed").ListingID}
	}
	plain := func(f *webtest.Fixture) (map[string]string, any) { return customer(f), nil }
	free := func(f *webtest.Fixture) (map[string]string, any) {
		li, err := f.Store.ListingForApp(context.Background(), f.World.Apps["larkflow"].ID)
		if err != nil {
			f.T.Fatal(err)
		}
		return customer(f), map[string]any{"listing_id": li.ID}
	}
	order := func(f *webtest.Fixture) (map[string]string, any) {
		return customer(f), map[string]any{"listing_id": f.RevisionIn("listed").ListingID, "type": "BUY", "spec_code": "std-month", "users": 5, "periods": 1}
	}
	seats := func(f *webtest.Fixture) (map[string]string, any) {
		o := f.FreshOrder(true)
		return map[string]string{"org": o.OrgID, "app": o.AppID}, map[string]any{"all_members": true}
	}
	unpaid := func(f *webtest.Fixture) (map[string]string, any) {
		return map[string]string{"order": f.FreshOrder(false).ID}, nil
	}
	paid := func(f *webtest.Fixture) (map[string]string, any) {
		return map[string]string{"order": f.FreshOrder(true).ID}, map[string]any{"reason": "退款 refund"}
	}
	manual := func(f *webtest.Fixture) (map[string]string, any) {
		return map[string]string{"order": f.FreshOrder(false).ID}, map[string]any{"reference": webtest.Unique("bank-")}
	}
	app := func(f *webtest.Fixture) (map[string]string, any) {
		return map[string]string{"app": f.FreshOrder(true).AppID}, nil
	}
	none := func(*webtest.Fixture) (map[string]string, any) { return nil, nil }
	sandbox := func(*webtest.Fixture) (map[string]string, any) {
		return map[string]string{"provider": "sandbox"}, map[string]any{"order_id": "ord_x", "paid": true}
	}
	return []commerceRow{
		{"POST", "/api/v1/orgs/{org}/trials", onCustomer, [6]int{401, 403, 201, 404, 404, 403}, listing},
		{"GET", "/api/v1/orgs/{org}/subscriptions", onCustomer, [6]int{401, 403, 200, 404, 404, 403}, plain},
		{"POST", "/api/v1/orgs/{org}/subscriptions", onCustomer, [6]int{401, 403, 201, 404, 404, 403}, free},
		{"GET", "/api/v1/orgs/{org}/subscriptions/{app}/seats", onCustomer, [6]int{401, 403, 200, 404, 404, 403}, seats},
		{"PUT", "/api/v1/orgs/{org}/subscriptions/{app}/seats", onCustomer, [6]int{401, 403, 200, 404, 404, 403}, seats},
		{"POST", "/api/v1/orgs/{org}/seat-requests", onCustomer, [6]int{401, 202, 202, 404, 404, 403}, listing},
		{"POST", "/api/v1/orgs/{org}/quotes", onCustomer, [6]int{401, 403, 200, 404, 404, 403}, order},
		{"GET", "/api/v1/orgs/{org}/orders", onCustomer, [6]int{401, 403, 200, 404, 404, 403}, plain},
		{"POST", "/api/v1/orgs/{org}/orders", onCustomer, [6]int{401, 403, 201, 404, 404, 403}, order},
		{"GET", "/api/v1/orders/{order}", onCustomer, [6]int{401, 404, 200, 404, 404, 200}, unpaid},
		{"POST", "/api/v1/orders/{order}/pay", onCustomer, [6]int{401, 404, 200, 404, 404, 403}, unpaid},
		{"POST", "/api/v1/orders/{order}/cancel", onCustomer, [6]int{401, 404, 200, 404, 404, 403}, unpaid},
		// Notifications are judged by their signature alone, whoever sends them.
		{"POST", "/api/v1/payments/{provider}/callback", onCustomer, [6]int{401, 401, 401, 401, 401, 401}, sandbox},
		{"GET", "/api/v1/platform/orders", onCustomer, [6]int{401, 403, 403, 403, 403, 200}, none},
		{"POST", "/api/v1/platform/orders/{order}/payments", onCustomer, [6]int{401, 403, 403, 403, 403, 200}, manual},
		{"POST", "/api/v1/platform/orders/{order}/refunds", onCustomer, [6]int{401, 403, 403, 403, 403, 200}, paid},
		// On partner org 1, the app's vendor: member is dev@, admin partner@.
		{"GET", "/api/v1/apps/{app}/orders", onPartner, [6]int{401, 403, 200, 404, 404, 404}, app},
		{"GET", "/api/v1/apps/{app}/subscriptions", onPartner, [6]int{401, 403, 200, 404, 404, 404}, app},
		// The vendor endpoints take client credentials and org tokens, never
		// a person's token.
		{"POST", "/api/v1/vendor/token", onPartner, [6]int{400, 400, 400, 400, 400, 400}, none},
		{"GET", "/api/v1/vendor/entitlements", onPartner, [6]int{401, 401, 401, 401, 401, 401}, none},
	}
}

// TestCommerceAuthorization calls every commerce endpoint as each of the
// six callers.
func TestCommerceAuthorization(t *testing.T) {
	f := webtest.New(t)
	rows := commerceAuthzRows()
	if len(rows) == 0 {
		t.Fatal("no rows")
	}
	runAuthzRows(t, f, rows, false)
}

// runAuthzRows calls each row as each caller; with codes, a refusal must
// also carry an error code of the access checks.
func runAuthzRows(t *testing.T, f *webtest.Fixture, rows []commerceRow, codes bool) {
	for _, row := range rows {
		for i, role := range roles {
			t.Run(fmt.Sprintf("%s %s as %s", row.method, row.pattern, role), func(t *testing.T) {
				f.T = t
				params, body := row.prep(f)
				r := f.CallHeader(caller(role, row.on), row.method, row.pattern, params, "", body, http.Header{"Idempotency-Key": {webtest.Unique("key-")}})
				if r.Status != row.want[i] {
					t.Errorf("status = %d, want %d (body %s)", r.Status, row.want[i], r.Body)
				}
				if !codes || r.Status < 400 {
					return
				}
				if code, _ := r.ErrCode(t); code == "" || code == "no_such_endpoint" || code == "internal" {
					t.Errorf("refused with %d %s", r.Status, r.Body)
				}
			})
		}
	}
}
