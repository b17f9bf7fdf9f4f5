package cli

import (
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
)

// TestLoginDevice: `shelf login --device` against a real server prints a
// page and a code; a person signed in elsewhere approves it on /device and
// the command saves a working token; a denied code ends the command with
// an error and saves nothing.
func TestLoginDevice(t *testing.T) {
	base, cfg := serveDemo(t), t.TempDir()
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}
	page := func(res *http.Response, err error) string {
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return string(b)
	}
	page(browser.PostForm(base+"/signin", url.Values{"email": {demo.PartnerEmail}, "password": {demo.Password}}))
	codeRe := regexp.MustCompile(`enter the code  ([B-Z]{4}-[B-Z]{4})`)

	run := func(profile, decision string) (*lockedBuffer, error) {
		var out, errb lockedBuffer
		m := &Main{Stdout: &out, Stderr: &errb, DevicePoll: 20 * time.Millisecond, Getenv: func(k string) string {
			if k == "SHELF_CONFIG_DIR" {
				return cfg
			}
			return ""
		}}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		done := make(chan error, 1)
		go func() { done <- m.Run(ctx, []string{"login", "--device", "--server", base, "--profile", profile}) }()
		var code string
		for code == "" {
			select {
			case err := <-done:
				t.Fatalf("login --device ended before the approval: %v\n%s", err, errb.String())
			case <-time.After(10 * time.Millisecond):
			}
			if m := codeRe.FindStringSubmatch(errb.String()); m != nil {
				code = m[1]
			}
		}
		approval := page(browser.Get(base + "/device?code=" + code))
		form := url.Values{"csrf_token": {csrfRe.FindStringSubmatch(approval)[1]}, "code": {code}, "decision": {decision}}
		page(browser.PostForm(base+"/device", form))
		return &out, <-done
	}

	out, err := run("ssh-box", "approve")
	if err != nil || !strings.Contains(out.String(), "signed in to "+base+" as "+demo.PartnerEmail) {
		t.Fatalf("login --device: %v %q", err, out.String())
	}
	b, _ := os.ReadFile(filepath.Join(cfg, "config.json"))
	var c config
	if json.Unmarshal(b, &c) != nil || !strings.HasPrefix(c.Profiles["ssh-box"].Token, "shelf_pat_") {
		t.Fatalf("config: %s", b)
	}
	if out, _, err := cliAs(t, cfg, "", "apps", "list", "--profile", "ssh-box"); err != nil || !strings.Contains(out, "STATE") {
		t.Fatalf("apps list with the device's token: %v %q", err, out)
	}

	if _, err := run("denied", "deny"); err == nil || !strings.Contains(err.Error(), "denied") {
		t.Fatalf("a denied sign-in: %v", err)
	}
	b, _ = os.ReadFile(filepath.Join(cfg, "config.json"))
	if strings.Contains(string(b), `"denied"`) {
		t.Fatalf("a denied sign-in saved a profile: %s", b)
	}
}
