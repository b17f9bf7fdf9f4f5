package api_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store/storetest"
	"github.com/shelfhq/shelf/internal/web/webtest"
)

// coolFreshPartner makes a partner org outside the program whose admin is
// partner@ and whose member is dev@, the callers of onPartner rows.
func coolFreshPartner(f *webtest.Fixture) *shelf.Org {
	f.T.Helper()
	ctx := context.Background()
	o, err := f.Store.CreateOrg(ctx, shelf.NewOrg{Name: webtest.Unique("伙伴"), Kind: shelf.OrgPartner, CreatorID: f.World.Users[demo.PartnerEmail].ID})
	if err != nil {
		f.T.Fatal(err)
	}
	if _, _, err := f.Store.AddMember(ctx, o.ID, "dev@shelf.test", shelf.RoleMember, f.World.Users[demo.PartnerEmail].ID); err != nil {
		f.T.Fatal(err)
	}
	return o
}

// coolPendingApplication files a program application of a fresh org.
func coolPendingApplication(f *webtest.Fixture) *shelf.PartnerApplication {
	f.T.Helper()
	o := coolFreshPartner(f)
	a, err := f.Store.ApplyPartnerProgram(context.Background(), o.ID, f.World.Users[demo.PartnerEmail].ID, storetest.PartnerApplicationInput())
	if err != nil {
		f.T.Fatal(err)
	}
	return a
}

// coolAuthzRows are the cool-app endpoints' authorization rows: on
// partner rows member is dev@ and admin partner@; on customer rows member
// is member@ and admin customer@.
func coolAuthzRows() []commerceRow {
	apply := func(f *webtest.Fixture) (map[string]string, any) {
		body := map[string]any{"org_id": coolFreshPartner(f).ID}
		in := storetest.PartnerApplicationInput()
		body["company_name"], body["registration_no"], body["contact"], body["website"], body["builds"] = in.CompanyName, in.RegistrationNo, in.Contact, in.Website, in.Builds
		return nil, body
	}
	none := func(*webtest.Fixture) (map[string]string, any) { return nil, nil }
	application := func(f *webtest.Fixture) (map[string]string, any) {
		return map[string]string{"application": coolPendingApplication(f).ID}, map[string]any{"approve": false, "reason": "材料不全"}
	}
	partnerOrg := func(f *webtest.Fixture) (map[string]string, any) {
		return map[string]string{"org": coolFreshPartner(f).ID}, nil
	}
	member := func(f *webtest.Fixture) (map[string]string, any) {
		o := coolFreshPartner(f)
		if _, err := f.Store.DecidePartnerApplication(context.Background(), coolApplicationOf(f, o).ID, f.World.Users[demo.AdminEmail].ID, shelf.PartnerDecision{Approve: true}); err != nil {
			f.T.Fatal(err)
		}
		return map[string]string{"org": o.ID}, map[string]any{"reason": "投诉未处理"}
	}
	suspended := func(f *webtest.Fixture) (map[string]string, any) {
		p, body := member(f)
		if _, err := f.Store.SuspendPartner(context.Background(), p["org"], f.World.Users[demo.AdminEmail].ID, "投诉"); err != nil {
			f.T.Fatal(err)
		}
		return p, body
	}
	return append([]commerceRow{
		// Platform admins are no member of the fresh org: 403 as for any org change.
		{"POST", "/api/v1/partner-program/applications", onPartner, [6]int{401, 403, 201, 404, 404, 403}, apply},
		{"GET", "/api/v1/partner-program/applications", onPartner, [6]int{401, 403, 403, 403, 403, 200}, none},
		{"GET", "/api/v1/partner-program/applications/{application}", onPartner, [6]int{401, 200, 200, 404, 404, 200}, application},
		{"POST", "/api/v1/partner-program/applications/{application}/decision", onPartner, [6]int{401, 403, 403, 403, 403, 200}, application},
		{"GET", "/api/v1/orgs/{org}/partner-program", onPartner, [6]int{401, 200, 200, 404, 404, 200}, partnerOrg},
		{"POST", "/api/v1/orgs/{org}/partner-program/suspension", onPartner, [6]int{401, 403, 403, 403, 403, 200}, member},
		{"DELETE", "/api/v1/orgs/{org}/partner-program/suspension", onPartner, [6]int{401, 403, 403, 403, 403, 200}, suspended},
	}, slices.Concat(coolApplicationAuthzRows(), coolGroupAuthzRows(), coolCardAuthzRows())...)
}

