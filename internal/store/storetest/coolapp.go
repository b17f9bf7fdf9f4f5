package storetest

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
)

var coolContract = map[string]func(t *testing.T, open Opener){
	"CoolPartnerProgram": testCoolPartnerProgram,
	"CoolAppApplication": testCoolAppApplication,
	"CoolGroups":         testCoolGroups,
	"CoolCards":          testCoolCards,
	"CoolFreeInGroup":    testCoolFreeInGroup,
	"CoolFreeOverLimit":  testCoolFreeOverLimit,
	"CoolPaidNeedsSeat":  testCoolPaidNeedsSeat,
}

// PartnerApplicationInput is a complete program application.
func PartnerApplicationInput() shelf.PartnerApplicationInput {
	return shelf.PartnerApplicationInput{CompanyName: "云雀软件", RegistrationNo: "91330100MA2KXXXX1X", Contact: "王经理 138-0000-0000",
		Website: "https://skylark.example.com", Builds: "群协作应用"}
}

// testCoolPartnerProgram: apply, one waiting at a time, reject with a
// reason, apply again, approve, suspend and reinstate with reasons; each
// decision audited and every standing read back.
func testCoolPartnerProgram(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t, nil)
	w := newListingWorld(t, s)
	admin := MustUser(t, s, shelf.NewID("a")+"@example.com")
	standing := func(want shelf.PartnerStanding) *shelf.PartnerStatus {
		t.Helper()
		st, err := s.PartnerStatus(ctx, w.org.ID)
		if err != nil || st.Standing != want {
			t.Fatalf("standing = %+v, %v; want %s", st, err, want)
		}
		return st
	}
	standing(shelf.StandingNone)
	bad := PartnerApplicationInput()
	bad.Website, bad.RegistrationNo = "ftp://x", "!"
	_, err := s.ApplyPartnerProgram(ctx, w.org.ID, w.partner.ID, bad)
	WantCode(t, err, "invalid_registration_no")
	if got := len(shelf.AllErrors(err)); got != 2 {
		t.Fatalf("%d errors, want 2 (registration_no, website): %v", got, err)
	}
	_, err = s.ApplyPartnerProgram(ctx, w.testOrg.ID, w.partner.ID, PartnerApplicationInput())
	WantCode(t, err, "not_a_partner")
	first, err := s.ApplyPartnerProgram(ctx, w.org.ID, w.partner.ID, PartnerApplicationInput())
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.ApplyPartnerProgram(ctx, w.org.ID, w.partner.ID, PartnerApplicationInput())
	WantCode(t, err, "application_pending")
	standing(shelf.StandingPending)
	_, err = s.DecidePartnerApplication(ctx, first.ID, admin.ID, shelf.PartnerDecision{})
	WantCode(t, err, "reason_required")
	if _, err := s.DecidePartnerApplication(ctx, first.ID, admin.ID, shelf.PartnerDecision{Reason: "营业执照不清晰"}); err != nil {
		t.Fatal(err)
	}
	_, err = s.DecidePartnerApplication(ctx, first.ID, admin.ID, shelf.PartnerDecision{Approve: true})
	WantCode(t, err, "not_pending")
	if st := standing(shelf.StandingRejected); st.Reason != "营业执照不清晰" {
		t.Fatalf("reason = %q", st.Reason)
	}
	WantAudit(t, s, "partner.rejected", first.ID, admin.ID)
	second, err := s.ApplyPartnerProgram(ctx, w.org.ID, w.partner.ID, PartnerApplicationInput())
	if err != nil {
		t.Fatal(err)
	}
	queue, err := s.PartnerApplications(ctx, shelf.PartnerPending, "", 10)
	if err != nil || len(queue) != 1 || queue[0].ID != second.ID {
		t.Fatalf("pending queue = %+v, %v", queue, err)
	}
	all, err := s.PartnerApplications(ctx, "", shelf.TimeKey(first.CreatedAt, first.ID), 10)
	if err != nil || len(all) != 1 || all[0].ID != second.ID {
		t.Fatalf("page after the first = %+v, %v", all, err)
	}
	if _, err := s.DecidePartnerApplication(ctx, second.ID, admin.ID, shelf.PartnerDecision{Approve: true}); err != nil {
		t.Fatal(err)
	}
	standing(shelf.StandingMember)
	WantAudit(t, s, "partner.approved", second.ID, admin.ID)
	_, err = s.ApplyPartnerProgram(ctx, w.org.ID, w.partner.ID, PartnerApplicationInput())
	WantCode(t, err, "already_partner")
	_, err = s.ReinstatePartner(ctx, w.org.ID, admin.ID, "x")
	WantCode(t, err, "not_suspended")
	_, err = s.SuspendPartner(ctx, w.org.ID, admin.ID, " ")
	WantCode(t, err, "reason_required")
	if st, err := s.SuspendPartner(ctx, w.org.ID, admin.ID, "投诉未处理"); err != nil || st.Standing != shelf.StandingSuspended || st.Reason != "投诉未处理" {
		t.Fatalf("suspend = %+v, %v", st, err)
	}
	_, err = s.SuspendPartner(ctx, w.org.ID, admin.ID, "again")
	WantCode(t, err, "not_an_active_member")
	if _, err := s.ReinstatePartner(ctx, w.org.ID, admin.ID, "已整改"); err != nil {
		t.Fatal(err)
	}
	standing(shelf.StandingMember)
	WantAudit(t, s, "partner.suspend", w.org.ID, admin.ID)
	WantAudit(t, s, "partner.reinstate", w.org.ID, admin.ID)
}

