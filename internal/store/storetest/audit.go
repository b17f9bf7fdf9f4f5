package storetest

import (
	"context"
	"fmt"
	"testing"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store"
)

var auditContract = map[string]func(t *testing.T, open Opener){
	"AuditEveryChange": testAuditEveryChange,
	"AuditOrder":       testAuditOrder,
}

// testAuditOrder: the log is newest first even among entries written at
// the same instant (a clock that did not move, or one coarser than the
// changes): the first page shows the latest changes, never an arbitrary
// pick of the ties.
func testAuditOrder(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t, shelf.NewManualClock(Epoch))
	var want []string
	for i := 0; i < 30; i++ {
		u := MustUser(t, s, fmt.Sprintf("u%d@example.com", i))
		want = append(want, u.ID)
	}
	log, err := s.AuditLog(ctx, shelf.AuditQuery{Text: "user.create", PageReq: shelf.FirstPage(10)})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range log {
		got = append(got, e.ObjectID)
	}
	for i := range got {
		if got[i] != want[len(want)-1-i] {
			t.Fatalf("first page %v, want the 10 latest newest first (%v)", got, want[len(want)-10:])
		}
	}
}

// WantAudit fails unless the audit log holds exactly one entry of action
// on the object, by the actor.
func WantAudit(tb testing.TB, s *store.Store, action, objectID, actorID string) {
	tb.Helper()
	log, err := s.AuditLog(context.Background(), shelf.AuditQuery{Text: action, PageReq: shelf.FirstPage(500)})
	if err != nil {
		tb.Fatalf("audit log: %v", err)
	}
	var got []string
	for _, e := range log {
		if e.Action == action && e.ObjectID == objectID {
			got = append(got, e.ActorID)
		}
	}
	if len(got) != 1 || got[0] != actorID {
		tb.Fatalf("audit %s of %s: actors %v, want exactly [%s]", action, objectID, got, actorID)
	}
}

// testAuditEveryChange: every security-relevant change a person makes is
// in the audit log, with who made it.
func testAuditEveryChange(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t, nil)
	ann := MustUser(t, s, "ann@example.com")
	WantAudit(t, s, "user.create", ann.ID, ann.ID)
	bob := MustUser(t, s, "bob@example.com")
	o := MustOrg(t, s, "Org", shelf.OrgCustomer, ann)
	WantAudit(t, s, "org.create", o.ID, ann.ID)
	p := MustOrg(t, s, "Vendor", shelf.OrgPartner, bob)
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	must("partner program", s.SetPartnerProgram(ctx, p.ID, true, bob.ID))
	WantAudit(t, s, "org.partner_program", p.ID, bob.ID)

	_, _, err := s.AddMember(ctx, o.ID, bob.Email, shelf.RoleMember, ann.ID)
	must("add member", err)
	WantAudit(t, s, "member.add", memberObject(o.ID, bob.ID), ann.ID)
	_, inv, err := s.AddMember(ctx, o.ID, "carol@example.com", shelf.RoleAdmin, ann.ID)
	must("invite by adding", err)
	WantAudit(t, s, "invitation.create", inv.ID, ann.ID)
	dave := MustUser(t, s, "dave@example.com")
	inv2, err := s.Invite(ctx, o.ID, dave.Email, shelf.RoleMember, ann.ID)
	must("invite", err)
	WantAudit(t, s, "invitation.create", inv2.ID, ann.ID)
	_, err = s.AcceptInvitation(ctx, inv2.Token, dave.ID)
	must("accept", err)
	WantAudit(t, s, "invitation.accept", inv2.ID, dave.ID)

	must("set role", s.SetMemberRole(ctx, o.ID, bob.ID, shelf.RoleAdmin, ann.ID))
	WantAudit(t, s, "member.role", memberObject(o.ID, bob.ID), ann.ID)
	must("remove", s.RemoveMember(ctx, o.ID, dave.ID, bob.ID))
	WantAudit(t, s, "member.remove", memberObject(o.ID, dave.ID), bob.ID)
	// A refused change leaves no entry.
	WantCode(t, s.RemoveMember(ctx, o.ID, dave.ID, bob.ID), "not_found")
	WantAudit(t, s, "member.remove", memberObject(o.ID, dave.ID), bob.ID)

	must("set password", s.SetPassword(ctx, bob.Email, "password9", shelf.ActorCLI))
	WantAudit(t, s, "user.set_password", bob.ID, shelf.ActorCLI)
	must("grant", s.GrantPlatformRole(ctx, bob.ID, shelf.CategoryOperator, ann.ID))
	WantAudit(t, s, "user.grant_platform_role", bob.ID, ann.ID)

	w := newListingWorld(t, s)
	in, _, err := s.Install(ctx, shelf.NewInstallation{AppID: w.app.ID, OrgID: w.testOrg.ID, ByUserID: w.partner.ID})
	must("install", err)
	WantAudit(t, s, "installation.install", in.ID, w.partner.ID)
	must("uninstall", s.Uninstall(ctx, in.ID, w.partner.ID))
	WantAudit(t, s, "installation.uninstall", in.ID, w.partner.ID)
	must("uninstall again", s.Uninstall(ctx, in.ID, w.partner.ID)) // changes nothing, audits nothing
	WantAudit(t, s, "installation.uninstall", in.ID, w.partner.ID)
}

// memberObject is the audit log's object id of a membership.
func memberObject(orgID, userID string) string { return fmt.Sprintf("%s/%s", orgID, userID) }
