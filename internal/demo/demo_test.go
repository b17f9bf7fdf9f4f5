package demo

import (
	"context"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store"
	"github.com/shelfhq/shelf/internal/store/storetest"
)

// TestSeedListings seeds a fresh database and checks the demo shows every
// listing state a newcomer should see, reviewed by the right operators,
// and that every listing passes the pre-submission check without a
// warning (the demo is what good listings look like).
func TestSeedListings(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t, storetest.SQLite, nil)
	start := time.Now()
	w, err := Seed(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("Seed took %v", time.Since(start))

	var all []shelf.ListingInfo
	for _, org := range []*shelf.Org{w.Partner1, w.Partner2} {
		list, err := s.PartnerListings(ctx, org.ID, shelf.PageReq{})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) < 5 {
			t.Errorf("partner %s has %d listings", org.Name, len(list))
		}
		all = append(all, list...)
	}
	states := map[shelf.ListingState]int{}
	pending := map[shelf.RevisionState]int{}
	var liveWithDraft, ownChannelOnly int
	for _, li := range all {
		states[li.State]++
		if li.Pending != nil {
			pending[li.Pending.State]++
			if li.Live != nil && li.Pending.State == shelf.RevisionDraft {
				liveWithDraft++
			}
		}
		if li.State == shelf.ListingListed && !li.Market {
			ownChannelOnly++
		}
		for _, rev := range []*shelf.RevisionInfo{li.Live, li.Pending} {
			if rev == nil {
				continue
			}
			for _, f := range shelf.Precheck(&rev.Revision) {
				if f.Code == "english_missing" {
					continue // most demo listings are Chinese only, so English pages show the fallback
				}
				t.Errorf("%s revision %d: %s %s: %s", rev.NameEn, rev.Number, f.Severity, f.Code, f.Message)
			}
		}
	}
	counts := []struct {
		what      string
		got, want int
	}{
		{"listings", len(all), len(demoApps) - 2}, // evermes is only self-tested; groupsignup waits as a cool-app application
		{"listed", states[shelf.ListingListed], 11},
		{"delisted", states[shelf.ListingDelisted], 1},
		{"unlisted (never approved)", states[shelf.ListingUnlisted], 2},
		{"in review", pending[shelf.RevisionSubmitted], 1},
		{"rejected", pending[shelf.RevisionRejected], 1},
		{"live with a new draft", liveWithDraft, 1},
		{"own channel only", ownChannelOnly, 1},
	}
	for _, c := range counts {
		if c.got != c.want {
			t.Errorf("%s: %d, want %d", c.what, c.got, c.want)
		}
	}
	market, err := s.MarketListings(ctx, "")
	if err != nil || len(market) != 10 {
		t.Fatalf("market = %d listings, %v; want 10", len(market), err)
	}
	checkReviews(t, s, w)
	checkSelfTestedOnly(t, s, w)
}

// checkReviews: each operator's queue holds only their categories' work,
// and the rejection and delisting carry their reasons.
func checkReviews(t *testing.T, s *store.Store, w *World) {
	t.Helper()
	ctx := context.Background()
	for email, want := range map[string]int{OperatorEmail: 0, Operator2Email: 1} {
		cats, err := s.OperatorCategories(ctx, w.Users[email].ID)
		if err != nil {
			t.Fatal(err)
		}
		q, err := s.ReviewQueue(ctx, shelf.ReviewScope{Categories: cats}, shelf.PageReq{})
		if err != nil || len(q) != want {
			t.Errorf("%s's queue = %+v, %v; want %d", email, q, err, want)
		}
	}
	inv, _ := s.ListingForApp(ctx, w.Apps["larkinvoice"].ID)
	if d := inv.Pending.Decision; d == nil || len(d.FieldReasons) != 1 || d.FieldReasons[0].Field != "description" || inv.Pending.DecidedBy != w.Users[Operator2Email].ID {
		t.Errorf("rejected revision = %+v", inv.Pending)
	}
	class, _ := s.ListingForApp(ctx, w.Apps["everclass"].ID)
	if class.DelistReason == "" || class.Live == nil {
		t.Errorf("delisted listing = %+v", class)
	}
	attend, _ := s.ListingForApp(ctx, w.Apps["larkattend"].ID)
	if attend.Live.DecidedBy != w.Users[OperatorEmail].ID || attend.Pending.Number != 2 || len(attend.Pending.Specs) <= len(attend.Live.Specs) {
		t.Errorf("attendance listing = live %+v pending %+v", attend.Live, attend.Pending)
	}
}

// checkSelfTestedOnly: one app has a current, passing self-test and no
// listing yet, ready for its partner to write one.
func checkSelfTestedOnly(t *testing.T, s *store.Store, w *World) {
	t.Helper()
	ctx := context.Background()
	app := w.Apps["evermes"]
	st, err := s.LatestSelfTest(ctx, app.ID)
	if err != nil || !st.Passed || !st.Current || st.TestOrgID != w.TestOrg2.ID {
		t.Fatalf("self-test of %s = %+v, %v", app.Name, st, err)
	}
	if _, err := s.ListingForApp(ctx, app.ID); shelf.ErrorKind(err) != shelf.KindNotFound {
		t.Fatalf("%s has a listing: %v", app.Name, err)
	}
}

// TestSeedCommerce: the customer org shows a trial, a paid subscription
// renewed once with seats, and an order waiting for payment.
func TestSeedCommerce(t *testing.T) {
	ctx := context.Background()
	s := storetest.Open(t, storetest.SQLite, nil)
	w, err := Seed(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	subs, err := s.Subscriptions(ctx, w.Customer.ID, shelf.PageReq{})
	if err != nil {
		t.Fatal(err)
	}
	status := map[string]shelf.SubStatus{}
	for _, sub := range subs {
		status[sub.AppID] = sub.Status
	}
	for slug, want := range map[string]shelf.SubStatus{"larkattend": shelf.SubTrial, "evercrm": shelf.SubActive, "larkflow": shelf.SubFree} {
		if got := status[w.Apps[slug].ID]; got != want {
			t.Errorf("%s: %q, want %q", slug, got, want)
		}
	}
	seats, err := s.Seats(ctx, w.Customer.ID, w.Apps["evercrm"].ID, shelf.PageReq{})
	if err != nil || len(seats) != 2 {
		t.Errorf("evercrm seats = %v, %v", seats, err)
	}
	orders, err := s.Orders(ctx, shelf.OrderQuery{OrgID: w.Customer.ID})
	if err != nil {
		t.Fatal(err)
	}
	states := map[shelf.OrderState]int{}
	types := map[shelf.OrderType]int{}
	for _, o := range orders {
		states[o.State]++
		types[o.Type]++
	}
	if states[shelf.OrderFulfilled] != 2 || states[shelf.OrderCreated] != 1 || types[shelf.OrderRenew] != 1 {
		t.Errorf("orders by state %v, by type %v", states, types)
	}
}
