package ui_test

import (
	"context"
	"image/color"
	"net"
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
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store/storetest"
	"github.com/shelfhq/shelf/internal/web/webtest"
)

// startVendor builds and starts examples/vendor, the reference vendor
// server, with the app's webhook secret; it listens on addr. It returns
// the file its output (a line per event received) goes to.
func startVendor(t *testing.T, addr, secret string) string {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "vendor")
	build := exec.Command("go", "build", "-o", bin, "github.com/shelfhq/shelf/examples/vendor")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build examples/vendor: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "-addr", addr)
	cmd.Env = append(os.Environ(), "SHELF_WEBHOOK_SECRET="+secret)
	logf, err := os.Create(filepath.Join(dir, "vendor.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	deadline := time.Now().Add(10 * time.Second)
	for {
		res, err := http.Get("http://" + addr + "/")
		if err == nil {
			res.Body.Close()
			return logf.Name()
		}
		if time.Now().After(deadline) {
			t.Fatalf("examples/vendor did not start: %v", err)
		}
		time.Sleep(50 * time.Millisecond) // waiting for a process to listen, not for time to pass
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestBrowserListingWorkflow is the seed's whole listing flow in headless
// Chromium: a partner installs the partner console, creates a test org,
// registers an app, self-tests it against examples/vendor, writes a
// listing with two specs and an icon, submits it; the category's operator
// sees the diff and approves; the listing appears on the storefront.
func TestBrowserListingWorkflow(t *testing.T) {
	f := webtest.NewWith(t, storetest.SQLite, webtest.LoopbackWebhooks)
	ctx := context.Background()
	ins, _ := f.Store.Installations(ctx, f.World.Partner2.ID, shelf.PageReq{})
	if err := f.Store.Uninstall(ctx, ins[0].ID, f.World.Users[demo.Partner2Email].ID); err != nil {
		t.Fatal(err)
	}
	icon := filepath.Join(t.TempDir(), "icon.png")
	if err := os.WriteFile(icon, storetest.PNG(t, 256, 256, color.RGBA{22, 160, 90, 255}), 0o644); err != nil {
		t.Fatal(err)
	}
	b := browsertest.New(t, 120*time.Second)
	base := f.Srv.URL
	run := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(b, steps...); err != nil {
			browsertest.Screenshot(t, b, "failed-"+strings.ReplaceAll(what, " ", "-"))
			t.Fatalf("%s: %v", what, err)
		}
	}
	p2 := f.World.Partner2.ID
	chromeSignIn(t, b, base, demo.Partner2Email)
	run("install the console",
		chromedp.Navigate(base+"/orgs/"+p2+"/console"),
		chromedp.WaitVisible(chromedp.ID("console-not-installed")),
		chromedp.Click(chromedp.ID("install-console")),
		chromedp.WaitVisible(chromedp.ID("register-app")))
	run("create a test org",
		chromedp.Navigate(base+"/orgs/"+p2+"/test-orgs"),
		chromedp.SetValue(chromedp.CSS(`form[action$="/test-orgs"] input[name=name]`), "青松体验测试组织"),
		chromedp.Submit(chromedp.CSS(`form[action$="/test-orgs"]`)),
		chromedp.WaitVisible(chromedp.ID("test-orgs")))

	vendorAddr := freeAddr(t)
	vendorURL := "http://" + vendorAddr
	run("register an app",
		chromedp.Navigate(base+"/orgs/"+p2+"/console"),
		chromedp.SetValue(chromedp.ID("app-name"), "青松报销"),
		chromedp.SetValue(chromedp.ID("app-homepage"), vendorURL+"/"),
		chromedp.SetValue(chromedp.ID("app-launch"), vendorURL+"/"),
		chromedp.SetValue(chromedp.ID("app-webhook"), vendorURL+"/shelf/events"),
		chromedp.Click(chromedp.ID("register-submit")),
		chromedp.WaitVisible(chromedp.ID("new-app-secrets")))
	appID, secret := chromeText(t, b, "#new-app-id"), chromeText(t, b, "#new-webhook-secret")
	startVendor(t, vendorAddr, secret)

	run("self-test",
		chromedp.Navigate(base+"/apps/"+appID),
		chromedp.Click(chromedp.ID("run-self-test")),
		chromedp.WaitVisible(chromedp.ID("selftest-summary")))
	if got := chromeText(t, b, "#selftest-summary"); !strings.Contains(got, "自测通过") {
		browsertest.Screenshot(t, b, "self-test-failed")
		t.Fatalf("self-test summary = %q", got)
	}
	browsertest.Screenshot(t, b, "app-self-test")

	leaf := f.World.Categories["Expenses"].ID
	row := func(n int, field string) chromedp.CSS {
		return chromedp.CSS(`#specs tbody tr:nth-child(` + string(rune('0'+n)) + `) [name=` + field + `]`)
	}
	run("write the listing",
		chromedp.Click(chromedp.ID("edit-listing")),
		chromedp.WaitVisible(chromedp.ID("listing-editor")),
		chromedp.SetValue(chromedp.ID("f-name"), "青松报销"),
		chromedp.SetValue(chromedp.ID("f-name_en"), "Evergreen Expenses"),
		chromedp.SetValue(chromedp.ID("f-subtitle"), "拍票报销，自动对账"),
		chromedp.SetValue(chromedp.ID("f-subtitle_en"), "Snap receipts, reconcile automatically"),
		chromedp.SetValue(chromedp.ID("f-description"), "## 青松报销\n\n员工拍照上传发票，系统自动识别金额并生成报销单，财务一键对账。\n\nEvergreen Expenses turns receipt photos into expense claims and reconciles them for finance."),
		chromedp.SetValue(chromedp.ID("f-category_id"), leaf),
		chromedp.SetValue(chromedp.ID("f-tags"), "报销, 发票, expenses"),
		chromedp.SetValue(chromedp.ID("f-support_contact"), "help@evergreen.example.com"),
		chromedp.SetValue(chromedp.ID("f-privacy_url"), "https://evergreen.example.com/privacy"),
		chromedp.SetValue(row(1, "spec_code"), "std-month"),
		chromedp.SetValue(row(1, "spec_name"), "标准版 月付"),
		chromedp.SetValue(row(1, "spec_min"), "1"),
		chromedp.SetValue(row(1, "spec_max"), "100"),
		chromedp.SetValue(row(1, "spec_price"), "6.90"),
		chromedp.Click(chromedp.ID("add-spec")),
		chromedp.SetValue(row(2, "spec_code"), "std-year"),
		chromedp.SetValue(row(2, "spec_name"), "标准版 年付"),
		chromedp.SetValue(row(2, "spec_min"), "1"),
		chromedp.SetValue(row(2, "spec_max"), "100"),
		chromedp.SetValue(row(2, "spec_period"), "year"),
		chromedp.SetValue(row(2, "spec_price"), "69"),
		chromedp.SetValue(chromedp.ID("f-trial_days"), "14"),
		chromedp.SetValue(chromedp.ID("f-trial_max_users"), "20"),
		chromedp.SetValue(chromedp.ID("f-activation_order"), "trial_then_paid"),
		chromedp.Click(chromedp.ID("f-mode-market")))
	// Live validation: a wrong value gets its message while typing.
	run("live validation",
		chromedp.SetValue(chromedp.ID("f-trial_days"), "200"),
		chromedp.WaitVisible(chromedp.CSS("#f-trial_days + .live-error")))
	if got := chromeText(t, b, "#f-trial_days + .live-error"); !strings.Contains(got, "90") {
		t.Fatalf("live message for 200 trial days = %q", got)
	}
	run("fix and save",
		chromedp.SetValue(chromedp.ID("f-trial_days"), "14"),
		chromedp.WaitNotPresent(chromedp.CSS("#f-trial_days + .live-error")),
		chromedp.SetUploadFiles(chromedp.ID("f-icon"), []string{icon}),
		chromedp.Click(chromedp.ID("save-revision")),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
		chromedp.WaitVisible(chromedp.CSS("img.thumb.icon")))
	browsertest.Screenshot(t, b, "listing-editor")
	run("submit",
		chromedp.Click(chromedp.ID("submit-revision")),
		chromedp.WaitVisible(chromedp.ID("withdraw")))
	if got := chromeText(t, b, "h1"); !strings.Contains(got, "审核中") {
		t.Fatalf("after submitting, the heading says %q", got)
	}

	run("sign out", chromedp.Click(chromedp.ID("signout")), chromedp.WaitVisible(chromedp.ID("nav-signin")))
	chromeSignIn(t, b, base, demo.Operator2Email) // 财务 is operator2's
	run("open the queue",
		chromedp.Navigate(base+"/review"),
		chromedp.WaitVisible(chromedp.ID("queue")),
		chromedp.Click(chromedp.Search(`//table[@id="queue"]//a[contains(., "青松报销")]`)),
		chromedp.WaitVisible(chromedp.ID("diff")))
	if got := chromeText(t, b, "#diff"); !strings.Contains(got, "Evergreen Expenses") || !strings.Contains(got, "std-year") {
		t.Fatalf("diff = %q", got)
	}
	browsertest.Screenshot(t, b, "review-diff")
	run("approve", chromedp.Click(chromedp.ID("approve")), chromedp.WaitVisible(chromedp.CSS(".flash")))

	run("storefront", chromedp.Navigate(base+"/?category="+f.World.Categories["Finance"].ID), chromedp.WaitVisible(chromedp.ID("market")))
	if got := chromeText(t, b, "#market"); !strings.Contains(got, "青松报销") || !strings.Contains(got, "6.90") {
		t.Fatalf("storefront = %q", got)
	}
	browsertest.Screenshot(t, b, "storefront")
}
