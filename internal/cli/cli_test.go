package cli

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store/storetest"
)

// run runs a shelf command line in-process and returns its output.
func run(t *testing.T, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	m := &Main{Stdout: &out, Stderr: &errb, Stdin: strings.NewReader(stdin), Getenv: func(string) string { return "" }}
	err = m.Run(context.Background(), args)
	return out.String(), errb.String(), err
}

// TestServeDemo runs `shelf serve --demo` on each database, as a newcomer
// would, and uses the market it serves.
func TestServeDemo(t *testing.T) {
	for _, backend := range storetest.Backends(t) {
		t.Run(storetest.Name(backend), func(t *testing.T) {
			args := []string{"serve", "--demo", "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--log-level", "warn"}
			if backend == storetest.Postgres {
				args = append(args, "--db", storetest.DSN(t, backend))
			}
			ctx, cancel := context.WithCancel(context.Background())
			ready := make(chan string, 1)
			var stderr bytes.Buffer
			m := &Main{Stdout: io.Discard, Stderr: &stderr, Getenv: func(string) string { return "" }, Ready: func(a string) { ready <- a }}
			done := make(chan error, 1)
			go func() { done <- m.Run(ctx, args) }()
			var addr string
			select {
			case addr = <-ready:
			case err := <-done:
				t.Fatalf("serve ended early: %v\n%s", err, stderr.String())
			case <-time.After(60 * time.Second):
				t.Fatal("serve did not start")
			}
			base := "http://" + addr
			get := func(path string) (int, string) {
				res, err := http.Get(base + path)
				if err != nil {
					t.Fatal(err)
				}
				defer res.Body.Close()
				b, _ := io.ReadAll(res.Body)
				return res.StatusCode, string(b)
			}
			if code, body := get("/"); code != 200 || !strings.Contains(body, `lang="zh-CN"`) || !strings.Contains(body, "办公协同") {
				t.Fatalf("GET / = %d\n%.300s", code, body)
			}
			if code, _ := get("/readyz"); code != 200 {
				t.Fatalf("readyz = %d", code)
			}
			// The dispatcher's series share the server's registry.
			code, metrics := get("/metrics")
			for _, want := range []string{`shelf_webhook_attempts_total{result="delivered"}`, "shelf_webhook_lag_seconds ", "shelf_http_requests_total"} {
				if code != 200 || !strings.Contains(metrics, want) {
					t.Errorf("GET /metrics = %d, without %s", code, want)
				}
			}
			res, err := http.Post(base+"/api/v1/auth/token", "application/json", strings.NewReader(`{"email":"partner@shelf.test","password":"shelf-demo"}`))
			if err != nil || res.StatusCode != 201 {
				t.Fatalf("demo sign-in: %v %v", err, res)
			}
			res.Body.Close()
			if !strings.Contains(stderr.String(), "customer@shelf.test") {
				t.Errorf("the demo accounts were not printed:\n%s", stderr.String())
			}
			cancel()
			if err := <-done; err != nil {
				t.Fatalf("serve: %v", err)
			}
		})
	}
}

func TestAdminCommands(t *testing.T) {
	data := t.TempDir()
	_, stderr, err := run(t, "", "admin", "create", "--data", data, "--email", "ops@example.com", "--name", "Ops")
	if !errors.Is(err, ErrUsage) || !strings.Contains(stderr, "standard input") {
		t.Fatalf("create without a password = %v %q", err, stderr)
	}
	out, _, err := run(t, "long-enough-pw\n", "admin", "create", "--data", data, "--email", "ops@example.com", "--name", "Ops", "--password-stdin")
	if err != nil || !strings.Contains(out, "platform admin ops@example.com created") {
		t.Fatalf("create = %v %q", err, out)
	}
	_, _, err = run(t, "long-enough-pw\n", "admin", "create", "--data", data, "--email", "ops@example.com", "--password-stdin")
	if err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("second create = %v", err)
	}
	_, _, err = run(t, "short\n", "admin", "reset-password", "--data", data, "--email", "ops@example.com", "--password-stdin")
	if err == nil || !strings.Contains(err.Error(), "at least 8") {
		t.Fatalf("short reset = %v", err)
	}
	// A password on the command line shows in the process list and the
	// shell's history: refused, with what to do instead.
	_, stderr, err = run(t, "", "admin", "reset-password", "--data", data, "--email", "ops@example.com", "--password", "another-password")
	if !errors.Is(err, ErrUsage) || !strings.Contains(stderr, "standard input") {
		t.Fatalf("reset with --password = %v %q", err, stderr)
	}
	out, _, err = run(t, "another-password\n", "admin", "reset-password", "--data", data, "--email", "ops@example.com")
	if err != nil || !strings.Contains(out, "reset") {
		t.Fatalf("reset = %v %q", err, out)
	}
	st := storetest.OpenDSN(t, filepath.Join(data, "shelf.db"), nil)
	u, err := st.Authenticate(context.Background(), "ops@example.com", "another-password", "")
	if err != nil || len(u.PlatformRoles) != 1 {
		t.Fatalf("the admin cannot sign in with the new password: %v %+v", err, u)
	}
	if p, err := st.PlatformOrg(context.Background()); err != nil || p.Name != "Platform" {
		t.Fatalf("platform org = %v, %v", p, err)
	}
}

