package api_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store"
	"github.com/shelfhq/shelf/internal/store/storetest"
	"github.com/shelfhq/shelf/internal/web/api"
	"github.com/shelfhq/shelf/internal/web/service"
	"github.com/shelfhq/shelf/internal/web/webtest"
)

// coolRule is one cool-app rule through the API: prep sets the scene,
// the call must be refused with status and code and change nothing.
type coolRule struct {
	name            string
	as              string
	method, pattern string
	prep            func(f *webtest.Fixture) (params map[string]string, body any)
	status          int
	code, field     string
}

func coolRules() []coolRule {
	partner := demo.PartnerEmail
	outsider := func(f *webtest.Fixture) (map[string]string, any) {
		// A cool app of partner org 2, which is not in the partner program.
		u := f.World.Users[demo.Partner2Email]
		a, _, err := f.Store.CreateApp(context.Background(), store.NewApp{OrgID: f.World.Partner2.ID, CreatorID: u.ID, Name: "Outsider", Kind: shelf.AppCool,
			HomepageURL: "https://outsider.example.com", LaunchURL: "https://outsider.example.com/app"})
		if err != nil {
			f.T.Fatal(err)
		}
		return nil, coolBody(f, a.ID)
	}
	missing := func(f *webtest.Fixture) (map[string]string, any) {
		body := coolBody(f, coolReadyApp(f).ID)
		delete(body, "scenarios")
		return nil, body
	}
	stale := func(f *webtest.Fixture) (map[string]string, any) {
		a := coolReadyApp(f)
		if _, err := f.Store.UpdateApp(context.Background(), a.ID, shelf.AppPatch{LaunchURL: ptrTo("https://changed.example.com/app")}); err != nil {
			f.T.Fatal(err)
		}
		return nil, coolBody(f, a.ID)
	}
	suspended := func(f *webtest.Fixture) (map[string]string, any) {
		body := coolBody(f, coolReadyApp(f).ID)
		coolSuspend(f, f.World.Partner1.ID)
		return nil, body
	}
	categoryWorkflow := func(f *webtest.Fixture) (map[string]string, any) {
		return map[string]string{"app": coolReadyApp(f).ID}, storetest.ValidRevision(f.HRLeaf(), f.Icon())
	}
	return append([]coolRule{
		{"a cool app through the category operators' listing workflow", partner, "POST", "/api/v1/apps/{app}/revisions", categoryWorkflow, 422, "coolapp_application_required", "app_id"},
		{"a non-member files", demo.Partner2Email, "POST", "/api/v1/coolapp-applications", outsider, 403, "partner_program_required", ""},
		{"missing materials", partner, "POST", "/api/v1/coolapp-applications", missing, 422, "required", "scenarios"},
		{"a stale self-test", partner, "POST", "/api/v1/coolapp-applications", stale, 422, "self_test_stale", "self_test"},
		{"a suspended partner files", partner, "POST", "/api/v1/coolapp-applications", suspended, 403, "partner_program_required", ""},
	}, coolGroupRules()...)
}

// coolSuspend suspends a partner org, undone when the test ends.
func coolSuspend(f *webtest.Fixture, orgID string) {
	f.T.Helper()
	admin := f.World.Users[demo.AdminEmail].ID
	if _, err := f.Store.SuspendPartner(context.Background(), orgID, admin, "投诉未处理"); err != nil {
		f.T.Fatal(err)
	}
	f.T.Cleanup(func() { _, _ = f.Store.ReinstatePartner(context.Background(), orgID, admin, "已整改") })
}

func ptrTo[T any](v T) *T { return &v }

// TestCoolRules: every cool-app rule is refused through the API with its
// code, and the refusal changes nothing.
func TestCoolRules(t *testing.T) {
	f := webtest.New(t)
	for _, rule := range coolRules() {
		t.Run(rule.name, func(t *testing.T) {
			f.T = t
			params, body := rule.prep(f)
			before := f.Counts()
			r := f.Call(rule.as, rule.method, rule.pattern, params, body)
			r.WantError(t, rule.status, rule.code)
			if _, field := r.ErrCode(t); field != rule.field {
				t.Errorf("field = %q, want %q", field, rule.field)
			}
			if changed := before.Changed(f.Counts()); len(changed) > 0 {
				t.Errorf("a refused call changed %v", changed)
			}
		})
	}
}

