package events_test

import (
	"context"
	"io"
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

// batchCase is one row of TestBatch.
type batchCase struct {
	name string
	// fail answers 500 to the first attempt at these seqs.
	fail []int64
	// step moves the clock at every request (time spent answering).
	step time.Duration
	// first is how many attempts the first round makes.
	first int
	want  []int64 // seqs as the endpoint received them
}

// TestBatch: a worker sends a stream's claimed events one after the other
// and stops at the first failure, or before an attempt that could outlast
// its lease; what it did not reach goes out in the next round, after the
// event that stopped it, so the endpoint sees the stream in order and each
// event once (apart from the failed one's retry).
func TestBatch(t *testing.T) {
	cases := []batchCase{
		{name: "all at once", first: 5, want: []int64{1, 2, 3, 4, 5}},
		{name: "stops at a failure", fail: []int64{2}, first: 2, want: []int64{1, 2, 2, 3, 4, 5}},
		{name: "failure at the head", fail: []int64{1}, first: 1, want: []int64{1, 1, 2, 3, 4, 5}},
		// Lease 10 s, an attempt may take 2 s, margin 1 s: after three 3 s
		// answers the fourth attempt could end inside the margin.
		{name: "stops before the lease could end", step: 3 * time.Second, first: 3, want: []int64{1, 2, 3, 4, 5}},
	}
	for _, backend := range storetest.Backends(t) {
		for _, tc := range cases {
			t.Run(storetest.Name(backend)+"/"+tc.name, func(t *testing.T) {
				testBatchCase(t, backend, tc)
			})
		}
	}
}

func testBatchCase(t *testing.T, backend string, tc batchCase) {
	ctx := context.Background()
	clock := shelf.NewManualClock(storetest.Epoch)
	s := storetest.Open(t, backend, clock)
	var mu sync.Mutex
	var got []int64
	failed := map[int64]bool{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Errorf("read body: %v", err)
		}
		e, err := sdk.ParseEvent(body)
		if err != nil {
			t.Errorf("bad event: %v", err)
		}
		mu.Lock()
		defer mu.Unlock()
		got = append(got, e.Seq)
		clock.Advance(tc.step)
		if slices.Contains(tc.fail, e.Seq) && !failed[e.Seq] {
			failed[e.Seq] = true
			w.WriteHeader(http.StatusInternalServerError)
		}
	}))
	defer srv.Close()
	a, _ := storetest.MustApp(t, s, srv.URL)
	o := storetest.MustCustomer(t, s, "One")
	emitStream(t, s, a, o, "s", 0, 5)
	d := events.New(s, events.Options{Clock: clock, Guard: events.Guard{AllowPrivate: true}, ConnectTimeout: time.Second,
		ResponseTimeout: time.Second, Lease: 10 * time.Second, LeaseMargin: time.Second, Batch: 16})
	n, err := d.RunOnce(ctx)
	if err != nil || n != tc.first {
		t.Fatalf("first round: %d attempts, %v; want %d", n, err, tc.first)
	}
	drain(t, ctx, s, d, clock, nil)
	if !slices.Equal(got, tc.want) {
		t.Errorf("endpoint received seqs %v, want %v", got, tc.want)
	}
	wantAllDelivered(t, s, 5, a)
	atts, err := s.DeliveryAttempts(ctx, a.ID, store.AttemptFilter{})
	if err != nil || len(atts) != len(tc.want) {
		t.Errorf("attempts logged: %d, %v; want one per request (%d)", len(atts), err, len(tc.want))
	}
}

// skewedClock is another node's clock, ahead of c by skew.
type skewedClock struct {
	c    *shelf.ManualClock
	skew time.Duration
}

func (s skewedClock) Now() time.Time { return s.c.Now().Add(s.skew) }

// TestBatchLeaseMargin: a batch of slow answers stops while its lease still
// has the margin left, so another node whose clock runs a second ahead,
// looking during every attempt, never finds the stream free: no event is
// sent by two nodes at once, and each arrives once, in order.
func TestBatchLeaseMargin(t *testing.T) {
	ctx := context.Background()
	clock := shelf.NewManualClock(storetest.Epoch)
	s := storetest.Open(t, storetest.SQLite, clock)
	var mu sync.Mutex
	var got []int64
	var other *events.Dispatcher
	looking := false
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		e, err := sdk.ParseEvent(body)
		if err != nil {
			t.Errorf("bad event: %v", err)
			return
		}
		mu.Lock()
		got = append(got, e.Seq)
		nested := looking
		looking = true
		mu.Unlock()
		if nested {
			return // the other node's request: answered at once
		}
		// A slow answer (10 s); 9.5 s into it the other node looks for work.
		clock.Advance(9500 * time.Millisecond)
		if n, err := other.RunOnce(ctx); n != 0 || err != nil {
			t.Errorf("during the attempt at seq %d the other node sent %d events (%v)", e.Seq, n, err)
		}
		clock.Advance(500 * time.Millisecond)
		mu.Lock()
		looking = false
		mu.Unlock()
	}))
	defer srv.Close()
	a, _ := storetest.MustApp(t, s, srv.URL)
	emitStream(t, s, a, storetest.MustCustomer(t, s, "One"), "s", 0, 5)
	opt := func(c shelf.Clock, owner string) events.Options {
		return events.Options{Clock: c, Guard: events.Guard{AllowPrivate: true}, ConnectTimeout: time.Second, ResponseTimeout: 9 * time.Second,
			Lease: 50 * time.Second, Batch: 16, Owner: owner}
	}
	d := events.New(s, opt(clock, "A"))
	other = events.New(s, opt(skewedClock{clock, time.Second}, "B"))
	// Lease 50 s, attempts up to 10 s, margin 30 s: two attempts fit.
	if n, err := d.RunOnce(ctx); n != 2 || err != nil {
		t.Fatalf("first batch: %d attempts, %v; want 2", n, err)
	}
	drain(t, ctx, s, d, clock, nil)
	if want := []int64{1, 2, 3, 4, 5}; !slices.Equal(got, want) {
		t.Errorf("endpoint received %v, want %v", got, want)
	}
}
