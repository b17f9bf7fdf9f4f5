package events_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/shelfhq/shelf/internal/events"
	"github.com/shelfhq/shelf/internal/shelf"
)

// downStore is a database that refuses ReleaseLeases a number of times and
// then answers with nothing to do; the first claim after it came up is
// reported on claimed.
type downStore struct {
	mu       sync.Mutex
	failures int
	claimed  chan struct{}
	once     sync.Once
}

func (s *downStore) ReleaseLeases(context.Context, string) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failures > 0 {
		s.failures--
		return 0, errors.New("connection refused")
	}
	return 0, nil
}

func (s *downStore) RecordAndClaim(context.Context, []shelf.DeliveryOutcome, shelf.DeliveryClaim) ([]shelf.DeliveryJob, error) {
	s.once.Do(func() { close(s.claimed) })
	return nil, nil
}

func (s *downStore) ClaimDeliveries(context.Context, shelf.DeliveryClaim) ([]shelf.DeliveryJob, error) {
	return nil, nil
}
func (s *downStore) RecordDeliveries(context.Context, []shelf.DeliveryOutcome) error { return nil }
func (s *downStore) NextDeliveryAt(context.Context) (time.Time, bool, error) {
	return time.Time{}, false, nil
}

// TestRunRetriesStart: a database that is down when the dispatcher starts
// delays it (with a growing wait between tries) instead of stopping it for
// good; Running, Ready and shelf_dispatcher_running tell which it is.
func TestRunRetriesStart(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st := &downStore{failures: 3, claimed: make(chan struct{})}
	waits := make(chan time.Duration)
	fire := make(chan time.Time)
	reg := prometheus.NewRegistry()
	m := events.NewMetrics(reg)
	d := events.New(st, events.Options{Metrics: m, PollInterval: time.Hour,
		After: func(d time.Duration) <-chan time.Time { waits <- d; return fire }})
	gauge := func() float64 { t.Helper(); return gaugeValue(t, reg, "shelf_dispatcher_running") }
	if d.Running() || d.Ready() == nil || gauge() != 0 {
		t.Fatal("running before Run")
	}
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	var last time.Duration
	for i := 0; i < 3; i++ {
		select {
		case w := <-waits:
			if w <= last {
				t.Fatalf("wait %d is %v after %v: no backoff", i+1, w, last)
			}
			last = w
		case err := <-done:
			t.Fatalf("Run stopped after a failed start: %v", err)
		}
		if d.Running() || gauge() != 0 {
			t.Fatalf("running while the start keeps failing (try %d)", i+1)
		}
		if err := d.Ready(); err == nil {
			t.Fatalf("Ready = %v while the start keeps failing", err)
		}
		fire <- time.Time{}
	}
	<-st.claimed
	if !d.Running() || d.Ready() != nil || gauge() != 1 {
		t.Fatalf("after the start: running %v, ready %v, gauge %v", d.Running(), d.Ready(), gauge())
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if d.Running() || d.Ready() == nil || gauge() != 0 {
		t.Fatal("still running after Run returned")
	}
}
