package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store"
	"github.com/shelfhq/shelf/internal/store/storetest"
)

// BenchmarkRecordAndClaim measures the dispatcher's database round alone:
// record a batch of outcomes (one per stream) and claim the streams' next
// events, in one transaction, without the network.
//
//	go test -run '^$' -bench RecordAndClaim ./internal/store/
func BenchmarkRecordAndClaim(b *testing.B) {
	const streams = 64
	for _, backend := range storetest.Backends(b) {
		b.Run(backend, func(b *testing.B) {
			ctx := context.Background()
			clock := shelf.NewManualClock(storetest.Epoch)
			dsn := storetest.DSN(b, backend)
			s := storetest.OpenDSN(b, dsn, clock)
			a, _ := storetest.MustApp(b, s, "https://x.example.com/h")
			orgs := make([]*shelf.Org, streams)
			for i := range orgs {
				orgs[i] = storetest.MustCustomer(b, s, fmt.Sprint("C", i))
			}
			if err := s.Update(ctx, func(tx *store.Tx) error {
				for i := 0; i < (b.N+1)*streams; i++ {
					if _, err := tx.Emit(ctx, a.ID, orgs[i%streams].ID, shelf.EventAppInstalled, map[string]int{"n": i}); err != nil {
						return err
					}
				}
				return nil
			}); err != nil {
				b.Fatal(err)
			}
			storetest.Analyze(b, dsn)
			claim := shelf.DeliveryClaim{Owner: "n1", Now: storetest.Epoch, Lease: time.Minute, Limit: streams, PerApp: streams}
			jobs, err := s.ClaimDeliveries(ctx, claim)
			if err != nil || len(jobs) != streams {
				b.Fatalf("claimed %d, %v", len(jobs), err)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				outs := make([]shelf.DeliveryOutcome, len(jobs))
				for k, j := range jobs {
					outs[k] = shelf.DeliveryOutcome{AppID: j.Event.AppID, LeaseID: j.LeaseID, State: shelf.DeliveryDelivered, NextAttemptAt: claim.Now,
						Attempt: shelf.DeliveryAttempt{EventID: j.Event.ID, EventType: j.Event.Type, AttemptedAt: claim.Now, OK: true, StatusCode: 204, Latency: time.Millisecond}}
				}
				if jobs, err = s.RecordAndClaim(ctx, outs, claim); err != nil || len(jobs) != streams {
					b.Fatalf("round %d: claimed %d, %v", i, len(jobs), err)
				}
			}
			b.ReportMetric(float64(b.N*streams)/b.Elapsed().Seconds(), "events/s")
		})
	}
}
