package ui_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/shelf"

	"github.com/shelfhq/shelf/internal/web/webtest"
)

func TestSearchPages(t *testing.T) {
	f := webtest.New(t)
	b := f.Browser()
	status, body, _ := b.Get("/")
	if status != 200 || !strings.Contains(body, `id="market-new"`) || !strings.Contains(body, "热门应用") {
		t.Fatalf("home = %d, no popular and new shelves: %.300s", status, body)
	}
	_, body, _ = b.Get("/?q=" + url.QueryEscape("考勤"))
	if !strings.Contains(body, "云雀<mark>考勤</mark>") || !strings.Contains(body, `id="total"`) {
		t.Errorf("search 考勤 shows no highlighted result: %.2000s", body)
	}
	hr := f.World.Categories["HR"].ID
	_, body, _ = b.Get("/?q=" + url.QueryEscape("考勤") + "&category=" + hr)
	sub := body[strings.Index(body, `id="subcategories"`):]
	if !strings.Contains(sub, "q=%E8%80%83%E5%8B%A4") || !strings.Contains(sub, f.HRLeaf()) {
		t.Errorf("sub-category chips do not keep the query: %.600s", sub)
	}
	_, body, _ = b.Get("/?q=" + url.QueryEscape("收银"))
	if !strings.Contains(body, `id="market-empty"`) || !strings.Contains(body, `id="suggestions"`) {
		t.Errorf("a search finding nothing offers nothing: %.1500s", body)
	}
	if _, body, _ := b.Get("/?q=" + url.QueryEscape("考勤") + "&sort=rating"); !strings.Contains(body, `<option value="rating" selected>评分最高</option>`) {
		t.Errorf("the results page offers no rating order: %.300s", body)
	}
	if status, _, _ := b.Get("/?sort=bogus"); status != 422 {
		t.Errorf("bad sort: %d", status)
	}
	li, err := f.Store.ListingForApp(context.Background(), f.World.Apps["larkattend"].ID)
	if err != nil {
		t.Fatal(err)
	}
	_, body, _ = b.Get("/listings/" + li.ID)
	for _, want := range []string{`id="breadcrumb"`, `href="/partners/` + f.World.Partner1.ID + `"`, `id="trial-terms"`, "免费试用 15 天，最多 50 人使用", `id="updated"`, `id="privacy"`, `id="shop"`} {
		if !strings.Contains(body, want) {
			t.Errorf("listing page lacks %s", want)
		}
	}
	_, body, _ = b.Get("/partners/" + f.World.Partner1.ID)
	if !strings.Contains(body, "云雀考勤") || strings.Contains(body, "青松") {
		t.Errorf("partner page: %.1500s", body)
	}
	if status, _, _ := b.Get("/partners/" + f.World.Customer.ID); status != 404 {
		t.Errorf("a customer org's partner page: %d", status)
	}
}

// Public pages are cached, and a change to the market makes them stale.
func TestSearchPagesCacheFollowsChanges(t *testing.T) {
	f := webtest.New(t)
	b := f.Browser()
	li, err := f.Store.ListingForApp(context.Background(), f.World.Apps["larkattend"].ID)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if status, body, _ := b.Get("/listings/" + li.ID); status != 200 || !strings.Contains(body, "云雀考勤") {
			t.Fatalf("listing page: %d", status)
		}
		if _, body, _ := b.Get("/"); !strings.Contains(body, "云雀考勤") {
			t.Fatal("home lacks the listing")
		}
	}
	if _, err := f.Store.ChangeListing(context.Background(), li.ID, f.World.Users[demo.PartnerEmail].ID, shelf.ListingDelist, "升级"); err != nil {
		t.Fatal(err)
	}
	if status, _, _ := b.Get("/listings/" + li.ID); status != 404 {
		t.Errorf("delisted listing's page: %d, want 404", status)
	}
	if _, body, _ := b.Get("/"); strings.Contains(body, "云雀考勤") {
		t.Error("home still shows the delisted listing")
	}
}

func TestSearchSEO(t *testing.T) {
	f := webtest.New(t)
	b := f.Browser()
	li, err := f.Store.ListingForApp(context.Background(), f.World.Apps["larkattend"].ID)
	if err != nil {
		t.Fatal(err)
	}
	_, body, _ := b.Get("/listings/" + li.ID + "?lang=en")
	for _, want := range []string{`/listings/` + li.ID + `?lang=en">`, `<link rel="canonical" href="http`, `hreflang="zh-CN"`,
		`<meta property="og:title" content="Skylark Attendance">`, `"@type":"SoftwareApplication"`, `"@type":"Offer"`, `"priceCurrency":"CNY"`} {
		if !strings.Contains(body, want) {
			t.Errorf("English listing page lacks %s", want)
		}
	}
	status, body, _ := b.Get("/sitemap.xml")
	if status != 200 || !strings.Contains(body, "/listings/"+li.ID+"</loc>") || !strings.Contains(body, "/partners/"+f.World.Partner1.ID) {
		t.Errorf("sitemap: %d %.500s", status, body)
	}
	if _, body, _ := b.Get("/robots.txt"); !strings.Contains(body, "/sitemap.xml\n") || !strings.Contains(body, "Disallow: /api/") {
		t.Errorf("robots.txt: %s", body)
	}
	searchEnglishFallback(t, f)
}

// searchEnglishFallback: an English page shows the English description
// and spec names, and the Chinese ones, marked lang="zh-CN", only where
// there are none; a Chinese page never shows the English ones.
// TestSearchSEO runs it on its fixture.
func searchEnglishFallback(t *testing.T, f *webtest.Fixture) {
	b := f.Browser()
	page := func(app, lang string) string {
		t.Helper()
		_, body, _ := b.Get("/listings/" + f.SearchListingID(app) + lang)
		return body
	}
	for _, c := range []struct {
		name, app, lang string
		want, not       []string
	}{
		{"English texts", "larkattend", "?lang=en",
			[]string{`id="description" data-user><h2>What Skylark Attendance does</h2>`, `<span class="spec-name" data-user>Free (up to 10 people)</span>`,
				`<span class="spec-name" lang="zh-CN" data-user>标准版 · 51–500 人 · 月付</span>`},
			[]string{`id="description" lang="zh-CN"`, `<span class="spec-name">免费版`}},
		{"Chinese where no English", "larkflow", "?lang=en", []string{`id="description" lang="zh-CN"`}, nil},
		{"Chinese page", "larkattend", "", []string{`id="description" data-user><h2>云雀考勤是什么</h2>`, `<span class="spec-name" data-user>免费版（10 人以内）</span>`},
			[]string{"Free (up to 10 people)", `lang="zh-CN">标准版`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			body := page(c.app, c.lang)
			for _, w := range c.want {
				if !strings.Contains(body, w) {
					t.Errorf("lacks %s", w)
				}
			}
			for _, n := range c.not {
				if strings.Contains(body, n) {
					t.Errorf("holds %s", n)
				}
			}
		})
	}
}
