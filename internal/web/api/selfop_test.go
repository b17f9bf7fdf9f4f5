package api_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/webtest"
)

// partnerStatement pays a fresh order of partner org 1 and returns the
// statement it went to.
func partnerStatement(f *webtest.Fixture) *shelf.Statement {
	f.T.Helper()
	o := f.FreshOrder(true)
	sts, err := f.Store.Statements(context.Background(), f.World.Partner1.ID, shelf.MonthOf(*o.PaidAt), shelf.PageReq{})
	if err != nil || len(sts) != 1 {
		f.T.Fatalf("statements = %+v, %v", sts, err)
	}
	return &sts[0]
}

func selfopAuthzRows() []commerceRow {
	partner := func(f *webtest.Fixture) (map[string]string, any) {
		return map[string]string{"org": f.World.Partner1.ID}, nil
	}
	statement := func(f *webtest.Fixture) (map[string]string, any) {
		return map[string]string{"org": f.World.Partner1.ID, "statement": partnerStatement(f).ID}, nil
	}
	none := func(*webtest.Fixture) (map[string]string, any) { return nil, nil }
	rate := func(*webtest.Fixture) (map[string]string, any) {
		return nil, map[string]any{"scope": "default", "rate_bp": 1500}
	}
	fresh := func(f *webtest.Fixture) (map[string]string, any) {
		return map[string]string{"listing": f.FreshOrder(true).ListingID}, map[string]any{"org_id": f.World.Customer.ID, "rating": 4, "text": "好用"}
	}
	review := func(f *webtest.Fixture) *shelf.Rating {
		f.T.Helper()
		rt, err := f.Store.CreateRating(context.Background(), shelf.NewRating{ListingID: f.FreshOrder(true).ListingID, OrgID: f.World.Customer.ID,
			ByUserID: f.World.Users[demo.CustomerEmail].ID, Stars: 2, Text: "slow"})
		if err != nil {
			f.T.Fatal(err)
		}
		return rt
	}
	reply := func(f *webtest.Fixture) (map[string]string, any) {
		return map[string]string{"review": review(f).ID}, map[string]any{"text": "谢谢 thanks"}
	}
	edit := func(f *webtest.Fixture) (map[string]string, any) {
		return map[string]string{"review": review(f).ID}, map[string]any{"rating": 3, "text": "还行"}
	}
	hide := func(f *webtest.Fixture) (map[string]string, any) {
		return map[string]string{"review": review(f).ID}, map[string]any{"reason": "abusive"}
	}
	return []commerceRow{
		{"GET", "/api/v1/listings/{listing}/reviews", onCustomer, [6]int{200, 200, 200, 200, 200, 200}, fresh},
		// member@ and customer@ belong to the customer org, which bought the app.
		{"POST", "/api/v1/listings/{listing}/reviews", onCustomer, [6]int{401, 201, 201, 403, 403, 403}, fresh},
		{"POST", "/api/v1/reviews/{review}/reply", onPartner, [6]int{401, 403, 200, 403, 403, 403}, reply},
		{"POST", "/api/v1/reviews/{review}/hide", onPartner, [6]int{401, 403, 403, 403, 200, 200}, hide},
		// member@ and customer@ belong to the review's org; only customers flag.
		{"PATCH", "/api/v1/reviews/{review}", onCustomer, [6]int{401, 200, 200, 403, 403, 403}, edit},
		{"POST", "/api/v1/reviews/{review}/flag", onCustomer, [6]int{401, 200, 200, 403, 403, 403}, hide},
		// On partner org 1: member is dev@, admin partner@.
		{"GET", "/api/v1/partners/{org}/sales", onPartner, [6]int{401, 403, 200, 404, 404, 200}, partner},
		{"GET", "/api/v1/partners/{org}/statements", onPartner, [6]int{401, 403, 200, 404, 404, 200}, partner},
		{"GET", "/api/v1/partners/{org}/statements/{statement}", onPartner, [6]int{401, 403, 200, 404, 404, 200}, statement},
		{"GET", "/api/v1/platform/statements", onPartner, [6]int{401, 403, 403, 403, 403, 200}, none},
		// The month of a fresh statement is not over: the platform admin
		// gets past authorization to the rule.
		{"POST", "/api/v1/platform/statements/{statement}/close", onPartner, [6]int{401, 403, 403, 403, 403, 409}, statement},
		{"GET", "/api/v1/platform/commission-rates", onPartner, [6]int{401, 403, 403, 403, 403, 200}, none},
		{"POST", "/api/v1/platform/commission-rates", onPartner, [6]int{401, 403, 403, 403, 403, 201}, rate},
	}
}

