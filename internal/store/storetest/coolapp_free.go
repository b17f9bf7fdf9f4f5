package storetest

import (
	"context"
	"strings"
	"testing"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store"
)

// freeCoolMaterials are materials whose pricing starts free (at most
// maxUsers) with a paid tier after it.
func freeCoolMaterials(categoryID string, icon *shelf.Image, maxUsers int) shelf.CoolMaterials {
	m := CoolMaterials(categoryID, icon)
	m.Specs = []shelf.Spec{{Code: "free", Name: "免费版", MinUsers: 1, MaxUsers: maxUsers, Free: true},
		{Code: "team-month", Name: "团队版 月付", MinUsers: 1, MaxUsers: 500, Period: shelf.PeriodMonth, Price: 300}}
	m.Trial, m.Activation = nil, shelf.ActivationFreeThenPaid
	return m
}

// approvedCool files and approves the world's cool app with m.
func (w *coolWorld) approvedCool(t *testing.T, m shelf.CoolMaterials) {
	t.Helper()
	w.passCoolSelfTest(t, true)
	a, err := w.s.SubmitCoolApp(context.Background(), w.cool.ID, w.partner.ID, m)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.DecideCoolApp(context.Background(), a.ID, w.admin.ID, shelf.ReviewDecision{Approve: true}); err != nil {
		t.Fatal(err)
	}
}

// coolCustomer is a customer org with an owner and members, and a group
// of the owner's with the given members in it.
func coolCustomer(t *testing.T, s *store.Store, members, inGroup int) (org *shelf.Org, owner *shelf.User, people []*shelf.User, g *shelf.Group) {
	t.Helper()
	ctx := context.Background()
	owner = MustUser(t, s, shelf.NewID("o")+"@example.com")
	org = MustOrg(t, s, "Galaxy", shelf.OrgCustomer, owner)
	var ids []string
	for i := range members {
		u := MustUser(t, s, shelf.NewID("m")+"@example.com")
		if _, _, err := s.AddMember(ctx, org.ID, u.Email, shelf.RoleMember, owner.ID); err != nil {
			t.Fatal(err)
		}
		people = append(people, u)
		if i < inGroup {
			ids = append(ids, u.ID)
		}
	}
	g, err := s.CreateGroup(ctx, org.ID, "项目群", owner.ID, ids)
	if err != nil {
		t.Fatal(err)
	}
	return org, owner, people, g
}

