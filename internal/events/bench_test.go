package events_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/events"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store"
	"github.com/shelfhq/shelf/internal/store/storetest"
	"github.com/shelfhq/shelf/sdk"
)

// benchOrgs spreads the events over this many (app, org) streams.
const benchOrgs = 64

// BenchmarkDelivery measures events delivered per second to a local
// receiver that answers at once: the dispatcher (claim, sign, POST, record,
// on a real database) against a plain Go loop POSTing the same bodies to
// the same receiver. docs/benchmarks.md quotes the ratio.
//
//	go test -run '^$' -bench Delivery -benchtime 5000x ./internal/events/
func BenchmarkDelivery(b *testing.B) {
	rs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusNoContent)
	}))
	defer rs.Close()
	backends := []string{storetest.SQLite}
	if len(storetest.Backends(b)) > 1 {
		backends = append(backends, storetest.Postgres)
	}
	for _, backend := range backends {
		b.Run("dispatcher/"+backend, func(b *testing.B) {
			ctx := context.Background()
			clock := shelf.NewManualClock(storetest.Epoch)
			s := storetest.Open(b, backend, clock)
			a, _ := storetest.MustApp(b, s, rs.URL)
			orgs := make([]*shelf.Org, benchOrgs)
			for i := range orgs {
				orgs[i] = storetest.MustCustomer(b, s, fmt.Sprint("C", i))
			}
			if err := s.Update(ctx, func(tx *store.Tx) error {
				for i := 0; i < b.N; i++ {
					if _, err := tx.Emit(ctx, a.ID, orgs[i%benchOrgs].ID, shelf.EventAppInstalled, map[string]int{"n": i}); err != nil {
						return err
					}
				}
				return nil
			}); err != nil {
				b.Fatal(err)
			}
			ts := &timedStore{Store: s}
			d := events.New(ts, events.Options{Clock: clock, Guard: events.Guard{AllowPrivate: true}, Workers: 64, PerApp: 64, PollInterval: time.Millisecond})
			rctx, stop := context.WithCancel(ctx)
			ts.onRecord = func(n int64) {
				if n >= int64(b.N) {
					stop()
				}
			}
			b.ResetTimer()
			if err := d.Run(rctx); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			if got := ts.recorded.Load(); got != int64(b.N) {
				b.Fatalf("recorded %d of %d", got, b.N)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
			b.Logf("claims %d in %v, records %d in %v, total %v", ts.claims.Load(), time.Duration(ts.claim.Load()), ts.records.Load(), time.Duration(ts.record.Load()), b.Elapsed())
		})
	}
	b.Run("baseline-loop", func(b *testing.B) {
		body, _ := json.Marshal(shelf.Event{ID: shelf.NewID("evt"), Type: shelf.EventAppInstalled, AppID: "app_x", OrgID: "org_x", Seq: 1, Data: []byte(`{"n":1}`)})
		client := &http.Client{}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			req, _ := http.NewRequest("POST", rs.URL, strings.NewReader(string(body)))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set(sdk.HeaderSignature, sdk.SignatureHeader(storetest.Epoch, body, "whsec_x"))
			res, err := client.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
	})
}
