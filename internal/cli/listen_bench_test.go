package cli

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/store/storetest"
)

// TestBenchListenVsWebhook measures, in one run on one server, events per
// second forwarded by shelf listen against the same number delivered as
// webhooks by the dispatcher, to the same local endpoint (docs/benchmarks.md).
// It runs only with SHELF_BENCH_LISTEN=N (events per side).
func TestBenchListenVsWebhook(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("SHELF_BENCH_LISTEN"))
	if n <= 0 {
		t.Skip("set SHELF_BENCH_LISTEN=1000 to measure")
	}
	data, cfg, dir := t.TempDir(), t.TempDir(), t.TempDir()
	addr, _ := serveAt(t, data, "127.0.0.1:0", "--allow-private-webhooks")
	base := "http://" + addr
	if _, stderr, err := cliAs(t, cfg, demo.Password+"\n", "login", "--server", base, "--email", demo.PartnerEmail); err != nil {
		t.Fatal(err, stderr)
	}
	var got atomic.Int64
	local := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		got.Add(1)
	}))
	defer local.Close()
	hookURL := strings.Replace(local.URL, "127.0.0.1", "localhost", 1) + "/hook"
	pulled, pushed := filepath.Join(dir, "pulled.json"), filepath.Join(dir, "pushed.json")
	for _, a := range [][]string{{"--name", "Pulled", "--secrets-file", pulled}, {"--name", "Pushed", "--webhook-url", hookURL, "--secrets-file", pushed}} {
		if _, stderr, err := cliAs(t, cfg, "", append([]string{"apps", "create"}, a...)...); err != nil {
			t.Fatal(err, stderr)
		}
	}
	st := storetest.OpenDSN(t, filepath.Join(data, "shelf.db"), nil)
	partner, _ := st.UserByEmail(context.Background(), demo.PartnerEmail)
	emit := func(app string) {
		for range n {
			if _, err := st.EmitTestPing(context.Background(), app, partner.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	wait := func(want int64) time.Duration {
		start := time.Now()
		for got.Load() < want {
			time.Sleep(5 * time.Millisecond)
		}
		return time.Since(start)
	}
	// Webhooks: events written first, then timed from the first delivery
	// until the last (the dispatcher starts on its own).
	emit(readSecrets(pushed).AppID)
	for got.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	webhook := wait(int64(n))
	got.Store(0)
	sec := readSecrets(pulled)
	emit(sec.AppID)
	m := &Main{Stdout: io.Discard, Stderr: io.Discard, Getenv: func(k string) string {
		if k == "SHELF_CONFIG_DIR" {
			return cfg
		}
		return ""
	}}
	start := time.Now()
	if err := m.Run(context.Background(), []string{"listen", "--app", sec.AppID, "--secrets-file", pulled, "--forward-to", local.URL + "/hook", "--max", strconv.Itoa(n)}); err != nil {
		t.Fatal(err)
	}
	listen := time.Since(start)
	wps, lps := float64(n)/webhook.Seconds(), float64(n)/listen.Seconds()
	t.Logf("events=%d webhook=%.0f/s listen=%.0f/s ratio listen/webhook=%.2f", n, wps, lps, lps/wps)
}
