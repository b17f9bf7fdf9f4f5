package api_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/webtest"
)

// promoChannel makes a channel of a fresh listing of partner org 1.
func promoChannel(f *webtest.Fixture) *shelf.PromoChannel {
	f.T.Helper()
	c, err := f.Store.CreatePromoChannel(context.Background(), shelf.NewPromoChannel{ListingID: f.RevisionIn("listed").ListingID,
		ByUserID: f.World.Users[demo.PartnerEmail].ID, Name: "海报", Target: shelf.PromoTargetTrial, State: "poster-1"})
	if err != nil {
		f.T.Fatal(err)
	}
	return c
}

// promoAuthzRows: only the listing's partner admins see or change its
// channels and funnel; anyone else outside its org gets 404.
func promoAuthzRows() []commerceRow {
	listing := func(f *webtest.Fixture) (map[string]string, any) {
		return map[string]string{"listing": f.RevisionIn("listed").ListingID}, map[string]any{"name": "门店海报", "target": "trial", "state": "store-7"}
	}
	channel := func(f *webtest.Fixture) (map[string]string, any) {
		c := promoChannel(f)
		return map[string]string{"listing": c.ListingID, "code": strings.ToLower(c.Code)}, map[string]any{"status": "paused"}
	}
	settings := func(f *webtest.Fixture) (map[string]string, any) {
		return map[string]string{"listing": f.RevisionIn("listed").ListingID}, map[string]any{"attribution_days": 14}
	}
	partner := [6]int{401, 403, 200, 404, 404, 404}
	return []commerceRow{
		{"POST", "/api/v1/listings/{listing}/channels", onPartner, [6]int{401, 403, 201, 404, 404, 404}, listing},
		{"GET", "/api/v1/listings/{listing}/channels", onPartner, partner, listing},
		{"PATCH", "/api/v1/listings/{listing}/channels/{code}", onPartner, partner, channel},
		{"GET", "/api/v1/listings/{listing}/channels/{code}/qr.png", onPartner, partner, channel},
		{"GET", "/api/v1/listings/{listing}/channels/{code}/qr.svg", onPartner, partner, channel},
		{"GET", "/api/v1/listings/{listing}/funnel", onPartner, partner, listing},
		{"GET", "/api/v1/listings/{listing}/channel-settings", onPartner, partner, settings},
		{"PUT", "/api/v1/listings/{listing}/channel-settings", onPartner, partner, settings},
	}
}

func TestPromoAuthorization(t *testing.T) {
	f := webtest.New(t)
	for _, row := range promoAuthzRows() {
		for i, role := range roles {
			t.Run(fmt.Sprintf("%s %s as %s", row.method, row.pattern, role), func(t *testing.T) {
				f.T = t
				params, body := row.prep(f)
				if row.method == "GET" {
					body = nil
				}
				r := f.Call(caller(role, row.on), row.method, row.pattern, params, body)
				if r.Status != row.want[i] {
					t.Errorf("status = %d, want %d (body %s)", r.Status, row.want[i], r.Body)
				}
			})
		}
	}
}

