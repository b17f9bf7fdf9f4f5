package ui_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store/storetest"
	"github.com/shelfhq/shelf/internal/web/webtest"
)

// TestCoolBenchmark measures, in one run, cards posted per second through
// the API (the vendor's org token, the rate limiter's statement, the
// insert) against the bare hello handler, and the group page's render
// time with 1,000 cards against 0. It only reports (docs/benchmarks.md):
//
//	SHELF_BENCH_COOL=1 go test -count=1 -run TestCoolBenchmark -v ./internal/web/ui/
func TestCoolBenchmark(t *testing.T) {
	if os.Getenv("SHELF_BENCH_COOL") == "" {
		t.Skip("set SHELF_BENCH_COOL=1 to measure")
	}
	f, base := servedFixture(t, nil)
	ctx := context.Background()
	g, app := f.World.Groups[0], f.World.Apps["standup"]
	if _, _, err := f.Store.Install(ctx, shelf.NewInstallation{AppID: app.ID, OrgID: g.OrgID, GroupID: g.ID, ByUserID: f.World.Users[demo.CustomerEmail].ID}); err != nil {
		t.Fatal(err)
	}
	tok, err := f.Store.ExchangeInstallCode(ctx, app.ID, storetest.InstallCode(t, f.Store, app.ID, g.OrgID))
	if err != nil {
		t.Fatal(err)
	}
	// The posts go round-robin into 400 groups (a vendor serving many
	// groups): 3,000 posts are under 8 a group, within the burst of 10,
	// so the limiter's statement runs on every post and never refuses.
	var groups []string
	customer := f.World.Users[demo.CustomerEmail].ID
	for i := range 400 {
		gi, err := f.Store.CreateGroup(ctx, g.OrgID, fmt.Sprintf("群 %d", i), customer, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.Store.Install(ctx, shelf.NewInstallation{AppID: app.ID, OrgID: g.OrgID, GroupID: gi.ID, ByUserID: customer}); err != nil {
			t.Fatal(err)
		}
		groups = append(groups, gi.ID)
	}
	var next atomic.Int64
	hello := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "hello") }))
	defer hello.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	const n, workers = 3000, 16
	card, _ := json.Marshal(map[string]any{"title": "日报汇总", "text": "8 人已提交", "fields": []any{map[string]any{"label": "未提交", "value": "王五"}},
		"buttons": []any{map[string]any{"text": "查看", "path": "/r/1"}}})
	helloRate := rate(t, n, workers, func() int {
		res, err := client.Get(hello.URL)
		return status(res, err)
	})
	cardRate := rate(t, n, workers, func() int {
		gid := groups[int(next.Add(1))%len(groups)]
		req, _ := http.NewRequest("POST", base+"/api/v1/vendor/groups/"+gid+"/cards", bytes.NewReader(card))
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		req.Header.Set("Content-Type", "application/json")
		return status(client.Do(req))
	})
	t.Logf("%d requests, %d at once: hello %.0f/s, cards %.0f/s (%.3f of hello)", n, workers, helloRate, cardRate, cardRate/helloRate)

	// The group page: a member reads it with 0 and with 1,000 more cards.
	b := f.Browser()
	b.SignIn(demo.MemberEmail)
	page := "/orgs/" + g.OrgID + "/groups/" + g.ID
	g2, err := f.Store.CreateGroup(ctx, g.OrgID, "Bench", f.World.Users[demo.CustomerEmail].ID, []string{f.World.Users[demo.MemberEmail].ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.Store.Install(ctx, shelf.NewInstallation{AppID: app.ID, OrgID: g.OrgID, GroupID: g2.ID, ByUserID: f.World.Users[demo.CustomerEmail].ID}); err != nil {
		t.Fatal(err)
	}
	none := renderTime(t, b, "/orgs/"+g.OrgID+"/groups/"+g2.ID)
	for i := 0; i < 1000; i++ {
		if _, err := f.Store.PostCard(ctx, app.ID, g.OrgID, g2.ID, shelf.CardInput{Title: fmt.Sprintf("卡片 %d", i), Text: "8 人已提交"}, shelf.CardLimit{Burst: 2000, Interval: time.Millisecond}); err != nil {
			t.Fatal(err)
		}
	}
	full := renderTime(t, b, "/orgs/"+g.OrgID+"/groups/"+g2.ID)
	t.Logf("group page %s (20 cards a page): 0 cards %v, 1,000 cards %v median of 101 (%.2f×)", page, none, full, float64(full)/float64(none))
}

func status(res *http.Response, err error) int {
	if err != nil {
		return 0
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode
}

// rate sends n requests with workers at once and returns requests per
// second; every answer must be a 2xx.
func rate(t *testing.T, n, workers int, do func() int) float64 {
	t.Helper()
	var left atomic.Int64
	left.Store(int64(n))
	var bad atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for left.Add(-1) >= 0 {
				if s := do(); s < 200 || s > 299 {
					if bad.Add(1) == 1 {
						t.Logf("first failure: status %d", s)
					}
				}
			}
		}()
	}
	wg.Wait()
	if bad.Load() > 0 {
		t.Fatalf("%d of %d requests failed", bad.Load(), n)
	}
	return float64(n) / time.Since(start).Seconds()
}

// renderTime is the median time of 101 reads of a page.
func renderTime(t *testing.T, b *webtest.Browser, path string) time.Duration {
	t.Helper()
	var ds []time.Duration
	for range 101 {
		start := time.Now()
		if status, body, _ := b.Get(path); status != 200 {
			t.Fatalf("GET %s = %d %.200s", path, status, body)
		}
		ds = append(ds, time.Since(start))
	}
	slices.Sort(ds)
	return ds[len(ds)/2]
}
