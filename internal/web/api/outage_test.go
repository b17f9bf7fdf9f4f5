package api_test

import (
	"context"
	"errors"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/httpx"
	"github.com/shelfhq/shelf/internal/web/webtest"
)

// TestOutageIsNotAUserMistake: when a read the handler branches on fails
// for a reason other than "not found", the caller gets a logged 500 with
// the generic message, never the 403, 404 or 422 a user's mistake gets.
func TestOutageIsNotAUserMistake(t *testing.T) {
	f, outage := webtest.NewOutage(t)
	ctx := context.Background()
	cust := f.World.Customer
	memberID := f.World.Users[demo.MemberEmail].ID
	// A group member@ owns (not an org admin), with a cool app installed in it.
	g, err := f.Store.CreateGroup(ctx, cust.ID, "outage group", memberID, nil)
	if err != nil {
		t.Fatal(err)
	}
	inst, _, err := f.Store.Install(ctx, shelf.NewInstallation{AppID: f.World.Apps["standup"].ID, OrgID: cust.ID, GroupID: g.ID, ByUserID: memberID})
	if err != nil {
		t.Fatal(err)
	}
	listed := f.RevisionIn("listed")
	for _, c := range []struct {
		name, broken, as, method, pattern string
		params                            map[string]string
		body                              any
	}{
		{"add to a group", "Group", demo.CustomerEmail, "POST", "/api/v1/orgs/{org}/groups/{group}/members",
			map[string]string{"org": cust.ID, "group": g.ID}, map[string]any{"user_id": memberID}},
		{"group owner installs", "Group", demo.MemberEmail, "POST", "/api/v1/orgs/{org}/installations",
			map[string]string{"org": cust.ID}, map[string]any{"app_id": f.World.Apps["grouptasks"].ID, "group_id": g.ID}},
		{"uninstall", "Installation", demo.CustomerEmail, "DELETE", "/api/v1/orgs/{org}/installations/{installation}",
			map[string]string{"org": cust.ID, "installation": inst.ID}, nil},
		{"group owner uninstalls", "Group", demo.MemberEmail, "DELETE", "/api/v1/orgs/{org}/installations/{installation}",
			map[string]string{"org": cust.ID, "installation": inst.ID}, nil},
		{"partner reads its listing", "MemberRole", demo.PartnerEmail, "GET", "/api/v1/listings/{listing}",
			map[string]string{"listing": listed.ListingID}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			f.T = t
			outage.Break(c.broken)
			defer outage.Heal()
			before := strings.Count(outage.Logged(), "internal error")
			r := f.Call(c.as, c.method, c.pattern, c.params, c.body)
			var e httpx.ErrorBody
			r.JSON(t, &e)
			if r.Status != 500 || e.Error.Code != "internal" || !strings.HasPrefix(e.Error.Message, "something went wrong on our side") {
				t.Errorf("with %s failing = %d %s, want 500 internal with the generic message", c.broken, r.Status, r.Body)
			}
			if strings.Contains(string(r.Body), webtest.ErrOutage.Error()) {
				t.Errorf("the database error reached the caller: %s", r.Body)
			}
			if after := strings.Count(outage.Logged(), "internal error"); after != before+1 {
				t.Errorf("the failure was not logged once (%d times): %s", after-before, outage.Logged())
			}
		})
	}
	// Healed, the same calls get their domain answers again: the group
	// owner may uninstall from their group.
	f.T = t
	if r := f.Call(demo.MemberEmail, "DELETE", "/api/v1/orgs/{org}/installations/{installation}", map[string]string{"org": cust.ID, "installation": inst.ID}, nil); r.Status != 204 {
		t.Fatalf("group owner uninstalls = %d %s", r.Status, r.Body)
	}
}

// TestUploadReadError: an upload whose body cannot be read is a logged
// 500, not the 422 of an image over the size limit.
func TestUploadReadError(t *testing.T) {
	f := webtest.New(t)
	body := io.MultiReader(strings.NewReader("\x89PNG\r\n"), iotest.ErrReader(errors.New("connection reset by peer")))
	req := httptest.NewRequest("POST", "/api/v1/orgs/"+f.World.Partner1.ID+"/media", body)
	req.Header.Set("Authorization", "Bearer "+f.Tokens[demo.PartnerEmail])
	req.Header.Set("Content-Type", "image/png")
	w := httptest.NewRecorder()
	f.Server.ServeHTTP(w, req)
	r := &webtest.Response{Status: w.Code, Header: w.Header(), Body: w.Body.Bytes()}
	if code, _ := r.ErrCode(t); r.Status != 500 || code != "internal" {
		t.Fatalf("unreadable upload = %d %s, want 500 internal", r.Status, r.Body)
	}
}
