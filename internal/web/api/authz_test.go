package api_test

import (
	"context"
	"fmt"
	"image/color"
	"slices"
	"strings"
	"testing"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store/storetest"
	"github.com/shelfhq/shelf/internal/web/api"
	"github.com/shelfhq/shelf/internal/web/httpx"
	"github.com/shelfhq/shelf/internal/web/webtest"
)

// The six callers of the authorization table. "member" and "admin" are of
// the org the endpoint is about; "other" administers another org.
var roles = []string{"anonymous", "member", "admin", "other", "operator", "platform"}

// target is the org an endpoint row acts on.
type target int

const (
	onCustomer target = iota // member@ / customer@
	onPartner                // dev@ / partner@
)

// caller maps a role to the account that plays it.
func caller(role string, on target) string {
	switch role {
	case "anonymous":
		return ""
	case "member":
		if on == onPartner {
			return "dev@shelf.test"
		}
		return demo.MemberEmail
	case "admin":
		if on == onPartner {
			return demo.PartnerEmail
		}
		return demo.CustomerEmail
	case "other":
		return demo.Partner2Email
	case "operator":
		return demo.OperatorEmail
	case "platform":
		return demo.AdminEmail
	}
	panic(role)
}

// authzRow is one endpoint; want holds the expected status per role, in
// the order of roles. prep makes fresh path values per call so a
// successful call by one role does not change what the next one sees.
type authzRow struct {
	method, pattern string
	on              target
	want            [6]int
	prep            func(f *webtest.Fixture) map[string]string
	body            func() any
}

func orgParams(f *webtest.Fixture, on target) map[string]string {
	if on == onPartner {
		return map[string]string{"org": f.World.Partner1.ID}
	}
	return map[string]string{"org": f.World.Customer.ID}
}

// invite makes an invitation link of email to org and returns its token.
func invite(f *webtest.Fixture, org *shelf.Org, email string) string {
	f.T.Helper()
	if u, err := f.Store.UserByEmail(context.Background(), email); err == nil {
		_ = f.Store.RemoveMember(context.Background(), org.ID, u.ID, shelf.ActorCLI) // accepted by an earlier row
	}
	inv, err := f.Store.Invite(context.Background(), org.ID, email, shelf.RoleMember, f.World.Users[demo.AdminEmail].ID)
	if err != nil {
		f.T.Fatal(err)
	}
	return inv.Token
}

// freshMember adds a new member to the org and returns its user id.
func freshMember(f *webtest.Fixture, org *shelf.Org) string {
	f.T.Helper()
	ctx := context.Background()
	u, err := f.Store.CreateUser(ctx, webtest.Unique("m")+"@example.com", "M", "password1")
	if err != nil {
		f.T.Fatal(err)
	}
	if _, _, err := f.Store.AddMember(ctx, org.ID, u.Email, shelf.RoleMember, u.ID); err != nil {
		f.T.Fatal(err)
	}
	return u.ID
}