// testCoolAppApplication: the rules of filing (program membership, cool
// kind, materials, a current group self-test, one open at a time), the
// operators' queue, rejection with field reasons, the history kept on
// resubmission, approval putting the app live with its declaration, the
// audit and the events.
func testCoolAppApplication(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t, nil)
	w := newCoolWorld(t, s)
	m := func() shelf.CoolMaterials { return CoolMaterials(w.leaf.ID, w.icon) }
	_, err := s.SubmitCoolApp(ctx, w.app.ID, w.partner.ID, m())
	WantCode(t, err, "not_a_cool_app")
	_, err = s.SubmitCoolApp(ctx, w.cool.ID, w.partner.ID, m())
	WantCode(t, err, "self_test_required")
	w.passCoolSelfTest(t, false)
	_, err = s.SubmitCoolApp(ctx, w.cool.ID, w.partner.ID, m())
	WantCode(t, err, "self_test_required") // passed, but never installed into a group
	w.passCoolSelfTest(t, true)
	missing := m()
	missing.Scenarios, missing.EntryPoints, missing.Permissions = nil, nil, []shelf.CoolPermission{{Scope: shelf.ScopePostCards}}
	_, err = s.SubmitCoolApp(ctx, w.cool.ID, w.partner.ID, missing)
	var fields []string
	for _, e := range shelf.AllErrors(err) {
		fields = append(fields, e.Field)
	}
	if want := "scenarios entry_points permissions[0].reason"; strings.Join(fields, " ") != want {
		t.Fatalf("missing materials: fields %v, want %s", fields, want)
	}
	if _, err := s.UpdateApp(ctx, w.cool.ID, shelf.AppPatch{WebhookURL: ptr("https://poll.example.com/hooks2")}); err != nil {
		t.Fatal(err)
	}
	_, err = s.SubmitCoolApp(ctx, w.cool.ID, w.partner.ID, m())
	WantCode(t, err, "self_test_stale")
	w.passCoolSelfTest(t, true)
	if _, err := s.SuspendPartner(ctx, w.org.ID, w.admin.ID, "投诉"); err != nil {
		t.Fatal(err)
	}
	_, err = s.SubmitCoolApp(ctx, w.cool.ID, w.partner.ID, m())
	WantCode(t, err, "partner_program_required")
	if _, err := s.ReinstatePartner(ctx, w.org.ID, w.admin.ID, "已整改"); err != nil {
		t.Fatal(err)
	}
	first, err := s.SubmitCoolApp(ctx, w.cool.ID, w.partner.ID, m())
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.SubmitCoolApp(ctx, w.cool.ID, w.partner.ID, m())
	WantCode(t, err, "application_pending")
	queue, err := s.CoolAppQueue(ctx, shelf.CoolSubmitted, "", 10)
	if err != nil || len(queue) != 1 || queue[0].ID != first.ID || queue[0].Materials.Scenarios[0] != "部门群里投票选团建地点" {
		t.Fatalf("queue = %+v, %v", queue, err)
	}
	_, err = s.DecideCoolApp(ctx, first.ID, w.admin.ID, shelf.ReviewDecision{FieldReasons: []shelf.FieldReason{{Field: "nonsense", Reason: "x"}}})
	WantCode(t, err, "review_field_unknown")
	rejected, err := s.DecideCoolApp(ctx, first.ID, w.admin.ID, shelf.ReviewDecision{FieldReasons: []shelf.FieldReason{{Field: "permissions", Reason: "读成员的理由不充分"}}})
	if err != nil || rejected.State != shelf.CoolRejected || rejected.FieldReasons[0].Field != "permissions" {
		t.Fatalf("reject = %+v, %v", rejected, err)
	}
	WantAudit(t, s, "coolapp.reject", first.ID, w.admin.ID)
	second, err := s.SubmitCoolApp(ctx, w.cool.ID, w.partner.ID, m())
	if err != nil || second.Number != 2 {
		t.Fatalf("resubmit = %+v, %v", second, err)
	}
	approved, err := s.DecideCoolApp(ctx, second.ID, w.admin.ID, shelf.ReviewDecision{Approve: true})
	if err != nil || approved.State != shelf.CoolApproved {
		t.Fatalf("approve = %+v, %v", approved, err)
	}
	_, err = s.DecideCoolApp(ctx, second.ID, w.admin.ID, shelf.ReviewDecision{Approve: true})
	WantCode(t, err, "not_submitted")
	history, err := s.AppCoolApplications(ctx, w.cool.ID, "", 10)
	if err != nil || len(history) != 2 || history[0].State != shelf.CoolRejected || history[0].FieldReasons[0].Reason != "读成员的理由不充分" {
		t.Fatalf("history = %+v, %v", history, err)
	}
	li, err := s.ListingForApp(ctx, w.cool.ID)
	if err != nil || li.State != shelf.ListingListed || li.Live == nil || li.Live.Name != "群投票" {
		t.Fatalf("listing after approval = %+v, %v", li, err)
	}
	decl, err := s.CoolApp(ctx, w.cool.ID)
	if err != nil || len(decl.EntryPoints) != 2 || !decl.Grants(shelf.ScopePostCards) {
		t.Fatalf("declaration = %+v, %v", decl, err)
	}
	got := strings.Join(eventTypes(t, s, w.cool.ID, w.org.ID), ",")
	if want := "coolapp.rejected,listing.approved,coolapp.approved"; got != want {
		t.Fatalf("events = %s, want %s", got, want)
	}
}

