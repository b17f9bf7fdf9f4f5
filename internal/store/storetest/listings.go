package storetest

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store"
)

var listingsContract = map[string]func(t *testing.T, open Opener){
	"Installations":     testInstallations,
	"ListingWorkflow":   testListingWorkflow,
	"ListingStates":     testListingStates,
	"ListingCategories": testListingCategories,
	"ReviewQueue":       testReviewQueue,
	"Media":             testMedia,
	"AppHistory":        testAppHistory,
}

// testAppHistory: the registry keeps zh and en names and a history of what
// changed in an app, with who changed it.
func testAppHistory(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t, nil)
	w := newListingWorld(t, s)
	en := "CloudAttend Pro"
	hook := "https://cloudattend.example.com/hooks/v3"
	a, err := s.UpdateApp(ctx, w.app.ID, shelf.AppPatch{ByUserID: w.partner.ID, NameEn: &en, WebhookURL: &hook})
	if err != nil || a.NameEn != en {
		t.Fatalf("update = %+v %v", a, err)
	}
	if got, _ := s.App(ctx, w.app.ID); got.NameEn != en || got.WebhookURL != hook {
		t.Fatalf("stored app = %+v", got)
	}
	log, err := s.AuditLog(ctx, shelf.AuditQuery{Text: w.app.ID})
	if err != nil || len(log) != 2 || log[0].Action != "app.update" || log[1].Action != "app.create" {
		t.Fatalf("app history = %+v %v", log, err)
	}
	if log[0].ActorID != w.partner.ID || !strings.Contains(log[0].Before, "/hooks\"") || !strings.Contains(log[0].After, "/hooks/v3") {
		t.Fatalf("update entry = %+v", log[0])
	}
	long := strings.Repeat("长", 101)
	_, err = s.UpdateApp(ctx, w.app.ID, shelf.AppPatch{ByUserID: w.partner.ID, NameEn: &long})
	WantCode(t, err, "too_long")
}

