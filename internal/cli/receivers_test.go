package cli

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/sdk"
)

// TestReceiverExamples runs each example receiver in examples/receivers
// against real deliveries: Shelf's self-test (signed test.ping and
// app.installed accepted, a forged one refused), a real event through the
// delivery path, and a stale signature refused.
func TestReceiverExamples(t *testing.T) {
	const dir = "../../examples/receivers/"
	for _, rc := range []struct {
		name, bin string
		args      func(addr string) []string
	}{
		{"python", "python3", func(a string) []string { return []string{dir + "python/receiver.py", a} }},
		{"node", "node", func(a string) []string { return []string{dir + "node/receiver.js", a} }},
		{"java", "java", func(a string) []string { return []string{dir + "java/Receiver.java", a} }},
		{"php", "php", func(a string) []string { return []string{"-S", a, dir + "php/receiver.php"} }},
	} {
		t.Run(rc.name, func(t *testing.T) {
			if _, err := exec.LookPath(rc.bin); err != nil {
				t.Fatalf("%s is needed (scripts/test.sh installs it)", rc.bin)
			}
			base, cfg, dir := serveDemo(t, "--allow-private-webhooks"), t.TempDir(), t.TempDir()
			if _, stderr, err := cliAs(t, cfg, demo.Password+"\n", "login", "--server", base, "--email", demo.PartnerEmail); err != nil {
				t.Fatalf("login: %v %s", err, stderr)
			}
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			addr := ln.Addr().String()
			ln.Close()
			url := "http://" + addr
			secrets := filepath.Join(dir, "secrets.json")
			if _, stderr, err := cliAs(t, cfg, "", "apps", "create", "--name", "Receiver "+rc.name, "--homepage-url", url+"/", "--launch-url", url+"/",
				"--webhook-url", url+"/shelf/events", "--secrets-file", secrets); err != nil {
				t.Fatalf("apps create: %v %s", err, stderr)
			}
			sec := readSecrets(secrets)
			ctx, cancel := context.WithCancel(context.Background())
			cmd := exec.CommandContext(ctx, rc.bin, rc.args(addr)...)
			cmd.Env = append(cmd.Environ(), "SHELF_WEBHOOK_SECRET="+sec.WebhookSecret)
			var out lockedBuffer
			cmd.Stdout, cmd.Stderr = &out, &out
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { cancel(); _ = cmd.Wait() })
			waitFor(t, func() bool {
				res, err := http.Get(url + "/")
				return err == nil && res.Body.Close() == nil && res.StatusCode == 200
			}, &out)

			if o, stderr, err := cliAs(t, cfg, "", "selftest", "--app", sec.AppID); err != nil {
				t.Fatalf("self-test of the %s receiver: %v\n%s%s\nreceiver:\n%s", rc.name, err, o, stderr, out.String())
			}
			if _, stderr, err := cliAs(t, cfg, "", "events", "test", "--app", sec.AppID); err != nil {
				t.Fatal(err, stderr)
			}
			waitFor(t, func() bool { return strings.Contains(out.String(), " #1 test.ping ") }, &out)
			// A stale but correctly signed delivery, and a forged one, are refused.
			body := []byte(`{"id":"evt_stale","type":"test.ping","org_id":"org_x","seq":9,"data":{}}`)
			for name, sig := range map[string]string{
				"stale":  sdk.SignatureHeader(time.Now().Add(-time.Hour), body, sec.WebhookSecret),
				"forged": sdk.SignatureHeader(time.Now(), body, "whsec_forged"),
			} {
				req, _ := http.NewRequest("POST", url+"/shelf/events", bytes.NewReader(body))
				req.Header.Set(sdk.HeaderSignature, sig)
				res, err := http.DefaultClient.Do(req)
				if err != nil || res.StatusCode != 401 {
					t.Errorf("%s delivery: %v %v", name, err, res)
				}
				if res != nil {
					res.Body.Close()
				}
			}
			// The same event twice is processed once.
			good := sdk.SignatureHeader(time.Now(), body, sec.WebhookSecret)
			for range 2 {
				req, _ := http.NewRequest("POST", url+"/shelf/events", bytes.NewReader(body))
				req.Header.Set(sdk.HeaderSignature, good)
				if res, err := http.DefaultClient.Do(req); err != nil || res.StatusCode != 200 {
					t.Fatalf("signed delivery: %v %v", err, res)
				}
			}
			if n := strings.Count(out.String(), "evt_stale"); n != 1 {
				t.Errorf("the repeated event was processed %d times", n)
			}
		})
	}
}

// waitFor polls ok for up to 30 seconds.
func waitFor(t *testing.T, ok func() bool, log interface{ String() string }) {
	t.Helper()
	for i := 0; i < 300; i++ {
		if ok() {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("timed out; receiver said:\n%s", log.String())
}
