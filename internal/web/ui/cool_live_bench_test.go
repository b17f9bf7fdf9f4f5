package ui_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/webtest"
)

// TestCoolLiveBenchmark measures, in one run, what one live check of the
// cool-app application form costs (the form as typed, checked, answered
// in the reader's language) against the bare hello handler and against
// opening the form page. It runs after each pause in typing. It only
// reports (docs/benchmarks.md):
//
//	SHELF_BENCH_COOL=1 go test -count=1 -run TestCoolLiveBenchmark -v ./internal/web/ui/
func TestCoolLiveBenchmark(t *testing.T) {
	if os.Getenv("SHELF_BENCH_COOL") == "" {
		t.Skip("set SHELF_BENCH_COOL=1 to measure")
	}
	f, _ := servedFixture(t, nil)
	app, _ := f.PartnerApp(shelf.AppCool)
	b := f.Browser()
	b.SignIn(demo.PartnerEmail)
	_, page, _ := b.Get("/apps/" + app.ID + "/coolapp")
	form := url.Values{"csrf_token": {webtest.CSRFOf(t, page)}, "name": {"群投票"}, "name_en": {"GroupPoll"}, "subtitle": {"在群里一键发起投票"},
		"subtitle_en": {"Polls in one tap inside the group"}, "description": {"群投票让部门群、项目群里的决定不再拖：一键发起投票，成员在群里直接选，结果实时统计。"},
		"category_id": {f.HRLeaf()}, "scenarios": {"部门群里投票选团建地点\n项目群里确认上线时间"}, "entry_toolbar_on": {"1"}, "entry_toolbar": {"发起投票"},
		"perm_group.cards.write_on": {"1"}, "perm_group.cards.write": {"把投票发到群里"}, "pricing": {"free"}, "max_users": {"50"},
		"support_contact": {"support@poll.example.com"}, "privacy_url": {"https://poll.example.com/privacy"}}
	hello := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "hello") }))
	defer hello.Close()
	median := func(do func()) time.Duration {
		var ds []time.Duration
		for range 201 {
			start := time.Now()
			do()
			ds = append(ds, time.Since(start))
		}
		slices.Sort(ds)
		return ds[len(ds)/2]
	}
	helloT := median(func() { status(http.Get(hello.URL)) })
	live := median(func() {
		if s, body, _ := b.Post("/apps/"+app.ID+"/coolapp/validate", form); s != 200 {
			t.Fatalf("live check = %d %.200s", s, body)
		}
	})
	open := median(func() { b.Get("/apps/" + app.ID + "/coolapp") })
	t.Logf("median of 201: hello %v, live check %v (%.1f× hello), the form page %v (live check %.2f× the page)",
		helloT, live, float64(live)/float64(helloT), open, float64(live)/float64(open))
}
