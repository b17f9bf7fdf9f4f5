package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/shelf"
)

// TestEventsTrigger: each trigger causes its event by real actions in the
// partner's test org, against a real server: the app's delivery log then
// holds exactly those events, in the test org's stream and in order; an
// app without a live listing cannot be ordered; an unknown type is a usage
// error that sends nothing.
func TestEventsTrigger(t *testing.T) {
	base, cfg := serveDemo(t), t.TempDir()
	sh := func(args ...string) (string, error) {
		t.Helper()
		out, stderr, err := cliAs(t, cfg, "", args...)
		if err != nil {
			return out + stderr, err
		}
		return out, nil
	}
	if _, _, err := cliAs(t, cfg, demo.Password+"\n", "login", "--server", base, "--email", demo.PartnerEmail); err != nil {
		t.Fatal(err)
	}
	var c config
	b, _ := os.ReadFile(filepath.Join(cfg, "config.json"))
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	token := c.Profiles["default"].Token

	// The demo's Skylark Hire: live, with a trial and paid specs.
	var apps struct{ Items []shelf.App }
	out, err := sh("apps", "list", "--json")
	if err != nil || json.Unmarshal([]byte(out), &apps) != nil {
		t.Fatalf("apps list: %v %s", err, out)
	}
	var hire, draft string
	for _, a := range apps.Items {
		switch {
		case a.Name == "云雀招聘":
			hire = a.ID
		case a.State == shelf.AppDraft && draft == "":
			draft = a.ID
		}
	}
	if hire == "" {
		t.Fatalf("no 云雀招聘 (Skylark Hire) among %s", out)
	}
	var org string // the test org the triggers act in, as they say
	for _, typ := range []string{shelf.EventAppInstalled, shelf.EventAppInstalled, shelf.EventAppUninstalled, shelf.EventTrialStarted, shelf.EventOrderPaid, shelf.EventOrderPaid} {
		out, err := sh("events", "trigger", typ, "--app", hire)
		if err != nil || !strings.Contains(out, "triggered "+typ) {
			t.Fatalf("trigger %s: %v\n%s", typ, err, out)
		}
		if m := regexp.MustCompile(`in test org (org_\w+)`).FindStringSubmatch(out); m != nil {
			org = m[1]
		}
	}
	var log struct{ Items []shelf.Delivery }
	apiAs(t, base, token, "GET", "/api/v1/apps/"+hire+"/deliveries?limit=200", nil, &log)
	// The test org's stream in seq order (the log's order ties events
	// written in one transaction).
	slices.SortFunc(log.Items, func(a, b shelf.Delivery) int { return int(a.Seq - b.Seq) })
	var got []string
	for _, d := range log.Items {
		if d.OrgID == org {
			got = append(got, d.EventType)
		}
	}
	// Installed; again (uninstalled first); uninstalled; the trial (which
	// installs); two orders (a buy, then a renewal), each paid and applied
	// at amount 0 at once: order.paid and subscription.changed twice.
	want := "app.installed app.uninstalled app.installed app.uninstalled app.installed trial.started"
	rest := got[min(len(got), 6):]
	slices.Sort(rest)
	if strings.Join(got[:min(len(got), 6)], " ") != want || strings.Join(rest, " ") != "order.paid order.paid subscription.changed subscription.changed" {
		t.Fatalf("events in the test org's stream:\n %v\nwant\n %v, then order.paid and subscription.changed twice", got, want)
	}

	if draft != "" {
		if out, err := sh("events", "trigger", shelf.EventOrderPaid, "--app", draft); err == nil || !strings.Contains(out, "no live listing") {
			t.Fatalf("ordering an app without a listing: %v %s", err, out)
		}
	}
	if _, stderr, err := cliAs(t, cfg, "", "events", "trigger", "listing.approved", "--app", hire); err != ErrUsage || !strings.Contains(stderr, "order.paid") {
		t.Fatalf("an untriggerable type: %v %q", err, stderr)
	}
}