// TestCoolMarket: an approved application puts the cool app in the cool
// app market (the search index filtered by kind) with its declaration and
// the partner's badge; suspending the partner takes it out, reinstating
// brings it back.
func TestCoolMarket(t *testing.T) {
	f := webtest.New(t)
	a := coolReadyApp(f)
	var app shelf.CoolAppApplication
	r := f.Call(demo.PartnerEmail, "POST", "/api/v1/coolapp-applications", nil, coolBody(f, a.ID))
	if r.Status != 201 {
		t.Fatalf("submit = %d %s", r.Status, r.Body)
	}
	r.JSON(t, &app)
	if r := f.Call(demo.AdminEmail, "POST", "/api/v1/coolapp-applications/{application}/decision", map[string]string{"application": app.ID}, map[string]any{"approve": true}); r.Status != 200 {
		t.Fatalf("approve = %d %s", r.Status, r.Body)
	}
	found := func(kind string) bool {
		t.Helper()
		var page struct {
			Items []struct {
				AppID   string `json:"app_id"`
				Partner struct {
					Badge bool `json:"partner_program"`
				} `json:"partner"`
			} `json:"items"`
		}
		r := f.CallQuery("", "GET", "/api/v1/listings", nil, "q=群投票&kind="+kind, nil)
		r.JSON(t, &page)
		for _, it := range page.Items {
			if it.AppID == a.ID {
				if !it.Partner.Badge {
					t.Errorf("the partner of %s carries no badge", a.ID)
				}
				return true
			}
		}
		return false
	}
	if !found("cool") || found("org") {
		t.Fatalf("approved: in the cool market %v, among org apps %v; want true, false", found("cool"), found("org"))
	}
	var decl service.CoolMarketApp
	r = f.Call("", "GET", "/api/v1/cool-apps/{app}", map[string]string{"app": a.ID}, nil)
	r.JSON(t, &decl)
	if r.Status != 200 || len(decl.EntryPoints) != 2 || decl.Permissions[0].Reason != "统计谁还没投票" {
		t.Fatalf("cool app = %d %s", r.Status, r.Body)
	}
	coolSuspend(f, f.World.Partner1.ID)
	if found("cool") {
		t.Fatal("a suspended partner's cool app is still in the cool app market")
	}
	f.Call("", "GET", "/api/v1/cool-apps/{app}", map[string]string{"app": a.ID}, nil).WantError(t, 404, "not_found")
	if _, err := f.Store.ReinstatePartner(context.Background(), f.World.Partner1.ID, f.World.Users[demo.AdminEmail].ID, "已整改"); err != nil {
		t.Fatal(err)
	}
	if !found("cool") {
		t.Fatal("reinstated, the cool app is not back in the market")
	}
}

// coolPaidApproved files and approves a paid cool app (per-user specs, no
// free one) of partner org 1 and returns its listing.
func coolPaidApproved(f *webtest.Fixture) *shelf.ListingInfo {
	f.T.Helper()
	ctx := context.Background()
	a := coolReadyApp(f)
	app, err := f.Store.SubmitCoolApp(ctx, a.ID, f.World.Users[demo.PartnerEmail].ID, storetest.CoolMaterials(f.HRLeaf(), f.Icon()))
	if err != nil {
		f.T.Fatal(err)
	}
	if _, err := f.Store.DecideCoolApp(ctx, app.ID, f.World.Users[demo.AdminEmail].ID, shelf.ReviewDecision{Approve: true}); err != nil {
		f.T.Fatal(err)
	}
	li, err := f.Store.ListingForApp(ctx, a.ID)
	if err != nil {
		f.T.Fatal(err)
	}
	return li
}

// coolPaidInGroup buys a paid cool app for the customer org with one seat,
// customer@'s, and installs it into the first demo group.
func coolPaidInGroup(f *webtest.Fixture) map[string]string {
	f.T.Helper()
	ctx := context.Background()
	li := coolPaidApproved(f)
	f.Order(li.ID, shelf.OrderBuy, true)
	customer := f.World.Users[demo.CustomerEmail].ID
	if _, err := f.Store.SetSeats(ctx, f.World.Customer.ID, li.AppID, shelf.SeatsChange{UserIDs: []string{customer}, ByUserID: customer}); err != nil {
		f.T.Fatal(err)
	}
	g := f.World.Groups[0]
	if _, _, err := f.Store.Install(ctx, shelf.NewInstallation{AppID: li.AppID, OrgID: g.OrgID, GroupID: g.ID, ByUserID: customer}); err != nil {
		f.T.Fatal(err)
	}
	return map[string]string{"org": g.OrgID, "group": g.ID, "app": li.AppID}
}

