package web

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store/storetest"
	"github.com/shelfhq/shelf/sdk"
)

func TestAppsAPI(t *testing.T) {
	f := newFixture(t)
	partner, other := demo.PartnerEmail, demo.Partner2Email
	org := map[string]string{"org": f.world.Partner1.ID}
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
		r := f.call(tc.as, "POST", "/api/v1/orgs/{org}/apps", org, tc.body)
		if code, _ := r.errCode(t); r.status != tc.want || code != tc.code {
			t.Errorf("%s %v: %d %s, want %d %s", tc.as, tc.body, r.status, code, tc.want, tc.code)
		}
	}
	r := f.call(partner, "POST", "/api/v1/orgs/{org}/apps", org, map[string]string{"name": "Payroll", "kind": "org", "homepage_url": "https://payroll.example.com"})
	var app struct {
		shelf.App
		shelf.AppCredentials
	}
	r.json(t, &app)
	if r.status != 201 || app.ClientSecret == "" || app.WebhookSecret == "" {
		t.Fatalf("create app = %d %s", r.status, r.body)
	}
	p := map[string]string{"app": app.ID}
	if r := f.call(other, "GET", "/api/v1/apps/{app}", p, nil); r.status != 404 {
		t.Fatalf("another partner reads the app: %d", r.status)
	}
	if r := f.call(partner, "GET", "/api/v1/orgs/{org}/apps", org, nil); r.status != 200 {
		t.Fatalf("list apps: %d", r.status)
	}
	r = f.call(partner, "POST", "/api/v1/apps/{app}/webhook-secret/rotate", p, nil)
	var rot rotatedSecret
	r.json(t, &rot)
	if r.status != 200 || rot.WebhookSecret == app.WebhookSecret || rot.PreviousValidUntil == nil {
		t.Fatalf("rotate = %d %s", r.status, r.body)
	}

	// The test ping lands in the outbox; the vendor pulls it with its
	// client credentials through the SDK.
	r = f.call(partner, "POST", "/api/v1/apps/{app}/events/test", p, nil)
	var ping shelf.Event
	r.json(t, &ping)
	if r.status != 201 || ping.Type != shelf.EventTestPing || ping.Seq != 1 {
		t.Fatalf("test ping = %d %s", r.status, r.body)
	}
	ctx := context.Background()
	c := &sdk.Client{BaseURL: f.srv.URL, ClientID: app.ClientID, ClientSecret: app.ClientSecret}
	page, err := c.Events(ctx, f.world.Partner1.ID, 0, 0)
	if err != nil || len(page.Events) != 1 || page.Events[0].ID != ping.ID || page.LastSeq != 1 || page.NextAfter != 1 {
		t.Fatalf("pull = %+v, %v", page, err)
	}
	if e, err := c.TestPing(ctx, app.ID); err != nil || e.Seq != 2 {
		t.Fatalf("SDK test ping = %+v, %v", e, err)
	}
	bad := &sdk.Client{BaseURL: f.srv.URL, ClientID: app.ClientID, ClientSecret: "nope"}
	if _, err := bad.Events(ctx, f.world.Partner1.ID, 0, 0); !isAPIError(err, 401, "invalid_client") {
		t.Fatalf("bad secret: %v", err)
	}
	if _, err := c.Events(ctx, f.world.Customer.ID, 0, 0); !isAPIError(err, 404, "not_found") {
		t.Fatalf("org without events: %v", err)
	}

	// The delivery log: nothing attempted yet (no endpoint), then resend.
	r = f.call(partner, "GET", "/api/v1/apps/{app}/deliveries", p, nil)
	var deliveries listOf[shelf.Delivery]
	r.json(t, &deliveries)
	if r.status != 200 || len(deliveries.Items) != 2 || deliveries.Items[0].State != shelf.DeliveryPending {
		t.Fatalf("deliveries = %d %s", r.status, r.body)
	}
	if r := getQuery(f, partner, "/api/v1/apps/{app}/deliveries", app.ID, "state=lost"); r.status != 422 {
		t.Fatalf("bad state filter: %d", r.status)
	}
	if r := getQuery(f, partner, "/api/v1/apps/{app}/attempts", app.ID, "status=failed"); r.status != 200 {
		t.Fatalf("attempts: %d", r.status)
	}
	if r := f.call(partner, "GET", "/api/v1/apps/{app}/delivery-stats", p, nil); r.status != 200 {
		t.Fatalf("stats: %d", r.status)
	}
	if r := f.call(partner, "POST", "/api/v1/apps/{app}/deliveries/{event}/resend", map[string]string{"app": app.ID, "event": ping.ID}, nil); r.status != 202 {
		t.Fatalf("resend: %d %s", r.status, r.body)
	}
	r = f.call(partner, "POST", "/api/v1/apps/{app}/deliveries/resend-failed", p, map[string]any{"from": storetest.Epoch.Add(-3600e9)})
	if r.status != 200 {
		t.Fatalf("resend failed: %d %s", r.status, r.body)
	}
	hook := "https://[::1]/h"
	if r := f.call(partner, "PATCH", "/api/v1/apps/{app}", p, map[string]any{"webhook_url": hook}); r.status != 422 {
		t.Fatalf("private webhook accepted: %d", r.status)
	}
}

// getQuery is f.call for a GET with a query string.
func getQuery(f *fixture, as, pattern, appID, query string) *response {
	f.t.Helper()
	req, _ := http.NewRequest("GET", f.srv.URL+strings.ReplaceAll(pattern, "{app}", appID)+"?"+query, nil)
	req.Header.Set("Authorization", "Bearer "+f.tokens[as])
	res, err := f.srv.Client().Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	r := &response{status: res.StatusCode, header: res.Header, body: b}
	checkOpenAPI(f.t, "GET", pattern, r)
	return r
}

func isAPIError(err error, status int, code string) bool {
	e, ok := err.(*sdk.APIError)
	return ok && e.Status == status && e.Code == code
}
