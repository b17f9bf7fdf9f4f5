package ui_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"image/png"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
	"github.com/shelfhq/shelf/internal/browsertest"
	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/events"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store/storetest"
	"github.com/shelfhq/shelf/internal/web"
	"github.com/shelfhq/shelf/internal/web/webtest"
)

// servedFixture is a fixture served on a real loopback port (links and
// QR codes hold the server's own address, and so does an issuer), its
// clock at the wall clock; configure, if set, sees the base URL.
func servedFixture(t *testing.T, configure func(c *web.Config, base string)) (*webtest.Fixture, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	f := webtest.NewWith(t, storetest.SQLite, func(c *web.Config) {
		c.Clock.(*shelf.ManualClock).Set(time.Now().UTC().Truncate(time.Second))
		c.BaseURL = base
		if configure != nil {
			configure(c, base)
		}
	})
	srv := &http.Server{Handler: f.Server, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return f, base
}

// decodeQR reads a QR code's text from a PNG with gozxing.
func decodeQR(t *testing.T, b []byte) string {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("decode the QR code: %v", err)
	}
	return res.GetText()
}

// TestBrowserPromoChannel is own-channel promotion end to end in headless
// Chromium: the partner creates a channel landing on buying a spec, with
// a state, and downloads its QR code; a new customer on a 390 px phone
// opens the decoded link, signs up, creates an org and buys through the
// sandbox checkout; the real examples/vendor receives app.installed with
// the channel's code and state; the partner's funnel shows one visit, one
// install, one paid order and the revenue.
func TestBrowserPromoChannel(t *testing.T) {
	f, base := servedFixture(t, nil)
	ctx := context.Background()
	rev := f.RevisionIn("listed")
	partner := f.World.Users[demo.PartnerEmail].ID
	vendorAddr := freeAddr(t)
	hook := "http://" + vendorAddr + "/shelf/events"
	if _, err := f.Store.UpdateApp(ctx, rev.AppID, shelf.AppPatch{ByUserID: partner, WebhookURL: &hook}); err != nil {
		t.Fatal(err)
	}
	secret, err := f.Store.RotateWebhookSecret(ctx, rev.AppID, partner)
	if err != nil {
		t.Fatal(err)
	}
	vendorLog := startVendor(t, vendorAddr, secret)

	b := browsertest.New(t, 4*time.Minute)
	run := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(b, actions...); err != nil {
			browsertest.Screenshot(t, b, "promo-failed-"+strings.ReplaceAll(what, " ", "-"))
			t.Fatalf("%s: %v", what, err)
		}
	}

	// The partner creates the channel and downloads its QR code.
	chromeSignIn(t, b, base, demo.PartnerEmail)
	channels := base + "/apps/" + rev.AppID + "/channels"
	run("open the channels", chromedp.Navigate(channels), chromedp.WaitVisible(chromedp.ID("promo-create")))
	run("create a channel", chromedp.SetValue(chromedp.ID("promo-name"), "门店海报 store poster"),
		chromedp.SetValue(chromedp.ID("promo-target"), "buy"), chromedp.SetValue(chromedp.ID("promo-spec"), "std-month"),
		chromedp.SetValue(chromedp.ID("promo-state"), "store-42"), chromedp.Click(chromedp.ID("promo-create-submit")),
		chromedp.WaitVisible(chromedp.CSS(".promo-channel")))
	code, err := chromedp.Run(b, chromedp.Evaluate[string](`document.querySelector('.promo-channel').id.slice(3)`))
	if err != nil || shelf.NormPromoCode(code) != code {
		t.Fatalf("channel code %q: %v", code, err)
	}
	browsertest.Screenshot(t, b, "promo-channels-created")
	pngB64, err := chromedp.Run(b, chromedp.Evaluate[string](`fetch(document.getElementById('dl-png-`+code+`').href).then(r => r.arrayBuffer()).then(b => {
		let s = ''; new Uint8Array(b).forEach(c => s += String.fromCharCode(c)); return btoa(s); })`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	pngBytes, err := base64.StdEncoding.DecodeString(pngB64)
	if err != nil {
		t.Fatal(err)
	}
	link := decodeQR(t, pngBytes)
	if link != base+"/p/"+code {
		t.Fatalf("the QR code reads %q, want %s/p/%s", link, base, code)
	}
	run("print page", chromedp.Navigate(channels+"/"+code+"/print"), chromedp.WaitVisible(chromedp.ID("promo-print")))
	browsertest.Screenshot(t, b, "promo-print-a4")
	run("sign out", chromedp.Navigate(base+"/"), chromedp.Click(chromedp.ID("signout")), chromedp.WaitVisible(chromedp.ID("nav-signin")))

	// A new customer on a phone scans the code.
	run("phone", chromedp.EmulateViewport(390, 844))
	run("open the link", chromedp.Navigate(link), chromedp.WaitVisible(chromedp.ID("promo-signup")))
	browsertest.Screenshot(t, b, "promo-landing-phone")
	run("sign up", chromedp.Click(chromedp.ID("promo-signup")), chromedp.WaitVisible(chromedp.CSS(`input[name=email]`)),
		chromedp.SetValue(chromedp.CSS(`input[name=name]`), "扫码客户"),
		chromedp.SetValue(chromedp.CSS(`input[name=email]`), "scan@example.com"),
		chromedp.SetValue(chromedp.CSS(`input[name=password]`), "scan-password-1"),
		chromedp.Submit(chromedp.CSS(`form[action="/signup"]`)), chromedp.WaitVisible(chromedp.ID("promo-org-name")))
	browsertest.Screenshot(t, b, "promo-landing-org-phone")
	run("create an org", chromedp.SetValue(chromedp.ID("promo-org-name"), "扫码贸易"), chromedp.Click(chromedp.ID("promo-org-create")),
		chromedp.WaitVisible(chromedp.ID("promo-act")))
	browsertest.Screenshot(t, b, "promo-landing-act-phone")
	run("buy", chromedp.Click(chromedp.ID("promo-act")), chromedp.WaitVisible(chromedp.ID("buy-confirm")))
	total := chromeText(t, b, "#quote-total")
	browsertest.Screenshot(t, b, "promo-buy-phone")
	run("confirm", chromedp.Click(chromedp.ID("buy-confirm")), chromedp.WaitVisible(chromedp.ID("order-pay")))
	run("checkout", chromedp.Click(chromedp.ID("order-pay")), chromedp.WaitVisible(chromedp.ID("sandbox-pay")))
	run("pay", chromedp.Click(chromedp.ID("sandbox-pay")), chromedp.WaitVisible(chromedp.ID("order-receipt")))
	fits, err := chromedp.Run(b, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth + 1`))
	if err != nil || !fits {
		t.Errorf("the receipt scrolls sideways on a phone")
	}
	run("desktop", chromedp.EmulateViewport(1280, 860))

	// The vendor hears of the install with the channel's code and state.
	d := events.New(f.Store, events.Options{Clock: f.Clock, Guard: events.Guard{AllowPrivate: true}})
	want := "Channel:" + code + " State:store-42"
	for i := 0; ; i++ {
		if _, err := d.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		got, _ := os.ReadFile(vendorLog)
		if strings.Contains(string(got), "app.installed") && strings.Contains(string(got), want) {
			break
		}
		if i == 50 {
			t.Fatalf("examples/vendor did not get app.installed with %q:\n%s", want, got)
		}
		time.Sleep(100 * time.Millisecond) // waiting for the vendor process to print, not for time to pass
	}

	// The partner's funnel.
	run("sign the customer out", chromedp.Navigate(base+"/"), chromedp.Click(chromedp.ID("signout")), chromedp.WaitVisible(chromedp.ID("nav-signin")))
	chromeSignIn(t, b, base, demo.PartnerEmail)
	run("the funnel", chromedp.Navigate(channels+"?channel="+code), chromedp.WaitVisible(chromedp.ID("promo-funnel")))
	for key, want := range map[string]string{"promo.visits": "1", "promo.installs": "1", "promo.paid": "1"} {
		if got := chromeText(t, b, `[data-step="`+key+`"]`); got != want {
			t.Errorf("funnel %s = %q, want %s", key, got, want)
		}
	}
	if got := chromeText(t, b, "#funnel-revenue"); got != total {
		t.Errorf("funnel revenue = %q, want the order's %s", got, total)
	}
	browsertest.Screenshot(t, b, "promo-funnel")
	shoot(t, b, base, map[string]string{"promo-channels": "/apps/" + rev.AppID + "/channels?channel=" + code, "promo-missing": "/p/ZZZZZZZZ",
		"promo-print-card": "/apps/" + rev.AppID + "/channels/" + code + "/print?format=card"})
	checkPromoCards(t, b, channels+"?channel="+code)
}

// checkPromoCards looks at the channels page on a phone and a laptop in
// both languages: the card names the spec (not its code) and the state in
// the reader's language, and no day label of the charts is cut at their
// right edge.
func checkPromoCards(t *testing.T, b context.Context, page string) {
	t.Helper()
	const labelsInside = `[...document.querySelectorAll('.sales-chart svg')].every(s => { const r = s.getBoundingClientRect();
		return [...s.querySelectorAll('text')].every(x => x.getBoundingClientRect().right <= r.right + 0.5); })`
	for _, lang := range []struct{ code, state string }{{"zh-CN", "透传参数"}, {"en", "Pass-through state"}} {
		for _, width := range []int64{390, 1366} {
			if err := chromedp.Do(b, chromedp.EmulateViewport(width, 900), chromedp.Navigate(page+"&lang="+lang.code),
				chromedp.WaitVisible(chromedp.ID("promo-funnel"))); err != nil {
				t.Fatal(err)
			}
			browsertest.Screenshot(t, b, "promo-channels-"+strings.ToLower(lang.code)+"-"+strconv.FormatInt(width, 10))
			card := chromeText(t, b, ".promo-channel .small.muted")
			if strings.Contains(card, "std-month") || !strings.Contains(card, lang.state) {
				t.Errorf("%s at %d px: the card says %q, want the spec's name and %q", lang.code, width, card, lang.state)
			}
			if inside, err := chromedp.Run(b, chromedp.Evaluate[bool](labelsInside)); err != nil || !inside {
				t.Errorf("%s at %d px: a chart's day label is cut at its right edge (%v)", lang.code, width, err)
			}
		}
	}
}
