package api_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store/storetest"
	"github.com/shelfhq/shelf/internal/web/webtest"
)

// coolEntitled asks the entitlement API, with the app's org access token,
// about users of the org.
func coolEntitled(t *testing.T, f *webtest.Fixture, appID, orgID string, users ...string) map[string]shelf.EntitlementStatus {
	t.Helper()
	tok, err := f.Store.ExchangeInstallCode(context.Background(), appID, storetest.InstallCode(t, f.Store, appID, orgID))
	if err != nil {
		t.Fatal(err)
	}
	q := "users="
	for i, u := range users {
		if i > 0 {
			q += ","
		}
		q += u
	}
	var page struct {
		Items []shelf.Entitlement `json:"items"`
	}
	r := f.CallHeader("", "GET", "/api/v1/vendor/entitlements", nil, q, nil, http.Header{"Authorization": {"Bearer " + tok.AccessToken}})
	if r.Status != 200 {
		t.Fatalf("entitlements = %d %s", r.Status, r.Body)
	}
	r.JSON(t, &page)
	out := map[string]shelf.EntitlementStatus{}
	for _, e := range page.Items {
		out[e.UserID] = e.Status
	}
	return out
}

// TestCoolFreeGroupInstallLicenses: a group owner installs a free cool app
// (the demo's Group Standup, free for up to 30) into a group through the
// API, and the vendor's entitlement check answers valid for the group's
// members and the org's other members alike, as a free org app would.
func TestCoolFreeGroupInstallLicenses(t *testing.T) {
	f := webtest.New(t)
	g, app := f.World.Groups[0], f.World.Apps["standup"]
	r := f.Call(demo.CustomerEmail, "POST", "/api/v1/orgs/{org}/installations", map[string]string{"org": g.OrgID}, map[string]any{"app_id": app.ID, "group_id": g.ID})
	if r.Status != 201 {
		t.Fatalf("group install = %d %s", r.Status, r.Body)
	}
	member, hr := f.World.Users[demo.MemberEmail].ID, f.World.Users["hr@shelf.test"].ID
	got := coolEntitled(t, f, app.ID, g.OrgID, member, hr, f.World.Users[demo.PartnerEmail].ID)
	if got[member] != shelf.EntValid || got[hr] != shelf.EntValid || got[f.World.Users[demo.PartnerEmail].ID] != shelf.EntNotInScope {
		t.Fatalf("entitlements after a free group install = %v", got)
	}
}

// TestCoolPaidMemberWithoutSeat: a paid cool app the org bought with one
// seat (the admin's): the entitlement API answers not_in_scope for a
// group member without a seat, and opening it from the group is 403
// seat_required ("ask your admin").
func TestCoolPaidMemberWithoutSeat(t *testing.T) {
	f := webtest.New(t)
	p := coolPaidInGroup(f)
	customer, member := f.World.Users[demo.CustomerEmail].ID, f.World.Users[demo.MemberEmail].ID
	got := coolEntitled(t, f, p["app"], p["org"], customer, member)
	if got[customer] != shelf.EntValid || got[member] != shelf.EntNotInScope {
		t.Fatalf("entitlements of a paid cool app = %v", got)
	}
	f.Call(demo.MemberEmail, "POST", "/api/v1/orgs/{org}/groups/{group}/apps/{app}/launch", p, nil).WantError(t, 403, "seat_required")
}

// TestCoolFreeOverLimit: a free cool app whose free spec covers fewer
// users than the org has seats only its installer, as a free org app
// does: the entitlement API answers not_in_scope for a member without a
// seat, and opening it from the group is 403 seat_required.
func TestCoolFreeOverLimit(t *testing.T) {
	f := webtest.New(t)
	ctx := context.Background()
	a := coolReadyApp(f)
	m := storetest.CoolMaterials(f.HRLeaf(), f.Icon())
	m.Specs = []shelf.Spec{{Code: "free", Name: "免费版", MinUsers: 1, MaxUsers: 2, Free: true},
		{Code: "team-month", Name: "团队版 月付", MinUsers: 1, MaxUsers: 500, Period: shelf.PeriodMonth, Price: 300}}
	m.Trial, m.Activation = nil, shelf.ActivationFreeThenPaid
	app, err := f.Store.SubmitCoolApp(ctx, a.ID, f.World.Users[demo.PartnerEmail].ID, m)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Store.DecideCoolApp(ctx, app.ID, f.World.Users[demo.AdminEmail].ID, shelf.ReviewDecision{Approve: true}); err != nil {
		t.Fatal(err)
	}
	g := f.World.Groups[0]
	p := map[string]string{"org": g.OrgID, "group": g.ID, "app": a.ID}
	if r := f.Call(demo.CustomerEmail, "POST", "/api/v1/orgs/{org}/installations", p, map[string]any{"app_id": a.ID, "group_id": g.ID}); r.Status != 201 {
		t.Fatalf("group install = %d %s", r.Status, r.Body)
	}
	customer, member := f.World.Users[demo.CustomerEmail].ID, f.World.Users[demo.MemberEmail].ID
	got := coolEntitled(t, f, a.ID, g.OrgID, customer, member)
	if got[customer] != shelf.EntValid || got[member] != shelf.EntNotInScope {
		t.Fatalf("entitlements over the free spec's users = %v", got)
	}
	f.Call(demo.MemberEmail, "POST", "/api/v1/orgs/{org}/groups/{group}/apps/{app}/launch", p, nil).WantError(t, 403, "seat_required")
}
