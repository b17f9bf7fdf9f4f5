package api_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/webtest"
)

// TestAppStateDerived walks apps through the listing workflow and reads
// each one's state from the API.
func TestAppStateDerived(t *testing.T) {
	f := webtest.New(t)
	fresh, _ := f.PartnerApp(shelf.AppOrg)
	apps := map[string]string{shelf.AppDraft: fresh.ID}
	for state, want := range map[string]string{"draft": shelf.AppSelfTested, "submitted": shelf.AppInReview, "listed": shelf.AppListed, "delisted": shelf.AppDelisted} {
		rev := f.RevisionIn(state)
		if state == "draft" { // a draft revision with a passing self-test
			app, _ := f.Store.App(context.Background(), rev.AppID)
			now := f.Clock.Now()
			if err := f.Store.RecordSelfTest(context.Background(), &shelf.SelfTest{AppID: app.ID, TestOrgID: f.World.TestOrg.ID, StartedBy: f.World.Users[demo.PartnerEmail].ID,
				ConfigHash: app.ConfigHash(), Passed: true, Checks: []shelf.SelfTestCheck{}, StartedAt: now, FinishedAt: now}); err != nil {
				t.Fatal(err)
			}
		}
		apps[want] = rev.AppID
	}
	for want, id := range apps {
		r := f.Call(demo.PartnerEmail, "GET", "/api/v1/apps/{app}", map[string]string{"app": id}, nil)
		var a shelf.App
		r.JSON(t, &a)
		if a.State != want {
			t.Errorf("app %s: state %q, want %q", id, a.State, want)
		}
		webtest.CheckOpenAPI(t, "GET", "/api/v1/apps/{app}", r)
	}
	// Changing the launch URL makes the self-test stale: back to draft.
	if r := f.Call(demo.PartnerEmail, "PATCH", "/api/v1/apps/{app}", map[string]string{"app": apps[shelf.AppSelfTested]}, map[string]any{"launch_url": "https://launch.example.com/new"}); r.Status != 200 || !strings.Contains(string(r.Body), `"state":"draft"`) {
		t.Errorf("after a URL change: %d %s", r.Status, r.Body)
	}
}

func TestCategoryTreeAndMediaURL(t *testing.T) {
	f := webtest.New(t)
	r := f.Call("", "GET", "/api/v1/categories", nil, nil)
	var list struct{ Items []shelf.Category }
	r.JSON(t, &list)
	webtest.CheckOpenAPI(t, "GET", "/api/v1/categories", r)
	leaf := f.HRLeaf()
	for _, c := range list.Items {
		if c.ID == leaf && (!c.IsLeaf || len(c.Path) != 2 || c.Path[1] != leaf) {
			t.Errorf("HR leaf: %+v", c)
		}
		if c.ParentID == "" && c.IsLeaf {
			for _, d := range list.Items {
				if d.ParentID == c.ID {
					t.Errorf("%s has children but is a leaf", c.ID)
				}
			}
		}
	}
	rev := f.RevisionIn("draft")
	r = f.Call(demo.PartnerEmail, "GET", "/api/v1/revisions/{rev}", map[string]string{"rev": rev.ID}, nil)
	if want := fmt.Sprintf(`"url":"/media/%s"`, rev.Icon.ID); !strings.Contains(string(r.Body), want) {
		t.Errorf("revision without %s: %s", want, r.Body)
	}
	if code, _, _ := f.Browser().Get("/media/" + rev.Icon.ID); code != 200 {
		t.Errorf("GET the icon's url: %d", code)
	}
}

// TestAppInstallationsPaged installs an app into several orgs and walks
// the pages: every org once, in order, then an empty next_cursor.
func TestAppInstallationsPaged(t *testing.T) {
	f := webtest.New(t)
	app := f.RevisionIn("listed")
	ctx := context.Background()
	want := map[string]bool{}
	for _, org := range []*shelf.Org{f.World.Customer, f.World.TestOrg} {
		admin := f.World.Users[demo.CustomerEmail].ID
		if org == f.World.TestOrg {
			admin = f.World.Users[demo.PartnerEmail].ID
		}
		if _, _, err := f.Store.Install(ctx, shelf.NewInstallation{AppID: app.AppID, OrgID: org.ID, ByUserID: admin}); err != nil {
			t.Fatal(err)
		}
		want[org.ID] = true
	}
	p := map[string]string{"app": app.AppID}
	seen, cursor, last := map[string]bool{}, "", ""
	for pages := 0; ; pages++ {
		r := f.CallQuery("dev@shelf.test", "GET", "/api/v1/apps/{app}/installations", p, "limit=1&cursor="+cursor, nil)
		webtest.CheckOpenAPI(t, "GET", "/api/v1/apps/{app}/installations", r)
		var page struct {
			Items      []shelf.AppInstallation
			NextCursor string `json:"next_cursor"`
		}
		r.JSON(t, &page)
		if r.Status != 200 || len(page.Items) > 1 || pages > len(want) {
			t.Fatalf("page %d: %d %s", pages, r.Status, r.Body)
		}
		for _, i := range page.Items {
			if seen[i.OrgID] || i.ID <= last || i.OrgName == "" {
				t.Errorf("page %d repeats or disorders %+v", pages, i)
			}
			seen[i.OrgID], last = true, i.ID
		}
		if cursor = page.NextCursor; cursor == "" {
			break
		}
	}
	if len(seen) != len(want) {
		t.Errorf("saw %v, want %v", seen, want)
	}
	// A limit out of its documented range is refused before the handler
	// (422, from openapi.yaml); a cursor this endpoint did not make by it.
	for q, want := range map[string]struct {
		status int
		code   string
	}{"limit=0": {422, "out_of_range"}, "limit=201": {422, "out_of_range"}, "limit=x": {422, "invalid_parameter"}, "cursor=%25%25": {400, "invalid_cursor"}} {
		f.CallQuery(demo.PartnerEmail, "GET", "/api/v1/apps/{app}/installations", p, q, nil).WantError(t, want.status, want.code)
	}
}
