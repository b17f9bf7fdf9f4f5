package events_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/events"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store"
	"github.com/shelfhq/shelf/internal/store/storetest"
	"github.com/shelfhq/shelf/sdk"
)

// receiver is a vendor's endpoint on loopback: it verifies signatures,
// de-duplicates by event id and remembers the order in which each stream's
// events first arrived. Its misbehaviour is chosen by fault.
type receiver struct {
	t       testing.TB
	clock   shelf.Clock
	secrets []string
	// fault decides what to do with a request: "" answers 200, "500"
	// answers 500 without processing, "hang" processes the event and then
	// never answers (the response is lost: a redelivery follows).
	fault func(e *sdk.Event, attempt int) string

	mu         sync.Mutex
	seen       map[string]bool
	tries      map[string]int
	order      map[string][]int64 // app/org → seqs in first-arrival order
	duplicates int
	badSig     int
	inFlight   map[string]int
	overlap    int // times one event was being received twice at once

	addr string
	srv  *http.Server
}

func newReceiver(t testing.TB, clock shelf.Clock, secrets ...string) *receiver {
	r := &receiver{t: t, clock: clock, secrets: secrets, seen: map[string]bool{}, tries: map[string]int{},
		order: map[string][]int64{}, inFlight: map[string]int{}}
	r.up("127.0.0.1:0")
	t.Cleanup(r.down)
	return r
}

func (r *receiver) url() string { return "http://" + r.addr + "/hooks" }

// up listens on addr (the same port again after down).
func (r *receiver) up(addr string) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		r.t.Fatalf("receiver listen: %v", err)
	}
	r.addr = ln.Addr().String()
	r.srv = &http.Server{Handler: r}
	go r.srv.Serve(ln)
}

// down closes the listener and every connection: the endpoint refuses.
func (r *receiver) down() { r.srv.Close() }

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	if err := sdk.VerifyWebhookAt(r.secrets, req.Header.Get(sdk.HeaderSignature), body, 0, r.clock.Now()); err != nil {
		r.mu.Lock()
		r.badSig++
		r.mu.Unlock()
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	e, err := sdk.ParseEvent(body)
	if err != nil || e.ID != req.Header.Get(sdk.HeaderEventID) || e.Type != req.Header.Get(sdk.HeaderEventType) {
		http.Error(w, "bad event", http.StatusBadRequest)
		return
	}
	r.mu.Lock()
	attempt := r.tries[e.ID]
	r.tries[e.ID]++
	if r.inFlight[e.ID]++; r.inFlight[e.ID] > 1 {
		r.overlap++
	}
	r.mu.Unlock()
	defer func() {
		r.mu.Lock()
		r.inFlight[e.ID]--
		r.mu.Unlock()
	}()
	fault := ""
	if r.fault != nil {
		fault = r.fault(e, attempt)
	}
	if fault == "500" {
		http.Error(w, "oops", http.StatusInternalServerError)
		return
	}
	r.process(e)
	if fault == "hang" {
		<-req.Context().Done()
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// process is what a careful vendor does: act once per event id.
func (r *receiver) process(e *sdk.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.seen[e.ID] {
		r.duplicates++
		return
	}
	r.seen[e.ID] = true
	k := e.AppID + "/" + e.OrgID
	r.order[k] = append(r.order[k], e.Seq)
}

// checkOrder fails unless every stream arrived as 1, 2, 3, …, n.
func (r *receiver) checkOrder(t testing.TB, want map[string]int) {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	for k, n := range want {
		got := r.order[k]
		if len(got) != n {
			t.Errorf("stream %s: received %d events, want %d", k, len(got), n)
			continue
		}
		for i, seq := range got {
			if seq != int64(i+1) {
				t.Errorf("stream %s arrived out of order: %v", k, got)
				break
			}
		}
	}
}

// streamData is the data of test events: where they belong, so faults can
// be chosen deterministically whatever the random ids.
type streamData struct {
	Stream string `json:"stream"`
	N      int    `json:"n"`
}

func dataOf(e *sdk.Event) streamData {
	var d streamData
	_ = json.Unmarshal(e.Data, &d)
	return d
}

// waitDelivered runs rounds until no delivery is left to do, moving the
// clock to the next due time whenever a round finds nothing: no sleeping
// through backoff.
func drain(t testing.TB, ctx context.Context, s *store.Store, d *events.Dispatcher, clock *shelf.ManualClock, between func(round int)) int {
	t.Helper()
	for round := 0; round < 5000; round++ {
		if between != nil {
			between(round)
		}
		n, err := d.RunOnce(ctx)
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		if n > 0 {
			continue
		}
		at, ok, err := s.NextDeliveryAt(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			return round
		}
		if at.After(clock.Now()) {
			clock.Set(at)
		}
	}
	t.Fatal("deliveries did not settle in 5000 rounds")
	return 0
}

// wantAllDelivered fails unless every delivery of the apps is delivered.
func wantAllDelivered(t testing.TB, s *store.Store, total int, apps ...*shelf.App) {
	t.Helper()
	n := 0
	for _, a := range apps {
		counts, err := s.DeliveryCounts(context.Background(), a.ID)
		if err != nil {
			t.Fatal(err)
		}
		for st, c := range counts {
			if st != shelf.DeliveryDelivered {
				t.Errorf("app %s: %d deliveries %s", a.ID, c, st)
			}
		}
		n += counts[shelf.DeliveryDelivered]
	}
	if n != total {
		t.Errorf("delivered %d, want %d", n, total)
	}
}

func key(a *shelf.App, o *shelf.Org) string { return a.ID + "/" + o.ID }

func emitStream(t testing.TB, s *store.Store, a *shelf.App, o *shelf.Org, stream string, from, to int) {
	for i := from; i < to; i++ {
		storetest.MustEmit(t, s, a.ID, o.ID, shelf.EventAppInstalled, streamData{Stream: stream, N: i})
	}
}

func name(i, j int) string { return fmt.Sprintf("a%d-o%d", i, j) }

type sdkEvent = sdk.Event

// pause yields while polling for a condition; nothing asserts on time.
func pause() { time.Sleep(time.Millisecond) }

// waitFor polls cond until it holds, failing the test if it does not
// within 30 seconds (far more than it needs: a deadline, not a timing).
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited 30 s for %s", what)
		}
		pause()
	}
}

func (r *receiver) seenCount() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.seen)
}
