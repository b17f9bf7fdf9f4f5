package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/store/storetest"
	"github.com/shelfhq/shelf/sdk"
)

// TestKillDuringOrders builds the real binary, sends a burst of order
// requests (each with its own idempotency key) and kills the server with
// SIGKILL in the middle. After a restart the clients retry every request
// with the same key: every order that was acknowledged exists exactly
// once, with the id it was acknowledged with, and once paid its events
// reach the vendor in order, after the install.
func TestKillDuringOrders(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "shelf")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, backend := range storetest.Backends(t) {
		t.Run(storetest.Name(backend), func(t *testing.T) {
			args := []string{"serve", "--demo", "--data", t.TempDir(), "--addr", "127.0.0.1:0", "--allow-private-webhooks", "--log-level", "warn"}
			if backend == storetest.Postgres {
				args = append(args, "--db", storetest.DSN(t, backend))
			}
			testKillDuringOrders(t, bin, args)
		})
	}
}

// streams records what each org's stream delivered, in arrival order.
type streams struct {
	mu   sync.Mutex
	seen map[string][]sdk.Event // by org
	ids  map[string]bool
}

func (s *streams) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	e, err := sdk.ParseEvent(body)
	if err != nil {
		http.Error(w, "bad event", 400)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.ids[e.ID] { // at-least-once: a redelivery is no news
		s.ids[e.ID] = true
		s.seen[e.OrgID] = append(s.seen[e.OrgID], *e)
	}
	w.WriteHeader(204)
}

// client calls the API of whichever server is running.
type client struct {
	mu   sync.Mutex
	base string
}

func (c *client) call(token, method, path string, header map[string]string, body any) (int, []byte, error) {
	c.mu.Lock()
	base := c.base
	c.mu.Unlock()
	js, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, base+path, bytes.NewReader(js))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, b, err
}

func (c *client) must(t *testing.T, token, method, path string, body, out any) {
	t.Helper()
	status, b, err := c.call(token, method, path, nil, body)
	if err != nil || status >= 300 {
		t.Fatalf("%s %s = %d %s %v", method, path, status, b, err)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatal(err)
		}
	}
}

func testKillDuringOrders(t *testing.T, bin string, args []string) {
	recv := &streams{seen: map[string][]sdk.Event{}, ids: map[string]bool{}}
	rs := httptest.NewServer(recv)
	defer rs.Close()
	cmd, base := start(t, bin, args)
	c := &client{base: base}
	token := func(email string) string {
		var tok struct{ Token string }
		c.must(t, "", "POST", "/api/v1/auth/token", map[string]string{"email": email, "password": demo.Password}, &tok)
		return tok.Token
	}
	partner, customer, admin := token(demo.PartnerEmail), token(demo.CustomerEmail), token(demo.AdminEmail)

	// Skylark Hire, a live listing of partner 1, now sends to the receiver.
	var listings struct {
		Items []struct {
			AppID string `json:"app_id"`
			Live  struct {
				NameEn string `json:"name_en"`
			}
		}
	}
	c.must(t, "", "GET", "/api/v1/listings", nil, &listings)
	var appID string
	for _, l := range listings.Items {
		if l.Live.NameEn == "Skylark Hire" {
			appID = l.AppID
		}
	}
	var li struct{ ID string }
	c.must(t, partner, "GET", "/api/v1/apps/"+appID+"/listing", nil, &li)
	listingID := li.ID
	c.must(t, partner, "PATCH", "/api/v1/apps/"+appID, map[string]string{"webhook_url": rs.URL + "/hooks"}, nil)

	const n = 24
	orgs := make([]string, n)
	for i := range orgs {
		var o struct{ ID string }
		c.must(t, customer, "POST", "/api/v1/orgs", map[string]string{"name": fmt.Sprintf("Buyer %d", i), "kind": "customer"}, &o)
		orgs[i] = o.ID
	}
	order := func(i int) (int, string, error) {
		status, b, err := c.call(customer, "POST", "/api/v1/orgs/"+orgs[i]+"/orders", map[string]string{"Idempotency-Key": fmt.Sprintf("burst-%d", i)},
			map[string]any{"listing_id": listingID, "type": "BUY", "spec_code": "hire-month-20", "users": 1 + i%20, "periods": 1})
		var o struct{ ID string }
		_ = json.Unmarshal(b, &o)
		return status, o.ID, err
	}

	acked := make([]string, n) // the order id each client was told
	var wg sync.WaitGroup
	var once sync.Once
	killed := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			status, id, err := order(i)
			if err == nil && status == 201 {
				acked[i] = id
			}
			if i == n/3 {
				once.Do(func() { _ = cmd.Process.Kill(); close(killed) })
			}
		}()
	}
	wg.Wait()
	<-killed
	_ = cmd.Wait()
	before := 0
	for _, id := range acked {
		if id != "" {
			before++
		}
	}
	t.Logf("%d of %d orders were acknowledged before the kill", before, n)

	cmd, base = start(t, bin, args)
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	c.mu.Lock()
	c.base = base
	c.mu.Unlock()
	for i := range n { // every client retries with its key
		status, id, err := order(i)
		if err != nil || status != 201 {
			t.Fatalf("retry %d = %d %v", i, status, err)
		}
		if acked[i] != "" && acked[i] != id {
			t.Fatalf("org %d: acknowledged %s, retried into %s", i, acked[i], id)
		}
		acked[i] = id
	}
	for i, org := range orgs {
		var list struct{ Items []struct{ ID string } }
		c.must(t, customer, "GET", "/api/v1/orgs/"+org+"/orders", nil, &list)
		if len(list.Items) != 1 || list.Items[0].ID != acked[i] {
			t.Fatalf("org %d has orders %v, want exactly %s", i, list.Items, acked[i])
		}
		c.must(t, admin, "POST", "/api/v1/platform/orders/"+acked[i]+"/payments", map[string]string{"reference": fmt.Sprintf("T-%d", i)}, nil)
	}
	want := []string{"app.installed", "order.paid", "subscription.changed"}
	deadline := time.Now().Add(60 * time.Second)
	for {
		recv.mu.Lock()
		done := 0
		for _, org := range orgs {
			if len(recv.seen[org]) >= len(want) {
				done++
			}
		}
		recv.mu.Unlock()
		if done == n {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 60 s only %d of %d orgs' events arrived", done, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
	recv.mu.Lock()
	defer recv.mu.Unlock()
	for i, org := range orgs {
		var types []string
		for j, e := range recv.seen[org] {
			types = append(types, e.Type)
			if e.Seq != int64(j+1) {
				t.Errorf("org %d: event %d has seq %d: out of order", i, j, e.Seq)
			}
		}
		if !slices.Equal(types, want) {
			t.Errorf("org %d heard %v, want %v", i, types, want)
		}
	}
}
