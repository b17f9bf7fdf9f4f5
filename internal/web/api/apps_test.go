package api_test

import (
	"context"
	"testing"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store/storetest"
	"github.com/shelfhq/shelf/internal/web/api"
	"github.com/shelfhq/shelf/internal/web/httpx"
	"github.com/shelfhq/shelf/internal/web/webtest"
	"github.com/shelfhq/shelf/sdk"
)

func TestAppsAPI(t *testing.T) {
	f := webtest.New(t)
	partner, other := demo.PartnerEmail, demo.Partner2Email
	org := map[string]string{"org": f.World.Partner1.ID}
	for _, tc := range []struct {
		as   string
		body any
		want int
		code string
	}{
		{"", map[string]string{"name": "X", "kind": "org"}, 401, "unauthenticated"},
		{other, map[string]string{"name": "X", "kind": "org"}, 404, "not_found"},
		{partner, map[string]string{"name": "X", "kind": "web"}, 422, "invalid_app_kind"},
		{partner, map[string]string{"name": "X", "kind": "org", "webhook_url": "https://127.0.0.1/h"}, 422, "webhook_url_private"},
		{partner, map[string]string{"name": "X", "kind": "org", "webhook_url": "http://hooks.example.com/h"}, 422, "webhook_url_insecure"},
		{partner, map[string]any{"name": "X", "kind": "org", "color": "red"}, 400, "unknown_field"},
	} {
		r := f.Call(tc.as, "POST", "/api/v1/orgs/{org}/apps", org, tc.body)
		if code, _ := r.ErrCode(t); r.Status != tc.want || code != tc.code {
			t.Errorf("%s %v: %d %s, want %d %s", tc.as, tc.body, r.Status, code, tc.want, tc.code)
		}
	}
	r := f.Call(partner, "POST", "/api/v1/orgs/{org}/apps", org, map[string]string{"name": "Payroll", "kind": "org", "homepage_url": "https://payroll.example.com"})
	var app struct {
		shelf.App
		shelf.AppCredentials
	}
	r.JSON(t, &app)
	if r.Status != 201 || app.ClientSecret == "" || app.WebhookSecret == "" {
		t.Fatalf("create app = %d %s", r.Status, r.Body)
	}
	p := map[string]string{"app": app.ID}
	if r := f.Call(other, "GET", "/api/v1/apps/{app}", p, nil); r.Status != 404 {
		t.Fatalf("another partner reads the app: %d", r.Status)
	}
	if r := f.Call(partner, "GET", "/api/v1/orgs/{org}/apps", org, nil); r.Status != 200 {
		t.Fatalf("list apps: %d", r.Status)
	}
	r = f.Call(partner, "POST", "/api/v1/apps/{app}/webhook-secret/rotate", p, nil)
	var rot api.RotatedSecret
	r.JSON(t, &rot)
	if r.Status != 200 || rot.WebhookSecret == app.WebhookSecret || rot.PreviousValidUntil == nil {
		t.Fatalf("rotate = %d %s", r.Status, r.Body)
	}

	// The test ping lands in the outbox; the vendor pulls it with its
	// client credentials through the SDK.
	r = f.Call(partner, "POST", "/api/v1/apps/{app}/events/test", p, nil)
	var ping shelf.Event
	r.JSON(t, &ping)
	if r.Status != 201 || ping.Type != shelf.EventTestPing || ping.Seq != 1 {
		t.Fatalf("test ping = %d %s", r.Status, r.Body)
	}
	ctx := context.Background()
	c := &sdk.Client{BaseURL: f.Srv.URL, ClientID: app.ClientID, ClientSecret: app.ClientSecret}
	page, err := c.Events(ctx, f.World.Partner1.ID, 0, 0)
	if err != nil || len(page.Events) != 1 || page.Events[0].ID != ping.ID || page.LastSeq != 1 || page.NextAfter != 1 {
		t.Fatalf("pull = %+v, %v", page, err)
	}
	if e, err := c.TestPing(ctx, app.ID); err != nil || e.Seq != 2 {
		t.Fatalf("SDK test ping = %+v, %v", e, err)
	}
	bad := &sdk.Client{BaseURL: f.Srv.URL, ClientID: app.ClientID, ClientSecret: "nope"}
	if _, err := bad.Events(ctx, f.World.Partner1.ID, 0, 0); !isAPIError(err, 401, "invalid_client") {
		t.Fatalf("bad secret: %v", err)
	}
	if _, err := c.Events(ctx, f.World.Customer.ID, 0, 0); !isAPIError(err, 404, "not_found") {
		t.Fatalf("org without events: %v", err)
	}

	// The delivery log: nothing attempted yet (no endpoint), then resend.
	r = f.Call(partner, "GET", "/api/v1/apps/{app}/deliveries", p, nil)
	var deliveries httpx.List[shelf.Delivery]
	r.JSON(t, &deliveries)
	if r.Status != 200 || len(deliveries.Items) != 2 || deliveries.Items[0].State != shelf.DeliveryPending {
		t.Fatalf("deliveries = %d %s", r.Status, r.Body)
	}
	if r := f.CallQuery(partner, "GET", "/api/v1/apps/{app}/deliveries", map[string]string{"app": app.ID}, "state=lost", nil); r.Status != 422 {
		t.Fatalf("bad state filter: %d", r.Status)
	}
	if r := f.CallQuery(partner, "GET", "/api/v1/apps/{app}/attempts", map[string]string{"app": app.ID}, "status=failed", nil); r.Status != 200 {
		t.Fatalf("attempts: %d", r.Status)
	}
	if r := f.Call(partner, "GET", "/api/v1/apps/{app}/delivery-stats", p, nil); r.Status != 200 {
		t.Fatalf("stats: %d", r.Status)
	}
	if r := f.Call(partner, "POST", "/api/v1/apps/{app}/deliveries/{event}/resend", map[string]string{"app": app.ID, "event": ping.ID}, nil); r.Status != 202 {
		t.Fatalf("resend: %d %s", r.Status, r.Body)
	}
	r = f.Call(partner, "POST", "/api/v1/apps/{app}/deliveries/resend-failed", p, map[string]any{"from": storetest.Epoch.Add(-3600e9)})
	if r.Status != 200 {
		t.Fatalf("resend failed: %d %s", r.Status, r.Body)
	}
	var replay struct{ Replayed *int }
	r = f.Call(partner, "POST", "/api/v1/apps/{app}/deliveries/replay", p, map[string]any{"from": storetest.Epoch.Add(-3600e9)})
	if r.JSON(t, &replay); r.Status != 200 || replay.Replayed == nil {
		t.Fatalf("replay: %d %s", r.Status, r.Body)
	}
	if r := f.Call(partner, "POST", "/api/v1/apps/{app}/deliveries/replay", p, map[string]any{"from": storetest.Epoch, "to": storetest.Epoch}); r.Status != 422 {
		t.Fatalf("replay of an empty period: %d %s", r.Status, r.Body)
	}
	hook := "https://[::1]/h"
	if r := f.Call(partner, "PATCH", "/api/v1/apps/{app}", p, map[string]any{"webhook_url": hook}); r.Status != 422 {
		t.Fatalf("private webhook accepted: %d", r.Status)
	}
}

func isAPIError(err error, status int, code string) bool {
	e, ok := err.(*sdk.APIError)
	return ok && e.Status == status && e.Code == code
}
