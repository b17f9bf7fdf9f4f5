package api_test

import (
	"context"
	"net/http"
	"slices"
	"testing"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/api"
	"github.com/shelfhq/shelf/internal/web/webtest"
)

func searchPage(t *testing.T, f *webtest.Fixture, query string) api.SearchPage {
	t.Helper()
	res := f.CallQuery("", "GET", "/api/v1/listings", nil, query, nil)
	if res.Status != http.StatusOK {
		t.Fatalf("search %s: %d %s", query, res.Status, res.Body)
	}
	var p api.SearchPage
	res.JSON(t, &p)
	return p
}

func names(p api.SearchPage) []string {
	var out []string
	for _, it := range p.Items {
		out = append(out, it.Live.Name)
	}
	return out
}

func TestMarketSearch(t *testing.T) {
	f := webtest.New(t)
	all := searchPage(t, f, "per_page=50")
	if all.Total != 10 || len(all.Items) != 10 {
		t.Fatalf("the demo market has %d listings (%d on the page), want its 10 live ones: %v", all.Total, len(all.Items), names(all))
	}
	if slices.Contains(names(all), "青松收银") {
		t.Error("an own-channel-only listing is in the market")
	}
	for _, q := range []string{"q=云雀", "q=Skyl"} {
		if p := searchPage(t, f, q); !slices.Contains(names(p), "云雀考勤") || slices.Contains(names(p), "青松客户") {
			t.Errorf("%s: found %v", q, names(p))
		}
	}
	for _, q := range []string{"q=考勤", "q=kaoqin", "q=kq", "q=attendence"} {
		p := searchPage(t, f, q)
		if len(p.Items) == 0 || p.Items[0].Live.Name != "云雀考勤" {
			t.Errorf("%s: found %v, want 云雀考勤 first", q, names(p))
			continue
		}
		it := p.Items[0]
		if it.Partner.Name == "" || it.Partner.ID != f.World.Partner1.ID {
			t.Errorf("%s: partner %+v", q, it.Partner)
		}
		if len(it.Highlights) == 0 {
			t.Errorf("%s: no highlights", q)
		}
	}
	if h := searchPage(t, f, "q=考勤").Items[0].Highlights["name"]; h != "云雀<mark>考勤</mark>" {
		t.Errorf("name highlight %q", h)
	}
	none := searchPage(t, f, "q=收银")
	if none.Total != 0 || len(none.Suggestions) == 0 {
		t.Errorf("an own-channel listing's word: total %d, suggestions %v; want none found and suggestions", none.Total, none.Suggestions)
	}
	hr := searchPage(t, f, "category="+f.World.Categories["HR"].ID+"&per_page=50")
	if !slices.Contains(names(hr), "云雀考勤") || slices.Contains(names(hr), "青松客户") {
		t.Errorf("category HR (a parent) finds %v", names(hr))
	}
	page2 := searchPage(t, f, "per_page=4&page=3&sort=newest")
	if len(page2.Items) != 2 || page2.Page != 3 || page2.PerPage != 4 || page2.Total != 10 {
		t.Errorf("page 3 of 4: %d items, page %d, per page %d, total %d", len(page2.Items), page2.Page, page2.PerPage, page2.Total)
	}
	free := searchPage(t, f, "free=true&per_page=50")
	for _, it := range free.Items {
		if !it.Live.HasFreeSpec() {
			t.Errorf("free=true finds %s without a free spec", it.Live.Name)
		}
	}
	// Last, as it rates a listing: sort=rating (marketSortRating).
	marketSortRating(t, f)
}

func TestMarketSearchBadInput(t *testing.T) {
	f := webtest.New(t)
	for _, c := range []struct{ query, field string }{
		{"category=nope", "category"},
		{"sort=best", "sort"},
		{"page=99", "page"},
		{"page=0", "page"},
		{"per_page=0", "per_page"},
		{"per_page=51", "per_page"},
		{"free=maybe", "free"},
		{"trial=2", "trial"},
		{"min_price=-1", "min_price"},
		{"min_price=500&max_price=100", "max_price"},
	} {
		res := f.CallQuery("", "GET", "/api/v1/listings", nil, c.query, nil)
		if _, field := res.ErrCode(t); res.Status != http.StatusUnprocessableEntity || field != c.field {
			t.Errorf("%s: %d %s, want 422 on %s", c.query, res.Status, res.Body, c.field)
		}
	}
}

func TestMarketSuggest(t *testing.T) {
	f := webtest.New(t)
	var out struct {
		Items []struct{ Name, Highlight string }
	}
	f.CallQuery("", "GET", "/api/v1/listings/suggest", nil, "q=考", nil).JSON(t, &out)
	if len(out.Items) == 0 || out.Items[0].Name != "云雀考勤" || out.Items[0].Highlight != "云雀<mark>考</mark>勤" {
		t.Errorf("suggest 考: %+v", out.Items)
	}
	f.CallQuery("", "GET", "/api/v1/listings/suggest", nil, "q=", nil).JSON(t, &out)
	if len(out.Items) != 0 {
		t.Errorf("suggest nothing: %+v", out.Items)
	}
}

// What a node commits it finds at once: approval, delisting, relisting.
func TestMarketSearchIsFresh(t *testing.T) {
	f := webtest.New(t)
	ctx := context.Background()
	found := func() bool {
		return slices.Contains(names(searchPage(t, f, "q=CloudAttend")), "云考勤")
	}
	if found() {
		t.Fatal("found before approval")
	}
	rev := f.RevisionIn("listed")
	if !found() {
		t.Fatal("not found once approved")
	}
	partner := f.World.Users[demo.PartnerEmail].ID
	if _, err := f.Store.ChangeListing(ctx, rev.ListingID, partner, shelf.ListingDelist, "升级"); err != nil {
		t.Fatal(err)
	}
	if found() {
		t.Fatal("found once delisted")
	}
	if _, err := f.Store.ChangeListing(ctx, rev.ListingID, partner, shelf.ListingRelist, ""); err != nil {
		t.Fatal(err)
	}
	if !found() {
		t.Fatal("not found once relisted")
	}
}
