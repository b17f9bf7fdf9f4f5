package search_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/search"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store/storetest"
)

func finds(t *testing.T, m *search.Market, q, id string) bool {
	t.Helper()
	res, err := m.Search(context.Background(), search.Request{Q: q, MinPrice: -1, MaxPrice: -1, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	return slices.ContainsFunc(res.Hits, func(h search.Hit) bool { return h.ID == id })
}

// within polls until ok or the deadline: a change must reach every node
// within a second.
func within(t *testing.T, d time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v", what, d)
		}
		time.Sleep(5 * time.Millisecond) // a poll interval, not a wait for the change
	}
}

// Two nodes on one database: what one approves or delists, the other
// finds or loses within a second, through the change feed. On SQLite,
// which one process owns, the same holds on the one node.
func TestMarketFreshOnEveryNode(t *testing.T) {
	for _, backend := range storetest.Backends(t) {
		t.Run(storetest.Name(backend), func(t *testing.T) {
			dsn := storetest.DSN(t, backend)
			a := storetest.OpenDSN(t, dsn, nil)
			b := a
			if backend == storetest.Postgres {
				b = storetest.OpenDSN(t, dsn, nil)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			ma, mb := search.NewMarket(a, nil), search.NewMarket(b, nil)
			go ma.Run(ctx)
			go mb.Run(ctx)
			shop := storetest.NewShop(t, a, nil) // approved on node a
			id := shop.Listing.ID
			within(t, time.Second, "approved on a, found on b", func() bool { return finds(t, mb, "CloudAttend", id) })
			if !finds(t, ma, "考勤", id) {
				t.Error("node a does not find what it approved")
			}
			if _, err := a.ChangeListing(ctx, id, shop.Partner.ID, shelf.ListingDelist, "升级"); err != nil {
				t.Fatal(err)
			}
			within(t, time.Second, "delisted on a, gone on b", func() bool { return !finds(t, mb, "CloudAttend", id) })
			if _, err := b.ChangeListing(ctx, id, shop.Partner.ID, shelf.ListingRelist, ""); err != nil {
				t.Fatal(err)
			}
			within(t, time.Second, "relisted on b, found on a", func() bool { return finds(t, ma, "kaoqin", id) })
			name := "打卡考勤"
			if _, err := a.UpdateCategory(ctx, shop.Listing.CategoryID, shelf.CategoryPatch{Name: &name}); err != nil {
				t.Fatal(err)
			}
			within(t, time.Second, "category renamed on a, found by its name on b", func() bool { return finds(t, mb, "打卡考勤", id) })
			// Featured on a: on b's home within a second, and b's version
			// (which its cached pages are kept at) moves on.
			v := mb.Version()
			if _, err := a.SetFeaturedListings(ctx, shop.Admin.ID, []string{id}); err != nil {
				t.Fatal(err)
			}
			within(t, time.Second, "featured on a, featured on b", func() bool {
				f, err := mb.Featured(ctx)
				return err == nil && len(f) == 1 && f[0].ID == id && mb.Version() != v
			})
		})
	}
}
