package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/sdk"
)

// serveDemo starts `shelf serve --demo` on SQLite and a free port, as
// TestServeDemo does, and stops it when the test ends. It returns the base
// URL.
func serveDemo(t *testing.T, extra ...string) string {
	t.Helper()
	addr, _ := serveAt(t, t.TempDir(), "127.0.0.1:0", extra...)
	return "http://" + addr
}

// lockedBuffer is a bytes.Buffer the server's goroutines may write to.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// apiAs calls the API with a bearer token and decodes a 2xx answer into
// out; anything else fails the test.
func apiAs(t *testing.T, base, token, method, path string, in, out any) {
	t.Helper()
	var body io.Reader
	if in != nil {
		b, _ := json.Marshal(in)
		body = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, base+path, body)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	if res.StatusCode >= 300 {
		t.Fatalf("%s %s = %d %s", method, path, res.StatusCode, data)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("%s %s: %v\n%s", method, path, err, data)
		}
	}
}

// vendor is a minimal vendor server: it verifies signed webhooks, answers
// its launch URL and serves the privacy policy, so a real self-test passes.
type vendor struct {
	srv    *httptest.Server
	secret atomic.Value // the app's webhook secret, known once registered
}

func newVendor(t *testing.T) *vendor {
	v := &vendor{}
	v.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/shelf/events" {
			w.Write([]byte("ok"))
			return
		}
		body, _ := io.ReadAll(r.Body)
		secret, _ := v.secret.Load().(string)
		if sdk.VerifyWebhook([]string{secret}, r.Header.Get(sdk.HeaderSignature), body, 5*time.Minute) != nil {
			http.Error(w, "bad signature", http.StatusUnauthorized)
		}
	}))
	t.Cleanup(v.srv.Close)
	return v
}

// pushWorld is a demo server with a partner's token and a fresh app.
type pushWorld struct {
	base, token string
	app         shelf.App
	vendor      *vendor
	dir         string // the listing file's folder
	file        string
}

func newPushWorld(t *testing.T) *pushWorld {
	w := &pushWorld{base: serveDemo(t, "--allow-private-webhooks"), vendor: newVendor(t)}
	var session struct{ Token string }
	apiAs(t, w.base, "", "POST", "/api/v1/auth/token", map[string]string{"email": demo.PartnerEmail, "password": demo.Password}, &session)
	var pat struct{ Token string }
	apiAs(t, w.base, session.Token, "POST", "/api/v1/me/tokens", map[string]any{"name": "ci"}, &pat)
	if !strings.HasPrefix(pat.Token, "shelf_pat_") {
		t.Fatalf("personal token = %q", pat.Token)
	}
	w.token = pat.Token
	var created struct {
		shelf.App
		WebhookSecret string `json:"webhook_secret"`
	}
	vurl := strings.Replace(w.vendor.srv.URL, "127.0.0.1", "localhost", 1)
	apiAs(t, w.base, w.token, "POST", "/api/v1/orgs/"+w.partnerOrg(t)+"/apps", map[string]any{"name": "云考勤 CloudAttend", "kind": "org",
		"homepage_url": vurl + "/", "launch_url": vurl + "/launch", "webhook_url": vurl + "/shelf/events"}, &created)
	w.vendor.secret.Store(created.WebhookSecret)
	w.app = created.App
	w.writeFile(t, vurl, "排班、打卡、请假、加班一站式考勤管理")
	return w
}

func (w *pushWorld) partnerOrg(t *testing.T) string {
	var orgs struct{ Items []shelf.OrgWithRole }
	apiAs(t, w.base, w.token, "GET", "/api/v1/orgs", nil, &orgs)
	for _, o := range orgs.Items {
		if o.Kind == shelf.OrgPartner && !o.Test {
			return o.ID
		}
	}
	t.Fatalf("partner@ has no partner org: %+v", orgs.Items)
	return ""
}

