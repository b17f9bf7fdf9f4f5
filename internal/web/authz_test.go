package web

import (
	"context"
	"fmt"
	"image/color"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store/storetest"
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
func (f *fixture) caller(role string, on target) string {
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

var uniq atomic.Int64

func unique(prefix string) string { return fmt.Sprintf("%s%d", prefix, uniq.Add(1)) }

// authzRow is one endpoint; want holds the expected status per role, in
// the order of roles. prep makes fresh path values per call so a
// successful call by one role does not change what the next one sees.
type authzRow struct {
	method, pattern string
	on              target
	want            [6]int
	prep            func(f *fixture) map[string]string
	body            func() any
}

func (f *fixture) orgParams(on target) map[string]string {
	if on == onPartner {
		return map[string]string{"org": f.world.Partner1.ID}
	}
	return map[string]string{"org": f.world.Customer.ID}
}

// invite makes an invitation link of email to org and returns its token.
func (f *fixture) invite(org *shelf.Org, email string) string {
	f.t.Helper()
	if u, err := f.st.UserByEmail(context.Background(), email); err == nil {
		_ = f.st.RemoveMember(context.Background(), org.ID, u.ID, shelf.ActorCLI) // accepted by an earlier row
	}
	inv, err := f.st.Invite(context.Background(), org.ID, email, shelf.RoleMember, f.world.Users[demo.AdminEmail].ID)
	if err != nil {
		f.t.Fatal(err)
	}
	return inv.Token
}

// freshMember adds a new member to the org and returns its user id.
func (f *fixture) freshMember(org *shelf.Org) string {
	f.t.Helper()
	ctx := context.Background()
	u, err := f.st.CreateUser(ctx, unique("m")+"@example.com", "M", "password1")
	if err != nil {
		f.t.Fatal(err)
	}
	if _, _, err := f.st.AddMember(ctx, org.ID, u.Email, shelf.RoleMember, u.ID); err != nil {
		f.t.Fatal(err)
	}
	return u.ID
}

func authzRows() []authzRow {
	org := func(on target) func(f *fixture) map[string]string {
		return func(f *fixture) map[string]string { return f.orgParams(on) }
	}
	withMember := func(f *fixture) map[string]string {
		p := f.orgParams(onCustomer)
		p["user"] = f.freshMember(f.world.Customer)
		return p
	}
	withGroup := func(f *fixture) map[string]string {
		p := f.orgParams(onCustomer)
		p["group"] = f.world.Groups[0].ID
		return p
	}
	none := func(f *fixture) map[string]string { return nil }
	cat := func(f *fixture) map[string]string {
		return map[string]string{"cat": f.world.Categories["HR"].ID, "user": f.world.Users[demo.Operator2Email].ID}
	}
	newCat := func(f *fixture) map[string]string {
		c, err := f.st.CreateCategory(context.Background(), shelf.NewCategory{Name: unique("类"), NameEn: unique("c")})
		if err != nil {
			f.t.Fatal(err)
		}
		return map[string]string{"cat": c.ID, "user": f.world.Users[demo.Operator2Email].ID}
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
		{"POST", "/api/v1/orgs", onCustomer, [6]int{401, 201, 201, 201, 201, 201}, none, func() any { return map[string]any{"name": unique("Org "), "kind": "customer"} }},
		{"GET", "/api/v1/orgs/{org}", onCustomer, [6]int{401, 200, 200, 404, 404, 200}, org(onCustomer), nobody},
		{"GET", "/api/v1/orgs/{org}/members", onCustomer, [6]int{401, 200, 200, 404, 404, 200}, org(onCustomer), nobody},
		{"POST", "/api/v1/orgs/{org}/members", onCustomer, [6]int{401, 403, 202, 404, 404, 403}, org(onCustomer), func() any { return map[string]any{"email": unique("new") + "@example.com"} }},
		{"PATCH", "/api/v1/orgs/{org}/members/{user}", onCustomer, [6]int{401, 403, 204, 404, 404, 403}, withMember, func() any { return map[string]any{"role": "admin"} }},
		{"DELETE", "/api/v1/orgs/{org}/members/{user}", onCustomer, [6]int{401, 403, 204, 404, 404, 403}, withMember, nobody},
		{"GET", "/api/v1/orgs/{org}/invitations", onCustomer, [6]int{401, 403, 200, 404, 404, 403}, org(onCustomer), nobody},
		// An invitation for member@'s email to partner org 1: only member@ may accept it.
		{"POST", "/api/v1/invitations/{token}/accept", onCustomer, [6]int{401, 201, 403, 403, 403, 403}, func(f *fixture) map[string]string {
			return map[string]string{"token": f.invite(f.world.Partner1, demo.MemberEmail)}
		}, nobody},
		{"GET", "/api/v1/orgs/{org}/groups", onCustomer, [6]int{401, 200, 200, 404, 404, 200}, org(onCustomer), nobody},
		{"POST", "/api/v1/orgs/{org}/groups", onCustomer, [6]int{401, 201, 201, 404, 404, 403}, org(onCustomer), func() any { return map[string]any{"name": unique("群")} }},
		// The first demo group is owned by customer@; member@ is in it but does not own it.
		{"POST", "/api/v1/orgs/{org}/groups/{group}/members", onCustomer, [6]int{401, 403, 204, 404, 404, 403}, withGroup, nil},
		{"GET", "/api/v1/orgs/{org}/test-orgs", onPartner, [6]int{401, 403, 200, 404, 404, 403}, org(onPartner), nobody},
		{"POST", "/api/v1/orgs/{org}/test-orgs", onPartner, [6]int{401, 403, 201, 404, 404, 403}, org(onPartner), func() any { return map[string]any{"name": unique("Test ")} }},
		{"GET", "/api/v1/categories", onCustomer, [6]int{200, 200, 200, 200, 200, 200}, none, nobody},
		{"POST", "/api/v1/categories", onCustomer, [6]int{401, 403, 403, 403, 403, 201}, none, func() any { return map[string]any{"name": unique("分类"), "name_en": unique("Cat ")} }},
		{"PATCH", "/api/v1/categories/{cat}", onCustomer, [6]int{401, 403, 403, 403, 403, 200}, cat, func() any { return map[string]any{"position": 5} }},
		{"PUT", "/api/v1/categories/{cat}/operators/{user}", onCustomer, [6]int{401, 403, 403, 403, 403, 204}, cat, nobody},
		{"DELETE", "/api/v1/categories/{cat}/operators/{user}", onCustomer, [6]int{401, 403, 403, 403, 403, 404}, newCat, nobody},
		{"GET", "/api/v1/platform/operators", onCustomer, [6]int{401, 403, 403, 403, 403, 200}, none, nobody},
	}, appRows...)
}

// workflowRows covers the app registry, installations and the listing
// workflow. On partner org 1: member is dev@, admin partner@.
func workflowRows() []authzRow {
	org := func(on target) func(f *fixture) map[string]string {
		return func(f *fixture) map[string]string { return f.orgParams(on) }
	}
	nobody := func() any { return nil }
	none := func(f *fixture) map[string]string { return nil }
	app := func(f *fixture) map[string]string {
		a, _ := f.partnerApp(shelf.AppOrg)
		return map[string]string{"app": a.ID}
	}
	listedApp := func(f *fixture) map[string]string { return map[string]string{"app": f.revisionIn("listed").AppID} }
	rev := func(state string) func(f *fixture) map[string]string {
		return func(f *fixture) map[string]string { return map[string]string{"rev": f.revisionIn(state).ID} }
	}
	listing := func(state string) func(f *fixture) map[string]string {
		return func(f *fixture) map[string]string { return map[string]string{"listing": f.revisionIn(state).ListingID} }
	}
	installed := func(f *fixture) map[string]string {
		appID := f.revisionIn("listed").AppID
		in, _, err := f.st.Install(context.Background(), shelf.NewInstallation{AppID: appID, OrgID: f.world.Customer.ID, ByUserID: f.world.Users[demo.CustomerEmail].ID})
		if err != nil {
			f.t.Fatal(err)
		}
		return map[string]string{"org": f.world.Customer.ID, "installation": in.ID}
	}
	revisionBody := func() any { return storetest.ValidRevision("", nil) }
	reason := func() any { return map[string]any{"reason": "原因 reason"} }
	return []authzRow{
		{"GET", "/api/v1/orgs/{org}/apps", onPartner, [6]int{401, 200, 200, 404, 404, 200}, org(onPartner), nobody},
		{"POST", "/api/v1/orgs/{org}/apps", onPartner, [6]int{401, 403, 201, 404, 404, 403}, org(onPartner), func() any { return map[string]any{"name": unique("App "), "kind": "org"} }},
		{"GET", "/api/v1/apps/{app}", onPartner, [6]int{401, 200, 200, 404, 404, 404}, app, nobody},
		{"PATCH", "/api/v1/apps/{app}", onPartner, [6]int{401, 403, 200, 404, 404, 404}, app, func() any { return map[string]any{"name": unique("App ")} }},
		{"POST", "/api/v1/apps/{app}/webhook-secret/rotate", onPartner, [6]int{401, 403, 200, 404, 404, 404}, app, nobody},
		{"POST", "/api/v1/apps/{app}/events/test", onPartner, [6]int{401, 403, 201, 404, 404, 404}, app, nobody},
		{"GET", "/api/v1/apps/{app}/deliveries", onPartner, [6]int{401, 200, 200, 404, 404, 404}, app, nobody},
		{"POST", "/api/v1/apps/{app}/deliveries/{event}/resend", onPartner, [6]int{401, 403, 202, 404, 404, 404}, func(f *fixture) map[string]string {
			p := app(f)
			return map[string]string{"app": p["app"], "event": storetest.MustEmit(f.t, f.st, p["app"], f.world.TestOrg.ID, shelf.EventTestPing, nil).ID}
		}, nobody},
		{"POST", "/api/v1/apps/{app}/deliveries/resend-failed", onPartner, [6]int{401, 403, 200, 404, 404, 404}, app, func() any { return map[string]any{} }},
		{"GET", "/api/v1/apps/{app}/attempts", onPartner, [6]int{401, 200, 200, 404, 404, 404}, app, nobody},
		{"GET", "/api/v1/apps/{app}/delivery-stats", onPartner, [6]int{401, 200, 200, 404, 404, 404}, app, nobody},

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
	f := newFixture(t)
	rows := append(authzRows(), workflowRows()...)
	tested := map[string]bool{}
	for _, row := range rows {
		tested[row.method+" "+row.pattern] = true
		for i, role := range roles {
			t.Run(fmt.Sprintf("%s %s as %s", row.method, row.pattern, role), func(t *testing.T) {
				f.t = t
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
					body = map[string]any{"user_id": f.freshMember(f.world.Customer)}
				case "/api/v1/orgs/{org}/media":
					body = string(storetest.PNG(t, 256, 256, color.RGBA{1, 2, 3, 255}))
				case "/api/v1/apps/{app}/self-tests":
					body = map[string]any{"test_org_id": f.world.TestOrg.ID}
				case "/api/v1/revisions/{rev}/submit":
					// A complete draft whose app passed its self-test.
					rev := f.revisionIn("draft")
					app, _ := f.st.App(context.Background(), rev.AppID)
					now := f.clock.Now()
					_ = f.st.RecordSelfTest(context.Background(), &shelf.SelfTest{AppID: app.ID, TestOrgID: f.world.TestOrg.ID, StartedBy: rev.CreatedBy,
						ConfigHash: app.ConfigHash(), Passed: true, Checks: []shelf.SelfTestCheck{}, StartedAt: now, FinishedAt: now})
					params = map[string]string{"rev": rev.ID}
				}
				r := f.call(f.caller(role, row.on), row.method, row.pattern, params, body)
				if r.status != row.want[i] {
					t.Errorf("status = %d, want %d (body %s)", r.status, row.want[i], r.body)
				}
			})
		}
	}
	// Every route must be in the table (auth endpoints are covered by
	// TestSignInAndTokens, the vendor API by TestVendorAPI).
	for _, rt := range (&Server{}).apiRoutes() {
		key := rt.method + " " + rt.pattern
		if !tested[key] && !strings.HasPrefix(rt.pattern, "/api/v1/auth/") && key != "DELETE /api/v1/me/tokens/{token}" && key != "GET /api/v1/vendor/events" {
			t.Errorf("route %s is missing from the authorization table", key)
		}
	}
}

// TestNoCrossOrgLeak: an admin of one org cannot read, change or even
// confirm the existence of another org's members, groups or test orgs.
func TestNoCrossOrgLeak(t *testing.T) {
	f := newFixture(t)
	other := demo.Partner2Email
	for _, c := range []struct{ method, pattern string }{
		{"GET", "/api/v1/orgs/{org}"}, {"GET", "/api/v1/orgs/{org}/members"}, {"GET", "/api/v1/orgs/{org}/groups"},
		{"GET", "/api/v1/orgs/{org}/invitations"}, {"GET", "/api/v1/orgs/{org}/test-orgs"},
	} {
		for _, org := range []string{f.world.Customer.ID, f.world.Partner1.ID, f.world.TestOrg.ID, "org_doesnotexist"} {
			r := f.call(other, c.method, c.pattern, map[string]string{"org": org}, nil)
			if code, _ := r.errCode(t); r.status != 404 || code != "not_found" {
				t.Errorf("%s %s on %s as other = %d %s, want 404 not_found (same as a missing org)", c.method, c.pattern, org, r.status, r.body)
			}
		}
	}
	var list listOf[shelf.OrgWithRole]
	f.call(other, "GET", "/api/v1/orgs", nil, nil).json(t, &list)
	for _, o := range list.Items {
		if o.ID != f.world.Partner2.ID && o.ID != f.world.TestOrg2.ID {
			t.Errorf("GET /orgs as partner2 lists %s (%s)", o.ID, o.Name)
		}
	}
}
