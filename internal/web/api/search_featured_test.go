package api_test

import (
	"context"
	"net/http"
	"slices"
	"testing"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/webtest"
)

// Platform admins pick and order the featured listings: only live market
// listings, each once; a refused list changes nothing.
func TestFeaturedListings(t *testing.T) {
	f := webtest.New(t)
	id := f.SearchListingID
	attend, flow := id("larkattend"), id("larkflow")
	set := func(ids ...string) *webtest.Response {
		return f.Call(demo.AdminEmail, "PUT", "/api/v1/platform/featured", nil, map[string]any{"listing_ids": ids})
	}
	res := set(flow, attend)
	if res.Status != http.StatusOK {
		t.Fatalf("set = %d %s", res.Status, res.Body)
	}
	var got struct{ Items []shelf.FeaturedListing }
	f.Call(demo.AdminEmail, "GET", "/api/v1/platform/featured", nil, nil).JSON(t, &got)
	if len(got.Items) != 2 || got.Items[0].ListingID != flow || got.Items[1].ListingID != attend || got.Items[1].Position != 2 ||
		got.Items[0].Name != "云雀审批" || !got.Items[0].Live {
		t.Fatalf("featured = %+v", got.Items)
	}
	for _, c := range []struct {
		name string
		ids  []string
		code string
	}{
		{"unknown", []string{attend, "lst_nope"}, "listing_unknown"},
		{"twice", []string{attend, attend}, "duplicate"},
		{"own channel only", []string{id("everpos")}, "listing_not_in_market"},
	} {
		t.Run(c.name, func(t *testing.T) {
			set(c.ids...).WantError(t, http.StatusUnprocessableEntity, c.code)
		})
	}
	f.Call(demo.AdminEmail, "GET", "/api/v1/platform/featured", nil, nil).JSON(t, &got)
	if len(got.Items) != 2 || got.Items[0].ListingID != flow {
		t.Errorf("a refused list changed the featured ones: %+v", got.Items)
	}
}

// marketSortRating: sort=rating puts the best rated first, whatever its
// installs; a rating's change reaches the index through its listing's
// key. TestMarketSearch runs it on its fixture (a demo market each costs
// seconds).
func marketSortRating(t *testing.T, f *webtest.Fixture) {
	t.Helper()
	ctx := context.Background()
	customer := f.World.Users[demo.CustomerEmail]
	popular := searchPage(t, f, "sort=popular&per_page=50")
	rated := ""
	// The least popular listing the demo customer may rate (one it has
	// installed), so that rating, not installs, puts it first.
	for i := len(popular.Items) - 1; i > 0 && rated == ""; i-- {
		it := popular.Items[i]
		_, err := f.Store.CreateRating(ctx, shelf.NewRating{ListingID: it.ID, OrgID: f.World.Customer.ID, ByUserID: customer.ID, Stars: 5, Text: "好用"})
		if err == nil {
			rated = it.Live.Name
		}
	}
	if rated == "" {
		t.Fatal("the demo customer could rate no live market listing but the most popular")
	}
	// Its place: after every listing whose visible ratings beat or tie one
	// of five stars, before every one they beat (ties go by installs).
	p := searchPage(t, f, "sort=rating&per_page=50")
	at := slices.Index(names(p), rated)
	for i, it := range p.Items {
		rs, err := f.Store.Ratings(ctx, it.ID)
		if err != nil {
			t.Fatal(err)
		}
		sum := shelf.Summarize(rs)
		beatsOrTies := sum.Average > 5 || sum.Average == 5 && sum.Count >= 1
		if i < at && !beatsOrTies || i > at && beatsOrTies && sum.Count > 1 {
			t.Errorf("sort=rating: %s (%.1f★ × %d) at %d, %s (5★ × 1) at %d: %v", it.Live.Name, sum.Average, sum.Count, i, rated, at, names(p))
		}
	}
	if p.Total != 10 || at < 0 {
		t.Errorf("sort=rating: %d found, %v; %s missing", p.Total, names(p), rated)
	}
}
