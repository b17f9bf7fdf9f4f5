package api_test

import (
	"context"
	"testing"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store/storetest"
	"github.com/shelfhq/shelf/internal/web/webtest"
)

// freshLead is member@'s contact request on a fresh listing of partner
// org 1.
func freshLead(f *webtest.Fixture) *shelf.Lead {
	f.T.Helper()
	l, err := f.Store.CreateContactRequest(context.Background(), shelf.NewContactRequest{ListingID: f.RevisionIn("listed").ListingID,
		OrgID: f.World.Customer.ID, ByUserID: f.World.Users[demo.MemberEmail].ID, Message: "请联系我", Consent: true})
	if err != nil {
		f.T.Fatal(err)
	}
	return l
}

func leadAuthzRows() []commerceRow {
	ask := func(f *webtest.Fixture) (map[string]string, any) {
		return map[string]string{"listing": f.RevisionIn("listed").ListingID}, map[string]any{"org_id": f.World.Customer.ID, "consent": true, "message": "hi"}
	}
	customer := func(f *webtest.Fixture) (map[string]string, any) {
		return map[string]string{"org": f.World.Customer.ID}, nil
	}
	partner := func(f *webtest.Fixture) (map[string]string, any) {
		return map[string]string{"org": f.World.Partner1.ID}, nil
	}
	lead := func(f *webtest.Fixture) (map[string]string, any) {
		return map[string]string{"lead": freshLead(f).ID}, nil
	}
	move := func(f *webtest.Fixture) (map[string]string, any) {
		return map[string]string{"lead": freshLead(f).ID}, map[string]any{"state": "contacted", "note": "called"}
	}
	return []commerceRow{
		// On the customer org: member is member@ (who asks), admin customer@.
		{"POST", "/api/v1/listings/{listing}/contact-requests", onCustomer, [6]int{401, 201, 201, 403, 403, 403}, ask},
		{"GET", "/api/v1/orgs/{org}/contact-requests", onCustomer, [6]int{401, 200, 200, 404, 404, 404}, customer},
		{"POST", "/api/v1/leads/{lead}/withdraw-consent", onCustomer, [6]int{401, 200, 200, 404, 404, 404}, lead},
		// On partner org 1, the listing's partner: member is dev@, admin
		// partner@; the other org's admin is partner org 2's, who never sees
		// partner 1's leads; nor do platform admins.
		{"GET", "/api/v1/partners/{org}/leads", onPartner, [6]int{401, 200, 200, 404, 404, 404}, partner},
		{"GET", "/api/v1/leads/{lead}", onPartner, [6]int{401, 200, 200, 404, 404, 404}, lead},
		{"PATCH", "/api/v1/leads/{lead}", onPartner, [6]int{401, 200, 200, 404, 404, 404}, move},
		{"GET", "/api/v1/leads/{lead}/contact", onPartner, [6]int{401, 200, 200, 404, 404, 404}, lead},
	}
}

// TestLeadsAuthorization calls every lead endpoint as each of the six
// callers.
func TestLeadsAuthorization(t *testing.T) { runAuthzRows(t, webtest.New(t), leadAuthzRows(), false) }

// TestLeadsAPI, on both databases: refused requests answer a code and
// change nothing; the partner works a lead through its states; the
// customer withdraws consent and the partner keeps an anonymised lead
// without contact details.
func TestLeadsAPI(t *testing.T) {
	for _, backend := range []string{storetest.SQLite, storetest.Postgres} {
		t.Run(backend, func(t *testing.T) { testLeadsAPI(t, webtest.NewWith(t, backend, nil)) })
	}
}