func coolGroupRules() []coolRule {
	noSeat := func(f *webtest.Fixture) (map[string]string, any) { return coolPaidInGroup(f), nil }
	unpaid := func(f *webtest.Fixture) (map[string]string, any) {
		li := coolPaidApproved(f)
		return map[string]string{"org": f.World.Customer.ID}, map[string]any{"app_id": li.AppID, "group_id": f.World.Groups[0].ID}
	}
	notOwner := func(f *webtest.Fixture) (map[string]string, any) {
		// member@ is in the first demo group but neither owns nor administers it.
		return map[string]string{"org": f.World.Customer.ID}, map[string]any{"app_id": f.World.Apps["grouptasks"].ID, "group_id": f.World.Groups[0].ID}
	}
	suspendedApp := func(f *webtest.Fixture) (map[string]string, any) {
		coolSuspend(f, f.World.Partner1.ID) // standup's partner
		return map[string]string{"org": f.World.Customer.ID}, map[string]any{"app_id": f.World.Apps["standup"].ID, "group_id": f.World.Groups[0].ID}
	}
	return []coolRule{
		{"a suspended partner's cool app into a group", demo.CustomerEmail, "POST", "/api/v1/orgs/{org}/installations", suspendedApp, 422, "partner_suspended", "app_id"},
		{"a member without a seat opens a paid cool app", demo.MemberEmail, "POST", "/api/v1/orgs/{org}/groups/{group}/apps/{app}/launch", noSeat, 403, "seat_required", ""},
		{"a paid cool app into a group of an org without its subscription", demo.CustomerEmail, "POST", "/api/v1/orgs/{org}/installations", unpaid, 403, "subscription_required", ""},
		{"a group member who does not administer the group installs", demo.MemberEmail, "POST", "/api/v1/orgs/{org}/installations", notOwner, 403, "org_admin_required", ""},
	}
}

// TestCoolCards: the vendor posts cards with its org access token into a
// group that has its app (403 app_not_in_group elsewhere, changing
// nothing), at most 10 at once then one per 3 s of the injected clock
// (429), changes and withdraws them; the group's members read them newest
// first, a page at a time.
func TestCoolCards(t *testing.T) {
	f := webtest.New(t)
	p, tok := coolVendorToken(f)
	vendor := http.Header{"Authorization": {"Bearer " + tok}}
	post := func(group string, body any) *webtest.Response {
		return f.CallHeader("", "POST", "/api/v1/vendor/groups/{group}/cards", map[string]string{"group": group}, "", body, vendor)
	}
	card := map[string]any{"title": "今日日报汇总", "text": "8 人已提交，2 人未提交", "fields": []any{map[string]any{"label": "未提交", "value": "王五、赵六"}},
		"buttons": []any{map[string]any{"text": "查看详情", "path": "/reports/today"}}}
	before := f.Counts()
	post(f.World.Groups[1].ID, card).WantError(t, 403, "app_not_in_group")
	if changed := before.Changed(f.Counts()); len(changed) > 0 {
		t.Errorf("a refused card changed %v", changed)
	}
	post("grp_missing", card).WantError(t, 404, "not_found")
	post(p["group"], map[string]any{"title": "x", "buttons": []any{map[string]any{"text": "a"}, map[string]any{"text": "b"}, map[string]any{"text": "c"}, map[string]any{"text": "d"}}}).
		WantError(t, 422, "too_many")
	var first shelf.GroupCard
	for i := range shelf.DefaultCardLimit.Burst {
		r := post(p["group"], card)
		if r.Status != 201 {
			t.Fatalf("card %d = %d %s", i, r.Status, r.Body)
		}
		if i == 0 {
			r.JSON(t, &first)
		}
	}
	post(p["group"], card).WantError(t, 429, "too_many_requests")
	f.Advance(shelf.DefaultCardLimit.Interval)
	if r := post(p["group"], card); r.Status != 201 {
		t.Fatalf("after the interval = %d %s", r.Status, r.Body)
	}
	params := map[string]string{"group": p["group"], "card": first.ID}
	if r := f.CallHeader("", "PUT", "/api/v1/vendor/groups/{group}/cards/{card}", params, "", map[string]any{"title": "日报已截止"}, vendor); r.Status != 200 {
		t.Fatalf("put = %d %s", r.Status, r.Body)
	}
	if r := f.CallHeader("", "DELETE", "/api/v1/vendor/groups/{group}/cards/{card}", params, "", nil, vendor); r.Status != 204 {
		t.Fatalf("delete = %d %s", r.Status, r.Body)
	}
	f.CallHeader("", "DELETE", "/api/v1/vendor/groups/{group}/cards/{card}", params, "", nil, vendor).WantError(t, 404, "not_found")
	var page api.CursorPage[shelf.GroupCard]
	r := f.CallQuery(demo.MemberEmail, "GET", "/api/v1/orgs/{org}/groups/{group}/cards", p, "limit=6", nil)
	r.JSON(t, &page)
	if len(page.Items) != 6 || page.NextCursor == nil || page.Items[0].Buttons[0].Path != "/reports/today" {
		t.Fatalf("first page = %d items, cursor %v: %s", len(page.Items), page.NextCursor, r.Body)
	}
	var rest api.CursorPage[shelf.GroupCard]
	f.CallQuery(demo.MemberEmail, "GET", "/api/v1/orgs/{org}/groups/{group}/cards", p, "limit=6&cursor="+*page.NextCursor, nil).JSON(t, &rest)
	if len(rest.Items) != 4 || rest.NextCursor != nil {
		t.Fatalf("second page = %+v (the first card was withdrawn: 10 remain)", rest)
	}
}
