package store_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/events"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store"
	"github.com/shelfhq/shelf/internal/store/storetest"
	"github.com/shelfhq/shelf/sdk"
)

// oldDelivery is a deliveries row as Shelf kept it before migration 00011.
type oldDelivery struct {
	seq      int64
	state    shelf.DeliveryState // "" : the row was pruned
	queued   bool
	attempts int
	lease    string // lease id; the owner is "n-old", until a minute past Epoch
}

// TestMigrateDeliveryStreams upgrades a database holding deliveries in
// every state (delivered, pending heads and followers, a head retried and
// one leased by a node that died, parked, failed, pruned) to per-stream
// state (and back, and up again), checks the delivery log shows each as
// before, then delivers:
// every event still to send reaches the endpoint exactly once, each
// stream's pending events in seq order, and nothing delivered or failed is
// sent again.
func TestMigrateDeliveryStreams(t *testing.T) {
	for _, backend := range storetest.Backends(t) {
		t.Run(storetest.Name(backend), func(t *testing.T) { testMigrateDeliveryStreams(t, backend) })
	}
}

func testMigrateDeliveryStreams(t *testing.T, backend string) {
	ctx := context.Background()
	var mu sync.Mutex
	var got []string
	rs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.Header.Get(sdk.HeaderEventID))
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	defer rs.Close()

	clock := shelf.NewManualClock(storetest.Epoch)
	s, err := store.Open(ctx, storetest.DSN(t, backend), store.Options{Clock: clock, SecretBox: storetest.TestBox(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.MigrateTo(ctx, 10); err != nil {
		t.Fatal(err)
	}
	a, _ := storetest.MustApp(t, s, rs.URL)
	streams := map[string][]oldDelivery{
		"A": {{1, shelf.DeliveryDelivered, false, 1, ""}, {2, shelf.DeliveryFailed, false, 30, ""}, {3, shelf.DeliveryDelivered, false, 2, ""},
			{4, shelf.DeliveryParked, true, 5, ""}, {5, shelf.DeliveryPending, true, 2, ""}, {6, shelf.DeliveryPending, false, 0, ""},
			{7, shelf.DeliveryPending, false, 0, ""}},
		"B": {{1, shelf.DeliveryDelivered, false, 1, ""}, {2, shelf.DeliveryDelivered, false, 1, ""}},
		"C": {{1, shelf.DeliveryPending, true, 0, "lease_old"}, {2, shelf.DeliveryPending, false, 0, "lease_old"}, {3, shelf.DeliveryPending, false, 0, ""}},
		"D": {{1, "", false, 0, ""}, {2, shelf.DeliveryDelivered, false, 1, ""}, {3, shelf.DeliveryParked, true, 1, ""}, {4, shelf.DeliveryFailed, false, 3, ""}},
	}
	ids := map[string]string{}                  // "A2" → event id
	wantCounts := map[shelf.DeliveryState]int{} // the log's counts before and after the upgrade
	var toSend []string                         // "A4" …: what must go out
	orgs := map[string]*shelf.Org{}
	for _, name := range []string{"A", "B", "C", "D"} {
		orgs[name] = storetest.MustCustomer(t, s, name)
	}
	err = s.Update(ctx, func(tx *store.Tx) error {
		for _, name := range []string{"A", "B", "C", "D"} {
			org := orgs[name]
			rows := streams[name]
			if _, err := tx.ExecContext(ctx, `INSERT INTO event_streams (app_id, org_id, last_seq) VALUES ($1, $2, $3)`, a.ID, org.ID, len(rows)); err != nil {
				return err
			}
			for _, d := range rows {
				key := fmt.Sprint(name, d.seq)
				ids[key] = shelf.NewID("evt")
				at := storetest.Epoch.Add(-time.Hour).Add(time.Duration(d.seq) * time.Second).UnixMicro()
				if _, err := tx.ExecContext(ctx, `INSERT INTO events (id, app_id, org_id, seq, type, data, created_at) VALUES ($1, $2, $3, $4, $5, '{}', $6)`,
					ids[key], a.ID, org.ID, d.seq, shelf.EventAppInstalled, at); err != nil {
					return err
				}
				if d.state == "" {
					continue
				}
				wantCounts[d.state]++
				if d.state == shelf.DeliveryPending || d.state == shelf.DeliveryParked {
					toSend = append(toSend, key)
				}
				owner, until := "", int64(0)
				if d.lease != "" {
					owner, until = "n-old", storetest.Epoch.Add(time.Minute).UnixMicro()
				}
				var first, delivered any
				if d.attempts > 0 {
					first = at
				}
				if d.state == shelf.DeliveryDelivered {
					delivered = at + 1000
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO deliveries (event_id, app_id, org_id, seq, event_type, state, attempts, next_attempt_at,
					give_up_at, first_attempt_at, lease_owner, lease_id, lease_until, last_status, last_error, delivered_at, created_at, updated_at, queued)
					VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 500, 'boom', $14, $8, $8, $15)`,
					ids[key], a.ID, org.ID, d.seq, shelf.EventAppInstalled, string(d.state), d.attempts, at,
					at+shelf.DeliveryWindow.Microseconds(), first, owner, d.lease, until, delivered, d.queued); err != nil {
					return err
				}
				for n := 1; n <= d.attempts; n++ {
					ok := d.state == shelf.DeliveryDelivered && n == d.attempts
					if _, err := tx.ExecContext(ctx, `INSERT INTO delivery_attempts (id, event_id, app_id, event_type, attempted_at, ok, status_code, latency_us)
						VALUES ($1, $2, $3, $4, $5, $6, 500, 1000)`, shelf.NewID("att"), ids[key], a.ID, shelf.EventAppInstalled, at+int64(n), ok); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("an old database: %v", err)
	}

	if _, err := s.Migrate(ctx); err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	// The way back (goose Down) keeps every state too: down and up again.
	if err := s.MigrateDownTo(ctx, 10); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatalf("upgrade after a downgrade: %v", err)
	}
	if counts, err := s.DeliveryCounts(ctx, a.ID); err != nil || fmt.Sprint(counts) != fmt.Sprint(wantCounts) {
		t.Fatalf("counts after the upgrade: %v, %v; want %v", counts, err, wantCounts)
	}
	log, err := s.Deliveries(ctx, a.ID, store.DeliveryFilter{})
	if err != nil {
		t.Fatal(err)
	}
	state := map[string]shelf.Delivery{}
	for _, d := range log {
		state[d.EventID] = d
	}
	for name, rows := range streams {
		for _, d := range rows {
			got, ok := state[ids[fmt.Sprint(name, d.seq)]]
			if d.state == "" {
				if ok {
					t.Errorf("%s%d: pruned, but in the log as %s", name, d.seq, got.State)
				}
				continue
			}
			wantAttempts := d.attempts
			if d.state == shelf.DeliveryPending && !d.queued {
				wantAttempts = 0
			}
			if got.State != d.state || got.Attempts != wantAttempts {
				t.Errorf("%s%d: %s after %d attempts, want %s after %d", name, d.seq, got.State, got.Attempts, d.state, wantAttempts)
			}
		}
	}

	// Deliver everything due, a node's round at a time, past the old lease.
	clock.Set(storetest.Epoch.Add(2 * time.Minute))
	d := events.New(s, events.Options{Clock: clock, Guard: events.Guard{AllowPrivate: true}, Workers: 8, PerApp: 8, Batch: 2})
	for round := 0; ; round++ {
		n, err := d.RunOnce(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
		if round > 50 {
			t.Fatal("deliveries did not settle")
		}
	}
	byID := map[string]string{}
	for k, id := range ids {
		byID[id] = k
	}
	var sent []string
	for _, id := range got {
		sent = append(sent, byID[id])
	}
	if a, b := slices.Sorted(slices.Values(sent)), slices.Sorted(slices.Values(toSend)); !slices.Equal(a, b) {
		t.Fatalf("sent %v; want each of %v once", sent, b)
	}
	for _, stream := range [][]string{{"A5", "A6", "A7"}, {"C1", "C2", "C3"}} {
		if order := slices.DeleteFunc(slices.Clone(sent), func(k string) bool { return !slices.Contains(stream, k) }); !slices.Equal(order, stream) {
			t.Errorf("stream sent as %v, want %v", order, stream)
		}
	}
	counts, err := s.DeliveryCounts(ctx, a.ID)
	if err != nil || counts[shelf.DeliveryFailed] != 2 || counts[shelf.DeliveryPending] != 0 || counts[shelf.DeliveryParked] != 0 ||
		counts[shelf.DeliveryDelivered] != wantCounts[shelf.DeliveryDelivered]+len(toSend) {
		t.Fatalf("counts after delivering: %v, %v", counts, err)
	}
}
