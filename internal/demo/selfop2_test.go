package demo

import (
	"context"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store/storetest"
)

// TestSeedSelfop2: with a clock it can move (the tests' manual clock, the
// server's shift clock), the demo shows leads in every state, three months
// of orders with a refund and the first statement closed, tickets in every
// state, reviews with replies and one hidden (its org told); the shift
// clock is back at the real time after.
func TestSeedSelfop2(t *testing.T) {
	for name, clock := range map[string]shelf.Clock{"manual": shelf.NewManualClock(storetest.Epoch), "shift": &shelf.ShiftClock{}} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			s := storetest.Open(t, storetest.SQLite, clock)
			w, err := Seed(ctx, s)
			if err != nil {
				t.Fatal(err)
			}
			if d := time.Since(clock.Now()); name == "shift" && (d > time.Second || d < -time.Second) {
				t.Fatalf("the shift clock is %v off after seeding", d)
			}
			states := map[string]bool{}
			for _, p := range []*shelf.Org{w.Partner1, w.Partner2} {
				ls, err := s.Leads(ctx, shelf.LeadFilter{PartnerID: p.ID, Now: clock.Now(), Limit: 50})
				if err != nil {
					t.Fatal(err)
				}
				for _, l := range ls {
					states[string(l.State)] = true
					states["overdue"] = states["overdue"] || l.Overdue
				}
				ts, err := s.Tickets(ctx, shelf.TicketFilter{PartnerID: p.ID, Limit: 50})
				if err != nil {
					t.Fatal(err)
				}
				for _, tk := range ts {
					states[string(tk.State)] = true
				}
			}
			for _, want := range []string{"new", "contacted", "won", "lost", "overdue", "open", "answered", "waiting_customer", "closed"} {
				if !states[want] {
					t.Errorf("no %s lead or ticket: %v", want, states)
				}
			}
			sts, err := s.Statements(ctx, w.Partner2.ID, "", shelf.PageReq{})
			if err != nil || len(sts) < 4 {
				t.Fatalf("statements = %+v, %v", sts, err)
			}
			refunds := 0
			for _, st := range sts {
				refunds += st.Refunds
			}
			if oldest := sts[len(sts)-1]; oldest.State != shelf.StatementClosed || refunds != 1 {
				t.Errorf("oldest statement %+v, %d refunds", oldest, refunds)
			}
			li, err := s.ListingForApp(ctx, w.Apps["evercrm"].ID)
			if err != nil {
				t.Fatal(err)
			}
			rs, err := s.Ratings(ctx, li.ID)
			if err != nil || len(rs) != 2 || rs[0].Hidden == rs[1].Hidden || rs[0].Reply+rs[1].Reply == "" {
				t.Fatalf("reviews = %+v, %v", rs, err)
			}
			if ns, err := s.Notices(ctx, w.Polaris.ID, shelf.FirstPage(5)); err != nil || len(ns) != 1 || ns[0].Kind != "rating.hidden" {
				t.Fatalf("Polaris's notices = %+v, %v", ns, err)
			}
		})
	}
}
