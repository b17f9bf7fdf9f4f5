package events_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/events"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store/storetest"
)

// flakyStore fails chosen writes of the dispatcher, as a database that
// errors or a node that dies before its commit would, and remembers the
// size of every batch it let through. It also knows what the dispatcher
// holds: the events claimed and not yet handed back in an outcome, and
// whether a call is under way; with neither, the dispatcher is idle.
type flakyStore struct {
	events.Store
	mu       sync.Mutex
	batches  []int
	combined int           // fail RecordAndClaim when it records, this many times
	record   int           // fail RecordDeliveries this many times
	lost     chan struct{} // closed when a batch was lost (both failed)
	held     map[string]bool
	calls    int
}

var errInjected = errors.New("injected failure")

// begin notes a call and the outcomes it hands back.
func (f *flakyStore) begin(outs []shelf.DeliveryOutcome) {
	f.calls++
	for _, o := range outs {
		delete(f.held, o.Attempt.EventID)
	}
}

// end notes the end of a call and the jobs it claimed.
func (f *flakyStore) end(jobs []shelf.DeliveryJob) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls--
	for _, j := range jobs {
		f.held[j.Event.ID] = true
	}
}

// idle reports whether the dispatcher holds no event and makes no call.
func (f *flakyStore) idle() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls == 0 && len(f.held) == 0
}

func (f *flakyStore) RecordAndClaim(ctx context.Context, outs []shelf.DeliveryOutcome, c shelf.DeliveryClaim) ([]shelf.DeliveryJob, error) {
	f.mu.Lock()
	f.begin(outs)
	fail := len(outs) > 0 && f.combined > 0
	if fail {
		f.combined--
	} else if len(outs) > 0 {
		f.batches = append(f.batches, len(outs))
	}
	f.mu.Unlock()
	if fail {
		f.end(nil)
		return nil, errInjected
	}
	jobs, err := f.Store.RecordAndClaim(ctx, outs, c)
	f.end(jobs)
	return jobs, err
}

func (f *flakyStore) RecordDeliveries(ctx context.Context, outs []shelf.DeliveryOutcome) error {
	f.mu.Lock()
	f.begin(outs)
	if f.record > 0 {
		if f.record--; f.record == 0 {
			close(f.lost)
		}
		f.mu.Unlock()
		f.end(nil)
		return errInjected
	}
	f.batches = append(f.batches, len(outs))
	f.mu.Unlock()
	err := f.Store.RecordDeliveries(ctx, outs)
	f.end(nil)
	return err
}

// TestRunGroupCommit: Run records outcomes that finish together in one
// transaction with the next claims, and still delivers every event, each
// stream in seq order. A failed transaction is recorded again on its own;
// a batch whose outcomes are lost altogether (the node died before its
// commit) goes out again once its leases end: at least once, never lost.
func TestRunGroupCommit(t *testing.T) {
	for _, backend := range storetest.Backends(t) {
		t.Run(storetest.Name(backend), func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			clock := shelf.NewManualClock(storetest.Epoch)
			s := storetest.Open(t, backend, clock)
			const orgs, perStream = 6, 12
			var apps []*shelf.App
			want := map[string]int{}
			var recvs []*receiver
			for i := 0; i < 2; i++ {
				a, r := newApp(t, s, clock)
				apps, recvs = append(apps, a), append(recvs, r)
			}
			for j := 0; j < orgs; j++ {
				o := storetest.MustCustomer(t, s, fmt.Sprint("C", j))
				for i, a := range apps {
					emitStream(t, s, a, o, name(i, j), 0, perStream)
					want[key(a, o)] = perStream
				}
			}
			// The first three recording transactions fail: the first two batches
			// are lost on both paths, the third is written again on its own.
			fs := &flakyStore{Store: s, combined: 3, record: 2, lost: make(chan struct{}), held: map[string]bool{}}
			// A group-commit window far longer than any delivery here: each
			// round waits for every batch in flight, so rounds group by
			// construction, not by how the scheduler happens to run.
			d := events.New(fs, events.Options{Clock: clock, Guard: events.Guard{AllowPrivate: true}, Workers: 8, PerApp: 4,
				Lease: time.Minute, PollInterval: 5 * time.Millisecond, GroupCommit: time.Minute})
			done := make(chan error, 1)
			go func() { done <- d.Run(ctx) }()
			total := len(apps) * orgs * perStream
			deadline := time.Now().Add(60 * time.Second)
			for {
				n := delivered(t, s, apps...)
				if n == total {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("delivered %d of %d", n, total)
				}
				select {
				case <-fs.lost:
					// Only the lost batches' streams wait, on leases no one
					// holds any more: once the dispatcher holds nothing and
					// makes no call, let those leases run out.
					if fs.idle() && delivered(t, s, apps...) == n {
						clock.Advance(time.Minute + time.Second)
					}
				default:
				}
				time.Sleep(5 * time.Millisecond)
			}
			cancel()
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			wantAllDelivered(t, s, total, apps...)
			dups := 0
			for i, r := range recvs {
				w := map[string]int{}
				for k, n := range want {
					if k[:len(apps[i].ID)] == apps[i].ID {
						w[k] = n
					}
				}
				r.checkOrder(t, w)
				dups += r.duplicates
				if r.badSig != 0 || r.overlap != 0 {
					t.Errorf("receiver %d: %d bad signatures, %d overlapping deliveries", i, r.badSig, r.overlap)
				}
			}
			fs.mu.Lock()
			defer fs.mu.Unlock()
			if fs.record != 0 || fs.combined != 0 {
				t.Fatalf("injected failures left: %d combined, %d record", fs.combined, fs.record)
			}
			if dups == 0 {
				t.Error("no event went out twice: the lost batch was not redelivered")
			}
			grouped := false
			for _, n := range fs.batches {
				grouped = grouped || n > 1
			}
			if !grouped {
				t.Errorf("every batch held one outcome (%v): no group commit", fs.batches)
			}
		})
	}
}

// delivered counts the apps' delivered events.
func delivered(t testing.TB, s interface {
	DeliveryCounts(context.Context, string) (map[shelf.DeliveryState]int, error)
}, apps ...*shelf.App) int {
	t.Helper()
	n := 0
	for _, a := range apps {
		counts, err := s.DeliveryCounts(context.Background(), a.ID)
		if err != nil {
			t.Fatal(err)
		}
		n += counts[shelf.DeliveryDelivered]
	}
	return n
}
