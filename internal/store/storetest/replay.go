package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
)

// testReplayEvents: a replay of a range sends again every settled event of
// the range (delivered, failed, parked) with its own id, leaves pending
// events to their turn, other apps and other times alone, and refuses a
// range larger than MaxReplay with nothing changed.
func testReplayEvents(t *testing.T, open Opener) {
	ctx := context.Background()
	clock := shelf.NewManualClock(Epoch)
	s := open(t, clock)
	a, _ := MustApp(t, s, "https://x.example.com/h")
	other, _ := MustApp(t, s, "https://y.example.com/h")
	c := MustCustomer(t, s, "One")
	before := MustEmit(t, s, a.ID, c.ID, shelf.EventAppInstalled, nil) // outside the range
	clock.Advance(time.Hour)
	from := clock.Now()
	e2 := MustEmit(t, s, a.ID, c.ID, shelf.EventAppInstalled, nil)
	e3 := MustEmit(t, s, a.ID, c.ID, shelf.EventAppInstalled, nil)
	MustEmit(t, s, other.ID, c.ID, shelf.EventAppInstalled, nil)
	// Deliver `before` and e2, fail e3 for good; the other app's event is
	// delivered. A claim takes each stream's head: round until none is due.
	for round := 0; round < 10; round++ {
		jobs := claim(t, s, "n1", clock.Now(), 10, 0)
		if len(jobs) == 0 {
			break
		}
		for _, j := range jobs {
			state := shelf.DeliveryDelivered
			if j.Event.ID == e3.ID {
				state = shelf.DeliveryFailed
			}
			record(t, s, j, state, clock.Now(), clock.Now())
		}
	}
	pending := MustEmit(t, s, a.ID, c.ID, shelf.EventAppInstalled, nil) // not yet delivered
	to := clock.Now().Add(time.Second)

	WantCode(t, func() error { _, err := s.ReplayEvents(ctx, a.ID, from, to, 1); return err }(), "replay_too_large")
	if counts, err := s.DeliveryCounts(ctx, a.ID); err != nil || counts[shelf.DeliveryParked] != 0 || counts[shelf.DeliveryFailed] != 1 {
		t.Fatalf("a refused replay changed something: counts %v, %v", counts, err)
	}
	n, err := s.ReplayEvents(ctx, a.ID, from, to, 2)
	if err != nil || n != 2 {
		t.Fatalf("ReplayEvents = %d, %v; want 2 (the delivered e2 and the failed e3)", n, err)
	}
	jobs := claim(t, s, "n2", clock.Now(), 10, 0)
	var got []string
	for _, j := range jobs {
		got = append(got, j.Event.ID)
	}
	slices.Sort(got)
	want := []string{e2.ID, e3.ID, pending.ID}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("claimed after replay %v; want e2, e3 (replayed) and the pending event in its turn, not %s", got, before.ID)
	}
	for _, j := range jobs {
		if j.Event.ID != pending.ID && (j.State != shelf.DeliveryParked || !j.GiveUpAt.Equal(clock.Now().Add(shelf.DeliveryWindow))) {
			t.Fatalf("replayed %s: state %s give up %v; want parked with a fresh window", j.Event.ID, j.State, j.GiveUpAt)
		}
	}
	if n, err := s.ReplayEvents(ctx, a.ID, to, to.Add(time.Hour), 2); err != nil || n != 0 {
		t.Fatalf("empty range = %d, %v", n, err)
	}
}
