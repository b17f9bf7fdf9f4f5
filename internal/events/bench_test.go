package events_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
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
// Each dispatcher run is paired with baseline runs right after it, over
// the very events it delivered (same bodies, same headers, signed the same
// way, a fresh signature per request): "ratio" is the dispatcher's rate
// over the plain loop's, one request after the other (the baseline the
// target is set against); "ratio-64" is over 64 loops at once, one per
// stream, which is the most a sender honouring per-stream order could do.
//
//	go test -run '^$' -bench Delivery -benchtime 3000x -count 3 ./internal/events/
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
			dsn := storetest.DSN(b, backend)
			s := storetest.OpenDSN(b, dsn, clock)
			a, creds := storetest.MustApp(b, s, rs.URL)
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
			storetest.Analyze(b, dsn)
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
			counts, err := s.DeliveryCounts(ctx, a.ID)
			if err != nil {
				b.Fatal(err)
			}
			if got := counts[shelf.DeliveryDelivered]; got != b.N || ts.recorded.Load() != int64(b.N) {
				b.Fatalf("delivered %d, recorded %d of %d", got, ts.recorded.Load(), b.N)
			}
			rate := float64(b.N) / b.Elapsed().Seconds()
			b.ReportMetric(rate, "events/s")
			streams := streamsOf(b, s, a, orgs)
			b.ReportMetric(rate/postLoops(b, rs.URL, [][]shelf.Event{flatten(streams)}, creds.WebhookSecret), "ratio")
			b.ReportMetric(rate/postLoops(b, rs.URL, streams, creds.WebhookSecret), "ratio-64")
			b.Logf("claims %d in %v, records %d in %v, total %v", ts.claims.Load(), time.Duration(ts.claim.Load()), ts.records.Load(), time.Duration(ts.record.Load()), b.Elapsed())
		})
	}
	b.Run("baseline-loop", func(b *testing.B) {
		evts := make([]shelf.Event, b.N)
		app := shelf.NewID("app")
		for i := range evts {
			evts[i] = shelf.Event{ID: shelf.NewID("evt"), Type: shelf.EventAppInstalled, CreatedAt: storetest.Epoch, AppID: app,
				OrgID: shelf.NewID("org"), Seq: int64(i/benchOrgs + 1), Data: json.RawMessage(fmt.Sprintf(`{"n":%d}`, i))}
		}
		b.ResetTimer()
		b.ReportMetric(postLoops(b, rs.URL, [][]shelf.Event{evts}, "whsec_"+strings.Repeat("x", 43)), "events/s")
	})
}

// streamsOf returns the app's events, one slice per org in seq order.
func streamsOf(tb testing.TB, s *store.Store, a *shelf.App, orgs []*shelf.Org) [][]shelf.Event {
	tb.Helper()
	var out [][]shelf.Event
	for _, o := range orgs {
		var stream []shelf.Event
		for after := int64(0); ; {
			page, last, err := s.VendorEvents(context.Background(), a.ID, o.ID, after, store.MaxEventPage)
			if shelf.ErrorKind(err) == shelf.KindNotFound {
				break // no event for this org (b.N < benchOrgs)
			}
			if err != nil {
				tb.Fatal(err)
			}
			stream = append(stream, page...)
			if len(page) == 0 || page[len(page)-1].Seq >= last {
				break
			}
			after = page[len(page)-1].Seq
		}
		out = append(out, stream)
	}
	return out
}

// flatten interleaves the streams, as one sender taking the events in
// turn would.
func flatten(streams [][]shelf.Event) []shelf.Event {
	var out []shelf.Event
	for i := 0; ; i++ {
		n := len(out)
		for _, s := range streams {
			if i < len(s) {
				out = append(out, s[i])
			}
		}
		if len(out) == n {
			return out
		}
	}
}

// postLoops POSTs every event as the dispatcher does (JSON body encoded per
// request, the same headers, a signature per request), one loop per slice
// running at once, each one request after the other, and returns events
// per second.
func postLoops(tb testing.TB, url string, loops [][]shelf.Event, secret string) float64 {
	tb.Helper()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: len(loops)}}
	defer client.CloseIdleConnections()
	var wg sync.WaitGroup
	errs := make(chan error, len(loops))
	n := 0
	start := time.Now()
	for _, evts := range loops {
		n += len(evts)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, e := range evts {
				if err := post(client, url, e, secret); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(errs)
	for err := range errs {
		tb.Fatal(err)
	}
	return float64(n) / elapsed.Seconds()
}

func post(client *http.Client, url string, e shelf.Event, secret string) error {
	body, err := json.Marshal(e)
	if err != nil {
		return err
	}
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(string(body)))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Shelf-Webhooks/1")
	req.Header.Set(sdk.HeaderEventID, e.ID)
	req.Header.Set(sdk.HeaderEventType, e.Type)
	req.Header.Set(sdk.HeaderSignature, sdk.SignatureHeader(storetest.Epoch, body, secret))
	res, err := client.Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusNoContent {
		return fmt.Errorf("status %d", res.StatusCode)
	}
	return nil
}