func authzRows() []authzRow {
	org := func(on target) func(f *webtest.Fixture) map[string]string {
		return func(f *webtest.Fixture) map[string]string { return orgParams(f, on) }
	}
	withMember := func(f *webtest.Fixture) map[string]string {
		p := orgParams(f, onCustomer)
		p["user"] = freshMember(f, f.World.Customer)
		return p
	}
	withGroup := func(f *webtest.Fixture) map[string]string {
		p := orgParams(f, onCustomer)
		p["group"] = f.World.Groups[0].ID
		return p
	}
	none := func(f *webtest.Fixture) map[string]string { return nil }
	cat := func(f *webtest.Fixture) map[string]string {
		return map[string]string{"cat": f.World.Categories["HR"].ID, "user": f.World.Users[demo.Operator2Email].ID}
	}
	newCat := func(f *webtest.Fixture) map[string]string {
		c, err := f.Store.CreateCategory(context.Background(), shelf.NewCategory{Name: webtest.Unique("类"), NameEn: webtest.Unique("c")})
		if err != nil {
			f.T.Fatal(err)
		}
		return map[string]string{"cat": c.ID, "user": f.World.Users[demo.Operator2Email].ID}
	}
	nobody := func() any { return nil }
	// The app rows are in workflowRows; the vendor API takes an app's
	// client credentials, never a user's token.
	appRows := []authzRow{
		{"GET", "/api/v1/vendor/events", onPartner, [6]int{401, 401, 401, 401, 401, 401}, none, nobody},
	}
	return append([]authzRow{
		{"GET", "/api/v1/me", onCustomer, [6]int{401, 200, 200, 200, 200, 200}, none, nobody},
		{"GET", "/api/v1/me/tokens", onCustomer, [6]int{401, 200, 200, 200, 200, 200}, none, nobody},
		{"POST", "/api/v1/me/tokens", onCustomer, [6]int{401, 201, 201, 201, 201, 201}, none, func() any { return map[string]any{"name": "ci"} }},
		{"GET", "/api/v1/orgs", onCustomer, [6]int{401, 200, 200, 200, 200, 200}, none, nobody},
		{"POST", "/api/v1/orgs", onCustomer, [6]int{401, 201, 201, 201, 201, 201}, none, func() any { return map[string]any{"name": webtest.Unique("Org "), "kind": "customer"} }},
		{"GET", "/api/v1/orgs/{org}", onCustomer, [6]int{401, 200, 200, 404, 404, 200}, org(onCustomer), nobody},
		{"GET", "/api/v1/orgs/{org}/members", onCustomer, [6]int{401, 200, 200, 404, 404, 200}, org(onCustomer), nobody},
		{"POST", "/api/v1/orgs/{org}/members", onCustomer, [6]int{401, 403, 202, 404, 404, 403}, org(onCustomer), func() any { return map[string]any{"email": webtest.Unique("new") + "@example.com"} }},
		{"PATCH", "/api/v1/orgs/{org}/members/{user}", onCustomer, [6]int{401, 403, 204, 404, 404, 403}, withMember, func() any { return map[string]any{"role": "admin"} }},
		{"DELETE", "/api/v1/orgs/{org}/members/{user}", onCustomer, [6]int{401, 403, 204, 404, 404, 403}, withMember, nobody},
		{"GET", "/api/v1/orgs/{org}/invitations", onCustomer, [6]int{401, 403, 200, 404, 404, 403}, org(onCustomer), nobody},
		// An invitation for member@'s email to partner org 1: only member@ may accept it.
		{"POST", "/api/v1/invitations/{token}/accept", onCustomer, [6]int{401, 201, 403, 403, 403, 403}, func(f *webtest.Fixture) map[string]string {
			return map[string]string{"token": invite(f, f.World.Partner1, demo.MemberEmail)}
		}, nobody},
		{"GET", "/api/v1/orgs/{org}/groups", onCustomer, [6]int{401, 200, 200, 404, 404, 200}, org(onCustomer), nobody},
		{"POST", "/api/v1/orgs/{org}/groups", onCustomer, [6]int{401, 201, 201, 404, 404, 403}, org(onCustomer), func() any { return map[string]any{"name": webtest.Unique("群")} }},
		// The first demo group is owned by customer@; member@ is in it but does not own it.
		{"POST", "/api/v1/orgs/{org}/groups/{group}/members", onCustomer, [6]int{401, 403, 204, 404, 404, 403}, withGroup, nil},
		{"GET", "/api/v1/orgs/{org}/test-orgs", onPartner, [6]int{401, 403, 200, 404, 404, 403}, org(onPartner), nobody},
		{"POST", "/api/v1/orgs/{org}/test-orgs", onPartner, [6]int{401, 403, 201, 404, 404, 403}, org(onPartner), func() any { return map[string]any{"name": webtest.Unique("Test ")} }},
		{"GET", "/api/v1/categories", onCustomer, [6]int{200, 200, 200, 200, 200, 200}, none, nobody},
		{"POST", "/api/v1/categories", onCustomer, [6]int{401, 403, 403, 403, 403, 201}, none, func() any { return map[string]any{"name": webtest.Unique("分类"), "name_en": webtest.Unique("Cat ")} }},
		{"PATCH", "/api/v1/categories/{cat}", onCustomer, [6]int{401, 403, 403, 403, 403, 200}, cat, func() any { return map[string]any{"position": 5} }},
		{"PUT", "/api/v1/categories/{cat}/operators/{user}", onCustomer, [6]int{401, 403, 403, 403, 403, 204}, cat, nobody},
		{"DELETE", "/api/v1/categories/{cat}/operators/{user}", onCustomer, [6]int{401, 403, 403, 403, 403, 404}, newCat, nobody},
		{"GET", "/api/v1/platform/operators", onCustomer, [6]int{401, 403, 403, 403, 403, 200}, none, nobody},
		{"GET", "/api/v1/platform/featured", onCustomer, [6]int{401, 403, 403, 403, 403, 200}, none, nobody},
		{"PUT", "/api/v1/platform/featured", onCustomer, [6]int{401, 403, 403, 403, 403, 200}, none, func() any { return map[string]any{"listing_ids": []string{}} }},
	}, appRows...)
}

