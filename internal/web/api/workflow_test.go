package api_test

import (
	"context"
	"slices"
	"testing"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store/storetest"
	"github.com/shelfhq/shelf/internal/web/api"
	"github.com/shelfhq/shelf/internal/web/httpx"
	"github.com/shelfhq/shelf/internal/web/webtest"
)

// TestSeedRules: every rule of the listing guide, through the API, with
// its exact error code.
func TestSeedRules(t *testing.T) {
	f := webtest.New(t)
	ctx := context.Background()
	p2 := map[string]string{"org": f.World.Partner2.ID}
	// Step 1: without the partner console, no partner work.
	ins, _ := f.Store.Installations(ctx, f.World.Partner2.ID, shelf.PageReq{})
	if err := f.Store.Uninstall(ctx, ins[0].ID, f.World.Users[demo.Partner2Email].ID); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		method, pattern string
		body            any
	}{
		{"POST", "/api/v1/orgs/{org}/apps", map[string]any{"name": "X", "kind": "org"}},
		{"GET", "/api/v1/orgs/{org}/apps", nil},
		{"POST", "/api/v1/orgs/{org}/test-orgs", map[string]any{"name": "T"}},
		{"GET", "/api/v1/orgs/{org}/listings", nil},
	} {
		r := f.Call(demo.Partner2Email, c.method, c.pattern, p2, c.body)
		if code, _ := r.ErrCode(t); r.Status != 403 || code != "partner_console_not_installed" {
			t.Errorf("%s %s without the console = %d %s", c.method, c.pattern, r.Status, r.Body)
		}
	}
	r := f.Call(demo.Partner2Email, "POST", "/api/v1/orgs/{org}/installations", p2, map[string]any{"app_id": shelf.PartnerConsoleID})
	if r.Status != 201 {
		t.Fatalf("reinstall console = %d %s", r.Status, r.Body)
	}
	if r := f.Call(demo.Partner2Email, "POST", "/api/v1/orgs/{org}/test-orgs", p2, map[string]any{"name": "T"}); r.Status != 201 {
		t.Fatalf("test org after installing the console = %d %s", r.Status, r.Body)
	}
	if r := f.Call(demo.CustomerEmail, "POST", "/api/v1/orgs/{org}/installations", map[string]string{"org": f.World.Customer.ID},
		map[string]any{"app_id": shelf.PartnerConsoleID}); r.Status != 422 {
		t.Errorf("console into a customer org = %d", r.Status)
	}

	app, _ := f.PartnerApp(shelf.AppOrg)
	appP := map[string]string{"app": app.ID}
	bad := []struct {
		name        string
		edit        func(r *shelf.Revision)
		code, field string
	}{
		{"pricing rule", func(r *shelf.Revision) { r.PricingRule = "flat_fee" }, "pricing_rule_unsupported", "pricing_rule"},
		{"trial then free", func(r *shelf.Revision) { r.Activation = "trial_then_free" }, "activation_order_unsupported", "activation_order"},
		{"trial order without trial", func(r *shelf.Revision) { r.Trial = nil }, "activation_order_needs_trial", "activation_order"},
		{"free order without free spec", func(r *shelf.Revision) { r.Activation = shelf.ActivationFreeThenPaid }, "activation_order_needs_free_spec", "activation_order"},
		{"overlapping specs", func(r *shelf.Revision) { r.Specs[1].MinUsers = 40 }, "spec_range_overlap", "specs[1].min_users"},
		{"inverted range", func(r *shelf.Revision) { r.Specs[1].MaxUsers = 10 }, "spec_range_invalid", "specs[1].max_users"},
		{"duplicate code", func(r *shelf.Revision) { r.Specs[1].Code = r.Specs[0].Code }, "spec_code_duplicate", "specs[1].code"},
		{"no promotion mode", func(r *shelf.Revision) { r.PromotionModes = []shelf.PromotionMode{"billboard"} }, "promotion_mode_invalid", "promotion_modes[0]"},
		{"parent category", func(r *shelf.Revision) { r.CategoryID = f.World.Categories["HR"].ID }, "category_not_leaf", "category_id"},
	}
	for _, b := range bad {
		rev := storetest.ValidRevision(f.HRLeaf(), nil)
		b.edit(rev)
		r := f.Call(demo.PartnerEmail, "POST", "/api/v1/apps/{app}/revisions", appP, rev)
		if code, field := r.ErrCode(t); r.Status != 422 || code != b.code || field != b.field {
			t.Errorf("%s: %d %s/%s, want 422 %s/%s", b.name, r.Status, code, field, b.code, b.field)
		}
	}
	if _, err := f.Store.ListingForApp(ctx, app.ID); shelf.ErrorKind(err) != shelf.KindNotFound {
		t.Fatal("refused revisions left a listing behind")
	}

	// Self-test before submission, and again after the webhook changes.
	var rev shelf.RevisionInfo
	f.Call(demo.PartnerEmail, "POST", "/api/v1/apps/{app}/revisions", appP, storetest.ValidRevision(f.HRLeaf(), f.Icon())).JSON(t, &rev)
	revP := map[string]string{"rev": rev.ID}
	r = f.Call(demo.PartnerEmail, "POST", "/api/v1/revisions/{rev}/submit", revP, nil)
	if code, _ := r.ErrCode(t); r.Status != 422 || code != "self_test_required" {
		t.Fatalf("submit without self-test = %d %s", r.Status, r.Body)
	}
	var st shelf.SelfTest
	r = f.Call(demo.PartnerEmail, "POST", "/api/v1/apps/{app}/self-tests", appP, map[string]any{"test_org_id": f.World.TestOrg.ID})
	if r.JSON(t, &st); r.Status != 201 || !st.Passed {
		t.Fatalf("self-test = %d %s", r.Status, r.Body)
	}
	f.Call(demo.PartnerEmail, "PATCH", "/api/v1/apps/{app}", appP, map[string]any{"launch_url": app.LaunchURL + "/v2"})
	r = f.Call(demo.PartnerEmail, "POST", "/api/v1/revisions/{rev}/submit", revP, nil)
	if code, _ := r.ErrCode(t); r.Status != 422 || code != "self_test_required" {
		t.Fatalf("submit with a stale self-test = %d %s", r.Status, r.Body)
	}
	f.Call(demo.PartnerEmail, "POST", "/api/v1/apps/{app}/self-tests", appP, map[string]any{"test_org_id": f.World.TestOrg.ID})
	if r := f.Call(demo.PartnerEmail, "POST", "/api/v1/revisions/{rev}/submit", revP, nil); r.Status != 200 {
		t.Fatalf("submit = %d %s", r.Status, r.Body)
	}
}

