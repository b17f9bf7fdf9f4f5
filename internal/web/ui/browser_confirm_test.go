package ui_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/shelfhq/shelf/internal/browsertest"
	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/web/webtest"
)

// TestBrowserConfirmSteps revokes a personal token as a person does: the
// first click only opens a step that says what will happen; the token goes
// on the second. The account page names this browser's device. Screenshots
// of the open step in both languages (confirm-*.png) are kept to look at.
func TestBrowserConfirmSteps(t *testing.T) {
	f := webtest.New(t)
	b := browsertest.New(t, 2*time.Minute)
	base := f.Srv.URL
	chromeSignIn(t, b, base, demo.PartnerEmail)
	chromeDo(t, b, chromedp.Navigate(base+"/account"), chromedp.WaitVisible(chromedp.ID("sessions")))
	if got := chromeText(t, b, "#sessions tbody"); !strings.Contains(got, "Chrome · Linux") || !strings.Contains(got, "本设备") || !strings.Contains(got, "127.0.0.*") {
		t.Errorf("the session list does not name this device:\n%s", got)
	}
	chromeDo(t, b, chromedp.SetValue(chromedp.CSS(`form[action="/account/tokens"] input[name="name"]`), "deploy bot"),
		chromedp.Click(chromedp.CSS(`form[action="/account/tokens"] button`)), chromedp.WaitVisible(chromedp.ID("new-token")))
	// The demo partner has a token already: act on the new one's row.
	row, err := chromedp.Run(b, chromedp.Evaluate[int](`[...document.querySelectorAll("#tokens tbody tr")].findIndex(tr => tr.textContent.includes("deploy bot")) + 1`))
	if err != nil || row < 1 {
		t.Fatalf("the new token is not listed (%v)", err)
	}
	step := fmt.Sprintf("#tokens tbody tr:nth-child(%d) details.confirm", row)
	revoke := step + ` form[action$="/revoke"] button`
	if visible, err := chromedp.Run(b, chromedp.Evaluate[bool](`document.querySelector('`+revoke+`').checkVisibility()`)); err != nil || visible {
		t.Fatalf("the revoke button shows before its step is opened (%v)", err)
	}
	for _, lang := range []string{"zh-CN", "en"} {
		chromeDo(t, b, chromedp.Navigate(base+"/lang?to="+lang+"&back=/account"), chromedp.WaitVisible(chromedp.ID("tokens")),
			chromedp.Click(chromedp.CSS(step+" > summary")), chromedp.WaitVisible(chromedp.CSS(revoke)))
		want := map[string]string{"zh-CN": "此操作不可撤销", "en": "this cannot be undone"}[lang]
		if got := chromeText(t, b, step); !strings.Contains(got, want) {
			t.Errorf("%s: the step does not say what happens: %q", lang, got)
		}
		browsertest.Screenshot(t, b, "confirm-revoke-"+lang)
	}
	chromeDo(t, b, chromedp.Click(chromedp.CSS(revoke)), chromedp.WaitVisible(chromedp.ID("sessions")))
	for range 3 { // the poll may start on the page being left
		if _, err = chromedp.Run(b, chromedp.Poll[bool](`!document.querySelector("main").textContent.includes("deploy bot")`)); err == nil {
			break
		}
	}
	if err != nil {
		t.Errorf("the revoked token is still listed: %v", err)
	}
}