// workflowRows covers the app registry, installations and the listing
// workflow. On partner org 1: member is dev@, admin partner@.
func workflowRows() []authzRow {
	org := func(on target) func(f *webtest.Fixture) map[string]string {
		return func(f *webtest.Fixture) map[string]string { return orgParams(f, on) }
	}
	nobody := func() any { return nil }
	none := func(f *webtest.Fixture) map[string]string { return nil }
	app := func(f *webtest.Fixture) map[string]string {
		a, _ := f.PartnerApp(shelf.AppOrg)
		return map[string]string{"app": a.ID}
	}
	listedApp := func(f *webtest.Fixture) map[string]string {
		return map[string]string{"app": f.RevisionIn("listed").AppID}
	}
	rev := func(state string) func(f *webtest.Fixture) map[string]string {
		return func(f *webtest.Fixture) map[string]string { return map[string]string{"rev": f.RevisionIn(state).ID} }
	}
	listing := func(state string) func(f *webtest.Fixture) map[string]string {
		return func(f *webtest.Fixture) map[string]string {
			return map[string]string{"listing": f.RevisionIn(state).ListingID}
		}
	}
	installed := func(f *webtest.Fixture) map[string]string {
		appID := f.RevisionIn("listed").AppID
		in, _, err := f.Store.Install(context.Background(), shelf.NewInstallation{AppID: appID, OrgID: f.World.Customer.ID, ByUserID: f.World.Users[demo.CustomerEmail].ID})
		if err != nil {
			f.T.Fatal(err)
		}
		return map[string]string{"org": f.World.Customer.ID, "installation": in.ID}
	}
	revisionBody := func() any { return storetest.ValidRevision("", nil) }
	reason := func() any { return map[string]any{"reason": "原因 reason"} }
	return []authzRow{
		{"GET", "/api/v1/orgs/{org}/apps", onPartner, [6]int{401, 200, 200, 404, 404, 200}, org(onPartner), nobody},
		{"POST", "/api/v1/orgs/{org}/apps", onPartner, [6]int{401, 403, 201, 404, 404, 403}, org(onPartner), func() any { return map[string]any{"name": webtest.Unique("App "), "kind": "org"} }},
		{"GET", "/api/v1/apps/{app}", onPartner, [6]int{401, 200, 200, 404, 404, 404}, app, nobody},
		{"PATCH", "/api/v1/apps/{app}", onPartner, [6]int{401, 403, 200, 404, 404, 404}, app, func() any { return map[string]any{"name": webtest.Unique("App ")} }},
		{"POST", "/api/v1/apps/{app}/webhook-secret/rotate", onPartner, [6]int{401, 403, 200, 404, 404, 404}, app, nobody},
		{"POST", "/api/v1/apps/{app}/events/test", onPartner, [6]int{401, 403, 201, 404, 404, 404}, app, nobody},
		{"GET", "/api/v1/apps/{app}/deliveries", onPartner, [6]int{401, 200, 200, 404, 404, 404}, app, nobody},
		{"POST", "/api/v1/apps/{app}/deliveries/{event}/resend", onPartner, [6]int{401, 403, 202, 404, 404, 404}, func(f *webtest.Fixture) map[string]string {
			p := app(f)
			return map[string]string{"app": p["app"], "event": storetest.MustEmit(f.T, f.Store, p["app"], f.World.TestOrg.ID, shelf.EventTestPing, nil).ID}
		}, nobody},
		{"POST", "/api/v1/apps/{app}/deliveries/resend-failed", onPartner, [6]int{401, 403, 200, 404, 404, 404}, app, func() any { return map[string]any{} }},
		{"POST", "/api/v1/apps/{app}/deliveries/replay", onPartner, [6]int{401, 403, 200, 404, 404, 404}, app, func() any { return map[string]any{} }},
		{"GET", "/api/v1/apps/{app}/attempts", onPartner, [6]int{401, 200, 200, 404, 404, 404}, app, nobody},
		{"GET", "/api/v1/apps/{app}/delivery-stats", onPartner, [6]int{401, 200, 200, 404, 404, 404}, app, nobody},
		{"GET", "/api/v1/apps/{app}/installations", onPartner, [6]int{401, 200, 200, 404, 404, 404}, app, nobody},

		{"GET", "/api/v1/orgs/{org}/installations", onCustomer, [6]int{401, 200, 200, 404, 404, 200}, org(onCustomer), nobody},
		{"POST", "/api/v1/orgs/{org}/installations", onPartner, [6]int{401, 403, 200, 404, 404, 403}, org(onPartner), func() any { return map[string]any{"app_id": shelf.PartnerConsoleID} }},
		{"DELETE", "/api/v1/orgs/{org}/installations/{installation}", onCustomer, [6]int{401, 403, 204, 404, 404, 403}, installed, nobody},
		{"GET", "/api/v1/orgs/{org}/notices", onPartner, [6]int{401, 403, 200, 404, 404, 403}, org(onPartner), nobody},
		{"POST", "/api/v1/orgs/{org}/media", onPartner, [6]int{401, 403, 201, 404, 404, 403}, org(onPartner), nil},
		{"GET", "/api/v1/orgs/{org}/listings", onPartner, [6]int{401, 403, 200, 404, 404, 403}, org(onPartner), nobody},
		{"POST", "/api/v1/apps/{app}/self-tests", onPartner, [6]int{401, 403, 201, 404, 404, 404}, app, nil},
		{"GET", "/api/v1/apps/{app}/self-tests", onPartner, [6]int{401, 403, 200, 404, 404, 404}, app, nobody},
		{"GET", "/api/v1/apps/{app}/listing", onPartner, [6]int{401, 403, 200, 404, 404, 404}, listedApp, nobody},
		{"POST", "/api/v1/apps/{app}/revisions", onPartner, [6]int{401, 403, 201, 404, 404, 404}, app, revisionBody},
		{"GET", "/api/v1/revisions/{rev}", onPartner, [6]int{401, 403, 200, 404, 200, 200}, rev("submitted"), nobody},
		{"PUT", "/api/v1/revisions/{rev}", onPartner, [6]int{401, 403, 200, 404, 403, 403}, rev("draft"), revisionBody},
		{"GET", "/api/v1/revisions/{rev}/precheck", onPartner, [6]int{401, 403, 200, 404, 200, 200}, rev("draft"), nobody},
		{"POST", "/api/v1/revisions/{rev}/submit", onPartner, [6]int{401, 403, 200, 404, 403, 403}, nil, nobody},
		{"POST", "/api/v1/revisions/{rev}/withdraw", onPartner, [6]int{401, 403, 200, 404, 403, 403}, rev("submitted"), nobody},
		{"GET", "/api/v1/revisions/{rev}/diff", onPartner, [6]int{401, 403, 200, 404, 200, 200}, rev("submitted"), nobody},
		{"POST", "/api/v1/revisions/{rev}/approve", onPartner, [6]int{401, 403, 403, 404, 200, 200}, rev("submitted"), nobody},
		{"POST", "/api/v1/revisions/{rev}/reject", onPartner, [6]int{401, 403, 403, 404, 200, 200}, rev("submitted"), reason},
		{"GET", "/api/v1/review-queue", onPartner, [6]int{401, 403, 403, 403, 200, 200}, none, nobody},
		{"GET", "/api/v1/listings", onPartner, [6]int{200, 200, 200, 200, 200, 200}, none, nobody},
		{"GET", "/api/v1/listings/suggest", onPartner, [6]int{200, 200, 200, 200, 200, 200}, none, nobody},
		{"GET", "/api/v1/listings/{listing}", onPartner, [6]int{200, 200, 200, 200, 200, 200}, listing("listed"), nobody},
		{"POST", "/api/v1/listings/{listing}/delist", onPartner, [6]int{401, 403, 200, 404, 404, 404}, listing("listed"), reason},
		{"POST", "/api/v1/listings/{listing}/relist", onPartner, [6]int{401, 403, 200, 404, 404, 404}, listing("delisted"), nobody},
		{"POST", "/api/v1/listings/{listing}/takedown", onPartner, [6]int{401, 403, 403, 403, 200, 200}, listing("listed"), reason},
		{"GET", "/api/v1/platform/operator-stats", onPartner, [6]int{401, 403, 403, 403, 403, 200}, none, nobody},
		{"GET", "/api/v1/platform/audit", onPartner, [6]int{401, 403, 403, 403, 403, 200}, none, nobody},
	}
}