func TestCommandLine(t *testing.T) {
	data := t.TempDir()
	cases := []struct {
		args    []string
		wantErr error
		out     string
	}{
		{[]string{"version"}, nil, "shelf "},
		{[]string{"frobnicate"}, ErrUsage, ""},
		{[]string{"serve", "--no-such-flag"}, ErrUsage, ""},
		{[]string{"serve", "extra-arg"}, ErrUsage, ""},
		{[]string{"serve", "--log-format", "xml", "--data", data}, ErrUsage, ""},
		{[]string{"serve", "--trusted-proxies", "10.0.0.0/33", "--data", data}, ErrUsage, ""},
		{[]string{"admin"}, ErrUsage, ""},
		{[]string{"admin", "promote"}, ErrUsage, ""},
		{[]string{"help", "serve"}, errHelp, ""},
		{[]string{"migrate", "--data", data}, nil, "up to date"},
		{[]string{"migrate", "status", "--data", data}, nil, "00001_identity.sql"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			out, _, err := run(t, "", c.args...)
			if !errors.Is(err, c.wantErr) && !(c.wantErr == nil && err == nil) {
				t.Fatalf("err = %v, want %v", err, c.wantErr)
			}
			if !strings.Contains(out, c.out) {
				t.Fatalf("stdout = %q, want %q", out, c.out)
			}
		})
	}
}

// TestServeRefusesBadSettings: a setting that does not parse or is out of
// range, from a flag or from the environment, stops serve before it opens
// or creates anything, with a message naming it.
func TestServeRefusesBadSettings(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		args []string
		msg  string
	}{
		{"order cap from the environment", map[string]string{"SHELF_EVENT_ORDER_CAP": "banana"}, nil, `SHELF_EVENT_ORDER_CAP="banana" is not a duration`},
		{"negative order cap", map[string]string{"SHELF_EVENT_ORDER_CAP": "-1h"}, nil, "--event-order-cap: -1h0m0s: give a positive duration"},
		{"zero order cap", nil, []string{"--event-order-cap", "0s"}, "--event-order-cap: 0s: give a positive duration"},
		{"no workers", nil, []string{"--event-workers", "-3"}, "--event-workers: -3: give a positive number"},
		{"a switch misspelt", map[string]string{"SHELF_DEMO": "ture"}, nil, `SHELF_DEMO="ture" is neither on`},
		{"log days from the environment", map[string]string{"SHELF_DELIVERY_LOG_DAYS": "a month"}, nil, `SHELF_DELIVERY_LOG_DAYS="a month" is not a whole number`},
		{"log days too few", nil, []string{"--delivery-log-days", "7"}, "--delivery-log-days: 7 is too short"},
		{"base URL without a scheme", map[string]string{"SHELF_BASE_URL": "market.example.com"}, nil, `--base-url: "market.example.com"`},
		{"base URL of another scheme", nil, []string{"--base-url", "ftp://market.example.com"}, `--base-url: "ftp://market.example.com"`},
		{"log days negative", nil, []string{"--delivery-log-days", "-1"}, "--delivery-log-days: -1 is too short"},
		{"payments unknown", map[string]string{"SHELF_PAYMENTS": "alipay"}, nil, `--payments: "alipay": use sandbox or manual`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data := filepath.Join(t.TempDir(), "data")
			var errb bytes.Buffer
			m := &Main{Stdout: io.Discard, Stderr: &errb, Getenv: func(k string) string { return c.env[k] }}
			err := m.Run(context.Background(), append([]string{"serve", "--data", data, "--addr", "127.0.0.1:0"}, c.args...))
			if !errors.Is(err, ErrUsage) || !strings.Contains(errb.String(), c.msg) {
				t.Fatalf("err = %v, stderr = %q; want a usage error saying %q", err, errb.String(), c.msg)
			}
			if _, err := os.Stat(data); !os.IsNotExist(err) {
				t.Errorf("the data folder was created (%v)", err)
			}
		})
	}
}

