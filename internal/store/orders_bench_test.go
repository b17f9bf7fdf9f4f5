package store_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store"
	"github.com/shelfhq/shelf/internal/store/storetest"
)

// benchClients is how many clients place orders at once.
const benchClients = 32

// BenchmarkDurableOrders places orders from 32 concurrent clients, each
// order a transaction that claims its idempotency key, prices the order
// and keeps its answer (the durable write a POST /orders acknowledges),
// beside the same clients writing one raw row per transaction into the same
// database: the baseline the issue compares against.
//
//	go test -run '^$' -bench DurableOrders -benchtime 2000x ./internal/store/
func BenchmarkDurableOrders(b *testing.B) {
	for _, backend := range storetest.Backends(b) {
		b.Run(backend+"/raw-insert", func(b *testing.B) {
			s := storetest.Open(b, backend, nil)
			ctx := context.Background()
			if err := s.Update(ctx, func(tx *store.Tx) error {
				_, err := tx.ExecContext(ctx, `CREATE TABLE bench_rows (id TEXT PRIMARY KEY, org_id TEXT NOT NULL, body TEXT NOT NULL, created_at BIGINT NOT NULL)`)
				return err
			}); err != nil {
				b.Fatal(err)
			}
			var seq atomic.Int64
			parallel(b, func() error {
				return s.Update(ctx, func(tx *store.Tx) error {
					_, err := tx.ExecContext(ctx, `INSERT INTO bench_rows (id, org_id, body, created_at) VALUES ($1, $2, $3, $4)`,
						fmt.Sprint("row", seq.Add(1)), "org", `{"amount": 900}`, 1)
					return err
				})
			})
		})
		b.Run(backend+"/orders", func(b *testing.B) {
			s := storetest.Open(b, backend, nil)
			ctx := context.Background()
			sh := storetest.NewShop(b, s, nil)
			orgs := make([]string, b.N)
			for i := range orgs {
				orgs[i] = storetest.MustOrg(b, s, fmt.Sprint("Buyer ", i), shelf.OrgCustomer, sh.Admin).ID
			}
			var next atomic.Int64
			parallel(b, func() error {
				i := next.Add(1) - 1
				key := fmt.Sprint("k", i)
				_, err := s.CreateOrder(ctx, shelf.OrderRequest{OrgID: orgs[i], ByUserID: sh.Admin.ID, ListingID: sh.Listing.ID,
					Type: shelf.OrderBuy, SpecCode: "std-month", Users: 10, Periods: 12}, shelf.Idempotency{Key: key, Hash: key},
					func(o *shelf.Order) (shelf.Answer, error) {
						return shelf.Answer{Status: 201, Body: []byte(`{"id":"` + o.ID + `"}`)}, nil
					})
				return err
			})
		})
	}
}

// parallel runs b.N calls of fn from benchClients goroutines and reports
// transactions per second.
func parallel(b *testing.B, fn func() error) {
	b.Helper()
	var left atomic.Int64
	left.Store(int64(b.N))
	var wg sync.WaitGroup
	errs := make(chan error, benchClients)
	b.ResetTimer()
	for range benchClients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for left.Add(-1) >= 0 {
				if err := fn(); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "txn/s")
}
