package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/shelf"
)

// TestPagesPromoLanding: a visit is counted once per visitor and day, a
// signed-in admin's trial is attributed to the channel, a paused channel
// lands on the listing with a note, an unknown code is a friendly 404, and
// the partner's own visit counts for nothing.
func TestPagesPromoLanding(t *testing.T) {
	w := newShopWorld(t)
	f, ctx := w.f, context.Background()
	c := w.channel(t, shelf.NewPromoChannel{Name: "海报", Target: shelf.PromoTargetTrial, State: "poster-9"})
	lower := "/p/" + strings.ToLower(c.Code)
	status, _, h := w.anon.Get(lower)
	if status != 303 || h.Get("Location") != "/p/"+c.Code+"/start" {
		t.Fatalf("GET %s = %d → %s", lower, status, h.Get("Location"))
	}
	status, body, _ := w.anon.Get("/p/" + c.Code + "/start")
	mustContain(t, "anonymous landing", body, `id="promo-signup"`, "/signup?next=/p/"+c.Code)
	if status != 200 {
		t.Fatalf("landing = %d", status)
	}
	w.anon.Get("/p/" + c.Code) // the same visitor again
	// The admin (same address and browser kind: the same visitor) lands signed in and starts the trial.
	w.admin.Get("/p/" + c.Code)
	_, body, _ = w.admin.Get("/p/" + c.Code + "/start")
	mustContain(t, "admin's landing", body, `id="promo-act"`, "/orgs/"+w.org+"/shop/"+w.rev.ListingID+"/trial")
	if status, _, _ := post(t, w.admin, body, "/orgs/"+w.org+"/shop/"+w.rev.ListingID+"/trial", nil); status != 303 {
		t.Fatalf("trial = %d", status)
	}
	// The partner's own visit is not counted.
	pb := f.Browser()
	pb.SignIn(demo.PartnerEmail)
	pb.Get("/p/" + c.Code)
	now := f.Clock.Now()
	fun, err := f.Store.PromoFunnel(ctx, shelf.FunnelQuery{ListingID: w.rev.ListingID, Code: c.Code, From: now, To: now})
	if err != nil {
		t.Fatal(err)
	}
	if want := (shelf.FunnelDay{Visits: 1, Installs: 1, Trials: 1}); fun.Total != want {
		t.Fatalf("funnel = %+v, want %+v", fun.Total, want)
	}
	// The console shows it; the CSV says it.
	_, body, _ = pb.Get("/apps/" + w.rev.AppID + "/channels?channel=" + c.Code)
	mustContain(t, "channels page", body, `id="ch-`+c.Code+`"`, `data-step="promo.visits">1<`, `data-step="promo.trials">1<`, "poster-9")
	_, csv, _ := pb.Get("/apps/" + w.rev.AppID + "/funnel.csv?channel=" + c.Code)
	mustContain(t, "funnel CSV", csv, "day,visits,installs,trials,paid_orders,revenue", "\ntotal,1,1,1,0,0.00,CNY,1.0000,1.0000,0.0000,0,0.00")
	if status, _, _ := w.outsider.Get("/apps/" + w.rev.AppID + "/channels"); status != 404 {
		t.Errorf("another partner's channels page = %d", status)
	}

	// Paused: the listing, with a note.
	_, body, _ = pb.Get("/apps/" + w.rev.AppID + "/channels")
	if status, _, _ := post(t, pb, body, "/apps/"+w.rev.AppID+"/channels/"+c.Code, url.Values{"status": {"paused"}}); status != 303 {
		t.Fatalf("pause = %d", status)
	}
	status, _, h = w.anon.Get("/p/" + c.Code)
	if status != 303 || h.Get("Location") != "/listings/"+w.rev.ListingID+"?flash=promo.ended" {
		t.Fatalf("paused channel = %d → %s", status, h.Get("Location"))
	}
	_, body, _ = w.anon.Get(h.Get("Location"))
	mustContain(t, "listing after a paused link", body, "这个推广码已暂停或过期")
	// Expired: the same, on both the link and its landing page.
	exp := f.Clock.Now().Add(48 * time.Hour)
	ec := w.channel(t, shelf.NewPromoChannel{Name: "限时海报", Target: shelf.PromoTargetListing, ExpiresAt: &exp})
	if status, _, h := w.anon.Get("/p/" + ec.Code); status != 303 || h.Get("Location") != "/p/"+ec.Code+"/start" {
		t.Fatalf("a channel before its expiry = %d → %s", status, h.Get("Location"))
	}
	f.Clock.Advance(72 * time.Hour)
	for _, path := range []string{"/p/" + ec.Code, "/p/" + ec.Code + "/start"} {
		if status, _, h := w.anon.Get(path); status != 303 || h.Get("Location") != "/listings/"+w.rev.ListingID+"?flash=promo.ended" {
			t.Errorf("expired %s = %d → %s", path, status, h.Get("Location"))
		}
	}
	status, body, _ = w.anon.Get("/p/NOSUCH22")
	if status != 404 || !strings.Contains(body, `id="promo-missing"`) {
		t.Errorf("unknown code = %d", status)
	}

	// A refused form shows the catalog's words, not the code.
	_, body, _ = pb.Get("/apps/" + w.rev.AppID + "/channels")
	status, body, _ = post(t, pb, body, "/apps/"+w.rev.AppID+"/channels", url.Values{"name": {"x"}, "state": {"a\tb"}})
	if status != 422 {
		t.Fatalf("bad state = %d", status)
	}
	mustContain(t, "refused channel", body, "state 最多 128 个字符")
	noCodes(t, "refused channel", body, "invalid_channel_state")
}

