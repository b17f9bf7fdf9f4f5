package storetest

import (
	"cmp"
	"context"
	"slices"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store"
)

// outcome is the outcome of an attempt at j at time at.
func outcome(j shelf.DeliveryJob, state shelf.DeliveryState, at, next time.Time) shelf.DeliveryOutcome {
	return shelf.DeliveryOutcome{AppID: j.Event.AppID, LeaseID: j.LeaseID, State: state, NextAttemptAt: next,
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
	if jobs, err := s.RecordAndClaim(ctx, nil, c2); err != nil || len(jobs) != 0 {
		t.Fatalf("claimed %d under n1's leases (%v)", len(jobs), err)
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

// claimBatch claims with a one-minute lease, sorted by stream and seq.
func claimBatch(t *testing.T, s *store.Store, owner string, now time.Time, limit, batch int) []shelf.DeliveryJob {
	t.Helper()
	jobs, err := s.ClaimDeliveries(context.Background(), shelf.DeliveryClaim{Owner: owner, Now: now, Lease: time.Minute, Limit: limit, Batch: batch})
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(jobs, func(x, y shelf.DeliveryJob) int {
		return cmp.Or(cmp.Compare(x.Event.AppID, y.Event.AppID), cmp.Compare(x.Event.OrgID, y.Event.OrgID), cmp.Compare(x.Event.Seq, y.Event.Seq))
	})
	return jobs
}

// seqsIn lists the seqs of the jobs about org ("": all of them).
func seqsIn(jobs []shelf.DeliveryJob, org string) []int64 {
	var out []int64
	for _, j := range jobs {
		if org == "" || j.Event.OrgID == org {
			out = append(out, j.Event.Seq)
		}
	}
	return out
}

// unsent hands j's lease back without an attempt.
func unsent(j shelf.DeliveryJob) shelf.DeliveryOutcome {
	return shelf.DeliveryOutcome{AppID: j.Event.AppID, LeaseID: j.LeaseID, Unsent: true,
		Attempt: shelf.DeliveryAttempt{EventID: j.Event.ID, EventType: j.Event.Type}}
}

// testClaimBatch: with Batch, a stream's head comes with its next pending
// events in seq order, all leased (no other node gets them), up to Batch
// in all and never past one that is not due; parked events come alone. A
// batch that stops early hands the rest back: the event that failed is
// the head, and the ones not reached go out right after it, in order.
func testClaimBatch(t *testing.T, open Opener) {
	ctx := context.Background()
	clock := shelf.NewManualClock(Epoch)
	s := open(t, clock)
	a, _ := MustApp(t, s, "https://x.example.com/h")
	c1, c2 := MustCustomer(t, s, "One"), MustCustomer(t, s, "Two")
	for i := 0; i < 5; i++ {
		MustEmit(t, s, a.ID, c1.ID, shelf.EventAppInstalled, nil)
	}
	MustEmit(t, s, a.ID, c2.ID, shelf.EventAppInstalled, nil)
	clock.Advance(10 * time.Second)
	MustEmit(t, s, a.ID, c2.ID, shelf.EventAppInstalled, nil) // not due at Epoch+5s

	claimAt := func(owner string, now time.Time, limit, batch int) []shelf.DeliveryJob {
		return claimBatch(t, s, owner, now, limit, batch)
	}
	now := Epoch.Add(5 * time.Second)
	jobs := claimAt("n1", now, 10, 3)
	if got := seqsIn(jobs, c1.ID); !slices.Equal(got, []int64{1, 2, 3}) {
		t.Fatalf("stream one: claimed seqs %v, want 1 2 3 (Batch 3)", got)
	}
	if got := seqsIn(jobs, c2.ID); !slices.Equal(got, []int64{1}) {
		t.Fatalf("stream two: claimed seqs %v, want 1 only (seq 2 is not due)", got)
	}
	for _, j := range jobs {
		if j.LeaseOwner != "n1" || !j.LeaseUntil.Equal(now.Add(time.Minute)) {
			t.Fatalf("job %s#%d: lease %q until %v", j.Event.OrgID, j.Event.Seq, j.LeaseOwner, j.LeaseUntil)
		}
	}
	if other := claimAt("n2", now, 10, 3); len(other) != 0 {
		t.Fatalf("another node claimed %s from leased batches", seqsOf(other))
	}

	// Stream one: seq 1 delivered, seq 2 failed, seq 3 not reached.
	one := jobs[:3]
	if jobs[0].Event.OrgID != c1.ID {
		one = jobs[1:]
	}
	outs := []shelf.DeliveryOutcome{outcome(one[0], shelf.DeliveryDelivered, now, now), outcome(one[1], shelf.DeliveryPending, now, now.Add(30*time.Second)),
		unsent(one[2])}
	if got := claimAt("n1", now.Add(30*time.Second), 10, 3); len(got) != 0 {
		t.Fatalf("claimed %s before the batch was recorded", seqsOf(got))
	}
	if _, err := s.RecordAndClaim(ctx, outs, shelf.DeliveryClaim{}); err != nil {
		t.Fatal(err)
	}
	ds, err := s.Deliveries(ctx, a.ID, store.DeliveryFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if d.EventID == one[2].Event.ID && (d.Attempts != 0 || d.State != shelf.DeliveryPending) {
			t.Fatalf("the event not reached: %+v", d)
		}
	}
	if atts, _ := s.DeliveryAttempts(ctx, a.ID, store.AttemptFilter{}); len(atts) != 2 {
		t.Fatalf("attempts logged = %d, want 2 (nothing for the event not reached)", len(atts))
	}
	// When the failed head is due again it leads, and the rest follow it at
	// once: the lease of the event not reached (until now+1m) was handed
	// back.
	later := now.Add(30 * time.Second)
	jobs = claimAt("n2", later, 10, 10)
	if got := seqsIn(jobs, c1.ID); !slices.Equal(got, []int64{2, 3, 4, 5}) {
		t.Fatalf("stream one after the failure: claimed seqs %v, want 2 3 4 5", got)
	}
	for _, j := range jobs {
		if j.Event.OrgID == c1.ID && j.Event.Seq == 2 && j.Attempts != 1 {
			t.Fatalf("the failed head: %d attempts, want 1", j.Attempts)
		}
	}
	// Parked events come alone, and do not pull their stream's events.
	var park []shelf.DeliveryOutcome
	for _, j := range jobs {
		if j.Event.OrgID == c1.ID && j.Event.Seq == 2 {
			park = append(park, outcome(j, shelf.DeliveryParked, later, later.Add(time.Hour)))
		} else {
			park = append(park, unsent(j))
		}
	}
	if _, err := s.RecordAndClaim(ctx, park, shelf.DeliveryClaim{}); err != nil {
		t.Fatal(err)
	}
	jobs = claimAt("n3", later.Add(2*time.Hour), 10, 2)
	if got := seqsIn(jobs, c1.ID); !slices.Equal(got, []int64{2, 3, 4}) {
		t.Fatalf("stream one with seq 2 parked: claimed seqs %v, want 2 (parked) and the batch 3 4", got)
	}
	for _, j := range jobs {
		if j.Event.OrgID == c1.ID && (j.Event.Seq == 2) != (j.State == shelf.DeliveryParked) {
			t.Fatalf("seq %d is %s", j.Event.Seq, j.State)
		}
	}
}

// testBatchLeases: a batch's outcome moves its events on only under the
// claim that leased them. The late outcome of a claim whose lease ran out
// (here the same node's, claiming the stream again) changes nothing but the
// log, so it cannot hand back or settle what the newer claim is sending; a
// follower still leased is never taken with its stream's head; a parked
// event is claimed alone, without the events after it.
func testBatchLeases(t *testing.T, open Opener) {
	ctx := context.Background()
	clock := shelf.NewManualClock(Epoch)
	s := open(t, clock)
	a, _ := MustApp(t, s, "https://x.example.com/h")
	o := MustCustomer(t, s, "One")
	for i := 0; i < 5; i++ {
		MustEmit(t, s, a.ID, o.ID, shelf.EventAppInstalled, nil)
	}
	claimAt := func(owner string, now time.Time, limit, batch int) []shelf.DeliveryJob {
		return claimBatch(t, s, owner, now, limit, batch)
	}
	seqs := func(jobs []shelf.DeliveryJob) []int64 { return seqsIn(jobs, "") }
	t0 := Epoch
	old := claimAt("n1", t0, 10, 16)
	t1 := t0.Add(time.Minute) // the lease ran out before n1 recorded
	cur := claimAt("n1", t1, 10, 16)
	if !slices.Equal(seqs(old), []int64{1, 2, 3, 4, 5}) || !slices.Equal(seqs(cur), seqs(old)) || cur[0].LeaseID == old[0].LeaseID {
		t.Fatalf("claims %v (lease %s) then %v (lease %s): want 1..5 twice, under two leases", seqs(old), old[0].LeaseID, seqs(cur), cur[0].LeaseID)
	}
	late := []shelf.DeliveryOutcome{outcome(old[0], shelf.DeliveryDelivered, t0, t0), outcome(old[1], shelf.DeliveryDelivered, t0, t0),
		outcome(old[2], shelf.DeliveryPending, t0, t1.Add(10*time.Second)), unsent(old[3]), unsent(old[4])}
	if err := s.RecordDeliveries(ctx, late); err != nil {
		t.Fatal(err)
	}
	if other := claimAt("n2", t1.Add(10*time.Second), 10, 16); len(other) != 0 {
		t.Fatalf("n2 claimed %v while n1's second claim holds the stream", seqs(other))
	}
	if counts, _ := s.DeliveryCounts(ctx, a.ID); counts[shelf.DeliveryPending] != 5 {
		t.Fatalf("counts after the late outcome: %v; want all 5 still pending", counts)
	}

	// The second claim records 1 delivered, 2 failed, 4 and 5 unsent, and
	// (as a node would not, but the store must not rely on it) nothing for
	// 3, which stays leased: the failed event is the head again, due now,
	// and goes out alone; 4 and 5 may not jump over 3.
	if err := s.RecordDeliveries(ctx, []shelf.DeliveryOutcome{outcome(cur[0], shelf.DeliveryDelivered, t1, t1),
		outcome(cur[1], shelf.DeliveryPending, t1, t1), unsent(cur[3]), unsent(cur[4])}); err != nil {
		t.Fatal(err)
	}
	if got := claimAt("n2", t1, 10, 16); !slices.Equal(seqs(got), []int64{2}) {
		t.Fatalf("claimed %v; want seq 2 alone while 3 is leased", seqs(got))
	}

	// Park seq 2 with a retry due before the new head (seq 3, due since
	// Epoch): with room for one stream only, the parked event comes alone.
	now := t1.Add(2 * time.Minute) // every lease has run out
	got := claimAt("n3", now, 10, 1)
	if !slices.Equal(seqs(got), []int64{2}) {
		t.Fatalf("claimed %v, want seq 2", seqs(got))
	}
	if err := s.RecordDeliveries(ctx, []shelf.DeliveryOutcome{outcome(got[0], shelf.DeliveryParked, now, Epoch.Add(-time.Second))}); err != nil {
		t.Fatal(err)
	}
	got = claimAt("n3", now, 1, 16)
	if len(got) != 1 || got[0].Event.Seq != 2 || got[0].State != shelf.DeliveryParked {
		t.Fatalf("claimed %v with Limit 1: want the parked seq 2 alone", seqs(got))
	}

	// A head handed back unsent (a node at its lease margin) after its
	// lease passed to another claim: the hand-back changes nothing, so a
	// third node cannot take the head the second is sending.
	// (App a is kept out: its streams are busy, as far as these claims go.)
	b, _ := MustApp(t, s, "https://y.example.com/h")
	MustEmit(t, s, b.ID, o.ID, shelf.EventAppInstalled, nil)
	onlyB := func(owner string, at time.Time) []shelf.DeliveryJob {
		t.Helper()
		jobs, err := s.ClaimDeliveries(ctx, shelf.DeliveryClaim{Owner: owner, Now: at, Lease: time.Minute, Limit: 10, PerApp: 1,
			Busy: map[string]int{a.ID: 1}})
		if err != nil {
			t.Fatal(err)
		}
		return jobs
	}
	later := now.Add(time.Hour)
	first := onlyB("n1", later)
	second := onlyB("n2", later.Add(time.Minute))
	if len(first) != 1 || len(second) != 1 || first[0].Event.ID != second[0].Event.ID {
		t.Fatalf("claims of app b's stream: %v then %v", seqs(first), seqs(second))
	}
	if err := s.RecordDeliveries(ctx, []shelf.DeliveryOutcome{unsent(first[0])}); err != nil {
		t.Fatal(err)
	}
	if third := onlyB("n3", later.Add(time.Minute+time.Second)); len(third) != 0 {
		t.Fatalf("n3 claimed %v while n2's lease is in force", seqs(third))
	}
}

// testPruneDeliveries: pruning deletes the delivery log (deliveries and
// attempts) of settled events created before the cut-off, a bounded number
// per call, and nothing else: not recent ones, not events still to send
// however old, not another app's, and not the events (the pull API serves
// them still).
func testPruneDeliveries(t *testing.T, open Opener) {
	ctx := context.Background()
	clock := shelf.NewManualClock(Epoch)
	s := open(t, clock)
	a, _ := MustApp(t, s, "https://x.example.com/h")
	b, _ := MustApp(t, s, "https://y.example.com/h")
	c1, c2, c3 := MustCustomer(t, s, "One"), MustCustomer(t, s, "Two"), MustCustomer(t, s, "Three")
	// Old (at Epoch): a's c1 stream delivered, a's c2 stream failed then
	// one pending, a's c3 stream parked; b's stream delivered.
	for _, o := range []*shelf.Org{c1, c1, c2, c3} {
		MustEmit(t, s, a.ID, o.ID, shelf.EventAppInstalled, nil)
	}
	MustEmit(t, s, a.ID, c2.ID, shelf.EventAppInstalled, nil)
	MustEmit(t, s, b.ID, c1.ID, shelf.EventAppInstalled, nil)
	settle := func(now time.Time, state func(j shelf.DeliveryJob) shelf.DeliveryState) {
		t.Helper()
		jobs, err := s.ClaimDeliveries(ctx, shelf.DeliveryClaim{Owner: "n1", Now: now, Lease: time.Minute, Limit: 50, Batch: 16})
		if err != nil {
			t.Fatal(err)
		}
		var outs []shelf.DeliveryOutcome
		for _, j := range jobs {
			if st := state(j); st != "" {
				outs = append(outs, outcome(j, st, now, now.Add(time.Hour)))
			} else {
				outs = append(outs, unsent(j))
			}
		}
		if err := s.RecordDeliveries(ctx, outs); err != nil {
			t.Fatal(err)
		}
	}
	settle(Epoch, func(j shelf.DeliveryJob) shelf.DeliveryState {
		switch {
		case j.Event.OrgID == c2.ID && j.Event.Seq == 1:
			return shelf.DeliveryFailed
		case j.Event.OrgID == c2.ID:
			return "" // not reached: stays pending
		case j.Event.OrgID == c3.ID:
			return shelf.DeliveryParked
		}
		return shelf.DeliveryDelivered
	})
	// Recent (a day later): one more delivered event for a's c1 stream.
	clock.Set(Epoch.Add(24 * time.Hour))
	MustEmit(t, s, a.ID, c1.ID, shelf.EventAppInstalled, nil)
	settle(clock.Now(), func(j shelf.DeliveryJob) shelf.DeliveryState {
		if j.Event.OrgID == c1.ID {
			return shelf.DeliveryDelivered
		}
		return "" // the others wait
	})
	counts, err := s.DeliveryCounts(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if counts[shelf.DeliveryDelivered] != 3 || counts[shelf.DeliveryFailed] != 1 || counts[shelf.DeliveryParked] != 1 || counts[shelf.DeliveryPending] != 1 {
		t.Fatalf("before pruning: %v", counts)
	}

	cut := Epoch.Add(time.Hour)
	if n, err := s.PruneDeliveries(ctx, cut, 1); err != nil || n != 2 {
		t.Fatalf("first call with limit 1: pruned %d, %v; want one per app", n, err)
	}
	if n, err := s.PruneDeliveries(ctx, cut, 100); err != nil || n != 2 {
		t.Fatalf("second call: pruned %d, %v; want the two old settled deliveries left", n, err)
	}
	if n, err := s.PruneDeliveries(ctx, cut, 100); err != nil || n != 0 {
		t.Fatalf("third call: pruned %d, %v; want none", n, err)
	}
	counts, _ = s.DeliveryCounts(ctx, a.ID)
	if counts[shelf.DeliveryDelivered] != 1 || counts[shelf.DeliveryFailed] != 0 || counts[shelf.DeliveryParked] != 1 || counts[shelf.DeliveryPending] != 1 {
		t.Fatalf("after pruning, app a: %v; want the recent delivered, the parked and the pending ones", counts)
	}
	if counts, err = s.DeliveryCounts(ctx, b.ID); err != nil || len(counts) != 0 {
		t.Fatalf("after pruning, app b: %v, %v", counts, err)
	}
	atts, _ := s.DeliveryAttempts(ctx, a.ID, store.AttemptFilter{})
	if len(atts) != 2 {
		t.Fatalf("attempts left = %d, want 2 (the parked event's and the recent one's)", len(atts))
	}
	evts, _, err := s.VendorEvents(ctx, a.ID, c1.ID, 0, 10)
	if err != nil || len(evts) != 3 {
		t.Fatalf("the pull API after pruning: %d events, %v; want all 3", len(evts), err)
	}
}