// TestSelfTestCatchesForgeryAcceptors: a vendor that does not verify
// signatures fails its self-test, with the check that says why.
func TestSelfTestCatchesForgeryAcceptors(t *testing.T) {
	f := webtest.New(t)
	for _, c := range []struct {
		name   string
		broken bool
		kind   shelf.AppKind
		passed bool
	}{{"verifying vendor", false, shelf.AppOrg, true}, {"vendor accepting anything", true, shelf.AppOrg, false}, {"cool app", false, shelf.AppCool, true}} {
		t.Run(c.name, func(t *testing.T) {
			f.T = t
			app, v := f.PartnerApp(c.kind)
			v.Broken = c.broken
			var st shelf.SelfTest
			r := f.Call(demo.PartnerEmail, "POST", "/api/v1/apps/{app}/self-tests", map[string]string{"app": app.ID}, map[string]any{"test_org_id": f.World.TestOrg.ID})
			r.JSON(t, &st)
			if st.Passed != c.passed || len(st.Checks) != 5 {
				t.Fatalf("self-test = %+v", st)
			}
			checks := map[string]shelf.SelfTestCheck{}
			for _, ch := range st.Checks {
				checks[ch.Name] = ch
			}
			if got := checks["webhook_rejects_forged_signature"].Passed; got == c.broken {
				t.Errorf("forgery check passed=%v for broken=%v: %+v", got, c.broken, checks)
			}
			install := "install_in_test_org"
			if c.kind == shelf.AppCool {
				install = "install_in_test_group"
			}
			if !checks[install].Passed || !checks["launch_url_answers"].Passed || !checks["webhook_accepts_signed_test_ping"].Passed {
				t.Errorf("checks = %+v", checks)
			}
		})
	}
	r := f.Call(demo.PartnerEmail, "POST", "/api/v1/apps/{app}/self-tests", map[string]string{"app": func() string { a, _ := f.PartnerApp(shelf.AppOrg); return a.ID }()},
		map[string]any{"test_org_id": f.World.Customer.ID})
	if code, field := r.ErrCode(t); r.Status != 422 || code != "not_a_test_org" || field != "test_org_id" {
		t.Fatalf("self-test in a customer org = %d %s", r.Status, r.Body)
	}
}