func testLeadsAPI(t *testing.T, f *webtest.Fixture) {
	listing := f.RevisionIn("listed").ListingID
	ask := "/api/v1/listings/{listing}/contact-requests"
	params := map[string]string{"listing": listing}
	before := f.Counts()
	for _, c := range []struct {
		name   string
		body   any
		status int
		code   string
	}{
		{"no consent", map[string]any{"org_id": f.World.Customer.ID, "consent": false}, 422, "consent_required"},
		{"no org", map[string]any{"consent": true}, 422, "required"},
		{"unknown source", map[string]any{"org_id": f.World.Customer.ID, "consent": true, "source": "tv"}, 422, "invalid_source"},
		{"unknown field", map[string]any{"org_id": f.World.Customer.ID, "consent": true, "phone": "1"}, 400, "unknown_field"},
	} {
		f.Call(demo.MemberEmail, "POST", ask, params, c.body).WantError(t, c.status, c.code)
	}
	if ch := before.Changed(f.Counts()); len(ch) > 0 {
		t.Fatalf("refused requests changed %v", ch)
	}
	var l shelf.Lead
	r := f.Call(demo.MemberEmail, "POST", ask, params, map[string]any{"org_id": f.World.Customer.ID, "consent": true, "message": "请联系我", "source": "search"})
	r.JSON(t, &l)
	if r.Status != 201 || l.OrgID != f.World.Customer.ID || l.Source != "search" {
		t.Fatalf("ask: %d %s", r.Status, r.Body)
	}
	f.Call(demo.CustomerEmail, "POST", ask, params, map[string]any{"org_id": f.World.Customer.ID, "consent": true}).WantError(t, 409, "contact_request_open")

	lead := map[string]string{"lead": l.ID}
	dev := f.World.Users["dev@shelf.test"].ID
	for _, c := range []struct {
		name   string
		body   any
		status int
		code   string
	}{
		{"lost without reason", map[string]any{"state": "lost"}, 422, "required"},
		{"owner of another org", map[string]any{"owner_id": f.World.Users[demo.Partner2Email].ID}, 422, "owner_not_member"},
		{"unknown state", map[string]any{"state": "maybe"}, 422, "invalid_lead_state"},
		{"bad date", map[string]any{"next_follow_up": "2027-13-01"}, 422, "invalid_date"},
	} {
		f.Call(demo.PartnerEmail, "PATCH", "/api/v1/leads/{lead}", lead, c.body).WantError(t, c.status, c.code)
	}
	f.Call(demo.Partner2Email, "PATCH", "/api/v1/leads/{lead}", lead, map[string]any{"state": "won"}).WantError(t, 404, "not_found")
	var v struct {
		shelf.Lead
		Notes []shelf.LeadNote
	}
	r = f.Call(demo.PartnerEmail, "PATCH", "/api/v1/leads/{lead}", lead, map[string]any{"owner_id": dev, "state": "contacted", "note": "打过电话", "next_follow_up": "2020-01-01"})
	r.JSON(t, &v)
	if r.Status != 200 || v.State != shelf.LeadContacted || v.OwnerID != dev || !v.Overdue || len(v.Notes) != 1 {
		t.Fatalf("patch: %d %s", r.Status, r.Body)
	}
	var page struct {
		Items      []shelf.Lead
		NextCursor string `json:"next_cursor"`
	}
	r = f.CallQuery(demo.PartnerEmail, "GET", "/api/v1/partners/{org}/leads", map[string]string{"org": f.World.Partner1.ID}, "overdue=true&owner="+dev+"&listing="+listing, nil)
	if r.JSON(t, &page); r.Status != 200 || len(page.Items) != 1 || page.Items[0].ID != l.ID {
		t.Fatalf("overdue list: %d %s", r.Status, r.Body)
	}
	f.CallQuery(demo.PartnerEmail, "GET", "/api/v1/partners/{org}/leads", map[string]string{"org": f.World.Partner1.ID}, "state=maybe", nil).
		WantError(t, 422, "invalid_parameter")
	f.CallQuery(demo.PartnerEmail, "GET", "/api/v1/partners/{org}/leads", map[string]string{"org": f.World.Partner1.ID}, "cursor=!!", nil).
		WantError(t, 400, "invalid_cursor")

	if r = f.Call(demo.PartnerEmail, "GET", "/api/v1/leads/{lead}/contact", lead, nil); r.Status != 200 {
		t.Fatalf("contact: %d %s", r.Status, r.Body)
	}
	f.Call(demo.CustomerEmail, "POST", "/api/v1/leads/{lead}/withdraw-consent", lead, nil)
	f.Call(demo.PartnerEmail, "GET", "/api/v1/leads/{lead}/contact", lead, nil).WantError(t, 403, "consent_withdrawn")
	r = f.Call(demo.PartnerEmail, "GET", "/api/v1/leads/{lead}", lead, nil)
	if r.JSON(t, &v); v.OrgID != "" || v.Message != "" || v.Consent != shelf.ConsentWithdrawn || v.State != shelf.LeadContacted {
		t.Fatalf("anonymised: %s", r.Body)
	}
	f.Call(demo.MemberEmail, "POST", "/api/v1/leads/{lead}/withdraw-consent", lead, nil).WantError(t, 409, "consent_withdrawn")
}