// TestSelfopAuthorization calls every self-operation endpoint as each of
// the six callers.
func TestSelfopAuthorization(t *testing.T) { runAuthzRows(t, webtest.New(t), selfopAuthzRows(), false) }

// TestStatementClose: a rate set through the API splits the next order;
// the platform admin closes the month after it ends; a refund after goes
// to the next month's statement; the partner exports the CSV.
func TestStatementClose(t *testing.T) {
	f := webtest.New(t)
	r := f.Call(demo.AdminEmail, "POST", "/api/v1/platform/commission-rates", nil, map[string]any{"scope": "partner", "scope_id": f.World.Partner1.ID,
		"rate_bp": 1250, "effective_from": f.Clock.Now().Add(-time.Hour)})
	r.WantError(t, 422, "rate_retroactive")
	r = f.Call(demo.AdminEmail, "POST", "/api/v1/platform/commission-rates", nil, map[string]any{"scope": "partner", "scope_id": f.World.Partner1.ID, "rate_bp": 1250})
	if r.Status != 201 {
		t.Fatalf("rate: %d %s", r.Status, r.Body)
	}
	st := partnerStatement(f)
	o := f.FreshOrder(true) // 5 users × ¥9.00: 4500, commission 562.5 → 563
	st2, err := f.Store.Statement(context.Background(), st.ID)
	if err != nil || st2.Orders != 2 || st2.Gross != 9000 || st2.Commission != 1126 || st2.Net != 7874 {
		t.Fatalf("statement = %+v, %v", st2, err)
	}
	path := "/api/v1/platform/statements/{statement}/close"
	f.Call(demo.AdminEmail, "POST", path, map[string]string{"statement": st.ID}, nil).WantError(t, 409, "statement_month_open")
	f.Advance(32 * 24 * time.Hour)
	r = f.Call(demo.AdminEmail, "POST", path, map[string]string{"statement": st.ID}, nil)
	var closed shelf.Statement
	r.JSON(t, &closed)
	if r.Status != 200 || closed.State != shelf.StatementClosed || closed.Payout != 7874 {
		t.Fatalf("close: %d %s", r.Status, r.Body)
	}
	f.Call(demo.AdminEmail, "POST", path, map[string]string{"statement": st.ID}, nil).WantError(t, 409, "statement_closed")
	r = f.Call(demo.AdminEmail, "POST", "/api/v1/platform/orders/{order}/refunds", map[string]string{"order": o.ID}, map[string]any{"reason": "退款"})
	if r.Status != 200 {
		t.Fatalf("refund: %d %s", r.Status, r.Body)
	}
	var list struct{ Items []shelf.Statement }
	f.Call(demo.PartnerEmail, "GET", "/api/v1/partners/{org}/statements", map[string]string{"org": f.World.Partner1.ID}, nil).JSON(t, &list)
	if len(list.Items) != 2 || list.Items[0].Refunded != 4500 || list.Items[0].Net != -3937 || list.Items[1].Net != 7874 {
		t.Fatalf("statements = %+v", list.Items)
	}
	// CSV, which the fixture's OpenAPI check (JSON only) would refuse.
	req, _ := http.NewRequest("GET", f.Srv.URL+"/api/v1/partners/"+f.World.Partner1.ID+"/statements/"+st.ID+"?format=csv", nil)
	req.Header.Set("Authorization", "Bearer "+f.Tokens[demo.PartnerEmail])
	res, err := f.Srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if body := string(b); res.StatusCode != 200 || !strings.Contains(body, ",order,"+o.ID+",") || !strings.Contains(body, "payout,,,,,,,,78.74,CNY") {
		t.Fatalf("csv: %d %s", res.StatusCode, body)
	}
	// Another partner's admin does not find it.
	r = f.Call(demo.Partner2Email, "GET", "/api/v1/partners/{org}/statements/{statement}", map[string]string{"org": f.World.Partner2.ID, "statement": st.ID}, nil)
	r.WantError(t, http.StatusNotFound, "not_found")
}

