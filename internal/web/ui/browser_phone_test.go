package ui_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/shelfhq/shelf/internal/browsertest"
	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/webtest"
)

// TestBrowserPhone opens the main pages of each kind of user on a 390 px
// phone, in Chinese and in English: none may scroll sideways. A page that
// does is kept as a screenshot (phone-*.png in the test artifacts) to see
// why. Each page also passes the quality gates (browser_quality_test.go):
// accessibility and language. Each user's main pages are then checked for
// accessibility once more at a 1366 px desktop, in the language the walk
// ended in (English): the layout differs by width (tables show every
// column, the nav is a row), the words do not. Only the main pages, in one
// language, keep the walk's time (long under -race in CI) from doubling.
func TestBrowserPhone(t *testing.T) {
	f := webtest.New(t)
	submitted := f.RevisionIn("submitted")
	draft := f.RevisionIn("draft")
	order := f.FreshOrder(false)
	ctx := context.Background()
	paid := f.FreshOrder(true)
	ticket, err := f.Store.OpenTicket(ctx, shelf.NewTicket{OrgID: paid.OrgID, AppID: paid.AppID, ByUserID: f.World.Users[demo.CustomerEmail].ID,
		Subject: "导出报表时很慢", Text: "每次导出都要等一分钟。"})
	if err != nil {
		t.Fatal(err)
	}
	lead, err := f.Store.CreateContactRequest(ctx, shelf.NewContactRequest{ListingID: f.RevisionIn("listed").ListingID,
		OrgID: f.World.Customer.ID, ByUserID: f.World.Users[demo.CustomerEmail].ID, Consent: true})
	if err != nil {
		t.Fatal(err)
	}
	group := f.World.Groups[0]           // the customer's
	hooked := f.World.Apps["larkattend"] // an events page with a delivery log
	seedDeliveryHistory(t, f, hooked.ID)
	b := browsertest.New(t, 5*time.Minute)
	q := newQuality(t)
	base := f.Srv.URL
	if err := chromedp.Do(b, chromedp.EmulateViewport(390, 844)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(b, chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.ID("market"))); err != nil {
		t.Fatal(err)
	}
	listing, err := chromedp.Run(b, chromedp.Evaluate[string](`document.querySelector('#market a[href^="/listings/"]').getAttribute("href")`))
	if err != nil || !strings.HasPrefix(listing, "/listings/") {
		t.Fatalf("no listing on the storefront: %q, %v", listing, err)
	}
	p1, customer := f.World.Partner1.ID, f.World.Customer.ID
	if lead.PartnerID != p1 {
		t.Fatalf("the lead is %s's, not partner 1's", lead.PartnerID)
	}
	for _, step := range []struct {
		who     string   // "" for anonymous
		paths   []string // at 390 px in both languages
		desktop []string // the main ones of paths, again at 1366 px for axe
	}{
		{"", []string{"/", "/?q=考勤", listing, "/signin", "/signup", "/cool"}, []string{"/", listing, "/signin"}},
		{demo.PartnerEmail, []string{"/orgs", "/orgs/" + p1 + "/console", "/orgs/" + p1 + "/test-orgs", "/apps/" + submitted.AppID,
			"/apps/" + hooked.ID + "/events", "/revisions/" + draft.ID + "/edit", "/account", "/device",
			"/apps/" + order.AppID + "/sales", "/apps/" + order.AppID + "/sso",
			"/orgs/" + p1 + "/leads", "/orgs/" + p1 + "/leads/" + lead.ID, "/orgs/" + p1 + "/tickets", "/tickets/" + ticket.ID},
			[]string{"/orgs/" + p1 + "/console", "/apps/" + hooked.ID + "/events", "/revisions/" + draft.ID + "/edit", "/account",
				"/orgs/" + p1 + "/leads/" + lead.ID, "/tickets/" + ticket.ID}},
		{demo.CustomerEmail, []string{"/orgs/" + customer, "/orgs/" + customer + "/groups", "/orgs/" + group.OrgID + "/groups/" + group.ID,
			"/orgs/" + customer + "/contact-requests", "/orgs/" + customer + "/tickets", "/tickets/" + ticket.ID, "/orders/" + paid.ID},
			[]string{"/orgs/" + customer, "/orgs/" + group.OrgID + "/groups/" + group.ID, "/orgs/" + customer + "/tickets"}},
		{demo.OperatorEmail, []string{"/review", "/review/" + submitted.ID, "/review/" + submitted.ID + "/preview"},
			[]string{"/review", "/review/" + submitted.ID}},
		{demo.AdminEmail, []string{"/admin/categories", "/admin/audit", "/admin/orders", "/admin/orders/" + order.ID,
			"/admin/featured", "/admin/tickets", "/admin/coolapps", "/admin/partner-program"},
			[]string{"/admin/categories", "/admin/audit", "/admin/orders/" + order.ID}},
	} {
		if step.who != "" {
			if step.who != demo.PartnerEmail { // the first to sign in
				if err := chromedp.Do(b, chromedp.Navigate(base+"/"), chromedp.Click(chromedp.ID("signout")),
					chromedp.WaitVisible(chromedp.ID("nav-signin"))); err != nil {
					t.Fatalf("sign out: %v", err)
				}
			}
			chromeSignIn(t, b, base, step.who)
		}
		for _, lang := range []string{"zh-CN", "en"} {
			if err := chromedp.Do(b, chromedp.Navigate(base+"/lang?to="+lang+"&back=/"), chromedp.WaitReady("body")); err != nil {
				t.Fatal(err)
			}
			for _, path := range step.paths {
				if err := chromedp.Do(b, chromedp.Navigate(base+path), chromedp.WaitReady("body")); err != nil {
					t.Fatalf("%s as %q: %v", path, step.who, err)
				}
				fits, err := chromedp.Run(b, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth + 1`))
				if err != nil {
					t.Fatalf("%s as %q: %v", path, step.who, err)
				}
				if !fits {
					wide, _ := chromedp.Run(b, chromedp.Evaluate[string](widestElements))
					t.Errorf("%s as %q in %s scrolls sideways on a 390 px phone; too wide: %s", path, step.who, lang, wide)
					browsertest.Screenshot(t, b, "phone-"+lang+"-"+strings.NewReplacer("/", "-", "?", "-", "=", "-").Replace(strings.Trim(path, "/")))
				}
				q.check(t, b, path+" as "+step.who+" in "+lang)
				q.shoot(t, b, path, lang)
			}
		}
		q.desktop(t, b, base, step.desktop, step.who)
	}
}

// widestElements names the innermost elements that reach past the
// viewport's right edge, to say what makes a page scroll sideways.
const widestElements = `(() => {
  const w = window.innerWidth + 1, out = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (el.getBoundingClientRect().right <= w) continue;
    if ([...el.children].some(c => c.getBoundingClientRect().right > w)) continue;
    out.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : ""));
  }
  return [...new Set(out)].slice(0, 6).join(", ");
})()`
