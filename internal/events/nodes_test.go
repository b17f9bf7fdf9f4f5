package events_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/events"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store"
	"github.com/shelfhq/shelf/internal/store/storetest"
)

// newApp registers an app whose webhook points at a new receiver.
func newApp(t *testing.T, s *store.Store, clock shelf.Clock) (*shelf.App, *receiver) {
	t.Helper()
	a, creds := storetest.MustApp(t, s, "")
	r := newReceiver(t, clock, creds.WebhookSecret)
	hook := r.url()
	if _, err := s.UpdateApp(context.Background(), a.ID, store.AppPatch{WebhookURL: &hook}); err != nil {
		t.Fatal(err)
	}
	return a, r
}

// TestTwoNodes: two dispatchers, each with its own connection pool, on one
// database deliver every event once, never the same event twice at once.
func TestTwoNodes(t *testing.T) {
	for _, backend := range storetest.Backends(t) {
		t.Run(storetest.Name(backend), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			clock := shelf.NewManualClock(storetest.Epoch)
			dsn := storetest.DSN(t, backend)
			s1, s2 := storetest.OpenDSN(t, dsn, clock), storetest.OpenDSN(t, dsn, clock)
			a, r := newApp(t, s1, clock)
			const orgs, perStream = 6, 10
			var want = map[string]int{}
			for j := 0; j < orgs; j++ {
				o := storetest.MustCustomer(t, s1, fmt.Sprint("C", j))
				emitStream(t, s1, a, o, name(0, j), 0, perStream)
				want[key(a, o)] = perStream
			}
			var wg sync.WaitGroup
			attempts := make([]int, 2)
			for i, s := range []*store.Store{s1, s2} {
				d := events.New(s, events.Options{Clock: clock, Guard: events.Guard{AllowPrivate: true}, Workers: 3, PerApp: 3, Owner: fmt.Sprint("node", i)})
				wg.Add(1)
				go func() {
					defer wg.Done()
					for idle := 0; idle < 3; {
						n, err := d.RunOnce(ctx)
						if err != nil {
							t.Error(err)
							return
						}
						attempts[i] += n
						if idle++; n > 0 {
							idle = 0
						}
					}
				}()
			}
			wg.Wait()
			wantAllDelivered(t, s1, orgs*perStream, a)
			r.checkOrder(t, want)
			if r.duplicates != 0 || r.overlap != 0 || attempts[0]+attempts[1] != orgs*perStream {
				t.Fatalf("duplicates %d, overlapping %d, attempts %v: an event went out twice", r.duplicates, r.overlap, attempts)
			}
			t.Logf("%s: attempts by node: %v", backend, attempts)
		})
	}
}

// TestSlowEndpoint: while one app's endpoint holds every request open, it
// holds PerApp workers and no more, and Run keeps delivering another app's
// events; once the endpoint answers, its events go out too.
func TestSlowEndpoint(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	clock := shelf.NewManualClock(storetest.Epoch)
	s := storetest.Open(t, storetest.SQLite, clock)
	slow, slowR := newApp(t, s, clock)
	fast, fastR := newApp(t, s, clock)
	release := make(chan struct{})
	var held atomic.Int64 // requests the slow endpoint has received, and holds until released
	slowR.fault = func(*sdkEvent, int) string { held.Add(1); <-release; return "" }
	const n, perApp = 20, 2
	for j := 0; j < n; j++ {
		o := storetest.MustCustomer(t, s, fmt.Sprint("C", j))
		emitStream(t, s, slow, o, "slow", 0, 1)
		emitStream(t, s, fast, o, "fast", 0, 1)
	}
	d := events.New(s, events.Options{Clock: clock, Guard: events.Guard{AllowPrivate: true}, ResponseTimeout: time.Minute,
		Workers: 4, PerApp: perApp, PollInterval: 5 * time.Millisecond})
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	waitFor(t, "every fast event while the slow endpoint holds its workers", func() bool {
		return held.Load() == perApp && fastR.seenCount() == n
	})
	if h := held.Load(); h != perApp {
		t.Fatalf("the slow endpoint holds %d requests, want PerApp = %d", h, perApp)
	}
	if slowR.seenCount() != 0 {
		t.Fatal("the slow endpoint answered before it was released")
	}
	close(release)
	waitFor(t, "every slow event once released", func() bool { return slowR.seenCount() == n })
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	for _, a := range []*shelf.App{fast, slow} {
		counts, err := s.DeliveryCounts(context.Background(), a.ID)
		if err != nil || counts[shelf.DeliveryDelivered] != n {
			t.Fatalf("deliveries of %s: %v, %v; want %d delivered", a.ID, counts, err, n)
		}
	}
}

// TestGuardAtDelivery: without --allow-private-webhooks a webhook pointing
// at loopback (say, after a DNS change) is refused when connecting.
func TestGuardAtDelivery(t *testing.T) {
	ctx := context.Background()
	clock := shelf.NewManualClock(storetest.Epoch)
	s := storetest.Open(t, storetest.SQLite, clock)
	a, r := newApp(t, s, clock)
	hook := strings.Replace(r.url(), "http://", "https://", 1)
	if _, err := s.UpdateApp(ctx, a.ID, store.AppPatch{WebhookURL: &hook}); err != nil {
		t.Fatal(err)
	}
	storetest.MustEmit(t, s, a.ID, a.OrgID, shelf.EventTestPing, nil)
	d := events.New(s, events.Options{Clock: clock})
	if n, err := d.RunOnce(ctx); n != 1 || err != nil {
		t.Fatalf("RunOnce = %d, %v", n, err)
	}
	atts, _ := s.DeliveryAttempts(ctx, a.ID, store.AttemptFilter{})
	if len(atts) != 1 || atts[0].OK || !strings.Contains(atts[0].Error, "not globally routable") {
		t.Fatalf("attempts = %+v", atts)
	}
	if r.seenCount() != 0 || r.tries != nil && len(r.tries) != 0 {
		t.Fatal("the receiver was reached")
	}
}
