package web

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/shelfhq/shelf/internal/browsertest"
	"github.com/shelfhq/shelf/internal/demo"
)

// TestBrowserConsoles looks at the demo's consoles as their users do: the
// partner console lists every app with its state; the platform admin's
// queue shows the operators' load as a chart, and the audit log the demo's
// decisions; the English storefront shows the demo market.
func TestBrowserConsoles(t *testing.T) {
	f := newFixture(t)
	b := browsertest.New(t, 90*time.Second)
	base := f.srv.URL
	chromeSignIn(t, b, base, demo.PartnerEmail)
	if err := chromedp.Do(b, chromedp.Navigate(base+"/orgs/"+f.world.Partner1.ID+"/console"), chromedp.WaitVisible(chromedp.ID("apps"))); err != nil {
		t.Fatal(err)
	}
	apps := chromeText(t, b, "#apps tbody")
	for _, want := range []string{"已上架", "审核中", "已驳回", "酷应用"} {
		if !strings.Contains(apps, want) {
			t.Errorf("the console's app list lacks the state %q:\n%s", want, apps)
		}
	}
	browsertest.Screenshot(t, b, "partner-console")

	if err := chromedp.Do(b, chromedp.Click(chromedp.ID("signout")), chromedp.WaitVisible(chromedp.ID("nav-signin"))); err != nil {
		t.Fatal(err)
	}
	chromeSignIn(t, b, base, demo.AdminEmail)
	if err := chromedp.Do(b, chromedp.Navigate(base+"/review"), chromedp.WaitVisible(chromedp.ID("operator-load"))); err != nil {
		t.Fatal(err)
	}
	if got := chromeText(t, b, "#operator-load"); !strings.Contains(got, "周运营") || !strings.Contains(got, "吴运营") {
		t.Errorf("operator load = %q", got)
	}
	browsertest.Screenshot(t, b, "review-queue")
	if err := chromedp.Do(b, chromedp.Navigate(base+"/admin/audit?q=revision.reject"), chromedp.WaitVisible(chromedp.ID("audit"))); err != nil {
		t.Fatal(err)
	}
	if got := chromeText(t, b, "#audit tbody"); !strings.Contains(got, "revision.reject") {
		t.Errorf("audit search = %q", got)
	}
	if err := chromedp.Do(b, chromedp.Navigate(base+"/lang?to=en&back=/"), chromedp.WaitVisible(chromedp.CSS(`html[lang="en"] #market`))); err != nil {
		t.Fatal(err)
	}
	if got := chromeText(t, b, "#market"); !strings.Contains(got, "From ¥") {
		t.Errorf("English storefront = %q", got)
	}
	browsertest.Screenshot(t, b, "storefront-en")
}
