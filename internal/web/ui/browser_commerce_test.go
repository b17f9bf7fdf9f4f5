package ui_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/shelfhq/shelf/internal/browsertest"
	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/oidc"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store"
	"github.com/shelfhq/shelf/internal/web"
	"github.com/shelfhq/shelf/internal/web/webtest"
)

// ssoFixture is a fixture that is also an OpenID provider. An issuer is
// the server's own address, known only once it listens (servedFixture);
// its clock is the wall clock so the vendor accepts the ID tokens' times.
func ssoFixture(t *testing.T) (*webtest.Fixture, string) {
	t.Helper()
	return servedFixture(t, func(c *web.Config, base string) {
		st := c.Store.(*store.Store)
		p, err := oidc.New(oidc.Config{Issuer: base, Store: st, SecretKey: []byte("shelf-test-key-32-bytes-long!!!!"), Clock: c.Clock,
			Entitlements: oidc.EntitlementsFunc(func(ctx context.Context, appID, orgID, userID string) (shelf.Entitlement, error) {
				es, err := st.Entitlements(ctx, appID, orgID, []string{userID})
				if err != nil {
					return shelf.Entitlement{}, err
				}
				return es[0], nil
			})})
		if err != nil {
			t.Fatal(err)
		}
		c.OIDC = p
	})
}

// startSSOVendor builds examples/vendor and runs it for the app, signing
// members in against issuer; it returns the vendor's address.
func startSSOVendor(t *testing.T, f *webtest.Fixture, app *shelf.App, issuer string) string {
	t.Helper()
	addr := freeAddr(t)
	vendorURL := "http://" + addr
	if _, err := f.Store.SetAppOIDC(context.Background(), app.ID, []string{vendorURL + "/callback"}, vendorURL+"/initiate",
		f.World.Users[demo.PartnerEmail].ID); err != nil {
		t.Fatal(err)
	}
	launchVendor(t, addr, "SHELF_ISSUER="+issuer, "SHELF_CLIENT_ID="+app.ClientID,
		"SHELF_CLIENT_SECRET="+f.VendorOf(app.ID).ClientSecret, "SHELF_WEBHOOK_SECRET=whsec_e2e")
	return vendorURL
}

// launchVendor builds examples/vendor and runs it on addr with env added,
// until the test ends; its output is logged when the test fails.
func launchVendor(t *testing.T, addr string, env ...string) {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "vendor")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/shelfhq/shelf/examples/vendor").CombinedOutput(); err != nil {
		t.Fatalf("build examples/vendor: %v\n%s", err, out)
	}
	vendorURL := "http://" + addr
	cmd := exec.Command(bin, "-addr", addr, "-public-url", vendorURL)
	cmd.Env = append(os.Environ(), env...)
	logf, err := os.Create(filepath.Join(dir, "vendor.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			b, _ := os.ReadFile(logf.Name())
			t.Logf("vendor log:\n%s", b)
		}
	})
	for i := 0; ; i++ {
		res, err := http.Get(vendorURL + "/")
		if err == nil {
			res.Body.Close()
			return
		}
		if i == 100 {
			t.Fatalf("the vendor did not start: %v", err)
		}
		time.Sleep(100 * time.Millisecond) // waiting for a process to listen, not for time to pass
	}
}

