package ui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/web/webtest"
)

// A platform admin features listings on the admin page, orders them, and
// the home page (cached for visitors) shows them first, in that order;
// a listing not in the market is refused in the reader's language; no one
// else may change them.
func TestSearchFeaturedPage(t *testing.T) {
	f := webtest.New(t)
	id := f.SearchListingID
	attend, flow := id("larkattend"), id("larkflow")
	visitor := f.Browser()
	if _, body, _ := visitor.Get("/"); strings.Contains(body, `id="market-featured"`) {
		t.Fatal("featured shelf with nothing featured")
	}
	admin := f.Browser()
	admin.SignIn(demo.AdminEmail)
	post := func(b *webtest.Browser, form url.Values) (int, string, http.Header) {
		t.Helper()
		_, page, _ := b.Get("/admin/featured")
		form.Set("csrf_token", webtest.CSRFOf(t, page))
		return b.Post("/admin/featured", form)
	}
	for _, form := range []url.Values{
		{"op": {"add"}, "add_id": {attend}},
		{"op": {"add"}, "add_id": {flow}, "ids": {attend}},
		{"op": {"up:" + flow}, "ids": {attend, flow}},
	} {
		if status, body, _ := post(admin, form); status != http.StatusSeeOther {
			t.Fatalf("post %v = %d: %.500s", form, status, body)
		}
	}
	_, body, _ := visitor.Get("/")
	i := strings.Index(body, `id="market-featured"`)
	if i < 0 || strings.Index(body, `id="market"`) < i {
		t.Fatalf("home shows no featured shelf before the popular one: %.1500s", body)
	}
	featured := body[i:strings.Index(body, `id="market"`)]
	if a, b := strings.Index(featured, "云雀审批"), strings.Index(featured, "云雀考勤"); a < 0 || b < 0 || a > b {
		t.Errorf("featured shelf not in the admin's order: %.1500s", featured)
	}
	admin.Get("/lang?to=en&back=/admin/featured")
	status, body, _ := post(admin, url.Values{"op": {"add"}, "add_id": {id("everpos")}, "ids": {flow, attend}})
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, "not live in the market") || strings.Contains(body, "listing_not_in_market") {
		t.Errorf("featuring an own-channel listing = %d: %.800s", status, body)
	}
	other := f.Browser()
	other.SignIn(demo.OperatorEmail)
	if status, _, _ := post(other, url.Values{"op": {"remove:" + flow}, "ids": {flow, attend}}); status != http.StatusForbidden {
		t.Errorf("an operator changes the featured listings: %d", status)
	}
}
