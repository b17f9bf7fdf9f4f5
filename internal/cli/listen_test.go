package cli

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/store/storetest"
	"github.com/shelfhq/shelf/sdk"
)

// serveAt starts `shelf serve --demo` on data at addr (127.0.0.1:0 for a
// free port) and returns its address and a func that stops it.
func serveAt(t *testing.T, data, addr string, extra ...string) (string, func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	var stderr lockedBuffer
	m := &Main{Stdout: io.Discard, Stderr: &stderr, Getenv: func(string) string { return "" }, Ready: func(a string) { ready <- a }}
	done := make(chan error, 1)
	go func() {
		done <- m.Run(ctx, append([]string{"serve", "--demo", "--addr", addr, "--data", data, "--log-level", "error"}, extra...))
	}()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("serve: %v", err)
			}
		})
	}
	t.Cleanup(stop)
	select {
	case a := <-ready:
		return a, stop
	case err := <-done:
		t.Fatalf("serve ended early: %v\n%s", err, stderr.String())
	case <-time.After(60 * time.Second):
		t.Fatal("serve did not start")
	}
	return "", stop
}

// TestListenForwardsInOrderAcrossRestart: 1,000 events reach a local
// endpoint through shelf listen, signed, each once and in seq order,
// while the server is stopped and started again half way.
func TestListenForwardsInOrderAcrossRestart(t *testing.T) {
	const total = 1000
	data, cfg, dir := t.TempDir(), t.TempDir(), t.TempDir()
	addr, stop := serveAt(t, data, "127.0.0.1:0")
	base := "http://" + addr
	if _, stderr, err := cliAs(t, cfg, demo.Password+"\n", "login", "--server", base, "--email", demo.PartnerEmail); err != nil {
		t.Fatalf("login: %v %s", err, stderr)
	}
	secrets := filepath.Join(dir, "secrets.json")
	if _, stderr, err := cliAs(t, cfg, "", "apps", "create", "--name", "Listen", "--secrets-file", secrets); err != nil {
		t.Fatalf("apps create: %v %s", err, stderr)
	}
	sec := readSecrets(secrets)
	st := storetest.OpenDSN(t, filepath.Join(data, "shelf.db"), nil)
	partner, err := st.UserByEmail(context.Background(), demo.PartnerEmail)
	if err != nil {
		t.Fatal(err)
	}
	emit := func(n int) {
		for range n {
			if _, err := st.EmitTestPing(context.Background(), sec.AppID, partner.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	// The local endpoint verifies each delivery and records its seq.
	var mu sync.Mutex
	var seqs []int64
	got := make(chan int, total)
	local := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if sdk.VerifyWebhook([]string{sec.WebhookSecret}, r.Header.Get(sdk.HeaderSignature), body, 0) != nil {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		var ev sdk.Event
		_ = json.Unmarshal(body, &ev)
		mu.Lock()
		seqs = append(seqs, ev.Seq)
		n := len(seqs)
		mu.Unlock()
		got <- n
		w.Write([]byte("ok"))
	}))
	defer local.Close()
	emit(total / 2)
	done := make(chan error, 1)
	var out lockedBuffer
	go func() {
		m := &Main{Stdout: &out, Stderr: io.Discard, Getenv: func(k string) string {
			if k == "SHELF_CONFIG_DIR" {
				return cfg
			}
			return ""
		}}
		done <- m.Run(context.Background(), []string{"listen", "--app", sec.AppID, "--secrets-file", secrets,
			"--forward-to", local.URL + "/shelf/events", "--interval", "20ms", "--max", "1000"})
	}()
	for n := range got { // stop the server while events are flowing
		if n >= total/4 {
			break
		}
	}
	stop()
	emit(total / 2) // written while the server is away
	_, stop = serveAt(t, data, addr)
	defer stop()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("listen: %v", err)
		}
	case <-time.After(3 * time.Minute):
		t.Fatalf("listen did not forward %d events", total)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seqs) != total {
		t.Fatalf("forwarded %d events, want %d", len(seqs), total)
	}
	for i, s := range seqs {
		if s != int64(i+1) {
			t.Fatalf("delivery %d has seq %d: lost, repeated or out of order", i, s)
		}
	}
	if !strings.Contains(out.String(), "→ 200 ok") {
		t.Errorf("listen printed no delivery: %.300s", out.String())
	}
}
