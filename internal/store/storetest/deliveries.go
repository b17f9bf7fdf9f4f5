package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store"
)

// outcome is the outcome of an attempt at j at time at.
func outcome(j shelf.DeliveryJob, state shelf.DeliveryState, at, next time.Time) shelf.DeliveryOutcome {
	return shelf.DeliveryOutcome{AppID: j.Event.AppID, LeaseOwner: j.LeaseOwner, State: state, NextAttemptAt: next,
		Attempt: shelf.DeliveryAttempt{EventID: j.Event.ID, EventType: j.Event.Type, AttemptedAt: at, OK: state == shelf.DeliveryDelivered,
			StatusCode: 200, Latency: time.Millisecond}}
}

// testRecordAndClaim: one transaction records a round and claims the next;
// the claim sees the round's outcomes, so a stream whose head was just
// delivered hands over its next event at once, in seq order, while a
// stream whose head waits for a retry stays put.
func testRecordAndClaim(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t, shelf.NewManualClock(Epoch))
	a, _ := MustApp(t, s, "https://x.example.com/h")
	c1, c2 := MustCustomer(t, s, "One"), MustCustomer(t, s, "Two")
	for i := 0; i < 3; i++ {
		MustEmit(t, s, a.ID, c1.ID, shelf.EventAppInstalled, nil)
		MustEmit(t, s, a.ID, c2.ID, shelf.EventAppInstalled, nil)
	}
	now := Epoch
	c := shelf.DeliveryClaim{Owner: "n1", Now: now, Lease: time.Minute, Limit: 10}
	jobs, err := s.RecordAndClaim(ctx, nil, c)
	if err != nil || len(jobs) != 2 {
		t.Fatalf("first claim: %s, %v", seqsOf(jobs), err)
	}
	var outs []shelf.DeliveryOutcome
	for _, j := range jobs {
		if j.Event.OrgID == c1.ID {
			outs = append(outs, outcome(j, shelf.DeliveryDelivered, now, now))
		} else {
			outs = append(outs, outcome(j, shelf.DeliveryPending, now, now.Add(time.Minute)))
		}
	}
	jobs, err = s.RecordAndClaim(ctx, outs, c)
	if err != nil || len(jobs) != 1 || jobs[0].Event.OrgID != c1.ID || jobs[0].Event.Seq != 2 {
		t.Fatalf("claimed %s, %v; want seq 2 of the delivered stream only", seqsOf(jobs), err)
	}
	// Two outcomes of one event in one call count as two attempts, as if
	// recorded one after the other.
	j := jobs[0]
	dup := outcome(j, shelf.DeliveryPending, now, now)
	if _, err := s.RecordAndClaim(ctx, []shelf.DeliveryOutcome{dup, outcome(shelf.DeliveryJob{Event: j.Event}, shelf.DeliveryDelivered, now, now)},
		shelf.DeliveryClaim{}); err != nil {
		t.Fatal(err)
	}
	ds, err := s.Deliveries(ctx, a.ID, store.DeliveryFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if d.EventID == j.Event.ID && (d.State != shelf.DeliveryDelivered || d.Attempts != 2) {
			t.Fatalf("delivery after two outcomes in one call: %+v", d)
		}
	}
	if atts, _ := s.DeliveryAttempts(ctx, a.ID, store.AttemptFilter{}); len(atts) != 4 {
		t.Fatalf("attempts logged = %d, want 4", len(atts))
	}
}

// testCrashBeforeRecord: a node that claimed, sent and died before its
// outcomes committed loses nothing: another node takes the events once the
// leases end, and the same node restarting takes them back at once.
func testCrashBeforeRecord(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t, shelf.NewManualClock(Epoch))
	a, _ := MustApp(t, s, "https://x.example.com/h")
	for i := 0; i < 3; i++ {
		MustEmit(t, s, a.ID, MustCustomer(t, s, "C").ID, shelf.EventAppInstalled, nil)
	}
	c := shelf.DeliveryClaim{Owner: "n1", Now: Epoch, Lease: time.Minute, Limit: 10}
	claimed, err := s.RecordAndClaim(ctx, nil, c)
	if err != nil || len(claimed) != 3 {
		t.Fatalf("claimed %d, %v", len(claimed), err)
	}
	// n1 dies here: its outcomes never reach the database.
	c2 := shelf.DeliveryClaim{Owner: "n2", Now: Epoch.Add(30 * time.Second), Lease: time.Minute, Limit: 10}
	if jobs, _ := s.RecordAndClaim(ctx, nil, c2); len(jobs) != 0 {
		t.Fatalf("claimed %d under n1's leases", len(jobs))
	}
	if n, err := s.ReleaseLeases(ctx, "n1"); err != nil || n != 3 {
		t.Fatalf("n1 restarting took back %d, %v", n, err)
	}
	if jobs, _ := s.RecordAndClaim(ctx, nil, c2); len(jobs) != 3 {
		t.Fatalf("after n1's restart n2 claimed %d, want 3", len(jobs))
	}
	// n2 dies too, without a restart: after the lease the events go again.
	c3 := shelf.DeliveryClaim{Owner: "n3", Now: Epoch.Add(2 * time.Minute), Lease: time.Minute, Limit: 10}
	jobs, err := s.RecordAndClaim(ctx, nil, c3)
	if err != nil || len(jobs) != 3 {
		t.Fatalf("after the leases n3 claimed %d, %v", len(jobs), err)
	}
	for _, j := range jobs {
		if j.Attempts != 0 || j.LeaseOwner != "n3" {
			t.Fatalf("job %+v: no attempt was recorded, so none should count", j)
		}
	}
	// Late outcomes of the dead nodes change nothing but the log.
	var late []shelf.DeliveryOutcome
	for _, j := range claimed {
		late = append(late, outcome(j, shelf.DeliveryDelivered, Epoch, Epoch))
	}
	if err := s.RecordDeliveries(ctx, late); err != nil {
		t.Fatal(err)
	}
	if counts, _ := s.DeliveryCounts(ctx, a.ID); counts[shelf.DeliveryPending] != 3 {
		t.Fatalf("counts after late outcomes: %v", counts)
	}
}