// TestAuthorization calls every API endpoint as each of the six callers.
func TestAuthorization(t *testing.T) {
	f := webtest.New(t)
	rows := append(authzRows(), workflowRows()...)
	endpoints := api.Endpoints()
	if len(rows) == 0 || len(endpoints) == 0 {
		t.Fatalf("%d rows for %d endpoints: with either empty the checks below pass vacuously", len(rows), len(endpoints))
	}
	tested := map[string]bool{}
	for _, row := range slices.Concat(commerceAuthzRows(), promoAuthzRows()) { // run by TestCommerceAuthorization, TestPromoAuthorization
		tested[row.method+" "+row.pattern] = true
	}
	for _, row := range selfopAuthzRows() { // run by TestSelfopAuthorization
		tested[row.method+" "+row.pattern] = true
	}
	for _, row := range coolAuthzRows() { // run by TestCoolAuthorization
		tested[row.method+" "+row.pattern] = true
	}
	for _, row := range leadAuthzRows() { // run by TestLeadsAuthorization
		tested[row.method+" "+row.pattern] = true
	}
	for _, row := range ticketAuthzRows() { // run by TestTicketsAuthorization
		tested[row.method+" "+row.pattern] = true
	}
	for _, row := range rows {
		tested[row.method+" "+row.pattern] = true
		for i, role := range roles {
			t.Run(fmt.Sprintf("%s %s as %s", row.method, row.pattern, role), func(t *testing.T) {
				f.T = t
				var params map[string]string
				if row.prep != nil {
					params = row.prep(f)
				}
				var body any
				if row.body != nil {
					body = row.body()
				}
				switch row.pattern {
				case "/api/v1/orgs/{org}/groups/{group}/members":
					body = map[string]any{"user_id": freshMember(f, f.World.Customer)}
				case "/api/v1/orgs/{org}/media":
					body = string(storetest.PNG(t, 256, 256, color.RGBA{1, 2, 3, 255}))
				case "/api/v1/apps/{app}/self-tests":
					body = map[string]any{"test_org_id": f.World.TestOrg.ID}
				case "/api/v1/revisions/{rev}/submit":
					// A complete draft whose app passed its self-test.
					rev := f.RevisionIn("draft")
					app, _ := f.Store.App(context.Background(), rev.AppID)
					now := f.Clock.Now()
					_ = f.Store.RecordSelfTest(context.Background(), &shelf.SelfTest{AppID: app.ID, TestOrgID: f.World.TestOrg.ID, StartedBy: rev.CreatedBy,
						ConfigHash: app.ConfigHash(), Passed: true, Checks: []shelf.SelfTestCheck{}, StartedAt: now, FinishedAt: now})
					params = map[string]string{"rev": rev.ID}
				}
				for k, v := range params {
					if v == "" {
						t.Fatalf("prep left {%s} empty: the call would be refused for that, not for the role", k)
					}
				}
				r := f.Call(caller(role, row.on), row.method, row.pattern, params, body)
				if r.Status != row.want[i] {
					t.Errorf("status = %d, want %d (body %s)", r.Status, row.want[i], r.Body)
				}
				if r.Status >= 400 {
					// A refusal must come from the access checks, not from a
					// route that did not match or a failure on our side.
					if code, _ := r.ErrCode(t); code == "" || code == "no_such_endpoint" || code == "internal" {
						t.Errorf("refused with %d %s", r.Status, r.Body)
					}
				}
			})
		}
	}
	// Every route must be in the table (auth endpoints are covered by
	// TestSignInAndTokens, the vendor API by TestVendorAPI).
	for _, key := range endpoints {
		_, pattern, _ := strings.Cut(key, " ")
		if !tested[key] && !strings.HasPrefix(pattern, "/api/v1/auth/") && key != "DELETE /api/v1/me/tokens/{token}" && key != "GET /api/v1/vendor/events" {
			t.Errorf("route %s is missing from the authorization table", key)
		}
	}
}