// testCoolFreeInGroup: installing a free cool app into a group gives the
// org the listing's free spec, as a free install of an org app does, so
// its members are entitled (every member while they fit the free spec);
// a second group changes nothing (nor does a refused install of a
// suspended partner's app); subscription.changed
// follows cool_app.installed in the org's stream.
func testCoolFreeInGroup(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t, nil)
	w := newCoolWorld(t, s)
	w.approvedCool(t, freeCoolMaterials(w.leaf.ID, w.icon, 30))
	org, owner, people, g := coolCustomer(t, s, 2, 1)
	if _, _, err := s.Install(ctx, shelf.NewInstallation{AppID: w.cool.ID, OrgID: org.ID, GroupID: g.ID, ByUserID: owner.ID}); err != nil {
		t.Fatal(err)
	}
	sub, err := s.Subscription(ctx, org.ID, w.cool.ID)
	if err != nil || sub.Kind != shelf.SubKindFree || sub.SpecCode != "free" || sub.Status != shelf.SubFree || !sub.AllMembers {
		t.Fatalf("subscription after a free group install = %+v, %v", sub, err)
	}
	es, err := s.Entitlements(ctx, w.cool.ID, org.ID, []string{owner.ID, people[0].ID, people[1].ID, "usr_stranger"})
	if err != nil {
		t.Fatal(err)
	}
	want := []shelf.EntitlementStatus{shelf.EntValid, shelf.EntValid, shelf.EntValid, shelf.EntNotInScope}
	for i, e := range es {
		if e.Status != want[i] {
			t.Errorf("entitlement %d = %s, want %s", i, e.Status, want[i])
		}
	}
	g2, err := s.CreateGroup(ctx, org.ID, "全员群", owner.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	// A suspended partner's cool app goes into no new group until reinstated.
	if _, err := s.SuspendPartner(ctx, w.org.ID, w.admin.ID, "投诉未处理"); err != nil {
		t.Fatal(err)
	}
	_, _, err = s.Install(ctx, shelf.NewInstallation{AppID: w.cool.ID, OrgID: org.ID, GroupID: g2.ID, ByUserID: owner.ID})
	WantCode(t, err, "partner_suspended")
	if _, err := s.ReinstatePartner(ctx, w.org.ID, w.admin.ID, "已整改"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Install(ctx, shelf.NewInstallation{AppID: w.cool.ID, OrgID: org.ID, GroupID: g2.ID, ByUserID: owner.ID}); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(eventTypes(t, s, w.cool.ID, org.ID), ",")
	if want := "cool_app.installed,subscription.changed,cool_app.installed"; got != want {
		t.Fatalf("events = %s, want %s", got, want)
	}
	if again, err := s.Subscription(ctx, org.ID, w.cool.ID); err != nil || again.ID != sub.ID || !again.StartsAt.Equal(sub.StartsAt) {
		t.Fatalf("a second group changed the subscription: %+v, %v", again, err)
	}
}

// testCoolFreeOverLimit: an org bigger than the free spec gets it with
// the installer's seat only (as InstallFree does): the others are not in
// scope until an admin assigns seats.
func testCoolFreeOverLimit(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t, nil)
	w := newCoolWorld(t, s)
	w.approvedCool(t, freeCoolMaterials(w.leaf.ID, w.icon, 2))
	org, owner, people, g := coolCustomer(t, s, 3, 3)
	if _, _, err := s.Install(ctx, shelf.NewInstallation{AppID: w.cool.ID, OrgID: org.ID, GroupID: g.ID, ByUserID: owner.ID}); err != nil {
		t.Fatal(err)
	}
	es, err := s.Entitlements(ctx, w.cool.ID, org.ID, []string{owner.ID, people[0].ID})
	if err != nil {
		t.Fatal(err)
	}
	if es[0].Status != shelf.EntValid || es[1].Status != shelf.EntNotInScope {
		t.Fatalf("entitlements = %+v", es)
	}
}

// testCoolPaidNeedsSeat: a paid cool app (no free spec) bought by the org
// entitles the seat holders only; installing it gives no licence of its
// own.
func testCoolPaidNeedsSeat(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t, nil)
	w := newCoolWorld(t, s)
	w.approvedCool(t, CoolMaterials(w.leaf.ID, w.icon))
	org, owner, people, g := coolCustomer(t, s, 60, 1)
	n := shelf.NewInstallation{AppID: w.cool.ID, OrgID: org.ID, GroupID: g.ID, ByUserID: owner.ID}
	_, _, err := s.Install(ctx, n)
	WantCode(t, err, "subscription_required")
	li, err := s.ListingForApp(ctx, w.cool.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.StartTrial(ctx, org.ID, li.ID, owner.ID); err != nil { // 50 users for 61 members: the owner's seat only
		t.Fatal(err)
	}
	if _, _, err := s.Install(ctx, n); err != nil {
		t.Fatal(err)
	}
	es, err := s.Entitlements(ctx, w.cool.ID, org.ID, []string{owner.ID, people[0].ID})
	if err != nil {
		t.Fatal(err)
	}
	if es[0].Status != shelf.EntValid || es[1].Status != shelf.EntNotInScope {
		t.Fatalf("entitlements = %+v", es)
	}
	sub, err := s.Subscription(ctx, org.ID, w.cool.ID)
	if err != nil || sub.Kind != shelf.SubKindTrial {
		t.Fatalf("the install changed the trial: %+v, %v", sub, err)
	}
}
