package ui_test

import (
	"context"
	"fmt"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/shelfhq/shelf/internal/browsertest"
	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/events"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store"
	"github.com/shelfhq/shelf/internal/store/storetest"
	"github.com/shelfhq/shelf/internal/web/webtest"
)

// coolVendor registers a cool app of partner org 2 served by the real
// examples/vendor (webhooks, launch, OpenID sign-in, and cards posted back
// with SHELF_URL), starts it and returns the app and the vendor's address.
func coolVendor(t *testing.T, f *webtest.Fixture, base string) (*shelf.App, string) {
	t.Helper()
	ctx := context.Background()
	addr := freeAddr(t)
	vendorURL := "http://" + addr
	partner := f.World.Users[demo.Partner2Email].ID
	app, creds, err := f.Store.CreateApp(ctx, store.NewApp{OrgID: f.World.Partner2.ID, CreatorID: partner, Name: "GroupPoll", Kind: shelf.AppCool,
		HomepageURL: vendorURL + "/", LaunchURL: vendorURL + "/", WebhookURL: vendorURL + "/shelf/events"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Store.SetAppOIDC(ctx, app.ID, []string{vendorURL + "/callback"}, vendorURL+"/initiate", partner); err != nil {
		t.Fatal(err)
	}
	launchVendor(t, addr, "SHELF_ISSUER="+base, "SHELF_URL="+base, "SHELF_CLIENT_ID="+app.ClientID,
		"SHELF_CLIENT_SECRET="+creds.ClientSecret, "SHELF_WEBHOOK_SECRET="+creds.WebhookSecret)
	// The group self-test the application needs, as of the app's URLs now.
	now := f.Clock.Now()
	if err := f.Store.RecordSelfTest(ctx, &shelf.SelfTest{AppID: app.ID, TestOrgID: f.World.TestOrg2.ID, StartedBy: partner, ConfigHash: app.ConfigHash(),
		Passed: true, Checks: []shelf.SelfTestCheck{{Name: shelf.SelfTestGroupInstall, Passed: true}}, StartedAt: now, FinishedAt: now}); err != nil {
		t.Fatal(err)
	}
	return app, vendorURL
}

// coolFillForm fills the cool-app application form (all but the icon).
const coolFillForm = `(() => {
  const f = document.getElementById('coolapp-form');
  const set = (n, v) => { f.elements[n].value = v; };
  set('name', '群投票'); set('name_en', 'GroupPoll');
  set('subtitle', '在群里一键发起投票，结果实时统计'); set('subtitle_en', 'Polls in one tap inside the group');
  set('description', '群投票让部门群、项目群里的决定不再拖：一键发起投票，成员在群里直接选，结果实时统计，截止后自动公布。GroupPoll lets a group decide in minutes: start a poll in the chat, members vote in place, results are counted live and announced when it closes.');
  f.elements['category_id'].selectedIndex = 1;
  set('scenarios', '部门群里投票选团建地点\n项目群里确认上线时间');
  f.elements['entry_toolbar_on'].checked = true; set('entry_toolbar', '发起投票');
  f.elements['entry_card_on'].checked = true; set('entry_card', '投票卡片');
  f.elements['perm_group.cards.write_on'].checked = true; set('perm_group.cards.write', '把投票和结果发到群里');
  f.elements['perm_group.members.read_on'].checked = true; set('perm_group.members.read', '统计谁还没有投票');
  set('support_contact', 'support@poll.example.com'); set('privacy_url', 'https://poll.example.com/privacy');
})()`

// TestBrowserCoolApps is the whole scenario in headless Chromium:
// a partner applies to the partner program and a platform admin approves;
// the partner files the cool-app listing application; an operator
// approves it; the app appears in the cool app market; a customer's group
// owner adds it to a group on a 390 px phone; the real examples/vendor
// hears cool_app.installed and posts a card; a group member sees the card
// and opens the app signed in.
func TestBrowserCoolApps(t *testing.T) {
	f, base := ssoFixture(t)
	app, vendorURL := coolVendor(t, f, base)
	b := browsertest.New(t, 4*time.Minute)
	run := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(b, actions...); err != nil {
			browsertest.Screenshot(t, b, "cool-failed-"+strings.ReplaceAll(what, " ", "-"))
			t.Fatalf("%s: %v", what, err)
		}
	}
	signOut := func() {
		t.Helper()
		run("sign out", chromedp.EmulateViewport(1280, 860), chromedp.Navigate(base+"/"), chromedp.Click(chromedp.ID("signout")), chromedp.WaitVisible(chromedp.ID("nav-signin")))
	}
	p2, g := f.World.Partner2.ID, f.World.Groups[0]

	// 1. The partner applies to the partner program; a platform admin approves.
	chromeSignIn(t, b, base, demo.Partner2Email)
	run("apply to the program", chromedp.Navigate(base+"/orgs/"+p2+"/partner-program"), chromedp.WaitVisible(chromedp.ID("partner-form")),
		chromedp.SetValue(chromedp.CSS("[name=registration_no]"), "91330100MA2KXXXX1X"), chromedp.SetValue(chromedp.CSS("[name=contact]"), "王经理 138-0000-0000"),
		chromedp.SetValue(chromedp.CSS("[name=website]"), "https://evergreen.example.com"), chromedp.SetValue(chromedp.CSS("[name=builds]"), "群协作应用"),
		chromedp.Click(chromedp.ID("partner-apply")), chromedp.WaitVisible(chromedp.CSS(".flash")))
	if got := chromeText(t, b, "#standing"); got != "审核中" {
		t.Errorf("standing after applying = %q", got)
	}
	browsertest.Screenshot(t, b, "cool-partner-pending-zh")
	signOut()
	chromeSignIn(t, b, base, demo.AdminEmail)
	run("approve the partner", chromedp.Navigate(base+"/admin/partner-program"), chromedp.WaitVisible(chromedp.ID("partner-queue")))
	browsertest.Screenshot(t, b, "cool-partner-queue-zh")
	// The demo's own application (Aurora's) waits too: approve Evergreen's.
	st, err := f.Store.PartnerStatus(context.Background(), p2)
	if err != nil || st.Latest == nil {
		t.Fatalf("Evergreen's standing = %+v, %v", st, err)
	}
	// The members table is there already (Skylark): wait for the decision to land.
	run("approve", chromedp.Click(chromedp.CSS("#pap-"+st.Latest.ID+" button.approve")), chromedp.WaitNotPresent(chromedp.ID("pap-"+st.Latest.ID)))
	signOut()

	// 2. The partner files the cool-app listing application.
	icon := filepath.Join(t.TempDir(), "icon.png")
	if err := os.WriteFile(icon, storetest.PNG(t, 256, 256, color.RGBA{20, 160, 120, 255}), 0o600); err != nil {
		t.Fatal(err)
	}
	chromeSignIn(t, b, base, demo.Partner2Email)
	run("the program badge", chromedp.Navigate(base+"/orgs/"+p2+"/partner-program"), chromedp.WaitVisible(chromedp.ID("partner-badge")))
	run("fill the application", chromedp.Navigate(base+"/apps/"+app.ID+"/coolapp"), chromedp.WaitVisible(chromedp.ID("coolapp-form")),
		chromedp.Evaluate[chromedp.Void](coolFillForm), chromedp.SetUploadFiles(chromedp.ID("icon-file"), []string{icon}))
	browsertest.Screenshot(t, b, "cool-apply-form-zh")
	run("submit", chromedp.Click(chromedp.ID("coolapp-submit")), chromedp.WaitVisible(chromedp.CSS("#coolapp-state, #form-error")))
	if got, _ := chromedp.Run(b, chromedp.Evaluate[string](`(document.getElementById('coolapp-state') || {}).innerText || ''`)); got != "审核中" {
		body, _ := chromedp.Run(b, chromedp.Evaluate[string](`document.querySelector('main').innerText`))
		t.Fatalf("application state = %q:\n%s", got, body)
	}
	signOut()

	// 3. A platform operator approves it from the queue.
	// The demo's 群接龙 waits in the queue too: review this app's.
	filed, err := f.Store.AppCoolApplications(context.Background(), app.ID, "", 10)
	if err != nil || len(filed) != 1 || filed[0].State != shelf.CoolSubmitted {
		t.Fatalf("applications = %+v, %v", filed, err)
	}
	chromeSignIn(t, b, base, demo.AdminEmail)
	run("the queue", chromedp.Navigate(base+"/admin/coolapps"), chromedp.Click(chromedp.ID("review-"+filed[0].ID)), chromedp.WaitVisible(chromedp.ID("coolapp-decision")))
	browsertest.Screenshot(t, b, "cool-review-zh")
	run("approve the application", chromedp.Click(chromedp.ID("coolapp-approve")), chromedp.WaitVisible(chromedp.ID("coolapp-queue")))
	if n, _ := chromedp.Run(b, chromedp.Evaluate[int](`document.querySelectorAll('#review-`+filed[0].ID+`').length`)); n != 0 {
		t.Errorf("the approved application is still in the queue")
	}
	signOut()

	// 4. The app is in the cool app market; a group owner adds it to a group on a phone.
	chromeSignIn(t, b, base, demo.CustomerEmail)
	run("the cool app market", chromedp.EmulateViewport(390, 844), chromedp.Navigate(base+"/cool"), chromedp.WaitVisible(chromedp.ID("cool-"+app.ID)))
	coolFits(t, b, "/cool")
	browsertest.Screenshot(t, b, "cool-market-zh-phone")
	run("the app's page", chromedp.Click(chromedp.ID("cool-"+app.ID)), chromedp.WaitVisible(chromedp.ID("cool-permissions")))
	coolFits(t, b, "/cool/apps/"+app.ID)
	browsertest.Screenshot(t, b, "cool-app-zh-phone")
	run("add it to the group", chromedp.Click(chromedp.ID("target-"+g.ID)), chromedp.Click(chromedp.ID("install-submit")), chromedp.WaitVisible(chromedp.ID("gapp-"+app.ID)))
	browsertest.Screenshot(t, b, "cool-group-installed-zh-phone")

	// 5. Shelf tells the vendor; examples/vendor posts a card with its org token.
	d := events.New(f.Store, events.Options{Clock: f.Clock, Guard: events.Guard{AllowPrivate: true}})
	var cards []shelf.GroupCard
	for i := 0; len(cards) == 0; i++ {
		if _, err := d.RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		if cards, err = f.Store.GroupCards(context.Background(), g.ID, "", 10); err != nil {
			t.Fatal(err)
		}
		if i == 50 {
			t.Fatal("examples/vendor posted no card")
		}
		if len(cards) == 0 {
			time.Sleep(100 * time.Millisecond) // waiting for the vendor's answer to land, not for time to pass
		}
	}
	signOut()

	// 6. A member of the group sees the card and opens the app signed in.
	chromeSignIn(t, b, base, demo.MemberEmail)
	run("the group page", chromedp.EmulateViewport(390, 844), chromedp.Navigate(fmt.Sprintf("%s/orgs/%s/groups/%s", base, g.OrgID, g.ID)),
		chromedp.WaitVisible(chromedp.ID("card-"+cards[0].ID)))
	coolFits(t, b, "the group page")
	if got := chromeText(t, b, "#card-"+cards[0].ID+" .card-title"); got != "欢迎使用 · Welcome" {
		t.Errorf("card title = %q", got)
	}
	browsertest.Screenshot(t, b, "cool-group-card-zh-phone")
	run("open from the card", chromedp.Click(chromedp.CSS("#card-"+cards[0].ID+" .card-button")), chromedp.WaitVisible(chromedp.ID("oidc-continue")))
	run("continue", chromedp.Click(chromedp.ID("oidc-continue")))
	waitForOrigin(t, b, vendorURL)
	if got := chromeText(t, b, "h1"); !strings.Contains(got, "张成员") {
		t.Errorf("vendor heading = %q", got)
	}
	if got := chromeText(t, b, "#org"); got != g.OrgID {
		t.Errorf("org at the vendor = %q, want %s", got, g.OrgID)
	}
	browsertest.Screenshot(t, b, "cool-vendor-signed-in")
	// The pages in English too.
	run("english", chromedp.EmulateViewport(390, 844), chromedp.Navigate(fmt.Sprintf("%s/orgs/%s/groups/%s?lang=en", base, g.OrgID, g.ID)), chromedp.WaitVisible(chromedp.ID("group-cards")))
	browsertest.Screenshot(t, b, "cool-group-card-en-phone")
}

// coolFits fails when the page scrolls sideways on the phone.
func coolFits(t *testing.T, b context.Context, what string) {
	t.Helper()
	fits, err := chromedp.Run(b, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth + 1`))
	if err != nil || !fits {
		wide, _ := chromedp.Run(b, chromedp.Evaluate[string](widestElements))
		t.Errorf("%s scrolls sideways on a 390 px phone: %s", what, wide)
	}
}
