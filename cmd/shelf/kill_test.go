package main

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/store/storetest"
	"github.com/shelfhq/shelf/sdk"
)

// TestKillMidDelivery builds the real binary, kills it with SIGKILL while
// it waits on a webhook, restarts it on the same data and checks every
// event still arrives.
func TestKillMidDelivery(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "shelf")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, backend := range storetest.Backends(t) {
		t.Run(storetest.Name(backend), func(t *testing.T) {
			args := []string{"serve", "--data", t.TempDir(), "--addr", "127.0.0.1:0", "--allow-private-webhooks", "--log-level", "warn"}
			if backend == storetest.Postgres {
				args = append(args, "--db", storetest.DSN(t, backend))
			}
			testKill(t, bin, args)
		})
	}
}

// holdingReceiver counts distinct events; while holding, it keeps every
// request open, so the sender is caught mid-delivery.
type holdingReceiver struct {
	mu      sync.Mutex
	seen    map[string]bool
	holding bool
	held    chan struct{} // closed on the first held request
	release chan struct{}
}

func (h *holdingReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	e, err := sdk.ParseEvent(body)
	if err != nil {
		http.Error(w, "bad event", 400)
		return
	}
	h.mu.Lock()
	holding := h.holding
	if holding {
		select {
		case <-h.held:
		default:
			close(h.held)
		}
	} else {
		h.seen[e.ID] = true
	}
	h.mu.Unlock()
	if holding {
		select {
		case <-h.release:
		case <-r.Context().Done():
		}
		http.Error(w, "try again", 503)
		return
	}
	w.WriteHeader(204)
}

func (h *holdingReceiver) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.seen)
}

func testKill(t *testing.T, bin string, args []string) {
	recv := &holdingReceiver{seen: map[string]bool{}, holding: true, held: make(chan struct{}), release: make(chan struct{})}
	rs := httptest.NewServer(recv)
	defer rs.Close()
	defer close(recv.release)

	cmd, base := start(t, bin, args)
	c := &client{base: base}
	api := func(token, method, path string, body, out any) { t.Helper(); c.must(t, token, method, path, body, out) }
	api("", "POST", "/api/v1/auth/signup", map[string]string{"email": "v@example.com", "name": "V", "password": "password1"}, nil)
	var tok struct{ Token string }
	api("", "POST", "/api/v1/auth/token", map[string]string{"email": "v@example.com", "password": "password1"}, &tok)
	var org, app struct{ ID string }
	api(tok.Token, "POST", "/api/v1/orgs", map[string]string{"name": "Vendor", "kind": "partner"}, &org)
	api(tok.Token, "POST", "/api/v1/orgs/"+org.ID+"/installations", map[string]string{"app_id": "app_partner_console"}, nil)
	api(tok.Token, "POST", "/api/v1/orgs/"+org.ID+"/apps", map[string]string{"name": "App", "kind": "org", "webhook_url": rs.URL + "/hooks"}, &app)
	const n = 10
	for i := 0; i < n; i++ {
		api(tok.Token, "POST", "/api/v1/apps/"+app.ID+"/events/test", nil, nil)
	}
	select {
	case <-recv.held:
	case <-time.After(60 * time.Second):
		t.Fatal("no delivery started")
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL: no shutdown, no cleanup
		t.Fatal(err)
	}
	_ = cmd.Wait()
	recv.mu.Lock()
	recv.holding = false
	recv.mu.Unlock()

	cmd, _ = start(t, bin, args)
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	deadline := time.Now().Add(60 * time.Second)
	for recv.count() < n && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if got := recv.count(); got != n {
		t.Fatalf("after the restart %d of %d events arrived", got, n)
	}
}

// start runs the binary and returns it with its base URL, read from its
// "listening on" line.
func start(t *testing.T, bin string, args []string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	timeout := time.After(60 * time.Second)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatal("shelf serve exited before listening")
			}
			if base, ok := strings.CutPrefix(l, "shelf: listening on "); ok {
				go func() {
					for range lines { // keep draining so the process never blocks on stderr
					}
				}()
				return cmd, strings.TrimSpace(base)
			}
		case <-timeout:
			_ = cmd.Process.Kill()
			t.Fatal(fmt.Sprint("shelf serve did not start"))
		}
	}
}