// PNG returns a solid PNG of the given size, for icons and screenshots.
func PNG(tb testing.TB, w, h int, c color.RGBA) []byte {
	tb.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, 255
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// ValidRevision is a complete revision in the given (leaf) category.
func ValidRevision(categoryID string, icon *shelf.Image) *shelf.Revision {
	return &shelf.Revision{
		Name: "云考勤", NameEn: "CloudAttend", Subtitle: "排班、打卡、请假一站式考勤", SubtitleEn: "Shifts, clock-in and leave in one app",
		Description: "云考勤帮助企业管理排班、打卡、请假和加班，月底自动生成考勤报表。CloudAttend schedules shifts and records clock-ins for teams of any size.",
		CategoryID:  categoryID, Tags: []string{"考勤", "HR"}, SupportContact: "support@cloudattend.example.com",
		PrivacyURL: "https://cloudattend.example.com/privacy", PricingRule: shelf.PricingPerUser,
		Specs: []shelf.Spec{
			{Code: "std-month", Name: "标准版 月付", MinUsers: 1, MaxUsers: 50, Period: shelf.PeriodMonth, Price: 900},
			{Code: "pro-month", Name: "专业版 月付", MinUsers: 51, MaxUsers: 500, Period: shelf.PeriodMonth, Price: 700},
		},
		Trial:          &shelf.Trial{Days: 15, MaxUsers: 50},
		Activation:     shelf.ActivationTrialThenPaid,
		PromotionModes: []shelf.PromotionMode{shelf.PromotionMarket, shelf.PromotionOwnChannel},
		Icon:           icon,
	}
}

// listingWorld is a partner with an app, a test org, a leaf category with an
// operator, and an uploaded icon.
type listingWorld struct {
	s        *store.Store
	partner  *shelf.User
	operator *shelf.User
	org      *shelf.Org
	testOrg  *shelf.Org
	app      *shelf.App
	parent   *shelf.Category
	leaf     *shelf.Category
	icon     *shelf.Image
}

func newListingWorld(t testing.TB, s *store.Store) *listingWorld {
	t.Helper()
	ctx := context.Background()
	w := &listingWorld{s: s}
	w.partner = MustUser(t, s, shelf.NewID("p")+"@example.com")
	w.operator = MustUser(t, s, shelf.NewID("o")+"@example.com")
	if err := s.GrantPlatformRole(ctx, w.operator.ID, shelf.CategoryOperator, shelf.ActorCLI); err != nil {
		t.Fatal(err)
	}
	w.org = MustOrg(t, s, "Skylark", shelf.OrgPartner, w.partner)
	var err error
	if w.testOrg, err = s.CreateOrg(ctx, shelf.NewOrg{Name: "Skylark test", Kind: shelf.OrgCustomer, CreatorID: w.partner.ID, OwnerOrgID: w.org.ID}); err != nil {
		t.Fatal(err)
	}
	if w.app, _, err = s.CreateApp(ctx, store.NewApp{OrgID: w.org.ID, CreatorID: w.partner.ID, Name: "CloudAttend", Kind: shelf.AppOrg,
		HomepageURL: "https://cloudattend.example.com", LaunchURL: "https://cloudattend.example.com/app", WebhookURL: "https://cloudattend.example.com/hooks"}); err != nil {
		t.Fatal(err)
	}
	if w.parent, err = s.CreateCategory(ctx, shelf.NewCategory{Name: "人事管理", NameEn: "HR"}); err != nil {
		t.Fatal(err)
	}
	if w.leaf, err = s.CreateCategory(ctx, shelf.NewCategory{ParentID: w.parent.ID, Name: "考勤", NameEn: "Attendance"}); err != nil {
		t.Fatal(err)
	}
	if err := s.AssignOperator(ctx, w.parent.ID, w.operator.ID, ""); err != nil {
		t.Fatal(err)
	}
	if w.icon, err = s.SaveMedia(ctx, w.org.ID, PNG(t, 256, 256, color.RGBA{22, 100, 255, 255})); err != nil {
		t.Fatal(err)
	}
	return w
}

// passSelfTest records a passing self-test of the app as configured now.
func (w *listingWorld) passSelfTest(t testing.TB) {
	t.Helper()
	app, err := w.s.App(context.Background(), w.app.ID)
	if err != nil {
		t.Fatal(err)
	}
	now := w.s.Clock().Now()
	if err := w.s.RecordSelfTest(context.Background(), &shelf.SelfTest{AppID: app.ID, TestOrgID: w.testOrg.ID, StartedBy: w.partner.ID,
		ConfigHash: app.ConfigHash(), Passed: true, Checks: []shelf.SelfTestCheck{{Name: "webhook", Passed: true}}, StartedAt: now, FinishedAt: now}); err != nil {
		t.Fatal(err)
	}
}

func (w *listingWorld) submitted(t *testing.T) *shelf.RevisionInfo {
	t.Helper()
	ctx := context.Background()
	rev, err := w.s.CreateRevision(ctx, w.app.ID, w.partner.ID, ValidRevision(w.leaf.ID, w.icon))
	if err != nil {
		t.Fatal(err)
	}
	if rev, err = w.s.Submit(ctx, rev.ID, w.partner.ID); err != nil {
		t.Fatal(err)
	}
	return rev
}

func eventTypes(t *testing.T, s *store.Store, appID, orgID string) []string {
	t.Helper()
	evs, _, err := s.VendorEvents(context.Background(), appID, orgID, 0, 100)
	if err != nil && shelf.ErrorKind(err) != shelf.KindNotFound {
		t.Fatal(err)
	}
	var out []string
	for _, e := range evs {
		out = append(out, e.Type)
	}
	return out
}

func testInstallations(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t, nil)
	w := newListingWorld(t, s)
	_, _, err := s.Install(ctx, shelf.NewInstallation{AppID: shelf.PartnerConsoleID, OrgID: w.testOrg.ID, ByUserID: w.partner.ID})
	WantCode(t, err, "app_not_installable")
	if ok, err := s.IsInstalled(ctx, shelf.PartnerConsoleID, w.org.ID); err != nil || ok {
		t.Fatalf("console installed before installing it (%v)", err)
	}
	pc, created, err := s.Install(ctx, shelf.NewInstallation{AppID: shelf.PartnerConsoleID, OrgID: w.org.ID, ByUserID: w.partner.ID})
	if err != nil || !created {
		t.Fatalf("install console = %v %v", created, err)
	}
	if ok, _ := s.IsInstalled(ctx, shelf.PartnerConsoleID, w.org.ID); !ok {
		t.Fatal("console not installed")
	}
	_, _, err = s.Install(ctx, shelf.NewInstallation{AppID: w.app.ID, OrgID: w.org.ID, ByUserID: w.partner.ID})
	WantCode(t, err, "app_not_installable")
	_, _, err = s.Install(ctx, shelf.NewInstallation{AppID: "app_nope", OrgID: w.testOrg.ID, ByUserID: w.partner.ID})
	WantCode(t, err, "unknown_app")
	in, created, err := s.Install(ctx, shelf.NewInstallation{AppID: w.app.ID, OrgID: w.testOrg.ID, ByUserID: w.partner.ID})
	if err != nil || !created {
		t.Fatalf("install = %v %v", created, err)
	}
	again, created, err := s.Install(ctx, shelf.NewInstallation{AppID: w.app.ID, OrgID: w.testOrg.ID, ByUserID: w.partner.ID})
	if err != nil || created || again.ID != in.ID {
		t.Fatalf("second install = %+v %v %v (must be a no-op)", again, created, err)
	}
	if got := eventTypes(t, s, w.app.ID, w.testOrg.ID); len(got) != 1 || got[0] != shelf.EventAppInstalled {
		t.Fatalf("events = %v, want one app.installed", got)
	}
	if err := s.Uninstall(ctx, in.ID, w.partner.ID); err != nil {
		t.Fatal(err)
	}
	re, created, err := s.Install(ctx, shelf.NewInstallation{AppID: w.app.ID, OrgID: w.testOrg.ID, ByUserID: w.partner.ID})
	if err != nil || !created || re.ID != in.ID {
		t.Fatalf("reinstall = %+v %v %v, want the same installation back", re, created, err)
	}
	if got := eventTypes(t, s, w.app.ID, w.testOrg.ID); len(got) != 3 || got[1] != shelf.EventAppUninstalled {
		t.Fatalf("events = %v", got)
	}
	if err := s.Uninstall(ctx, pc.ID, w.partner.ID); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.IsInstalled(ctx, shelf.PartnerConsoleID, w.org.ID); err != nil || ok {
		t.Fatalf("console still installed after uninstalling (%v)", err)
	}

	// Customers install only live apps; a partner's test orgs, anything of its own.
	customer := MustCustomer(t, s, "Customer")
	_, _, err = s.Install(ctx, shelf.NewInstallation{AppID: w.app.ID, OrgID: customer.ID, ByUserID: w.partner.ID})
	WantCode(t, err, "app_not_available")
	other := newListingWorld(t, s)
	_, _, err = s.Install(ctx, shelf.NewInstallation{AppID: w.app.ID, OrgID: other.testOrg.ID, ByUserID: other.partner.ID})
	WantCode(t, err, "app_not_available")
	w.passSelfTest(t)
	rev := w.submitted(t)
	if _, err := s.Decide(ctx, rev.ID, w.operator.ID, shelf.ReviewDecision{Approve: true}); err != nil {
		t.Fatal(err)
	}
	if _, created, err := s.Install(ctx, shelf.NewInstallation{AppID: w.app.ID, OrgID: customer.ID, ByUserID: w.partner.ID}); err != nil || !created {
		t.Fatalf("install a live app = %v %v", created, err)
	}

	cool, _, err := s.CreateApp(ctx, store.NewApp{OrgID: w.org.ID, CreatorID: w.partner.ID, Name: "Poll", Kind: shelf.AppCool})
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = s.Install(ctx, shelf.NewInstallation{AppID: cool.ID, OrgID: w.testOrg.ID, ByUserID: w.partner.ID})
	WantCode(t, err, "group_required")
	g, err := s.CreateGroup(ctx, w.testOrg.ID, "测试群", w.partner.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Install(ctx, shelf.NewInstallation{AppID: cool.ID, OrgID: w.testOrg.ID, GroupID: g.ID, ByUserID: w.partner.ID}); err != nil {
		t.Fatal(err)
	}
	_, _, err = s.Install(ctx, shelf.NewInstallation{AppID: w.app.ID, OrgID: w.testOrg.ID, GroupID: g.ID, ByUserID: w.partner.ID})
	WantCode(t, err, "group_not_allowed")
	list, _ := s.Installations(ctx, w.testOrg.ID, shelf.PageReq{})
	if len(list) != 2 {
		t.Fatalf("installations = %+v", list)
	}
}

func testListingWorkflow(t *testing.T, open Opener) {
	ctx := context.Background()
	clock := shelf.NewManualClock(Epoch)
	s := open(t, clock)
	w := newListingWorld(t, s)
	draft := ValidRevision(w.leaf.ID, nil)
	draft.Activation = "trial_then_free"
	_, err := s.CreateRevision(ctx, w.app.ID, w.partner.ID, draft)
	WantCode(t, err, "activation_order_unsupported")
	draft.Activation, draft.PricingRule = shelf.ActivationTrialThenPaid, "per_seat_flat"
	_, err = s.CreateRevision(ctx, w.app.ID, w.partner.ID, draft)
	WantCode(t, err, "pricing_rule_unsupported")
	if _, err := s.ListingForApp(ctx, w.app.ID); shelf.ErrorKind(err) != shelf.KindNotFound {
		t.Fatalf("a refused revision left a listing: %v", err)
	}
	rev, err := s.CreateRevision(ctx, w.app.ID, w.partner.ID, &shelf.Revision{Name: "云考勤"})
	if err != nil || rev.State != shelf.RevisionDraft || rev.Number != 1 {
		t.Fatalf("incomplete draft = %+v %v", rev, err)
	}
	_, err = s.Submit(ctx, rev.ID, w.partner.ID)
	WantCode(t, err, "required")
	if rev, err = s.SaveRevision(ctx, rev.ID, w.partner.ID, ValidRevision(w.leaf.ID, nil)); err != nil {
		t.Fatal(err)
	}
	_, err = s.Submit(ctx, rev.ID, w.partner.ID)
	WantCode(t, err, "icon_required")
	if rev, err = s.SaveRevision(ctx, rev.ID, w.partner.ID, ValidRevision(w.leaf.ID, w.icon)); err != nil {
		t.Fatal(err)
	}
	_, err = s.Submit(ctx, rev.ID, w.partner.ID)
	WantCode(t, err, "self_test_required")
	w.passSelfTest(t)
	if rev, err = s.Submit(ctx, rev.ID, w.partner.ID); err != nil || rev.State != shelf.RevisionSubmitted || rev.SelfTestID == "" {
		t.Fatalf("submit = %+v %v", rev, err)
	}
	_, err = s.CreateRevision(ctx, w.app.ID, w.partner.ID, ValidRevision(w.leaf.ID, nil))
	WantCode(t, err, "draft_exists")
	_, err = s.SaveRevision(ctx, rev.ID, w.partner.ID, ValidRevision(w.leaf.ID, w.icon))
	WantCode(t, err, "invalid_transition")
	if rev, err = s.Withdraw(ctx, rev.ID, w.partner.ID); err != nil || rev.State != shelf.RevisionDraft {
		t.Fatalf("withdraw = %v %v", rev, err)
	}
	if _, err = s.Submit(ctx, rev.ID, w.partner.ID); err != nil {
		t.Fatal(err)
	}
	clock.Advance(3 * time.Hour)
	_, err = s.Decide(ctx, rev.ID, w.operator.ID, shelf.ReviewDecision{})
	WantCode(t, err, "review_reason_required")
	rev, err = s.Decide(ctx, rev.ID, w.operator.ID, shelf.ReviewDecision{FieldReasons: []shelf.FieldReason{{Field: "description", Reason: "请补充英文功能说明"}}})
	if err != nil || rev.State != shelf.RevisionRejected || rev.Decision == nil {
		t.Fatalf("reject = %+v %v", rev, err)
	}
	if got := eventTypes(t, s, w.app.ID, w.org.ID); len(got) != 1 || got[0] != shelf.EventListingRejected {
		t.Fatalf("events = %v", got)
	}
	if ns, _ := s.Notices(ctx, w.org.ID, shelf.FirstPage(10)); len(ns) != 1 || ns[0].Kind != "listing.rejected" {
		t.Fatalf("notices = %+v", ns)
	}
	if rev, err = s.SaveRevision(ctx, rev.ID, w.partner.ID, ValidRevision(w.leaf.ID, w.icon)); err != nil || rev.State != shelf.RevisionDraft {
		t.Fatalf("edit rejected = %v %v", rev, err)
	}
	if _, err = s.Submit(ctx, rev.ID, w.partner.ID); err != nil {
		t.Fatal(err)
	}
	if rev, err = s.Decide(ctx, rev.ID, w.operator.ID, shelf.ReviewDecision{Approve: true}); err != nil || rev.State != shelf.RevisionApproved {
		t.Fatalf("approve = %v %v", rev, err)
	}
	li, _ := s.ListingForApp(ctx, w.app.ID)
	if li.State != shelf.ListingListed || li.LiveRevisionID != rev.ID || li.Pending != nil || !li.Market || li.CategoryID != w.leaf.ID {
		t.Fatalf("listing after approval = %+v", li)
	}
	market, _ := s.MarketListings(ctx, w.parent.ID)
	if len(market) != 1 || market[0].Live.NameEn != "CloudAttend" {
		t.Fatalf("market = %+v", market)
	}

	// Editing a live listing: a new draft; the live revision keeps selling.
	next := ValidRevision(w.leaf.ID, w.icon)
	next.Subtitle = "排班打卡一站式"
	rev2, err := s.CreateRevision(ctx, w.app.ID, w.partner.ID, next)
	if err != nil || rev2.Number != 2 {
		t.Fatalf("second revision = %+v %v", rev2, err)
	}
	// Changing the webhook makes the self-test stale.
	hook := "https://cloudattend.example.com/hooks/v2"
	if _, err := s.UpdateApp(ctx, w.app.ID, store.AppPatch{WebhookURL: &hook}); err != nil {
		t.Fatal(err)
	}
	_, err = s.Submit(ctx, rev2.ID, w.partner.ID)
	WantCode(t, err, "self_test_required")
	w.passSelfTest(t)
	if _, err := s.Submit(ctx, rev2.ID, w.partner.ID); err != nil {
		t.Fatal(err)
	}
	li, _ = s.ListingForApp(ctx, w.app.ID)
	if li.LiveRevisionID != rev.ID || li.Pending == nil || li.Pending.ID != rev2.ID {
		t.Fatalf("while the new revision is reviewed the old one must stay live: %+v", li)
	}
	if _, err := s.Decide(ctx, rev2.ID, w.operator.ID, shelf.ReviewDecision{Approve: true}); err != nil {
		t.Fatal(err)
	}
	if li, _ = s.ListingForApp(ctx, w.app.ID); li.LiveRevisionID != rev2.ID || li.Live.Subtitle != "排班打卡一站式" {
		t.Fatalf("the second approval did not go live: %+v", li)
	}
	log, _ := s.AuditLog(ctx, shelf.AuditQuery{Text: "revision."})
	if len(log) < 8 {
		t.Fatalf("audit log has %d revision entries", len(log))
	}
	if byObj, _ := s.AuditLog(ctx, shelf.AuditQuery{Text: li.ID}); len(byObj) != 2 {
		t.Fatalf("audit entries for the listing = %d, want two approvals", len(byObj))
	}
}

func testListingStates(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t, nil)
	w := newListingWorld(t, s)
	w.passSelfTest(t)
	rev := w.submitted(t)
	if _, err := s.Decide(ctx, rev.ID, w.operator.ID, shelf.ReviewDecision{Approve: true}); err != nil {
		t.Fatal(err)
	}
	li, _ := s.ListingForApp(ctx, w.app.ID)
	_, err := s.ChangeListing(ctx, li.ID, w.partner.ID, shelf.ListingDelist, " ")
	WantCode(t, err, "reason_required")
	steps := []struct {
		action shelf.ListingAction
		reason string
		want   shelf.ListingState
		code   string
		market int
	}{
		{shelf.ListingRelist, "", shelf.ListingListed, "invalid_transition", 1},
		{shelf.ListingDelist, "产品升级中", shelf.ListingDelisted, "", 0},
		{shelf.ListingRelist, "", shelf.ListingListed, "", 1},
		{shelf.ListingTakedown, "违反平台规则", shelf.ListingTakenDown, "", 0},
		{shelf.ListingRelist, "", shelf.ListingTakenDown, "relist_requires_review", 0},
	}
	for _, st := range steps {
		got, err := s.ChangeListing(ctx, li.ID, w.operator.ID, st.action, st.reason)
		if st.code != "" {
			WantCode(t, err, st.code)
		} else if err != nil || got.State != st.want {
			t.Fatalf("%s = %+v %v", st.action, got, err)
		}
		if m, err := s.MarketListings(ctx, ""); err != nil || len(m) != st.market {
			t.Fatalf("after %s the market has %d listings, want %d (%v)", st.action, len(m), st.market, err)
		}
	}
	li, _ = s.ListingForApp(ctx, w.app.ID)
	if li.TakedownReason != "违反平台规则" || li.DelistReason != "" {
		t.Fatalf("reasons = %+v", li)
	}
	want := []string{shelf.EventListingApproved, shelf.EventListingDelisted, shelf.EventListingRelisted, shelf.EventListingTakenDown}
	if got := eventTypes(t, s, w.app.ID, w.org.ID); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("the vendor heard %v, want %v", got, want)
	}
	// After a takedown, only a reviewed revision brings it back.
	rev2 := w.submitted(t)
	if _, err := s.Decide(ctx, rev2.ID, w.operator.ID, shelf.ReviewDecision{Approve: true}); err != nil {
		t.Fatal(err)
	}
	if li, _ = s.ListingForApp(ctx, w.app.ID); li.State != shelf.ListingListed || li.TakedownReason != "" {
		t.Fatalf("after a new approval = %+v", li)
	}
}

