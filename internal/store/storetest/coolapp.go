package storetest

import (
	"context"
	"testing"

	"github.com/shelfhq/shelf/internal/shelf"
)

var coolContract = map[string]func(t *testing.T, open Opener){
	"CoolPartnerProgram": testCoolPartnerProgram,
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
