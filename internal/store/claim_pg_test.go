package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store"
	"github.com/shelfhq/shelf/internal/store/storetest"
)

// TestClaimBesideRecording (PostgreSQL; SQLite has one writer at a time):
// while one node records a stream's outcome (the stream's row locked, as
// recording locks it first), another node's claim must neither wait on
// that stream nor deadlock with the recording: it skips the stream, and
// takes it (from its head) once the recording committed.
func TestClaimBesideRecording(t *testing.T) {
	if !slices.Contains(storetest.Backends(t), storetest.Postgres) {
		t.Skip("needs PostgreSQL: SQLite runs one write transaction at a time")
	}
	ctx := context.Background()
	clock := shelf.NewManualClock(storetest.Epoch)
	dsn := storetest.DSN(t, storetest.Postgres)
	recorder, claimer := storetest.OpenDSN(t, dsn, clock), storetest.OpenDSN(t, dsn, clock)
	a, _ := storetest.MustApp(t, recorder, "https://x.example.com/h")
	o := storetest.MustCustomer(t, recorder, "One")
	for i := 0; i < 5; i++ {
		storetest.MustEmit(t, recorder, a.ID, o.ID, shelf.EventAppInstalled, nil)
	}
	type result struct {
		jobs []shelf.DeliveryJob
		err  error
	}
	claim := func() result {
		jobs, err := claimer.ClaimDeliveries(ctx, shelf.DeliveryClaim{Owner: "n2", Now: clock.Now(), Lease: time.Minute, Limit: 10, Batch: 16})
		return result{jobs, err}
	}
	claimed := make(chan result, 1)
	err := recorder.Update(ctx, func(tx *store.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT last_seq FROM event_streams WHERE app_id = $1 AND org_id = $2 FOR UPDATE`, a.ID, o.ID)
		if err != nil {
			return err
		}
		rows.Close()
		go func() { claimed <- claim() }()
		// A claim still waiting here holds up the recording: the bound only
		// stops the test from hanging on that bug, it measures nothing.
		select {
		case r := <-claimed:
			claimed <- r
		case <-time.After(30 * time.Second):
			t.Error("the claim waited on a stream being recorded")
		}
		_, err = tx.ExecContext(ctx, `UPDATE event_streams SET attempts = attempts WHERE app_id = $1 AND org_id = $2`, a.ID, o.ID)
		return err
	})
	if err != nil {
		t.Fatalf("recording: %v", err)
	}
	if r := <-claimed; r.err != nil || len(r.jobs) != 0 {
		t.Fatalf("claim beside a recording: %d jobs, %v; want none (the stream skipped)", len(r.jobs), r.err)
	}
	if r := claim(); r.err != nil || len(r.jobs) != 5 || r.jobs[0].Event.Seq != 1 {
		t.Fatalf("claim after the recording: %d jobs, %v; want the stream's 5 events from its head", len(r.jobs), r.err)
	}
}
