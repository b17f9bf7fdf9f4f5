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

// TestBatch: a worker sends a stream's claimed events one after the other
// and stops at the first failure, or before an attempt that could outlast
// its lease; what it did not reach goes out in the next round, after the
// event that stopped it, so the endpoint sees the stream in order and each
// event once (apart from the failed one's retry).
func TestBatch(t *testing.T) {
	cases := []struct {
		name string
		// fail answers 500 to the first attempt at these seqs.
		fail []int64
		// step moves the clock at every request (time spent answering).
		step time.Duration
		// first is how many attempts the first round makes.
		first int
		want  []int64 // seqs as the endpoint received them
	}{
		{name: "all at once", first: 5, want: []int64{1, 2, 3, 4, 5}},
		{name: "stops at a failure", fail: []int64{2}, first: 2, want: []int64{1, 2, 2, 3, 4, 5}},
		{name: "failure at the head", fail: []int64{1}, first: 1, want: []int64{1, 1, 2, 3, 4, 5}},
		// Lease 10 s, an attempt may take 2 s: after three 3 s answers the
		// fourth attempt could end after the lease.
		{name: "stops before the lease could end", step: 3 * time.Second, first: 3, want: []int64{1, 2, 3, 4, 5}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			clock := shelf.NewManualClock(storetest.Epoch)
			s := storetest.Open(t, storetest.SQLite, clock)
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
				ResponseTimeout: time.Second, Lease: 10 * time.Second, Batch: 16})
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
		})
	}
}
