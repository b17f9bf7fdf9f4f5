package events_test

import (
	"context"
	"maps"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/shelfhq/shelf/internal/events"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store/storetest"
)

// TestMetrics: the dispatcher counts attempts by what came of them, times
// them and its rounds, and the lag gauge shows how long due work has waited.
func TestMetrics(t *testing.T) {
	ctx := context.Background()
	clock := shelf.NewManualClock(storetest.Epoch)
	s := storetest.Open(t, storetest.SQLite, clock)
	var mu sync.Mutex
	failed := false
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if !failed { // the first request fails, once
			failed = true
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	defer srv.Close()
	a, _ := storetest.MustApp(t, s, srv.URL)
	emitStream(t, s, a, storetest.MustCustomer(t, s, "One"), "s", 0, 3)

	reg := prometheus.NewRegistry()
	events.RegisterLag(reg, s, clock)
	lag := func() float64 { t.Helper(); return gaugeValue(t, reg, "shelf_webhook_lag_seconds") }
	clock.Advance(90 * time.Second)
	if got := lag(); got != 90 {
		t.Errorf("lag with the head due for 90 s = %v", got)
	}

	d := events.New(s, events.Options{Clock: clock, Guard: events.Guard{AllowPrivate: true}, Metrics: events.NewMetrics(reg)})
	drain(t, ctx, s, d, clock, nil)
	wantAllDelivered(t, s, 3, a)
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	attempts := map[string]float64{}
	counts := map[string]uint64{}
	for _, mf := range mfs {
		for _, x := range mf.GetMetric() {
			if mf.GetName() == "shelf_webhook_attempts_total" {
				attempts[x.GetLabel()[0].GetValue()] = x.GetCounter().GetValue()
			}
			if h := x.GetHistogram(); h != nil {
				counts[mf.GetName()] = h.GetSampleCount()
			}
		}
	}
	if want := map[string]float64{"delivered": 3, "retry": 1, "parked": 0, "failed": 0}; !maps.Equal(attempts, want) {
		t.Errorf("attempts by result = %v, want %v", attempts, want)
	}
	// Two rounds claim: the first batch (seq 1 fails, 2 and 3 unsent), then
	// seq 1 again with 2 and 3.
	if counts["shelf_webhook_attempt_duration_seconds"] != 4 || counts["shelf_webhook_batch_size"] != 2 || counts["shelf_webhook_round_duration_seconds"] < 2 {
		t.Errorf("histogram samples: %v", counts)
	}
	if got := lag(); got != 0 {
		t.Errorf("lag with nothing left = %v", got)
	}
}

// gaugeValue reads a gauge without labels from reg.
func gaugeValue(t testing.TB, reg prometheus.Gatherer, name string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name {
			return mf.GetMetric()[0].GetGauge().GetValue()
		}
	}
	t.Fatalf("no %s series", name)
	return 0
}
