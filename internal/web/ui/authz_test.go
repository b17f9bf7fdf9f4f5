package ui_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/webtest"
)

// TestPagesAuthorization opens each page of the workflow as each kind of
// caller: the pages use the API's checks, and this shows they do.
func TestPagesAuthorization(t *testing.T) {
	f := webtest.New(t)
	submitted := f.RevisionIn("submitted")
	draft := f.RevisionIn("draft")
	order := f.FreshOrder(false)
	p1 := f.World.Partner1.ID
	for _, id := range []string{submitted.ID, submitted.AppID, draft.ID, draft.ListingID, p1} {
		if id == "" {
			t.Fatalf("an empty id would make a path no route matches, refused for everyone: %+v %+v", submitted, draft)
		}
	}
	ch, err := f.Store.CreatePromoChannel(context.Background(), shelf.NewPromoChannel{ListingID: order.ListingID, ByUserID: f.World.Users[demo.PartnerEmail].ID, Name: "海报"})
	if err != nil {
		t.Fatal(err)
	}
	browsers := map[string]*webtest.Browser{"": f.Browser()}
	for _, email := range []string{demo.MemberEmail, demo.PartnerEmail, "dev@shelf.test", demo.Partner2Email, demo.OperatorEmail, demo.AdminEmail} {
		b := f.Browser()
		b.SignIn(email)
		browsers[email] = b
	}
	// Statuses for: anonymous, member (customer), partner admin, partner member, other partner, operator, platform admin.
	who := []string{"", demo.MemberEmail, demo.PartnerEmail, "dev@shelf.test", demo.Partner2Email, demo.OperatorEmail, demo.AdminEmail}
	const signin = http.StatusSeeOther
	for _, c := range []struct {
		path string
		want [7]int
	}{
		{"/orgs/" + p1 + "/console", [7]int{signin, 404, 200, 200, 404, 404, 200}},
		{"/apps/" + submitted.AppID, [7]int{signin, 404, 200, 403, 404, 404, 404}},
		{"/apps/" + submitted.AppID + "/events", [7]int{signin, 404, 200, 200, 404, 404, 404}},
		{"/revisions/" + draft.ID + "/edit", [7]int{signin, 404, 200, 403, 404, 403, 403}},
		{"/review", [7]int{signin, 403, 403, 403, 403, 200, 200}},
		{"/review/" + submitted.ID, [7]int{signin, 404, 403, 403, 404, 200, 200}},
		{"/review/" + submitted.ID + "/preview", [7]int{signin, 404, 403, 403, 404, 200, 200}},
		{"/admin/audit", [7]int{signin, 403, 403, 403, 403, 403, 200}},
		{"/listings/" + draft.ListingID, [7]int{404, 404, 404, 404, 404, 404, 404}}, // never live
		{"/apps/" + order.AppID + "/sales", [7]int{signin, 404, 200, 403, 404, 404, 404}},
		{"/apps/" + order.AppID + "/sales/orders.csv", [7]int{signin, 404, 200, 403, 404, 404, 404}},
		{"/apps/" + order.AppID + "/sso", [7]int{signin, 404, 200, 403, 404, 404, 404}},
		{"/apps/" + order.AppID + "/channels", [7]int{signin, 404, 200, 403, 404, 404, 404}},
		{"/apps/" + order.AppID + "/funnel.csv", [7]int{signin, 404, 200, 403, 404, 404, 404}},
		{"/apps/" + order.AppID + "/channels/" + ch.Code + "/print", [7]int{signin, 404, 200, 403, 404, 404, 404}},
		{"/apps/" + order.AppID + "/channels/" + ch.Code + "/qr.svg", [7]int{signin, 404, 200, 403, 404, 404, 404}},
		{"/apps/" + order.AppID + "/channels/" + ch.Code + "/qr.png?size=200", [7]int{signin, 404, 200, 403, 404, 404, 404}},
		{"/admin/orders", [7]int{signin, 403, 403, 403, 403, 403, 200}},
		{"/admin/featured", [7]int{signin, 403, 403, 403, 403, 403, 200}},
		{"/admin/orders/" + order.ID, [7]int{signin, 403, 403, 403, 403, 403, 200}},
		{"/device", [7]int{signin, 200, 200, 200, 200, 200, 200}},
		{"/account", [7]int{signin, 200, 200, 200, 200, 200, 200}},
	} {
		for i, email := range who {
			status, body, h := browsers[email].Get(c.path)
			if status != c.want[i] {
				t.Errorf("GET %s as %q = %d, want %d", c.path, email, status, c.want[i])
			}
			switch {
			case status == signin && !strings.HasPrefix(h.Get("Location"), "/signin"):
				t.Errorf("GET %s as %q redirects to %q, not to sign in", c.path, email, h.Get("Location"))
			case status >= 400 && strings.Contains(body, "page not found"):
				// The catch-all answered: the route itself did not match.
				t.Errorf("GET %s as %q matched no page", c.path, email)
			}
		}
	}
}