// TestPartnerSales: a paid order shows on its partner's dashboard, named;
// a test org's order does not; bad dates change nothing and are refused.
func TestPartnerSales(t *testing.T) {
	f := webtest.New(t)
	o := f.FreshOrder(true)
	testOrder := f.Order(o.ListingID, shelf.OrderRenew, true) // the customer's renewal counts
	if _, err := f.Store.CreateOrder(context.Background(), shelf.OrderRequest{OrgID: f.World.TestOrg.ID, ByUserID: f.World.Users[demo.PartnerEmail].ID,
		ListingID: o.ListingID, Type: shelf.OrderBuy, SpecCode: "std-month", Users: 5, Periods: 1}, shelf.Idempotency{Key: "t", Hash: "t"},
		func(*shelf.Order) (shelf.Answer, error) { return shelf.Answer{Status: 201}, nil }); err != nil {
		t.Fatal(err)
	}
	var d shelf.SalesDashboard
	r := f.CallQuery(demo.PartnerEmail, "GET", "/api/v1/partners/{org}/sales", map[string]string{"org": f.World.Partner1.ID}, "listing="+o.ListingID, nil)
	r.JSON(t, &d)
	if r.Status != 200 || d.Total.Gross != o.Amount+testOrder.Amount || d.New != 1 || d.Renewed != 1 || d.PayingOrgs != 1 || d.ActiveSubs != 1 ||
		len(d.TopListings) != 1 || d.TopListings[0].Name == "" {
		t.Fatalf("dashboard: %d %s", r.Status, r.Body)
	}
	f.CallQuery(demo.PartnerEmail, "GET", "/api/v1/partners/{org}/sales", map[string]string{"org": f.World.Partner1.ID}, "from=2027-13-01", nil).
		WantError(t, 422, "invalid_date")
	f.CallQuery(demo.PartnerEmail, "GET", "/api/v1/partners/{org}/sales", map[string]string{"org": f.World.Partner1.ID}, "from=2027-02-01&to=2027-01-01", nil).
		WantError(t, 422, "invalid_range")
}

// TestRatingsAPI: a customer reviews once, the partner replies once, an
// operator hides it; an org that never had the app is refused.
func TestRatingsAPI(t *testing.T) {
	f := webtest.New(t)
	o := f.FreshOrder(true)
	path := "/api/v1/listings/{listing}/reviews"
	params := map[string]string{"listing": o.ListingID}
	body := map[string]any{"org_id": f.World.Customer.ID, "rating": 5, "text": "很好用 great"}
	f.Call(demo.PartnerEmail, "POST", path, params, map[string]any{"org_id": f.World.TestOrg.ID, "rating": 5}).WantError(t, 403, "not_a_customer")
	var rt shelf.Rating
	r := f.Call(demo.MemberEmail, "POST", path, params, body)
	r.JSON(t, &rt)
	if r.Status != 201 || rt.AuthorRole != "member" {
		t.Fatalf("review: %d %s", r.Status, r.Body)
	}
	f.Call(demo.CustomerEmail, "POST", path, params, body).WantError(t, 409, "review_exists")
	f.Call(demo.Partner2Email, "POST", "/api/v1/reviews/{review}/reply", map[string]string{"review": rt.ID}, map[string]any{"text": "x"}).
		WantError(t, 403, "not_listing_partner")
	if r := f.Call(demo.PartnerEmail, "POST", "/api/v1/reviews/{review}/reply", map[string]string{"review": rt.ID}, map[string]any{"text": "谢谢"}); r.Status != 200 {
		t.Fatalf("reply: %d %s", r.Status, r.Body)
	}
	f.Call(demo.PartnerEmail, "POST", "/api/v1/reviews/{review}/reply", map[string]string{"review": rt.ID}, map[string]any{"text": "again"}).
		WantError(t, 409, "reply_exists")
	var list struct {
		Summary shelf.RatingSummary
		Items   []shelf.Rating
	}
	f.Call("", "GET", path, params, nil).JSON(t, &list)
	if list.Summary.Count != 1 || list.Summary.Average != 5 || len(list.Items) != 1 || list.Items[0].Reply != "谢谢" {
		t.Fatalf("reviews = %+v", list)
	}
	f.Call(demo.OperatorEmail, "POST", "/api/v1/reviews/{review}/hide", map[string]string{"review": rt.ID}, map[string]any{"reason": "spam"})
	f.Call("", "GET", path, params, nil).JSON(t, &list)
	if list.Summary.Count != 0 || len(list.Items) != 0 {
		t.Fatalf("after hiding = %+v", list)
	}
}
