package storetest

import (
	"context"
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
