package ui_test

import (
	"strings"
	"testing"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/web/webtest"
)

// TestPagesOutage: a page whose reads fail for a reason other than "not
// found" is a 500 error page with the generic message, never a 403 or 404
// page that blames the user.
func TestPagesOutage(t *testing.T) {
	f, outage := webtest.NewOutage(t)
	b := f.Browser()
	b.SignIn(demo.PartnerEmail)
	for _, c := range []struct{ broken, path string }{
		{"IsInstalled", "/orgs/" + f.World.Partner1.ID + "/console"},
		{"MemberRole", "/listings/" + f.RevisionIn("listed").ListingID},
	} {
		outage.Break(c.broken)
		status, body, _ := b.Get(c.path)
		outage.Heal()
		if status != 500 || !strings.Contains(body, "something went wrong on our side") || strings.Contains(body, webtest.ErrOutage.Error()) {
			t.Errorf("GET %s with %s failing = %d, want the generic 500 page: %.300s", c.path, c.broken, status, body)
		}
		if status, _, _ := b.Get(c.path); status != 200 {
			t.Errorf("GET %s healed = %d", c.path, status)
		}
	}
}
