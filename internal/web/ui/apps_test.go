package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/webtest"
)

// TestPagesApps walks the partner console's app pages: register (secrets
// shown once), the app page in both languages with its delivery log and
// health, rotation, test event, resend; a member sees no admin forms and
// another partner gets 404.
func TestPagesApps(t *testing.T) {
	f := webtest.New(t)
	b := f.Browser()
	b.SignIn(demo.PartnerEmail)
	orgPath := "/orgs/" + f.World.Partner1.ID + "/console"
	_, page, _ := b.Get(orgPath)
	status, page, _ := b.Post(orgPath+"/apps", url.Values{"csrf_token": {webtest.CSRFOf(t, page)}, "name": {"Payroll"}, "kind": {"org"}})
	if status != 200 || !strings.Contains(page, "shelf_cs_") || !strings.Contains(page, "whsec_") {
		t.Fatalf("register = %d, secrets not shown once:\n%.500s", status, page)
	}
	appID := regexp.MustCompile(`href="/apps/(app_[a-z0-9]+)"`).FindStringSubmatch(page)[1]
	if _, again, _ := b.Get(orgPath); strings.Contains(again, "shelf_cs_") {
		t.Fatal("the client secret is shown a second time")
	}

	// One failed, then one delivered attempt (the app has no endpoint, so
	// nothing holds a lease), so the log and health have rows.
	ctx := context.Background()
	ping, err := f.Store.EmitTestPing(ctx, appID, "")
	if err != nil {
		t.Fatal(err)
	}
	for i, st := range []shelf.DeliveryState{shelf.DeliveryPending, shelf.DeliveryDelivered} {
		code := []int{500, 204}[i]
		if err := f.Store.RecordDeliveries(ctx, []shelf.DeliveryOutcome{{AppID: appID, State: st, NextAttemptAt: f.Clock.Now(),
			Attempt: shelf.DeliveryAttempt{EventID: ping.ID, EventType: ping.Type, AttemptedAt: f.Clock.Now(), OK: code == 204, StatusCode: code,
				Latency: 42 * time.Millisecond, Response: "oops"}}}); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct{ lang, want, ms string }{{"zh-CN", "投递日志", "42 毫秒"}, {"en", "Delivery log", "42 ms"}} {
		status, page, _ := b.Get("/apps/" + appID + "/events?lang=" + tc.lang)
		if status != 200 || !strings.Contains(page, tc.want) || !strings.Contains(page, "test.ping") || !strings.Contains(page, "50.0%") || !strings.Contains(page, tc.ms) {
			t.Fatalf("%s app page = %d:\n%.3000s", tc.lang, status, page)
		}
	}
	_, page, _ = b.Get("/apps/" + appID + "/events")
	if !strings.Contains(page, `action="/apps/`+appID+`/events"`) {
		t.Error("the delivery log's filter does not post back to the events page")
	}
	if status, _, _ := b.Get("/apps/" + appID + "/events?state=bogus"); status != 422 {
		t.Errorf("a bogus state filter = %d", status)
	}
	csrf := webtest.CSRFOf(t, page)
	status, page, _ = b.Post("/apps/"+appID+"/rotate", url.Values{"csrf_token": {csrf}})
	if status != 200 || !strings.Contains(page, `id="new-secret"`) {
		t.Fatalf("rotate = %d", status)
	}
	for _, path := range []string{"/apps/" + appID + "/test", "/apps/" + appID + "/deliveries/" + ping.ID + "/resend", "/apps/" + appID + "/resend-failed"} {
		if status, _, h := b.Post(path, url.Values{"csrf_token": {csrf}}); status != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/apps/"+appID) {
			t.Errorf("POST %s = %d %s", path, status, h.Get("Location"))
		}
	}
	status, page, _ = b.Post("/apps/"+appID+"/endpoint", url.Values{"csrf_token": {csrf}, "webhook_url": {"https://10.0.0.1/hook"}})
	if status != 422 || !strings.Contains(page, "内网") { // the guard's refusal, in the reader's language
		t.Errorf("private endpoint = %d", status)
	}

	dev := f.Browser()
	dev.SignIn("dev@shelf.test")
	if _, page, _ := dev.Get("/apps/" + appID + "/events"); strings.Contains(page, `id="rotate"`) || !strings.Contains(page, "test.ping") {
		t.Error("a member sees the admin forms, or not the log")
	}
	other := f.Browser()
	other.SignIn(demo.Partner2Email)
	if status, _, _ := other.Get("/apps/" + appID + "/events"); status != 404 {
		t.Errorf("another partner reads the app page: %d", status)
	}
}