// TestPagesPromoSeenCookie: an anonymous visit sets a signed cookie for the
// rest of the day; a browser carrying it is not counted again even when it
// would name another visitor (another address or browser version), and a
// forged one changes nothing.
func TestPagesPromoSeenCookie(t *testing.T) {
	w := newShopWorld(t)
	f, ctx := w.f, context.Background()
	c := w.channel(t, shelf.NewPromoChannel{Name: "海报", Target: shelf.PromoTargetListing})
	visit := func(ua, cookie string) *http.Response {
		req, _ := http.NewRequest("GET", f.Srv.URL+"/p/"+c.Code, nil)
		req.Header.Set("User-Agent", ua)
		if cookie != "" {
			req.Header.Set("Cookie", cookie)
		}
		res, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 303 {
			t.Fatalf("visit = %d", res.StatusCode)
		}
		return res
	}
	first := visit("phone/1", "")
	ck := first.Cookies()
	if len(ck) != 1 || !ck[0].HttpOnly || ck[0].Path != "/p/" || ck[0].MaxAge <= 0 {
		t.Fatalf("cookies = %+v", ck)
	}
	if again := visit("phone/2", ck[0].Name+"="+ck[0].Value); len(again.Cookies()) != 0 {
		t.Errorf("a counted browser got a new cookie")
	}
	visit("phone/3", ck[0].Name+"=20000.forged") // counted: a forged cookie is no cookie
	now := f.Clock.Now()
	fun, err := f.Store.PromoFunnel(ctx, shelf.FunnelQuery{ListingID: w.rev.ListingID, Code: c.Code, From: now, To: now})
	if err != nil {
		t.Fatal(err)
	}
	if fun.Total.Visits != 2 {
		t.Errorf("visits = %d, want 2 (phone/1, and phone/3 with a forged cookie)", fun.Total.Visits)
	}
	// The next day yesterday's cookie counts for nothing: the visit is
	// counted again and the browser gets the new day's cookie.
	f.Clock.Advance(24 * time.Hour)
	next := visit("phone/1", ck[0].Name+"="+ck[0].Value).Cookies()
	if len(next) != 1 || next[0].Value == ck[0].Value {
		t.Fatalf("the next day's cookies = %+v", next)
	}
	visit("phone/1", next[0].Name+"="+next[0].Value) // not counted: today's cookie
	now = f.Clock.Now()
	fun, err = f.Store.PromoFunnel(ctx, shelf.FunnelQuery{ListingID: w.rev.ListingID, Code: c.Code, From: now, To: now})
	if err != nil || fun.Total.Visits != 1 {
		t.Errorf("the next day's visits = %+v, %v; want 1", fun.Total, err)
	}
}

// TestPagesPromoCustomDownload: the console's form downloads a channel's
// code in the format, size and level chosen; a format it does not make is
// not found and a size out of range is refused in words.
func TestPagesPromoCustomDownload(t *testing.T) {
	w := newShopWorld(t)
	f := w.f
	c := w.channel(t, shelf.NewPromoChannel{Name: "海报", Target: shelf.PromoTargetListing})
	pb := f.Browser()
	pb.SignIn(demo.PartnerEmail)
	base := "/apps/" + w.rev.AppID + "/channels/" + c.Code
	_, console, _ := pb.Get("/apps/" + w.rev.AppID + "/channels")
	mustContain(t, "console", console, `id="dl-form-`+c.Code+`"`, `<option value="2048">2048</option>`, "自选格式与尺寸下载")
	status, svg, h := pb.Get(base + "/qr?format=svg&size=256&ec=H&download=1")
	if status != 200 || !strings.Contains(svg, `width="256"`) || !strings.HasPrefix(h.Get("Content-Disposition"), "attachment;") {
		t.Errorf("custom SVG = %d %s %.200s", status, h.Get("Content-Disposition"), svg)
	}
	if status, png, _ := pb.Get(base + "/qr?format=png&size=512&icon=true"); status != 200 || !strings.HasPrefix(png, "\x89PNG") {
		t.Errorf("custom PNG = %d", status)
	}
	if status, _, _ := pb.Get(base + "/qr?format=gif"); status != 404 {
		t.Errorf("a GIF = %d, want 404", status)
	}
	status, page, _ := pb.Get(base + "/qr?format=png&size=5000")
	if status != 422 {
		t.Errorf("size 5000 = %d, want 422", status)
	}
	mustContain(t, "size 5000", page, "尺寸须在 128 到 2048 像素之间")
	noCodes(t, "size 5000", page, "invalid_size")
}

// channel creates a channel of the world's listing as the partner; nc
// gives its name, target and the rest.
func (w *shopWorld) channel(t *testing.T, nc shelf.NewPromoChannel) *shelf.PromoChannel {
	t.Helper()
	nc.ListingID, nc.ByUserID = w.rev.ListingID, w.f.World.Users[demo.PartnerEmail].ID
	c, err := w.f.Store.CreatePromoChannel(context.Background(), nc)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
