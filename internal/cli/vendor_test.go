package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/shelf"
)

// cliAs runs shelf with SHELF_CONFIG_DIR set, as a developer's shell would
// have the config folder.
func cliAs(t *testing.T, cfg, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	m := &Main{Stdout: &out, Stderr: &errb, Stdin: strings.NewReader(stdin), Getenv: func(k string) string {
		if k == "SHELF_CONFIG_DIR" {
			return cfg
		}
		return ""
	}}
	err := m.Run(context.Background(), args)
	return out.String(), errb.String(), err
}

func mode(t *testing.T, path string) os.FileMode {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

// TestVendorCLI walks a vendor's integration with the CLI alone against a
// real server: sign in, register an app, self-test, events, rotation.
func TestVendorCLI(t *testing.T) {
	base, v := serveDemo(t, "--allow-private-webhooks"), newVendor(t)
	cfg, dir := t.TempDir(), t.TempDir()
	sh := func(stdin string, args ...string) string {
		t.Helper()
		out, stderr, err := cliAs(t, cfg, stdin, args...)
		if err != nil {
			t.Fatalf("shelf %s: %v\n%s%s", strings.Join(args, " "), err, out, stderr)
		}
		return out
	}
	// Sign in with the real sign-in; a wrong password saves nothing.
	if _, _, err := cliAs(t, cfg, "wrong-password\n", "login", "--server", base, "--email", demo.PartnerEmail); err == nil || !strings.Contains(err.Error(), "invalid_credentials") {
		t.Fatalf("login with a wrong password = %v", err)
	}
	if _, err := os.Stat(filepath.Join(cfg, "config.json")); err == nil {
		t.Fatal("a failed login saved a config")
	}
	out := sh(demo.Password+"\n", "login", "--server", base, "--email", demo.PartnerEmail)
	conf := filepath.Join(cfg, "config.json")
	if !strings.Contains(out, "signed in to "+base+" as "+demo.PartnerEmail) || mode(t, conf) != 0o600 {
		t.Fatalf("login: %q, mode %v", out, mode(t, conf))
	}
	b, _ := os.ReadFile(conf)
	var c config
	if json.Unmarshal(b, &c) != nil || !strings.HasPrefix(c.Profiles["default"].Token, "shelf_pat_") {
		t.Fatalf("config: %s", b)
	}
	// A second profile from an existing token.
	sh(c.Profiles["default"].Token+"\n", "login", "--server", base, "--profile", "ci", "--with-token", "--json")

	// Register an app: the secrets go to the file, not the terminal.
	secrets := filepath.Join(dir, "secrets.json")
	vurl := strings.Replace(v.srv.URL, "127.0.0.1", "localhost", 1)
	out = sh("", "apps", "create", "--name", "云考勤", "--homepage-url", vurl+"/", "--launch-url", vurl+"/launch", "--webhook-url", vurl+"/shelf/events", "--secrets-file", secrets)
	sec := readSecrets(secrets)
	if sec.WebhookSecret == "" || sec.ClientSecret == "" || mode(t, secrets) != 0o600 || strings.Contains(out, sec.WebhookSecret) || strings.Contains(out, sec.ClientSecret) {
		t.Fatalf("apps create: %q, secrets %+v mode %v", out, sec, mode(t, secrets))
	}
	if _, stderr, err := cliAs(t, cfg, "", "apps", "create", "--name", "x"); err != ErrUsage || !strings.Contains(stderr, "--secrets-file") {
		t.Fatalf("create without a secrets file = %v %q", err, stderr)
	}
	v.secret.Store(sec.WebhookSecret)
	app := sec.AppID
	state := func() string {
		var list struct{ Items []shelf.App }
		if err := json.Unmarshal([]byte(sh("", "apps", "list", "--json", "--profile", "ci")), &list); err != nil {
			t.Fatal(err)
		}
		for _, a := range list.Items {
			if a.ID == app {
				return a.State
			}
		}
		t.Fatalf("apps list lacks %s", app)
		return ""
	}
	if s := state(); s != shelf.AppDraft {
		t.Fatalf("new app state %q", s)
	}
	sh("", "apps", "update", "--app", app, "--name-en", "CloudAttend")

	// Categories: the tree with its leaves marked.
	out = sh("", "categories")
	if !strings.Contains(out, "* ") || !strings.Contains(out, "Attendance") {
		t.Fatalf("categories:\n%s", out)
	}
	// The self-test passes against the vendor, and the state follows.
	out = sh("", "selftest", "--app", app)
	if !strings.Contains(out, "webhook_rejects_forged_signature") || !strings.Contains(out, "passed") {
		t.Fatalf("selftest:\n%s", out)
	}
	if s := state(); s != shelf.AppSelfTested {
		t.Fatalf("state after the self-test %q", s)
	}
	// Events: a test ping, its delivery seen by tail.
	var ev shelf.Event
	if err := json.Unmarshal([]byte(sh("", "events", "test", "--app", app, "--json")), &ev); err != nil || ev.Type != shelf.EventTestPing {
		t.Fatalf("events test: %+v %v", ev, err)
	}
	out = sh("", "events", "tail", "--app", app, "--all", "--max", "1", "--interval", "20ms")
	if !strings.Contains(out, "→ 200 ok") {
		t.Fatalf("tail: %q", out)
	}
	sh("", "events", "resend", "--app", app, "--event", ev.ID)
	hourAgo := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	if out := sh("", "events", "replay", "--app", app, "--from", hourAgo, "--failed-only"); !strings.Contains(out, "queued 0 events") {
		t.Fatalf("replay of the failed (none): %q", out)
	}
	// The delivered ping (and whatever else was delivered) goes again.
	var replayed struct{ Queued int }
	if err := json.Unmarshal([]byte(sh("", "events", "replay", "--app", app, "--from", hourAgo, "--json")), &replayed); err != nil || replayed.Queued < 1 {
		t.Fatalf("replay of the hour: %+v %v", replayed, err)
	}
	if _, _, err := cliAs(t, cfg, "", "events", "trigger", "listing.approved", "--app", app); err != ErrUsage {
		t.Fatalf("trigger listing.approved (only a review makes it) = %v", err)
	}
	// Rotation: the new secret replaces the old in the file, which keeps the old.
	out = sh("", "webhook", "rotate", "--app", app, "--secrets-file", secrets)
	rot := readSecrets(secrets)
	if rot.PreviousWebhookSecret != sec.WebhookSecret || rot.WebhookSecret == sec.WebhookSecret || strings.Contains(out, rot.WebhookSecret) || mode(t, secrets) != 0o600 {
		t.Fatalf("rotate: %q %+v", out, rot)
	}
	if out := sh("", "webhook", "secrets", "--app", app); !strings.Contains(out, "two secrets sign until") {
		t.Fatalf("secrets: %q", out)
	}
}

func TestCompletion(t *testing.T) {
	for _, sh := range []string{"bash", "zsh", "fish"} {
		out, _, err := run(t, "", "completion", sh)
		if err != nil || !strings.Contains(out, "apps") || !strings.Contains(out, "rotate secrets") {
			t.Errorf("completion %s = %v\n%s", sh, err, out)
		}
	}
	if _, _, err := run(t, "", "completion", "tcsh"); err != ErrUsage {
		t.Errorf("completion tcsh = %v", err)
	}
}

// TestLoginWeb signs in through the browser flow: the page on the real
// server, approved by a signed-in user (a cookie-keeping client stands in
// for the browser), sends the token back to the CLI's loopback port.
func TestLoginWeb(t *testing.T) {
	base, cfg := serveDemo(t), t.TempDir()
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}
	form := func(path string, v url.Values) (*http.Response, string) {
		res, err := browser.PostForm(base+path, v)
		if err != nil {
			t.Error(err)
			return nil, ""
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, string(b)
	}
	// Anonymous: sent to sign in; a page not opened by the CLI is refused.
	if res, err := http.Get(base + "/cli/login?port=5000&state=x"); err != nil || res.Request.URL.Path != "/signin" {
		t.Fatalf("anonymous approval page: %v %v", err, res.Request.URL)
	}
	form("/signin", url.Values{"email": {demo.PartnerEmail}, "password": {demo.Password}})
	if res, err := browser.Get(base + "/cli/login?port=80&state=x"); err != nil || res.StatusCode != 400 {
		t.Fatalf("a privileged port: %v %v", err, res.StatusCode)
	}
	// A cross-site form (no CSRF token) makes no token.
	if res, _ := form("/cli/login", url.Values{"port": {"5000"}, "state": {"x"}}); res == nil || res.StatusCode != http.StatusForbidden {
		t.Fatalf("approval without a CSRF token: %v", res)
	}
	approved := make(chan string, 1)
	var out, errb lockedBuffer
	m := &Main{Stdout: &out, Stderr: &errb, Getenv: func(k string) string {
		if k == "SHELF_CONFIG_DIR" {
			return cfg
		}
		return ""
	}, OpenURL: func(page string) error {
		go func() {
			res, err := browser.Get(page)
			if err != nil {
				approved <- err.Error()
				return
			}
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			u, _ := url.Parse(page)
			q := u.Query()
			q.Set("csrf_token", csrfRe.FindStringSubmatch(string(b))[1])
			_, body := form("/cli/login", q)
			approved <- body
		}()
		return nil
	}}
	if err := m.Run(context.Background(), []string{"login", "--server", base, "--profile", "laptop"}); err != nil {
		t.Fatalf("login --web: %v\n%s", err, errb.String())
	}
	if body := <-approved; !strings.Contains(body, "signed in") {
		t.Fatalf("the browser's last page: %q", body)
	}
	b, _ := os.ReadFile(filepath.Join(cfg, "config.json"))
	var c config
	if json.Unmarshal(b, &c) != nil || !strings.HasPrefix(c.Profiles["laptop"].Token, "shelf_pat_") || c.Profiles["laptop"].Email != demo.PartnerEmail {
		t.Fatalf("config: %s", b)
	}
	if !strings.Contains(out.String(), "signed in to "+base) || !strings.Contains(errb.String(), "/cli/login?") {
		t.Fatalf("output: %q %q", out.String(), errb.String())
	}
	// The token works for the commands.
	if out, _, err := cliAs(t, cfg, "", "apps", "list", "--profile", "laptop"); err != nil || !strings.Contains(out, "STATE") {
		t.Fatalf("apps list with the web token: %v %q", err, out)
	}
}

var csrfRe = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)