func ptr[T any](v T) *T { return &v }

// testCoolGroups: a group install tells the vendor cool_app.installed with
// the group and its members; joining and leaving the group (or the org)
// sends group.members_changed; a paid cool app needs the org's
// subscription; group admins are kept.
func testCoolGroups(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t, nil)
	w := newCoolWorld(t, s)
	w.passCoolSelfTest(t, true)
	a, err := s.SubmitCoolApp(ctx, w.cool.ID, w.partner.ID, CoolMaterials(w.leaf.ID, w.icon))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.DecideCoolApp(ctx, a.ID, w.admin.ID, shelf.ReviewDecision{Approve: true}); err != nil {
		t.Fatal(err)
	}
	owner, ann, bob := MustUser(t, s, shelf.NewID("o")+"@example.com"), MustUser(t, s, shelf.NewID("a")+"@example.com"), MustUser(t, s, shelf.NewID("b")+"@example.com")
	org := MustOrg(t, s, "Galaxy", shelf.OrgCustomer, owner)
	for _, u := range []*shelf.User{ann, bob} {
		if _, _, err := s.AddMember(ctx, org.ID, u.Email, shelf.RoleMember, owner.ID); err != nil {
			t.Fatal(err)
		}
	}
	g, err := s.CreateGroup(ctx, org.ID, "项目群", owner.ID, []string{ann.ID})
	if err != nil {
		t.Fatal(err)
	}
	n := shelf.NewInstallation{AppID: w.cool.ID, OrgID: org.ID, GroupID: g.ID, ByUserID: owner.ID}
	_, _, err = s.Install(ctx, n)
	WantCode(t, err, "subscription_required") // per-user specs, no free one
	li, err := s.ListingForApp(ctx, w.cool.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.StartTrial(ctx, org.ID, li.ID, owner.ID); err != nil {
		t.Fatal(err)
	}
	inst, created, err := s.Install(ctx, n)
	if err != nil || !created {
		t.Fatalf("install = %+v, %v, %v", inst, created, err)
	}
	evs, _, err := s.VendorEvents(ctx, w.cool.ID, org.ID, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var installed shelf.CoolAppInstalled
	for _, e := range evs {
		if e.Type == shelf.EventCoolAppInstalled {
			_ = json.Unmarshal(e.Data, &installed)
		}
	}
	if installed.Group.ID != g.ID || installed.Group.Name != "项目群" || len(installed.Members) != 2 {
		t.Fatalf("cool_app.installed = %+v", installed)
	}
	if err := s.AddGroupMember(ctx, g.ID, bob.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.SetGroupRole(ctx, g.ID, bob.ID, "admin", owner.ID); err != nil {
		t.Fatal(err)
	}
	if role, ok, err := s.GroupRole(ctx, g.ID, bob.ID); err != nil || !ok || role != "admin" {
		t.Fatalf("bob's role = %q %v %v", role, ok, err)
	}
	WantCode(t, s.RemoveGroupMember(ctx, g.ID, owner.ID, owner.ID), "group_owner")
	if err := s.RemoveGroupMember(ctx, g.ID, ann.ID, ann.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveMember(ctx, org.ID, bob.ID, owner.ID); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(eventTypes(t, s, w.cool.ID, org.ID), ",")
	if want := "trial.started,lead.created,cool_app.installed,group.members_changed,group.members_changed,group.members_changed,seats.changed"; got != want { // a trial makes a lead (issue 14)
		t.Fatalf("events = %s, want %s", got, want)
	}
	list, err := s.GroupInstallations(ctx, g.ID, "", 10)
	if err != nil || len(list) != 1 || list[0].ID != inst.ID {
		t.Fatalf("group installations = %+v, %v", list, err)
	}
}

// testCoolCards: cards only into a group with the app, within the rate per
// (app, group) (a burst, then one per interval, on the injected clock),
// changed and withdrawn only by their app, read newest first by cursor.
func testCoolCards(t *testing.T, open Opener) {
	ctx := context.Background()
	clock := shelf.NewManualClock(Epoch)
	s := open(t, clock)
	w := newCoolWorld(t, s)
	owner := MustUser(t, s, shelf.NewID("o")+"@example.com")
	org := MustOrg(t, s, "Galaxy", shelf.OrgCustomer, owner)
	g1, err := s.CreateGroup(ctx, org.ID, "一群", owner.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Into the partner's test org: no listing needed (the self-test path).
	tg, err := s.CreateGroup(ctx, w.testOrg.ID, "测试群", w.partner.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Install(ctx, shelf.NewInstallation{AppID: w.cool.ID, OrgID: w.testOrg.ID, GroupID: tg.ID, ByUserID: w.partner.ID}); err != nil {
		t.Fatal(err)
	}
	card := shelf.CardInput{Title: "今日投票", Text: "团建去哪儿？", Fields: []shelf.CardField{{Label: "截止", Value: "18:00"}}, Buttons: []shelf.CardButton{{Text: "去投票", Path: "/polls/1"}}}
	limit := shelf.CardLimit{Burst: 3, Interval: 2 * time.Second}
	_, err = s.PostCard(ctx, w.cool.ID, org.ID, g1.ID, card, limit)
	WantCode(t, err, "app_not_in_group")
	_, err = s.PostCard(ctx, w.cool.ID, org.ID, tg.ID, card, limit)
	WantCode(t, err, "not_found") // a group of another org
	tooMany := card
	tooMany.Buttons = []shelf.CardButton{{Text: "a"}, {Text: "b"}, {Text: "c"}, {Text: "d"}}
	_, err = s.PostCard(ctx, w.cool.ID, w.testOrg.ID, tg.ID, tooMany, limit)
	WantCode(t, err, "too_many")
	var posted []*shelf.GroupCard
	for i := 0; i < 3; i++ {
		c, err := s.PostCard(ctx, w.cool.ID, w.testOrg.ID, tg.ID, card, limit)
		if err != nil {
			t.Fatalf("card %d of the burst: %v", i, err)
		}
		posted = append(posted, c)
		clock.Advance(time.Millisecond)
	}
	_, err = s.PostCard(ctx, w.cool.ID, w.testOrg.ID, tg.ID, card, limit)
	WantCode(t, err, "too_many_requests")
	clock.Advance(2 * time.Second)
	if _, err := s.PostCard(ctx, w.cool.ID, w.testOrg.ID, tg.ID, card, limit); err != nil {
		t.Fatalf("after the interval: %v", err)
	}
	edited := card
	edited.Title = "投票已截止"
	_, err = s.UpdateCard(ctx, w.app.ID, w.testOrg.ID, tg.ID, posted[0].ID, edited)
	WantCode(t, err, "not_found") // another app
	if c, err := s.UpdateCard(ctx, w.cool.ID, w.testOrg.ID, tg.ID, posted[0].ID, edited); err != nil || c.Title != "投票已截止" {
		t.Fatalf("update = %+v, %v", c, err)
	}
	if err := s.DeleteCard(ctx, w.cool.ID, w.testOrg.ID, tg.ID, posted[1].ID); err != nil {
		t.Fatal(err)
	}
	WantCode(t, s.DeleteCard(ctx, w.cool.ID, w.testOrg.ID, tg.ID, posted[1].ID), "not_found")
	page, err := s.GroupCards(ctx, tg.ID, "", 2)
	if err != nil || len(page) != 2 || page[1].ID != posted[2].ID {
		t.Fatalf("first page = %+v, %v", page, err)
	}
	rest, err := s.GroupCards(ctx, tg.ID, shelf.TimeKey(page[1].CreatedAt, page[1].ID), 2)
	if err != nil || len(rest) != 1 || rest[0].ID != posted[0].ID || rest[0].Title != "投票已截止" {
		t.Fatalf("second page = %+v, %v", rest, err)
	}
}
