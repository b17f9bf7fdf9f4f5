package storetest

import (
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/shelfhq/shelf/internal/shelf"
)

// testFeaturedListings: platform admins' featured listings keep their
// order; only listings live in the market may be put there, each once;
// every change is heard on the change feed; a listing that leaves the
// market keeps its place, not live.
func testFeaturedListings(t *testing.T, open Opener) {
	ctx := context.Background()
	sh := NewShop(t, open(t, nil), nil)
	s := sh.S
	var mu sync.Mutex
	heard := 0
	s.OnChange(func(keys []string) {
		mu.Lock()
		defer mu.Unlock()
		if slices.Contains(keys, shelf.ChangeFeatured) {
			heard++
		}
	})
	if fs, err := s.FeaturedListings(ctx); err != nil || len(fs) != 0 {
		t.Fatalf("none yet: %v, %v", fs, err)
	}
	id := sh.Listing.ID
	for _, c := range []struct {
		ids  []string
		code string
	}{
		{[]string{"lst_nope"}, "listing_unknown"},
		{[]string{id, id}, "duplicate"},
		{[]string{""}, "required"},
		{slices.Repeat([]string{id}, shelf.MaxFeatured+1), "too_many"},
	} {
		_, err := s.SetFeaturedListings(ctx, sh.Admin.ID, c.ids)
		WantCode(t, err, c.code)
	}
	fs, err := s.SetFeaturedListings(ctx, sh.Admin.ID, []string{id})
	if err != nil || len(fs) != 1 || fs[0].ListingID != id || fs[0].Position != 1 || !fs[0].Live || fs[0].Name != sh.Listing.Live.Name || fs[0].AddedBy != sh.Admin.ID {
		t.Fatalf("set = %+v, %v", fs, err)
	}
	mu.Lock()
	if heard != 1 {
		t.Errorf("heard the change %d times, want 1 (refusals change nothing)", heard)
	}
	mu.Unlock()
	if _, err := s.ChangeListing(ctx, id, sh.Partner.ID, shelf.ListingDelist, "升级中"); err != nil {
		t.Fatal(err)
	}
	if fs, _ = s.FeaturedListings(ctx); len(fs) != 1 || fs[0].Live {
		t.Errorf("delisted: %+v, want kept, not live", fs)
	}
	_, err = s.SetFeaturedListings(ctx, sh.Admin.ID, []string{id})
	WantCode(t, err, "listing_not_in_market")
	if fs, err = s.SetFeaturedListings(ctx, sh.Admin.ID, nil); err != nil || len(fs) != 0 {
		t.Errorf("cleared: %+v, %v", fs, err)
	}
}
