package demo

import (
	"context"
	"testing"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store/storetest"
)

// TestSeedCool: the demo's cool apps came the seed's way. Skylark is a
// member of the partner program through an approved application; its
// live cool apps were approved cool-app applications (with their
// declarations) and none went through the category operators; one
// application waits in the platform operators' queue; Aurora's program
// application waits for the admin.
func TestSeedCool(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t, storetest.SQLite, nil)
	w, err := Seed(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	st, err := s.PartnerStatus(ctx, w.Partner1.ID)
	if err != nil || st.Standing != shelf.StandingMember || st.Latest == nil || st.Latest.State != shelf.PartnerApproved {
		t.Fatalf("Skylark's standing = %+v, %v", st, err)
	}
	pending, err := s.PartnerApplications(ctx, shelf.PartnerPending, "", 10)
	if err != nil || len(pending) != 1 || pending[0].OrgID != w.Partner3.ID {
		t.Fatalf("pending program applications = %+v, %v", pending, err)
	}
	for _, slug := range []string{"standup", "grouptasks"} {
		app := w.Apps[slug]
		history, err := s.AppCoolApplications(ctx, app.ID, "", 10)
		if err != nil || len(history) != 1 || history[0].State != shelf.CoolApproved {
			t.Fatalf("%s's applications = %+v, %v", slug, history, err)
		}
		decl, err := s.CoolApp(ctx, app.ID)
		if err != nil || len(decl.EntryPoints) == 0 || len(decl.Permissions) == 0 || len(decl.Scenarios) == 0 {
			t.Fatalf("%s's declaration = %+v, %v", slug, decl, err)
		}
		li, err := s.ListingForApp(ctx, app.ID)
		if err != nil || li.State != shelf.ListingListed || li.Live == nil || li.Live.DecidedBy != w.Users[AdminEmail].ID {
			t.Fatalf("%s's listing = %+v, %v", slug, li, err)
		}
	}
	queue, err := s.CoolAppQueue(ctx, shelf.CoolSubmitted, "", 10)
	if err != nil || len(queue) != 1 || queue[0].AppID != w.Apps["groupsignup"].ID {
		t.Fatalf("the operators' queue = %+v, %v", queue, err)
	}
}
