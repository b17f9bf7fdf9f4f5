package events_test

import (
	"context"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/events"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store"
	"github.com/shelfhq/shelf/internal/store/storetest"
	"github.com/shelfhq/shelf/sdk"
)

// chaos answers 500 to about a third of requests (never more than four
// times running for one event, so no event holds its stream past the
// order cap), and hangs past the timeout on two events after processing
// them, so their redelivery must be de-duplicated. The choice depends on
// the event's place in its stream, not on timing, so runs are repeatable.
func chaos(e *sdk.Event, attempt int) string {
	d := dataOf(e)
	if d.Stream == "a0-o0" && (d.N == 3 || d.N == 11) && attempt == 0 {
		return "hang"
	}
	h := fnv.New32a()
	fmt.Fprint(h, d.Stream, d.N, attempt)
	if attempt < 4 && h.Sum32()%3 == 0 {
		return "500"
	}
	return ""
}

// TestChaos: a receiver that fails a third of requests, hangs on some and
// is down for twenty minutes still ends with every event exactly once, each
// (app, org) stream in seq order, and every delivery marked delivered.
func TestChaos(t *testing.T) {
	for _, backend := range storetest.Backends(t) {
		t.Run(storetest.Name(backend), func(t *testing.T) {
			t.Parallel()
			testChaos(t, backend)
		})
	}
}

func testChaos(t *testing.T, backend string) {
	ctx := context.Background()
	clock := shelf.NewManualClock(storetest.Epoch)
	s := storetest.Open(t, backend, clock)
	const apps, orgs, perStream = 2, 3, 20
	var appList []*shelf.App
	var recvs []*receiver
	var orgList []*shelf.Org
	for j := 0; j < orgs; j++ {
		orgList = append(orgList, storetest.MustCustomer(t, s, fmt.Sprint("Customer ", j)))
	}
	for i := 0; i < apps; i++ {
		a, creds := storetest.MustApp(t, s, "")
		r := newReceiver(t, clock, creds.WebhookSecret)
		r.fault = chaos
		hook := r.url()
		if _, err := s.UpdateApp(ctx, a.ID, store.AppPatch{WebhookURL: &hook}); err != nil {
			t.Fatal(err)
		}
		appList, recvs = append(appList, a), append(recvs, r)
	}
	emitAll := func(from, to int) {
		for i, a := range appList {
			for j, o := range orgList {
				emitStream(t, s, a, o, name(i, j), from, to)
			}
		}
	}
	emitAll(0, perStream/2)
	rng := rand.New(rand.NewPCG(1, 2))
	d := events.New(s, events.Options{Clock: clock, Guard: events.Guard{AllowPrivate: true},
		ConnectTimeout: time.Second, ResponseTimeout: 300 * time.Millisecond, Workers: 8, PerApp: 3, Rand: rng.Float64})
	start := clock.Now()
	isDown := false
	drain(t, ctx, s, d, clock, func(round int) {
		switch {
		case round == 5:
			emitAll(perStream/2, perStream) // more events arrive while delivering
		case round == 8:
			for _, r := range recvs {
				r.down()
			}
			isDown = true
		case isDown && clock.Now().Sub(start) > 20*time.Minute:
			for _, r := range recvs {
				r.up(r.addr)
			}
			isDown = false
		}
	})
	if isDown {
		t.Fatal("the receivers never came back up: the test did not exercise recovery")
	}

	wantAllDelivered(t, s, apps*orgs*perStream, appList...)
	for i, r := range recvs {
		want := map[string]int{}
		for _, o := range orgList {
			want[key(appList[i], o)] = perStream
		}
		r.checkOrder(t, want)
		if len(r.seen) != orgs*perStream || r.badSig != 0 {
			t.Errorf("receiver %d: %d distinct events, %d bad signatures", i, len(r.seen), r.badSig)
		}
	}
	if recvs[0].duplicates < 2 {
		t.Errorf("receiver 0 saw %d duplicates; the hung requests should have been redelivered", recvs[0].duplicates)
	}
	no := false
	failed, _ := s.DeliveryAttempts(ctx, appList[0].ID, store.AttemptFilter{OK: &no, PageReq: shelf.FirstPage(200)})
	kinds := map[string]bool{}
	for _, a := range failed {
		switch {
		case a.StatusCode == 500:
			kinds["500"] = true
		case a.StatusCode == 0 && a.Error != "":
			kinds["no answer"] = true
		}
	}
	if !kinds["500"] || !kinds["no answer"] {
		t.Errorf("failed attempts logged: %v; want 500s and unanswered ones", kinds)
	}
	t.Logf("%s: settled after %v of clock time", s.Dialect(), clock.Now().Sub(start))
}
