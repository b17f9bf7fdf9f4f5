package storetest

import (
	"context"
	"strings"
	"testing"

	"github.com/shelfhq/shelf/internal/shelf"
)

var coolContract = map[string]func(t *testing.T, open Opener){
	"CoolPartnerProgram": testCoolPartnerProgram,
	"CoolAppApplication": testCoolAppApplication,
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