// TestNoCrossOrgLeak: an admin of one org cannot read, change or even
// confirm the existence of another org's members, groups or test orgs.
func TestNoCrossOrgLeak(t *testing.T) {
	f := webtest.New(t)
	other := demo.Partner2Email
	for _, c := range []struct{ method, pattern string }{
		{"GET", "/api/v1/orgs/{org}"}, {"GET", "/api/v1/orgs/{org}/members"}, {"GET", "/api/v1/orgs/{org}/groups"},
		{"GET", "/api/v1/orgs/{org}/invitations"}, {"GET", "/api/v1/orgs/{org}/test-orgs"},
	} {
		for _, org := range []string{f.World.Customer.ID, f.World.Partner1.ID, f.World.TestOrg.ID, "org_doesnotexist"} {
			r := f.Call(other, c.method, c.pattern, map[string]string{"org": org}, nil)
			if code, _ := r.ErrCode(t); r.Status != 404 || code != "not_found" {
				t.Errorf("%s %s on %s as other = %d %s, want 404 not_found (same as a missing org)", c.method, c.pattern, org, r.Status, r.Body)
			}
		}
	}
	var list httpx.List[shelf.OrgWithRole]
	r := f.Call(other, "GET", "/api/v1/orgs", nil, nil)
	if r.Status != 200 {
		t.Fatalf("GET /orgs as partner2 = %d %s", r.Status, r.Body)
	}
	r.JSON(t, &list)
	var ids []string
	for _, o := range list.Items {
		ids = append(ids, o.ID)
		if o.ID != f.World.Partner2.ID && o.ID != f.World.TestOrg2.ID {
			t.Errorf("GET /orgs as partner2 lists %s (%s)", o.ID, o.Name)
		}
	}
	if !slices.Contains(ids, f.World.Partner2.ID) {
		t.Errorf("GET /orgs as partner2 = %v, which lacks partner2's own org", ids)
	}
}