// TestServePrunesDeliveryLog: serve deletes the delivery log of events
// settled longer ago than --delivery-log-days, and keeps the events.
func TestServePrunesDeliveryLog(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	dsn := filepath.Join(data, "shelf.db")
	st := storetest.OpenDSN(t, dsn, shelf.NewManualClock(storetest.Epoch))
	a, _ := storetest.MustApp(t, st, "https://x.example.com/h")
	o := storetest.MustCustomer(t, st, "One")
	e := storetest.MustEmit(t, st, a.ID, o.ID, shelf.EventAppInstalled, nil)
	jobs, err := st.ClaimDeliveries(ctx, shelf.DeliveryClaim{Owner: "n1", Now: storetest.Epoch, Lease: time.Minute, Limit: 1})
	if err != nil || len(jobs) != 1 {
		t.Fatalf("claim: %d, %v", len(jobs), err)
	}
	if err := st.RecordDeliveries(ctx, []shelf.DeliveryOutcome{{AppID: a.ID, LeaseID: jobs[0].LeaseID, State: shelf.DeliveryDelivered,
		Attempt: shelf.DeliveryAttempt{EventID: e.ID, EventType: e.Type, AttemptedAt: storetest.Epoch, OK: true, StatusCode: 204}}}); err != nil {
		t.Fatal(err)
	}
	st.Close()

	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	ready := make(chan string, 1)
	m := &Main{Stdout: io.Discard, Stderr: io.Discard, Getenv: func(string) string { return "" }, Ready: func(a string) { ready <- a },
		Clock: shelf.NewManualClock(storetest.Epoch.AddDate(0, 0, 31))}
	done := make(chan error, 1)
	go func() {
		done <- m.Run(runCtx, []string{"serve", "--data", data, "--addr", "127.0.0.1:0", "--dispatch=false", "--delivery-log-days", "30", "--log-level", "warn"})
	}()
	select {
	case <-ready:
	case err := <-done:
		t.Fatalf("serve ended early: %v", err)
	}
	check := storetest.OpenDSN(t, dsn, nil)
	for i := 0; ; i++ {
		counts, err := check.DeliveryCounts(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(counts) == 0 {
			break
		}
		if i == 5000 {
			t.Fatalf("the 31-day-old delivery is still there: %v", counts)
		}
		time.Sleep(2 * time.Millisecond) // poll: the pruner runs at start
	}
	if evts, _, err := check.VendorEvents(ctx, a.ID, o.ID, 0, 10); err != nil || len(evts) != 1 {
		t.Fatalf("the event after pruning: %d, %v", len(evts), err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
}

// TestNodeNameUnique: two processes sharing a hostname and a data folder
// (containers of one image sharing a volume) still get distinct lease
// owners, so neither frees the other's leases at start; once the first
// is gone, the next one takes its name (and so its leases) back. The name
// keeps the host and folder, for the operator reading the database.
func TestNodeNameUnique(t *testing.T) {
	data := t.TempDir()
	a, releaseA := nodeName(data)
	b, releaseB := nodeName(data)
	defer releaseB()
	if a == b {
		t.Fatalf("two nodes at once are both %q", a)
	}
	host, _ := os.Hostname()
	if !strings.HasPrefix(a, host+":"+data+":") || !strings.HasPrefix(b, host+":"+data+":") {
		t.Fatalf("node names %q, %q do not start with %q", a, b, host+":"+data+":")
	}
	releaseA()
	if c, releaseC := nodeName(data); c != a {
		t.Fatalf("after the first node stopped the next is %q, want its name %q back", c, a)
	} else {
		releaseC()
	}
}