// coolApplicationOf files an application of o and returns it.
func coolApplicationOf(f *webtest.Fixture, o *shelf.Org) *shelf.PartnerApplication {
	f.T.Helper()
	a, err := f.Store.ApplyPartnerProgram(context.Background(), o.ID, f.World.Users[demo.PartnerEmail].ID, storetest.PartnerApplicationInput())
	if err != nil {
		f.T.Fatal(err)
	}
	return a
}

// TestCoolAuthorization calls every cool-app endpoint as each of the six
// callers.
func TestCoolAuthorization(t *testing.T) {
	f := webtest.New(t)
	rows := coolAuthzRows()
	if len(rows) == 0 {
		t.Fatal("no rows")
	}
	runAuthzRows(t, f, rows, true)
}

// coolReadyApp registers a cool app of partner org 1 (in the program in the
// demo) with a passing group self-test, ready to be filed.
func coolReadyApp(f *webtest.Fixture) *shelf.App {
	f.T.Helper()
	a, _ := f.PartnerApp(shelf.AppCool)
	now := f.Clock.Now()
	if err := f.Store.RecordSelfTest(context.Background(), &shelf.SelfTest{AppID: a.ID, TestOrgID: f.World.TestOrg.ID, StartedBy: f.World.Users[demo.PartnerEmail].ID,
		ConfigHash: a.ConfigHash(), Passed: true, Checks: []shelf.SelfTestCheck{{Name: shelf.SelfTestGroupInstall, Passed: true}}, StartedAt: now, FinishedAt: now}); err != nil {
		f.T.Fatal(err)
	}
	return a
}

// coolBody is the JSON body of a cool-app application of app.
func coolBody(f *webtest.Fixture, appID string) map[string]any {
	f.T.Helper()
	b, err := json.Marshal(storetest.CoolMaterials(f.HRLeaf(), f.Icon()))
	if err != nil {
		f.T.Fatal(err)
	}
	var body map[string]any
	if err := json.Unmarshal(b, &body); err != nil {
		f.T.Fatal(err)
	}
	body["app_id"] = appID
	return body
}

// coolSubmitted files an application of a fresh cool app.
func coolSubmitted(f *webtest.Fixture) *shelf.CoolAppApplication {
	f.T.Helper()
	a := coolReadyApp(f)
	app, err := f.Store.SubmitCoolApp(context.Background(), a.ID, f.World.Users[demo.PartnerEmail].ID, storetest.CoolMaterials(f.HRLeaf(), f.Icon()))
	if err != nil {
		f.T.Fatal(err)
	}
	return app
}

func coolApplicationAuthzRows() []commerceRow {
	submit := func(f *webtest.Fixture) (map[string]string, any) { return nil, coolBody(f, coolReadyApp(f).ID) }
	none := func(*webtest.Fixture) (map[string]string, any) { return nil, nil }
	submitted := func(f *webtest.Fixture) (map[string]string, any) {
		return map[string]string{"application": coolSubmitted(f).ID}, map[string]any{"field_reasons": []any{map[string]any{"field": "scenarios", "reason": "场景太笼统"}}}
	}
	history := func(f *webtest.Fixture) (map[string]string, any) {
		return map[string]string{"app": coolSubmitted(f).AppID}, nil
	}
	return []commerceRow{
		{"POST", "/api/v1/coolapp-applications", onPartner, [6]int{401, 403, 201, 404, 404, 404}, submit},
		{"POST", "/api/v1/coolapp-applications/precheck", onPartner, [6]int{401, 200, 200, 404, 404, 404}, submit},
		{"GET", "/api/v1/coolapp-applications", onPartner, [6]int{401, 403, 403, 403, 403, 200}, none},
		{"GET", "/api/v1/coolapp-applications/{application}", onPartner, [6]int{401, 200, 200, 404, 404, 200}, submitted},
		{"POST", "/api/v1/coolapp-applications/{application}/decision", onPartner, [6]int{401, 403, 403, 403, 403, 200}, submitted},
		{"GET", "/api/v1/apps/{app}/coolapp-applications", onPartner, [6]int{401, 200, 200, 404, 404, 404}, history},
		{"GET", "/api/v1/cool-apps/{app}", onCustomer, [6]int{200, 200, 200, 200, 200, 200}, func(f *webtest.Fixture) (map[string]string, any) {
			return map[string]string{"app": f.World.Apps["standup"].ID}, nil
		}},
	}
}

