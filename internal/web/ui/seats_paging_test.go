package ui_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store/storetest"
)

// TestSeatsAcrossPages: the seats page shows the org's members a page at a
// time, and saving one page changes the seats of its members only: a seat
// given on the second page survives saving the first (it used to be
// dropped, the first page's form replacing every seat).
func TestSeatsAcrossPages(t *testing.T) {
	w := newShopWorld(t)
	ctx := context.Background()
	db := storetest.OpenRaw(t, w.f.DSN())
	defer db.Close()
	at := w.f.Clock.Now().UnixMicro()
	for i := 1; i <= 70; i++ { // joined after the demo's members: pages two and on
		id := storetest.GenID("usr", i)
		if _, err := db.ExecContext(ctx, `INSERT INTO users (id, email, name, password_hash, created_at) VALUES ($1, $2, $3, 'x', $4)`,
			id, fmt.Sprintf("seat%d@gen.test", i), fmt.Sprintf("Seat member %d", i), at+int64(i)); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, `INSERT INTO memberships (org_id, user_id, role, created_at) VALUES ($1, $2, 'member', $3)`, w.org, id, at+int64(i)); err != nil {
			t.Fatal(err)
		}
	}
	_, page, _ := w.admin.Get(w.listingPath)
	if status, _, _ := post(t, w.admin, page, "/orgs/"+w.org+"/shop/"+w.rev.ListingID+"/trial", nil); status != http.StatusSeeOther {
		t.Fatalf("trial = %d", status)
	}
	seatsPath := "/orgs/" + w.org + "/subscriptions/" + w.rev.AppID + "/seats"
	shown := regexp.MustCompile(`name="shown" value="([^"]+)"`)
	next := regexp.MustCompile(`href="([^"]+)" rel="next"`)
	// save posts a page's form as a browser would: every member it shows,
	// those ticked.
	save := func(page string, ticked ...string) {
		t.Helper()
		form := url.Values{"user": ticked}
		for _, m := range shown.FindAllStringSubmatch(page, -1) {
			form.Add("shown", m[1])
		}
		if status, body, _ := post(t, w.admin, page, seatsPath, form); status != http.StatusSeeOther {
			t.Fatalf("save seats = %d: %.500s", status, body)
		}
	}
	_, first, _ := w.admin.Get(seatsPath)
	if n := len(shown.FindAllString(first, -1)); n != 50 {
		t.Fatalf("the first page shows %d members, want a page of 50", n)
	}
	link := next.FindStringSubmatch(first)
	if link == nil {
		t.Fatal("the seats page has no next page")
	}
	_, second, _ := w.admin.Get(html.UnescapeString(link[1]))
	later := storetest.GenID("usr", 70)
	mustContain(t, "second page of seats", second, `value="`+later+`"`)
	save(second, later)
	_, second, _ = w.admin.Get(html.UnescapeString(link[1]))
	if !regexp.MustCompile(`value="` + later + `" id="seat-` + later + `" checked`).MatchString(second) {
		t.Errorf("page 2 does not show %s's seat ticked", later)
	}
	_, first, _ = w.admin.Get(seatsPath)
	admin := w.f.World.Users[demo.CustomerEmail].ID
	save(first, admin)
	seats, err := w.f.Store.Seats(ctx, w.org, w.rev.AppID, shelf.PageReq{})
	if err != nil {
		t.Fatal(err)
	}
	holds := map[string]bool{}
	for _, s := range seats {
		holds[s.UserID] = true
	}
	if len(holds) != 2 || !holds[admin] || !holds[later] {
		t.Fatalf("seats after saving both pages = %v, want the admin and %s", holds, later)
	}
	// Unticking a member on their page takes their seat.
	_, second, _ = w.admin.Get(html.UnescapeString(link[1]))
	save(second)
	if seats, _ := w.f.Store.Seats(ctx, w.org, w.rev.AppID, shelf.PageReq{}); len(seats) != 1 || seats[0].UserID != admin {
		t.Fatalf("seats after unticking %s = %+v", later, seats)
	}
}