// TestPromoChannelsAPI: create, list, pause, QR downloads, bad input
// refused with its code and nothing changed; another partner's channel is
// not found through this listing.
func TestPromoChannelsAPI(t *testing.T) {
	f := webtest.New(t)
	partner := demo.PartnerEmail
	li := f.RevisionIn("listed").ListingID
	p := map[string]string{"listing": li}
	r := f.Call(partner, "POST", "/api/v1/listings/{listing}/channels", p, map[string]any{"name": "展会 fair", "target": "buy", "spec_code": "std-month", "state": "fair-2027"})
	if r.Status != 201 {
		t.Fatalf("create = %d %s", r.Status, r.Body)
	}
	var view map[string]any
	r.JSON(t, &view)
	if view["status"] != "active" || !strings.HasSuffix(view["url"].(string), "/p/"+view["code"].(string)) {
		t.Fatalf("channel = %s", r.Body)
	}
	code := view["code"].(string)
	before := f.Counts()
	for _, tc := range []struct {
		body any
		want int
		code string
	}{
		{map[string]any{"name": "x", "state": strings.Repeat("s", 129)}, 422, "invalid_channel_state"},
		{map[string]any{"name": "x", "state": "a\tb"}, 422, "invalid_channel_state"},
		{map[string]any{"name": "x", "target": "buy", "spec_code": "nope"}, 422, "unknown_spec"},
		{map[string]any{"name": "x", "colour": "red"}, 400, "unknown_field"},
	} {
		r := f.Call(partner, "POST", "/api/v1/listings/{listing}/channels", p, tc.body)
		if got, _ := r.ErrCode(t); r.Status != tc.want || got != tc.code {
			t.Errorf("%v: %d %s, want %d %s", tc.body, r.Status, r.Body, tc.want, tc.code)
		}
	}
	// A trial target on a listing without a trial.
	noTrial := ""
	for _, a := range f.World.Apps {
		l, err := f.Store.ListingForApp(context.Background(), a.ID)
		if err == nil && a.OrgID == f.World.Partner1.ID && l.State == shelf.ListingListed && l.Live != nil && l.Live.Trial == nil {
			noTrial = l.ID
			break
		}
	}
	if noTrial == "" {
		t.Fatal("partner 1 has no listed listing without a trial")
	}
	r = f.Call(partner, "POST", "/api/v1/listings/{listing}/channels", map[string]string{"listing": noTrial}, map[string]any{"name": "x", "target": "trial"})
	if got, field := r.ErrCode(t); r.Status != 422 || got != "trial_not_offered" || field != "target" {
		t.Errorf("a trial target without a trial: %d %s", r.Status, r.Body)
	}
	qp := map[string]string{"listing": li, "code": code}
	for q, want := range map[string]string{"size=64": "out_of_range", "size=5000": "out_of_range", "size=abc": "invalid_parameter",
		"ec=Z": "invalid_parameter", "icon=maybe": "invalid_parameter"} {
		r := f.CallQuery(partner, "GET", "/api/v1/listings/{listing}/channels/{code}/qr.png", qp, q, nil)
		if got, _ := r.ErrCode(t); r.Status != 422 || got != want {
			t.Errorf("qr.png?%s = %d %s, want 422 %s", q, r.Status, r.Body, want)
		}
	}
	if changed := before.Changed(f.Counts()); len(changed) > 0 {
		t.Errorf("refused requests changed data: %v", changed)
	}
	r = f.CallQuery(partner, "GET", "/api/v1/listings/{listing}/channels/{code}/qr.png", qp, "size=256&icon=true", nil)
	if r.Status != 200 || !strings.HasPrefix(string(r.Body), "\x89PNG") {
		t.Fatalf("qr.png = %d", r.Status)
	}
	r = f.CallQuery(partner, "GET", "/api/v1/listings/{listing}/channels/{code}/qr.svg", qp, "size=300", nil)
	if r.Status != 200 || !strings.Contains(string(r.Body), "<svg") {
		t.Fatalf("qr.svg = %d", r.Status)
	}
	// A channel of another listing is not found through this one.
	other := promoChannel(f)
	r = f.Call(partner, "GET", "/api/v1/listings/{listing}/channels/{code}/qr.svg", map[string]string{"listing": li, "code": other.Code}, nil)
	if r.Status != 404 {
		t.Errorf("another listing's channel = %d", r.Status)
	}
	r = f.Call(partner, "PATCH", "/api/v1/listings/{listing}/channels/{code}", qp, map[string]any{"status": "paused"})
	r.JSON(t, &view)
	if r.Status != 200 || view["status"] != "paused" {
		t.Fatalf("pause = %d %s", r.Status, r.Body)
	}
	r = f.Call(partner, "GET", "/api/v1/listings/{listing}/channels", p, nil)
	if r.Status != 200 || !strings.Contains(string(r.Body), code) {
		t.Fatalf("list = %d %s", r.Status, r.Body)
	}
	r = f.CallQuery(partner, "GET", "/api/v1/listings/{listing}/funnel", p, "channel="+code+"&format=csv", nil)
	if r.Status != 200 || !strings.HasPrefix(string(r.Body), "day,visits,installs") || !strings.Contains(string(r.Body), "\ntotal,0,0,0,0,0.00,CNY") {
		t.Fatalf("funnel csv = %d %s", r.Status, r.Body)
	}
	r = f.CallQuery(partner, "GET", "/api/v1/listings/{listing}/funnel", p, "channel="+other.Code, nil)
	if got, _ := r.ErrCode(t); r.Status != 422 || got != "unknown_channel" {
		t.Errorf("funnel of another listing's channel = %d %s", r.Status, r.Body)
	}
}
