package ui_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/shelfhq/shelf/internal/browsertest"
	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/web/webtest"
)

// TestBrowserSignInLanguageMembers drives real headless Chromium: sign in
// as the customer admin, switch the language to English and back, open the
// org through the switcher and see its members.
func TestBrowserSignInLanguageMembers(t *testing.T) {
	f := webtest.New(t)
	ctx := browsertest.New(t, 60*time.Second)
	err := chromedp.Do(ctx,
		chromedp.Navigate(f.Srv.URL+"/"),
		chromedp.WaitVisible(chromedp.ID("categories")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := chromeText(t, ctx, "#categories"); !strings.Contains(got, "人事管理") {
		t.Fatalf("home categories = %q, want Chinese names", got)
	}
	browsertest.Screenshot(t, ctx, "home-zh")

	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.ID("nav-signin")),
		chromedp.WaitVisible(chromedp.ID("signin-form")),
		chromedp.SendKeys(chromedp.ID("email"), demo.CustomerEmail),
		chromedp.SendKeys(chromedp.ID("password"), demo.Password),
		chromedp.Click(chromedp.ID("signin-submit")),
		chromedp.WaitVisible(chromedp.ID("org-list")),
	)
	if err != nil {
		t.Fatalf("sign in: %v", err)
	}
	if got := chromeText(t, ctx, "#org-list"); !strings.Contains(got, "星河贸易") {
		t.Fatalf("org list = %q", got)
	}

	// Switch to English: the same page comes back in English.
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.ID("lang-switch")),
		chromedp.WaitVisible(chromedp.CSS(`html[lang="en"] #org-list`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := chromeText(t, ctx, "h1"); got != "My organizations" {
		t.Fatalf("heading after switching = %q", got)
	}

	// The org switcher opens the customer org: SetValue fires "change",
	// on which the page's script submits the switcher.
	err = chromedp.Do(ctx,
		chromedp.SetValue(chromedp.ID("org-switch"), f.World.Customer.ID),
		chromedp.WaitVisible(chromedp.ID("members")),
	)
	if err != nil {
		t.Fatalf("switch org: %v", err)
	}
	members := chromeText(t, ctx, "#members")
	for _, want := range []string{demo.MemberEmail, demo.CustomerEmail, "Admin", "Member"} {
		if !strings.Contains(members, want) {
			t.Errorf("members table lacks %q:\n%s", want, members)
		}
	}
	browsertest.Screenshot(t, ctx, "org-members-en")

	// Back to Chinese.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("lang-switch")), chromedp.WaitVisible(chromedp.CSS(`html[lang="zh-CN"] #members`))); err != nil {
		t.Fatal(err)
	}
	if got := chromeText(t, ctx, "#members thead"); !strings.Contains(got, "邮箱") {
		t.Fatalf("members header after switching back = %q", got)
	}
	browsertest.Screenshot(t, ctx, "org-members-zh")

	// On a phone the same page still shows the members without sideways
	// scrolling.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844), chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("members"))); err != nil {
		t.Fatal(err)
	}
	scroll, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth + 1`))
	if err != nil || !scroll {
		t.Errorf("the members page scrolls sideways on a 390 px phone (%v)", err)
	}
	browsertest.Screenshot(t, ctx, "org-members-phone")
}

// chromeText returns the text of the first element matching sel.
func chromeText(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// chromeSignIn signs in through the sign-in page and waits for the org list.
func chromeSignIn(t *testing.T, ctx context.Context, base, email string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/signin"), chromedp.SetValue(chromedp.ID("email"), email),
		chromedp.SetValue(chromedp.ID("password"), demo.Password), chromedp.Click(chromedp.ID("signin-submit")),
		chromedp.WaitVisible(chromedp.ID("org-list"))); err != nil {
		t.Fatalf("sign in as %s: %v", email, err)
	}
}
