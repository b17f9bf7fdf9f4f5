package ui_test

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/shelfhq/shelf/internal/browsertest"
	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/shelf"
)

// TestBrowserCoolLiveCheck: the cool-app application form checks itself
// as the partner types, as the listing editor does: with the scenarios
// left empty, typing anywhere shows the scenarios problem in the form's
// findings, in the reader's language; typing a scenario makes it go.
func TestBrowserCoolLiveCheck(t *testing.T) {
	f, base := servedFixture(t, nil)
	app, _ := f.PartnerApp(shelf.AppCool)
	b := browsertest.New(t, 2*time.Minute)
	run := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(b, actions...); err != nil {
			browsertest.Screenshot(t, b, "cool-live-failed")
			t.Fatalf("%s: %v", what, err)
		}
	}
	chromeSignIn(t, b, base, demo.PartnerEmail)
	problem := chromedp.CSS(`#findings li[data-field="scenarios"]`)
	run("the form", chromedp.EmulateViewport(390, 844), chromedp.Navigate(base+"/apps/"+app.ID+"/coolapp"), chromedp.WaitVisible(chromedp.ID("findings-live")),
		chromedp.Evaluate[chromedp.Void](coolFillForm+`; document.getElementById('scenarios').value = ''`))
	run("type elsewhere", chromedp.SendKeys(chromedp.CSS("[name=subtitle_en]"), ", for every team"), chromedp.WaitVisible(problem))
	if got := chromeText(t, b, `#findings li[data-field="scenarios"] strong`); got != "群场景" {
		t.Errorf("the problem is labelled %q", got)
	}
	browsertest.Screenshot(t, b, "cool-live-problem-zh-phone")
	run("type a scenario", chromedp.SendKeys(chromedp.ID("scenarios"), "Vote on the team outing in the department group"), chromedp.WaitNotPresent(problem))
	browsertest.Screenshot(t, b, "cool-live-fixed-zh-phone")
}