// writeFile writes testdata/valid.yaml with the demo's attendance category,
// a privacy URL the server can reach, and the given subtitle, beside copies
// of its images.
func (w *pushWorld) writeFile(t *testing.T, vendorURL, subtitle string) {
	t.Helper()
	var cats struct{ Items []shelf.Category }
	apiAs(t, w.base, "", "GET", "/api/v1/categories", nil, &cats)
	var leaf string
	for _, c := range cats.Items {
		if c.NameEn == "Attendance & Scheduling" {
			leaf = c.ID
		}
	}
	if w.dir == "" {
		w.dir = t.TempDir()
		w.file = filepath.Join(w.dir, "listing.yaml")
		copyFile(t, "testdata/images/icon.png", filepath.Join(w.dir, "images", "icon.png"))
		copyFile(t, "testdata/images/clock-in.png", filepath.Join(w.dir, "images", "clock-in.png"))
	}
	data, err := os.ReadFile("testdata/valid.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s := strings.NewReplacer("cat_hrattendance", leaf, "https://cloudattend.example.com/privacy", vendorURL+"/privacy",
		"subtitle: 排班、打卡、请假、加班一站式考勤管理", "subtitle: "+subtitle).Replace(string(data))
	if err := os.WriteFile(w.file, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// push runs `shelf listing push` against the world's server.
func (w *pushWorld) push(t *testing.T, extra ...string) (stdout, stderr string, err error) {
	t.Helper()
	return run(t, "", append([]string{"listing", "push", w.file, "--app", w.app.ID, "--token", w.token, "--server", w.base}, extra...)...)
}

func (w *pushWorld) listing(t *testing.T) shelf.ListingInfo {
	t.Helper()
	var li shelf.ListingInfo
	apiAs(t, w.base, w.token, "GET", "/api/v1/apps/"+w.app.ID+"/listing", nil, &li)
	return li
}

var revisionID = regexp.MustCompile(`revision (rev_\w+)`)

// TestListingPush pushes a listing file to a real server as a partner
// would from CI: a draft is created, then updated in place, submission is
// refused until the app passes its self-test, a revision under review is
// not overwritten, and a bad token is a clear error.
func TestListingPush(t *testing.T) {
	w := newPushWorld(t)
	out, stderr, err := w.push(t)
	if err != nil {
		t.Fatalf("push = %v\n%s%s", err, out, stderr)
	}
	m := revisionID.FindStringSubmatch(out)
	if m == nil || !strings.Contains(out, "created draft revision") || !strings.Contains(out, w.base+"/revisions/"+m[1]+"/edit") {
		t.Fatalf("first push printed:\n%s", out)
	}
	rev := m[1]
	li := w.listing(t)
	if p := li.Pending; p == nil || p.ID != rev || p.State != shelf.RevisionDraft || p.Name != "云考勤" || p.Icon == nil || p.Icon.Width != 128 || len(p.Screenshots) != 1 {
		t.Fatalf("after the first push, pending = %+v", li.Pending)
	}

	w.writeFile(t, strings.Replace(w.vendor.srv.URL, "127.0.0.1", "localhost", 1), "排班打卡一站式")
	if out, stderr, err = w.push(t); err != nil || !strings.Contains(out, "saved revision "+rev) {
		t.Fatalf("second push = %v\n%s%s", err, out, stderr)
	}
	if li = w.listing(t); li.Pending == nil || li.Pending.ID != rev || li.Pending.Number != 1 || li.Pending.Subtitle != "排班打卡一站式" {
		t.Fatalf("the second push must update the same draft: %+v", li.Pending)
	}

	_, _, err = w.push(t, "--submit")
	if err == nil || apiCode(err) != "self_test_required" || !strings.Contains(err.Error(), "saved as a draft but was not submitted") {
		t.Fatalf("submit without a self-test = %v", err)
	}
	if li = w.listing(t); li.Pending.State != shelf.RevisionDraft {
		t.Fatalf("a refused submit changed the state: %s", li.Pending.State)
	}
	// The file's submit: true asks for submission; --submit=false overrides it.
	data, _ := os.ReadFile(w.file)
	if err := os.WriteFile(w.file, append([]byte("submit: true\n"), data...), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err = w.push(t); apiCode(err) != "self_test_required" {
		t.Fatalf("push of a file with submit: true = %v, want the submission refused", err)
	}
	if _, _, err = w.push(t, "--submit=false"); err != nil {
		t.Fatalf("push --submit=false of a file with submit: true = %v", err)
	}

	var testOrgs struct{ Items []shelf.Org }
	apiAs(t, w.base, w.token, "GET", "/api/v1/orgs/"+w.app.OrgID+"/test-orgs", nil, &testOrgs)
	var st shelf.SelfTest
	apiAs(t, w.base, w.token, "POST", "/api/v1/apps/"+w.app.ID+"/self-tests", map[string]string{"test_org_id": testOrgs.Items[0].ID}, &st)
	if !st.Passed {
		t.Fatalf("self-test = %+v", st)
	}
	if out, stderr, err = w.push(t, "--submit"); err != nil || !strings.Contains(out, "submitted revision "+rev) {
		t.Fatalf("push --submit = %v\n%s%s", err, out, stderr)
	}
	if li = w.listing(t); li.Pending == nil || li.Pending.ID != rev || li.Pending.State != shelf.RevisionSubmitted {
		t.Fatalf("after submitting, pending = %+v", li.Pending)
	}

	out, _, err = w.push(t)
	if err == nil || !strings.Contains(err.Error(), "under review") || strings.Contains(out, "uploaded") {
		t.Fatalf("push over a revision under review = %v\n%s", err, out)
	}

	_, _, err = run(t, "", "listing", "push", w.file, "--app", w.app.ID, "--token", "shelf_pat_wrong", "--server", w.base)
	if err == nil || errors.Is(err, ErrUsage) || apiStatus(err) != 401 || !strings.Contains(err.Error(), "SHELF_TOKEN") {
		t.Fatalf("bad token = %v", err)
	}
	_, _, err = w.push(t, "--app", "app_nonexistent")
	if apiStatus(err) != 404 || !strings.Contains(err.Error(), "app_nonexistent") {
		t.Fatalf("unknown app = %v", err)
	}
}

// TestListingPushRefusesErrors: a file with errors is never sent, and
// the settings come from SHELF_TOKEN and SHELF_SERVER.
func TestListingPushRefusesErrors(t *testing.T) {
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		http.Error(w, `{"error":{"code":"unauthenticated","message":"no"}}`, http.StatusUnauthorized)
	}))
	defer srv.Close()
	env := map[string]string{"SHELF_TOKEN": "shelf_pat_x", "SHELF_SERVER": srv.URL}
	for _, c := range []struct {
		file     string
		wantErr  error
		requests int32
	}{
		{"testdata/errors.yaml", ErrInvalidListing, 0},
		{"testdata/syntax.yaml", ErrInvalidListing, 0},
		{"testdata/valid.yaml", nil, 1}, // sent, and refused by the server
	} {
		t.Run(c.file, func(t *testing.T) {
			requests.Store(0)
			var out, errb bytes.Buffer
			m := &Main{Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }}
			err := m.Run(context.Background(), []string{"listing", "push", c.file})
			if c.wantErr != nil && !errors.Is(err, c.wantErr) || c.wantErr == nil && apiStatus(err) != 401 {
				t.Fatalf("err = %v\n%s", err, errb.String())
			}
			if got := requests.Load(); got != c.requests {
				t.Fatalf("%d requests reached the server, want %d", got, c.requests)
			}
			if c.wantErr != nil && !strings.Contains(errb.String(), "(code ") {
				t.Fatalf("the problems were not printed:\n%s", errb.String())
			}
		})
	}
}