func testListingCategories(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t, nil)
	w := newListingWorld(t, s)
	for _, c := range []struct{ cat, code string }{{w.parent.ID, "category_not_leaf"}, {"cat_nope", "category_unknown"}} {
		_, err := s.CreateRevision(ctx, w.app.ID, w.partner.ID, ValidRevision(c.cat, nil))
		WantCode(t, err, c.code)
	}
	archived := true
	if _, err := s.UpdateCategory(ctx, w.leaf.ID, shelf.CategoryPatch{Archived: &archived}); err != nil {
		t.Fatal(err)
	}
	_, err := s.CreateRevision(ctx, w.app.ID, w.partner.ID, ValidRevision(w.leaf.ID, nil))
	WantCode(t, err, "category_unknown")
	// Own-channel only: listed but never in the market.
	w2 := newListingWorld(t, s)
	w2.passSelfTest(t)
	r := ValidRevision(w2.leaf.ID, w2.icon)
	r.PromotionModes = []shelf.PromotionMode{shelf.PromotionOwnChannel}
	rev, err := s.CreateRevision(ctx, w2.app.ID, w2.partner.ID, r)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Submit(ctx, rev.ID, w2.partner.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Decide(ctx, rev.ID, w2.operator.ID, shelf.ReviewDecision{Approve: true}); err != nil {
		t.Fatal(err)
	}
	if m, err := s.MarketListings(ctx, ""); err != nil || len(m) != 0 {
		t.Fatalf("an own-channel listing is in the market: %+v, %v", m, err)
	}
}