// coolInGroup installs a demo cool app with a free spec (群日报) into the
// first demo group (owner customer@, member@ in it).
func coolInGroup(f *webtest.Fixture) map[string]string {
	f.T.Helper()
	g, app := f.World.Groups[0], f.World.Apps["standup"]
	if _, _, err := f.Store.Install(context.Background(), shelf.NewInstallation{AppID: app.ID, OrgID: g.OrgID, GroupID: g.ID, ByUserID: f.World.Users[demo.CustomerEmail].ID}); err != nil {
		f.T.Fatal(err)
	}
	return map[string]string{"org": g.OrgID, "group": g.ID, "app": app.ID}
}

func coolGroupAuthzRows() []commerceRow {
	group := func(f *webtest.Fixture) (map[string]string, any) { return coolInGroup(f), nil }
	role := func(f *webtest.Fixture) (map[string]string, any) {
		p := coolInGroup(f)
		p["user"] = f.World.Users[demo.MemberEmail].ID
		return p, map[string]any{"role": "member"}
	}
	remove := func(f *webtest.Fixture) (map[string]string, any) {
		p := coolInGroup(f)
		p["user"] = freshMember(f, f.World.Customer)
		if err := f.Store.AddGroupMember(context.Background(), p["group"], p["user"]); err != nil {
			f.T.Fatal(err)
		}
		return p, nil
	}
	return []commerceRow{
		{"GET", "/api/v1/orgs/{org}/groups/{group}/apps", onCustomer, [6]int{401, 200, 200, 404, 404, 404}, group},
		{"POST", "/api/v1/orgs/{org}/groups/{group}/apps/{app}/launch", onCustomer, [6]int{401, 200, 200, 404, 404, 403}, group},
		{"PATCH", "/api/v1/orgs/{org}/groups/{group}/members/{user}", onCustomer, [6]int{401, 403, 204, 404, 404, 403}, role},
		{"DELETE", "/api/v1/orgs/{org}/groups/{group}/members/{user}", onCustomer, [6]int{401, 403, 204, 404, 404, 403}, remove},
	}
}

// coolVendorToken installs 群日报 into the first demo group and returns
// the org access token its vendor exchanges the install code for.
func coolVendorToken(f *webtest.Fixture) (params map[string]string, token string) {
	f.T.Helper()
	p := coolInGroup(f)
	tok, err := f.Store.ExchangeInstallCode(context.Background(), p["app"], storetest.InstallCode(f.T, f.Store, p["app"], p["org"]))
	if err != nil {
		f.T.Fatal(err)
	}
	return p, tok.AccessToken
}

func coolCardAuthzRows() []commerceRow {
	card := func(f *webtest.Fixture) (map[string]string, any) {
		p := coolInGroup(f)
		c, err := f.Store.PostCard(context.Background(), p["app"], p["org"], p["group"], shelf.CardInput{Title: "日报汇总"}, shelf.CardLimit{Burst: 1000, Interval: time.Millisecond})
		if err != nil {
			f.T.Fatal(err)
		}
		p["card"] = c.ID
		return p, map[string]any{"title": "日报汇总（已更新）"}
	}
	group := func(f *webtest.Fixture) (map[string]string, any) { return coolInGroup(f), map[string]any{"title": "x"} }
	return []commerceRow{
		// The vendor endpoints take an org access token, never a person's token.
		{"POST", "/api/v1/vendor/groups/{group}/cards", onCustomer, [6]int{401, 401, 401, 401, 401, 401}, group},
		{"PUT", "/api/v1/vendor/groups/{group}/cards/{card}", onCustomer, [6]int{401, 401, 401, 401, 401, 401}, card},
		{"DELETE", "/api/v1/vendor/groups/{group}/cards/{card}", onCustomer, [6]int{401, 401, 401, 401, 401, 401}, card},
		{"GET", "/api/v1/orgs/{org}/groups/{group}/cards", onCustomer, [6]int{401, 200, 200, 404, 404, 404}, group},
	}
}
