package storetest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/shelfhq/shelf/internal/shelf"
)

// searchContract: what the market's search index and page caches need
// from storage.
var searchContract = map[string]func(t *testing.T, open Opener){
	"MarketChangesAreHeard": testMarketChanges,
	"InstallCounts":         testInstallCounts,
	"SearchRatings":         testSearchRatings,
	"FeaturedListings":      testFeaturedListings,
}

// Every change to a listing's presence in the market, and to the
// category tree, is heard through the change feed after commit.
func testMarketChanges(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t, nil)
	w := newListingWorld(t, s)
	w.passSelfTest(t)
	var mu sync.Mutex
	var heard []string
	s.OnChange(func(keys []string) {
		mu.Lock()
		heard = append(heard, keys...)
		mu.Unlock()
	})
	took := func(want string) {
		t.Helper()
		mu.Lock()
		defer mu.Unlock()
		if !slices.Contains(heard, want) {
			t.Errorf("heard %v, want %s among them", heard, want)
		}
		heard = nil
	}
	rev := w.submitted(t)
	if _, err := s.Decide(ctx, rev.ID, w.operator.ID, shelf.ReviewDecision{Approve: true}); err != nil {
		t.Fatal(err)
	}
	took(shelf.ChangeListing(rev.ListingID))
	for _, a := range []struct {
		action shelf.ListingAction
		reason string
	}{{shelf.ListingDelist, "升级中"}, {shelf.ListingRelist, ""}, {shelf.ListingTakedown, "违规"}} {
		if _, err := s.ChangeListing(ctx, rev.ListingID, w.operator.ID, a.action, a.reason); err != nil {
			t.Fatal(err)
		}
		took(shelf.ChangeListing(rev.ListingID))
	}
	name := "考勤打卡"
	if _, err := s.UpdateCategory(ctx, w.leaf.ID, shelf.CategoryPatch{Name: &name}); err != nil {
		t.Fatal(err)
	}
	took(shelf.ChangeCategories)
	if _, err := s.CreateCategory(ctx, shelf.NewCategory{ParentID: w.parent.ID, Name: "排班", NameEn: "Shifts"}); err != nil {
		t.Fatal(err)
	}
	took(shelf.ChangeCategories)
	if id, ok := shelf.ChangedListing(shelf.ChangeListing("l1")); !ok || id != "l1" {
		t.Errorf("ChangedListing(ChangeListing(l1)) = %q, %v", id, ok)
	}
}

func testInstallCounts(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t, nil)
	sh := NewShop(t, s, nil)
	count := func() int64 {
		t.Helper()
		got, err := s.InstallCounts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return got[sh.App.ID]
	}
	if n := count(); n != 0 {
		t.Fatalf("before installing: %d", n)
	}
	in, _, err := s.Install(ctx, shelf.NewInstallation{AppID: sh.App.ID, OrgID: sh.Customer.ID, ByUserID: sh.Admin.ID})
	if err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 1 {
		t.Errorf("installed once: %d", n)
	}
	if err := s.Uninstall(ctx, in.ID, sh.Admin.ID); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 0 {
		t.Errorf("uninstalled: %d", n)
	}
}

// The market sorts by the visible ratings: a hidden one leaves the count
// and the stars; asked for one listing, only it is given.
func testSearchRatings(t *testing.T, open Opener) {
	ctx := context.Background()
	sh := NewShop(t, open(t, nil), nil)
	s := sh.S
	got := func(id string) map[string]shelf.SearchRating {
		t.Helper()
		m, err := s.SearchRatings(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	if m := got(""); len(m) != 0 {
		t.Fatalf("no ratings yet: %v", m)
	}
	var ids []string
	for i, stars := range []int{5, 2} {
		admin := MustUser(t, s, shelf.NewID("r")+"@example.com")
		org := MustOrg(t, s, fmt.Sprint("Rater ", i), shelf.OrgCustomer, admin)
		if _, err := s.StartTrial(ctx, org.ID, sh.Listing.ID, admin.ID); err != nil {
			t.Fatal(err)
		}
		r, err := s.CreateRating(ctx, shelf.NewRating{ListingID: sh.Listing.ID, OrgID: org.ID, ByUserID: admin.ID, Stars: stars, Text: "ok"})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	if r := got("")[sh.Listing.ID]; r != (shelf.SearchRating{Count: 2, Stars: 7}) || r.Average() != 3.5 {
		t.Errorf("all listings: %+v", r)
	}
	if _, err := s.HideRating(ctx, ids[1], sh.Partner.ID, "abusive"); err != nil {
		t.Fatal(err)
	}
	if m := got(sh.Listing.ID); len(m) != 1 || m[sh.Listing.ID] != (shelf.SearchRating{Count: 1, Stars: 5}) {
		t.Errorf("one listing, after hiding: %v", m)
	}
	if m := got("no-such-listing"); len(m) != 0 {
		t.Errorf("another listing: %v", m)
	}
}