func testReviewQueue(t *testing.T, open Opener) {
	ctx := context.Background()
	clock := shelf.NewManualClock(Epoch)
	s := open(t, clock)
	a := newListingWorld(t, s)
	b := newListingWorld(t, s)
	a.passSelfTest(t)
	b.passSelfTest(t)
	ra := a.submitted(t)
	clock.Advance(time.Hour)
	rb := b.submitted(t)
	clock.Advance(time.Hour)
	all, err := s.ReviewQueue(ctx, shelf.ReviewScope{All: true}, shelf.PageReq{})
	if err != nil || len(all) != 2 || all[0].RevisionID != ra.ID || all[0].WaitingSecs != 7200 {
		t.Fatalf("queue = %+v", all)
	}
	mine, _ := s.OperatorCategories(ctx, a.operator.ID)
	q, err := s.ReviewQueue(ctx, shelf.ReviewScope{Categories: mine}, shelf.PageReq{})
	if err != nil || len(q) != 1 || q[0].RevisionID != ra.ID || q[0].OrgName != "Skylark" {
		t.Fatalf("operator a's queue = %+v", q)
	}
	// An operator assigned no category sees nothing: "all" is only ever
	// asked for explicitly.
	idle := MustUser(t, s, shelf.NewID("idle")+"@example.com")
	if err := s.GrantPlatformRole(ctx, idle.ID, shelf.CategoryOperator, shelf.ActorCLI); err != nil {
		t.Fatal(err)
	}
	none, err := s.OperatorCategories(ctx, idle.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, scope := range []shelf.ReviewScope{{Categories: none}, {Categories: nil}, {}} {
		if q, err := s.ReviewQueue(ctx, scope, shelf.PageReq{}); err != nil || len(q) != 0 {
			t.Fatalf("the queue of %+v = %+v, %v; want it empty", scope, q, err)
		}
	}
	if _, err := s.Decide(ctx, ra.ID, a.operator.ID, shelf.ReviewDecision{Approve: true}); err != nil {
		t.Fatal(err)
	}
	stats, _ := s.OperatorStats(ctx, shelf.PageReq{})
	byID := map[string]shelf.OperatorStats{}
	for _, st := range stats {
		byID[st.UserID] = st
	}
	if st := byID[a.operator.ID]; st.QueueLength != 0 || st.Decided != 1 || st.MedianDecision != 2 {
		t.Fatalf("stats of a = %+v", st)
	}
	if st := byID[b.operator.ID]; st.QueueLength != 1 || st.Decided != 0 {
		t.Fatalf("stats of b = %+v (revision %s waits)", st, rb.ID)
	}
	// A page of one operator has that operator's figures (read for the
	// page's operators only).
	for p := shelf.FirstPage(1); ; {
		page, err := s.OperatorStats(ctx, p)
		if err != nil || len(page) > 1 {
			t.Fatalf("a page of one = %+v, %v", page, err)
		}
		if len(page) == 0 {
			break
		}
		if page[0] != byID[page[0].UserID] {
			t.Fatalf("alone: %+v; on the whole page: %+v", page[0], byID[page[0].UserID])
		}
		p.After = []any{page[0].UserID}
	}
}

func testMedia(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t, nil)
	w := newListingWorld(t, s)
	_, err := s.SaveMedia(ctx, w.org.ID, []byte("GIF89a not really"))
	WantCode(t, err, "image_format_unsupported")
	shot, err := s.SaveMedia(ctx, w.org.ID, PNG(t, 1280, 720, color.RGBA{200, 200, 200, 255}))
	if err != nil || shot.Width != 1280 {
		t.Fatalf("save = %+v %v", shot, err)
	}
	b, ct, err := s.Media(ctx, shot.ID)
	if err != nil || ct != "image/png" || !bytes.HasPrefix(b, []byte("\x89PNG")) {
		t.Fatalf("media = %q %v", ct, err)
	}
	other := newListingWorld(t, s)
	r := ValidRevision(other.leaf.ID, nil)
	r.Screenshots = []shelf.Image{{ID: shot.ID}}
	_, err = s.CreateRevision(ctx, other.app.ID, other.partner.ID, r)
	WantCode(t, err, "unknown_image") // another org's upload
	r.Screenshots = []shelf.Image{{ID: w.icon.ID}}
	_, err = s.CreateRevision(ctx, w.app.ID, w.partner.ID, r)
	WantCode(t, err, "screenshot_ratio_invalid")
}