// TestBrowserCustomerBuysAndMemberLaunches is the customer's side end to
// end in headless Chromium: the org admin opens a listing, starts the
// trial, buys 25 users through the sandbox checkout and gives the member a
// seat; the member opens the workbench, launches the app and lands signed
// in at the real examples/vendor, which shows the entitlement.
func TestBrowserCustomerBuysAndMemberLaunches(t *testing.T) {
	f, base := ssoFixture(t)
	rev := f.RevisionIn("listed")
	app, err := f.Store.App(context.Background(), rev.AppID)
	if err != nil {
		t.Fatal(err)
	}
	vendorURL := startSSOVendor(t, f, app, base)
	b := browsertest.New(t, 4*time.Minute)
	org := f.World.Customer.ID
	run := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(b, actions...); err != nil {
			browsertest.Screenshot(t, b, "failed-"+strings.ReplaceAll(what, " ", "-"))
			t.Fatalf("%s: %v", what, err)
		}
	}

	chromeSignIn(t, b, base, demo.CustomerEmail)
	run("open the listing", chromedp.Navigate(base+"/listings/"+rev.ListingID), chromedp.WaitVisible(chromedp.ID("shop-trial")))
	browsertest.Screenshot(t, b, "shop-listing-zh")
	run("start the trial", chromedp.Click(chromedp.ID("shop-trial")), chromedp.WaitVisible(chromedp.ID("shop-trial-used")))
	if got := chromeText(t, b, "#shop-status"); !strings.Contains(got, "试用中") {
		t.Errorf("status after the trial = %q", got)
	}
	browsertest.Screenshot(t, b, "shop-listing-trial-zh")

	run("preview 25 users", chromedp.Click(chromedp.ID("shop-buy")), chromedp.WaitVisible(chromedp.ID("buy-form")),
		chromedp.SetValue(chromedp.ID("buy-users"), "25"), chromedp.SetValue(chromedp.ID("buy-periods"), "1"),
		chromedp.Click(chromedp.ID("buy-preview")), chromedp.WaitVisible(chromedp.ID("confirm-form")))
	if got := chromeText(t, b, "#quote-total"); got != "¥225.00" {
		t.Errorf("preview total = %q, want ¥225.00", got)
	}
	browsertest.Screenshot(t, b, "shop-buy-preview-zh")
	run("confirm", chromedp.Click(chromedp.ID("buy-confirm")), chromedp.WaitVisible(chromedp.ID("order-pay")))
	browsertest.Screenshot(t, b, "order-zh")
	run("checkout", chromedp.Click(chromedp.ID("order-pay")), chromedp.WaitVisible(chromedp.ID("sandbox-pay")))
	if got := chromeText(t, b, ".sandbox-banner"); got != "沙箱支付 — 不会扣款" {
		t.Errorf("sandbox banner = %q", got)
	}
	browsertest.Screenshot(t, b, "sandbox-zh")
	run("pay", chromedp.Click(chromedp.ID("sandbox-pay")), chromedp.WaitVisible(chromedp.ID("order-receipt")))
	if got := chromeText(t, b, "#order-state"); got != "已支付" {
		t.Errorf("order state after paying = %q", got)
	}
	orderPath, err := chromedp.Run(b, chromedp.Evaluate[string](`location.pathname`))
	if err != nil {
		t.Fatal(err)
	}

	// Seats: the admin and the member, not everyone.
	admin, member := f.World.Users[demo.CustomerEmail].ID, f.World.Users[demo.MemberEmail].ID
	seats := fmt.Sprintf("/orgs/%s/subscriptions/%s/seats", org, rev.AppID)
	run("assign seats", chromedp.Navigate(base+seats), chromedp.WaitVisible(chromedp.ID("seats-form")),
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelectorAll('#seats-form input[type=checkbox]').forEach(c => c.checked = c.value === %q || c.value === %q)`, admin, member)),
		chromedp.Click(chromedp.ID("seats-save")), chromedp.WaitVisible(chromedp.CSS(".flash")))
	holders, err := f.Store.Seats(context.Background(), org, rev.AppID, shelf.PageReq{})
	if err != nil || len(holders) != 2 {
		t.Fatalf("seats after saving = %v, %v", holders, err)
	}
	run("the org's apps", chromedp.Navigate(base+"/orgs/"+org+"/subscriptions"), chromedp.WaitVisible(chromedp.ID("org-apps")))
	if got := chromeText(t, b, "#sub-"+rev.AppID+" .seat-count"); got != "2 / 25" {
		t.Errorf("seats used = %q, want 2 / 25", got)
	}

	// The main pages in both languages, on a desktop and on a 390 px phone.
	pages := map[string]string{
		"listing": "/listings/" + rev.ListingID, "buy": fmt.Sprintf("/orgs/%s/shop/%s/buy?type=UPGRADE&spec=std-month&users=30", org, rev.ListingID),
		"order": orderPath, "receipt": orderPath + "/receipt", "subscriptions": "/orgs/" + org + "/subscriptions",
		"orders": "/orgs/" + org + "/orders", "seats": seats,
	}
	shoot(t, b, base, pages)

	// The member launches the app from the workbench and lands signed in.
	run("sign out", chromedp.Navigate(base+"/"), chromedp.Click(chromedp.ID("signout")), chromedp.WaitVisible(chromedp.ID("nav-signin")))
	chromeSignIn(t, b, base, demo.MemberEmail)
	shoot(t, b, base, map[string]string{"workbench": "/workbench"})
	run("launch", chromedp.Navigate(base+"/workbench"), chromedp.Click(chromedp.ID("launch-"+rev.AppID)), chromedp.WaitVisible(chromedp.ID("oidc-continue")))
	if got := chromeText(t, b, "#oidc-app"); got != app.Name {
		t.Errorf("sign-in page names %q, want %q", got, app.Name)
	}
	browsertest.Screenshot(t, b, "oidc-signin-zh")
	run("continue", chromedp.Click(chromedp.ID("oidc-continue")))
	waitForOrigin(t, b, vendorURL)
	if body, _ := chromedp.Run(b, chromedp.Evaluate[string](`document.body.innerText`)); !strings.Contains(body, "entitlement") {
		t.Fatalf("the vendor's page:\n%s", body)
	}
	if got := chromeText(t, b, "h1"); !strings.Contains(got, "Welcome, 张成员") {
		t.Errorf("vendor heading = %q", got)
	}
	if got := chromeText(t, b, "#entitlement"); got != "valid std-month (25 users)" {
		t.Errorf("entitlement at the vendor = %q", got)
	}
	if got := chromeText(t, b, "#org"); got != org {
		t.Errorf("org at the vendor = %q", got)
	}
	browsertest.Screenshot(t, b, "vendor-signed-in")
}

// waitForOrigin waits for the redirects of a sign-in to land at origin.
func waitForOrigin(t *testing.T, b context.Context, origin string) {
	t.Helper()
	for i := 0; ; i++ {
		at, _ := chromedp.Run(b, chromedp.Evaluate[string](`location.origin + (document.readyState === "complete" ? "" : "…")`))
		if at == origin {
			return
		}
		if i == 100 {
			body, _ := chromedp.Run(b, chromedp.Evaluate[string](`location.href + "\n" + document.body.innerText`))
			t.Fatalf("did not land at %s:\n%s", origin, body)
		}
		time.Sleep(100 * time.Millisecond) // waiting for redirects, not for time to pass
	}
}

// shoot screenshots each page in Chinese and English on a desktop and a
// 390 px phone, where none may scroll sideways.
func shoot(t *testing.T, b context.Context, base string, pages map[string]string) {
	t.Helper()
	for name, path := range pages {
		for _, lang := range []string{"zh-CN", "en"} {
			for _, phone := range []bool{false, true} {
				width, height, suffix := int64(1280), int64(860), ""
				if phone {
					width, height, suffix = 390, 844, "-phone"
				}
				sep := "?"
				if strings.Contains(path, "?") {
					sep = "&"
				}
				if err := chromedp.Do(b, chromedp.EmulateViewport(width, height), chromedp.Navigate(base+path+sep+"lang="+lang), chromedp.WaitReady("main")); err != nil {
					t.Fatalf("%s: %v", path, err)
				}
				if phone {
					fits, err := chromedp.Run(b, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth + 1`))
					if err != nil || !fits {
						wide, _ := chromedp.Run(b, chromedp.Evaluate[string](widestElements))
						t.Errorf("%s (%s) scrolls sideways on a 390 px phone: %s", path, lang, wide)
					}
				}
				browsertest.Screenshot(t, b, "commerce-"+name+"-"+strings.ToLower(lang)+suffix)
			}
		}
	}
	if err := chromedp.Do(b, chromedp.EmulateViewport(1280, 860)); err != nil {
		t.Fatal(err)
	}
}