// TestReviewFlow: submit, an operator outside the category cannot see it,
// the category's operator rejects with a field reason, the partner fixes
// and resubmits, approval puts it on the market; customers see only live
// market listings.
func TestReviewFlow(t *testing.T) {
	f := webtest.New(t)
	rev := f.RevisionIn("submitted")
	revP := map[string]string{"rev": rev.ID}
	if r := f.Call(demo.Operator2Email, "POST", "/api/v1/revisions/{rev}/approve", revP, nil); r.Status != 404 {
		t.Fatalf("operator of other categories approving = %d", r.Status)
	}
	// The demo has its own revisions in review (operator2's), so the
	// queues are checked for this revision rather than counted.
	var queue httpx.List[shelf.QueueItem]
	f.Call(demo.OperatorEmail, "GET", "/api/v1/review-queue", nil, nil).JSON(t, &queue)
	if !slices.ContainsFunc(queue.Items, func(q shelf.QueueItem) bool { return q.RevisionID == rev.ID }) {
		t.Fatalf("queue = %+v", queue.Items)
	}
	f.Call(demo.Operator2Email, "GET", "/api/v1/review-queue", nil, nil).JSON(t, &queue)
	if slices.ContainsFunc(queue.Items, func(q shelf.QueueItem) bool { return q.RevisionID == rev.ID }) {
		t.Fatalf("operator2's queue = %+v", queue.Items)
	}
	// A reviewer who belongs to the partner org may not decide on its listing.
	ctx := context.Background()
	if _, _, err := f.Store.AddMember(ctx, f.World.Partner1.ID, demo.OperatorEmail, shelf.RoleMember, f.World.Users[demo.PartnerEmail].ID); err != nil {
		t.Fatal(err)
	}
	if r := f.Call(demo.OperatorEmail, "POST", "/api/v1/revisions/{rev}/approve", revP, nil); r.Status != 403 {
		t.Fatalf("approving one's own org's listing = %d %s", r.Status, r.Body)
	} else if code, _ := r.ErrCode(t); code != "own_listing" {
		t.Fatalf("code = %s", code)
	}
	if r := f.Call(demo.OperatorEmail, "GET", "/api/v1/revisions/{rev}", revP, nil); r.Status != 200 {
		t.Fatalf("an operator who is a plain member of the partner cannot read the revision: %d", r.Status)
	}
	if err := f.Store.RemoveMember(ctx, f.World.Partner1.ID, f.World.Users[demo.OperatorEmail].ID, shelf.ActorCLI); err != nil {
		t.Fatal(err)
	}
	r := f.Call(demo.OperatorEmail, "POST", "/api/v1/revisions/{rev}/reject", revP, map[string]any{})
	if code, _ := r.ErrCode(t); r.Status != 422 || code != "review_reason_required" {
		t.Fatalf("reject without reason = %d %s", r.Status, r.Body)
	}
	r = f.Call(demo.OperatorEmail, "POST", "/api/v1/revisions/{rev}/reject", revP, map[string]any{"field_reasons": []map[string]string{{"field": "screenshots", "reason": "请上传至少一张截图"}}})
	if r.Status != 200 {
		t.Fatalf("reject = %d %s", r.Status, r.Body)
	}
	var notices httpx.List[shelf.Notice]
	f.Call(demo.PartnerEmail, "GET", "/api/v1/orgs/{org}/notices", map[string]string{"org": f.World.Partner1.ID}, nil).JSON(t, &notices)
	if !slices.ContainsFunc(notices.Items, func(n shelf.Notice) bool { return n.ObjectID == rev.ID && n.Kind == "listing.rejected" }) {
		t.Fatalf("notices = %+v", notices.Items)
	}
	fixed := storetest.ValidRevision(f.HRLeaf(), rev.Icon)
	fixed.Subtitle = "更好的考勤"
	if r := f.Call(demo.PartnerEmail, "PUT", "/api/v1/revisions/{rev}", revP, fixed); r.Status != 200 {
		t.Fatalf("save rejected = %d %s", r.Status, r.Body)
	}
	if r := f.Call(demo.PartnerEmail, "POST", "/api/v1/revisions/{rev}/submit", revP, nil); r.Status != 200 {
		t.Fatalf("resubmit = %d %s", r.Status, r.Body)
	}
	var market httpx.List[api.PublicListing]
	inMarket := func() *api.PublicListing {
		r := f.Call("", "GET", "/api/v1/listings", nil, nil)
		if r.JSON(t, &market); r.Status != 200 || len(market.Items) == 0 {
			t.Fatalf("market = %d %s: the demo market is never empty", r.Status, r.Body)
		}
		for i, l := range market.Items {
			if l.ID == rev.ListingID {
				return &market.Items[i]
			}
		}
		return nil
	}
	if l := inMarket(); l != nil {
		t.Fatalf("market before approval has %+v", l)
	}
	if r := f.Call(demo.OperatorEmail, "POST", "/api/v1/revisions/{rev}/approve", revP, nil); r.Status != 200 {
		t.Fatalf("approve = %d %s", r.Status, r.Body)
	}
	if l := inMarket(); l == nil || l.Live.Subtitle != "更好的考勤" {
		t.Fatalf("market after approval = %+v", market.Items)
	}
	var audit httpx.List[shelf.AuditEntry]
	f.Call(demo.AdminEmail, "GET", "/api/v1/platform/audit", nil, nil).JSON(t, &audit)
	actions := map[string]bool{}
	for _, e := range audit.Items {
		actions[e.Action] = true
	}
	for _, want := range []string{"revision.submit", "revision.reject", "revision.save", "revision.approve"} {
		if !actions[want] {
			t.Errorf("audit log lacks %s", want)
		}
	}
}
