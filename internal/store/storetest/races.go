package storetest

import (
	"context"
	"sync"
	"testing"

	"github.com/shelfhq/shelf/internal/shelf"
)

var racesContract = map[string]func(t *testing.T, open Opener){
	"RaceDecide":    testRaceDecide,
	"RaceAdmins":    testRaceAdmins,
	"RaceInstall":   testRaceInstall,
	"RaceUninstall": testRaceUninstall,
	"RaceSignIn":    testRaceSignIn,
}

// testRaceSignIn: parallel guesses cannot get past the failure budget.
func testRaceSignIn(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t, nil)
	MustUser(t, s, "ann@example.com")
	var fns []func() error
	for i := 0; i < 16; i++ {
		fns = append(fns, func() error {
			_, err := s.Authenticate(ctx, "ann@example.com", "wrong-guess", "203.0.113.9")
			return err
		})
	}
	wrong := 0
	for _, err := range together(fns...) {
		switch shelf.ErrorKind(err) {
		case shelf.KindUnauthenticated:
			wrong++
		case shelf.KindRateLimited:
		default:
			t.Fatalf("guess: %v", err)
		}
	}
	if wrong != shelf.SignInAddrBudget {
		t.Fatalf("%d guesses were checked, want exactly the budget of %d", wrong, shelf.SignInAddrBudget)
	}
}

// together runs the functions at once, as two requests would.
func together(fns ...func() error) []error {
	errs := make([]error, len(fns))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, fn := range fns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = fn()
		}()
	}
	close(start)
	wg.Wait()
	return errs
}

// testRaceDecide: an approval and a rejection at the same moment: exactly
// one wins, and the vendor hears of that one only.
func testRaceDecide(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t, nil)
	for round := 0; round < 5; round++ {
		w := newListingWorld(t, s)
		w.passSelfTest(t)
		rev := w.submitted(t)
		errs := together(
			func() error {
				_, err := s.Decide(ctx, rev.ID, w.operator.ID, shelf.ReviewDecision{Approve: true})
				return err
			},
			func() error {
				_, err := s.Decide(ctx, rev.ID, w.operator.ID, shelf.ReviewDecision{Reason: "不符合规范"})
				return err
			},
		)
		if (errs[0] == nil) == (errs[1] == nil) {
			t.Fatalf("round %d: approve err=%v, reject err=%v: exactly one must win", round, errs[0], errs[1])
		}
		for _, err := range errs {
			if err != nil && shelf.ErrorKind(err) != shelf.KindConflict {
				t.Fatalf("the loser got %v, want a conflict", err)
			}
		}
		got, _ := s.Revision(ctx, rev.ID)
		li, _ := s.ListingForApp(ctx, w.app.ID)
		types := eventTypes(t, s, w.app.ID, w.org.ID)
		if len(types) != 1 || (got.State == shelf.RevisionApproved) != (li.State == shelf.ListingListed) {
			t.Fatalf("round %d: revision %s, listing %s, events %v", round, got.State, li.State, types)
		}
	}
}

// testRaceAdmins: two admins demoting each other at once never leave the
// org without an admin.
func testRaceAdmins(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t, nil)
	for round := 0; round < 5; round++ {
		a := MustUser(t, s, shelf.NewID("a")+"@example.com")
		b := MustUser(t, s, shelf.NewID("b")+"@example.com")
		o := MustOrg(t, s, "Org", shelf.OrgCustomer, a)
		if _, _, err := s.AddMember(ctx, o.ID, b.Email, shelf.RoleAdmin, a.ID); err != nil {
			t.Fatal(err)
		}
		together(
			func() error { return s.SetMemberRole(ctx, o.ID, a.ID, shelf.RoleMember, b.ID) },
			func() error { return s.SetMemberRole(ctx, o.ID, b.ID, shelf.RoleMember, a.ID) },
		)
		admins := 0
		members, _ := s.Members(ctx, o.ID, shelf.PageReq{})
		for _, m := range members {
			if m.Role == shelf.RoleAdmin {
				admins++
			}
		}
		if admins != 1 {
			t.Fatalf("round %d: %d admins left", round, admins)
		}
	}
}

// testRaceInstall: a double click installs once and tells the vendor once.
func testRaceInstall(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t, nil)
	w := newListingWorld(t, s)
	n := shelf.NewInstallation{AppID: w.app.ID, OrgID: w.testOrg.ID, ByUserID: w.partner.ID}
	var ids [3]string
	errs := together(
		func() error { in, _, err := s.Install(ctx, n); ids[0] = idOf(in); return err },
		func() error { in, _, err := s.Install(ctx, n); ids[1] = idOf(in); return err },
		func() error { in, _, err := s.Install(ctx, n); ids[2] = idOf(in); return err },
	)
	for _, err := range errs {
		if err != nil {
			t.Fatalf("install: %v", err)
		}
	}
	if ids[0] != ids[1] || ids[1] != ids[2] {
		t.Fatalf("installations %v, want one", ids)
	}
	if got := eventTypes(t, s, w.app.ID, w.testOrg.ID); len(got) != 1 {
		t.Fatalf("events %v, want one app.installed", got)
	}
}

func idOf(in *shelf.Installation) string {
	if in == nil {
		return ""
	}
	return in.ID
}

// testRaceUninstall: a double click on uninstall, and then on reinstall,
// changes the installation once and tells the vendor once each time.
func testRaceUninstall(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t, nil)
	w := newListingWorld(t, s)
	n := shelf.NewInstallation{AppID: w.app.ID, OrgID: w.testOrg.ID, ByUserID: w.partner.ID}
	in, _, err := s.Install(ctx, n)
	if err != nil {
		t.Fatal(err)
	}
	for round := 0; round < 5; round++ {
		for _, err := range together(
			func() error { return s.Uninstall(ctx, in.ID, w.partner.ID) },
			func() error { return s.Uninstall(ctx, in.ID, w.partner.ID) },
			func() error { return s.Uninstall(ctx, in.ID, w.partner.ID) },
		) {
			if err != nil {
				t.Fatalf("round %d: uninstall: %v", round, err)
			}
		}
		var created [3]bool
		for i, err := range together(
			func() error { _, c, err := s.Install(ctx, n); created[0] = c; return err },
			func() error { _, c, err := s.Install(ctx, n); created[1] = c; return err },
			func() error { _, c, err := s.Install(ctx, n); created[2] = c; return err },
		) {
			if err != nil {
				t.Fatalf("round %d: reinstall %d: %v", round, i, err)
			}
		}
		if k := countTrue(created[:]); k != 1 {
			t.Fatalf("round %d: %d reinstalls reported a change, want 1", round, k)
		}
	}
	count := map[string]int{}
	for _, typ := range eventTypes(t, s, w.app.ID, w.testOrg.ID) {
		count[typ]++
	}
	if count[shelf.EventAppUninstalled] != 5 || count[shelf.EventAppInstalled] != 6 {
		t.Fatalf("events %v, want 5 app.uninstalled and 6 app.installed", count)
	}
}

func countTrue(bs []bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}
