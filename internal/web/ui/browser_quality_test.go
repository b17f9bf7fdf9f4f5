package ui_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/shelfhq/shelf/internal/browsertest"
)

// quality checks one page already open in the browser against the gates of
// the consoles (issue 12): axe-core finds no critical or serious
// violation, and no text outside user content is in the other language or
// a raw key or code. Each page is checked once per language and user kind,
// in the walk of TestBrowserPhone, so the browser opens it only once.
type quality struct {
	axe string // axe-core's source; "" skips the accessibility check
}

// newQuality loads axe-core from SHELF_TEST_AXE (scripts/test.sh installs
// the pinned version from npm and exports its path). Without it the
// accessibility check is skipped, unless SHELF_TEST_REQUIRE_ALL is set.
func newQuality(t *testing.T) quality {
	t.Helper()
	path := os.Getenv("SHELF_TEST_AXE")
	if path == "" {
		if os.Getenv("SHELF_TEST_REQUIRE_ALL") != "" {
			t.Fatal("SHELF_TEST_AXE is not set: scripts/test.sh installs axe-core and sets it")
		}
		t.Log("SHELF_TEST_AXE is not set: accessibility not checked (run through scripts/test.sh)")
		return quality{}
	}
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read axe-core: %v", err)
	}
	return quality{axe: string(src)}
}

// check runs both gates on the open page; what names the page in failures.
func (q quality) check(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	q.axeCheck(t, ctx, what)
	out, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](languageScan))
	if err != nil {
		t.Fatalf("%s: language scan: %v", what, err)
	}
	for _, s := range out {
		t.Errorf("%s: %s", what, s)
	}
}

// axeCheck fails on the critical and serious violations axe-core finds on
// the open page.
func (q quality) axeCheck(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	if q.axe != "" {
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](q.axe+";true")); err != nil {
			t.Fatalf("%s: inject axe-core: %v", what, err)
		}
		out, err := chromedp.Run(ctx, chromedp.Evaluate[string](axeRun, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("%s: run axe-core: %v", what, err)
		}
		var found []struct{ ID, Impact, Help, Nodes string }
		if err := json.Unmarshal([]byte(out), &found); err != nil {
			t.Fatalf("%s: axe-core's answer %q: %v", what, out, err)
		}
		for _, v := range found {
			t.Errorf("%s: axe %s (%s): %s; at %s", what, v.ID, v.Impact, v.Help, v.Nodes)
		}
	}
}

// desktop runs axe-core on each of paths at a 1366 px desktop, then turns
// the browser back into the walk's phone.
func (q quality) desktop(t *testing.T, ctx context.Context, base string, paths []string, who string) {
	t.Helper()
	if q.axe == "" {
		return
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1366, 900)); err != nil {
		t.Fatal(err)
	}
	for _, path := range paths {
		if err := chromedp.Do(ctx, chromedp.Navigate(base+path), chromedp.WaitReady("body")); err != nil {
			t.Fatalf("%s as %q: %v", path, who, err)
		}
		q.axeCheck(t, ctx, path+" as "+who+" at 1366 px")
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844)); err != nil {
		t.Fatal(err)
	}
}

// axeRun runs axe-core with its default rules and answers the critical and
// serious violations as JSON.
const axeRun = `axe.run(document, {resultTypes: ["violations"]}).then(r => JSON.stringify(
  r.violations.filter(v => v.impact === "critical" || v.impact === "serious").map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 4).map(n => n.target.join(" ")).join(" | ")}))))`

// languageScan answers the visible texts of the page that are not in its
// language: Latin words on a Chinese page (but for the names in
// latinAllowed, addresses and links), Chinese on an English page, and on
// either a raw catalog key or code (app.self_test, err.not_found). User
// content is skipped: elements in another lang="…", marked data-user, and
// code, form fields' text and content marked translate="no" (ids,
// versions). Identifiers with digits, "_" or "-" (ord_…, std-month) are
// codes, not words.
var languageScan = fmt.Sprintf(`(() => {
  const page = document.documentElement.lang, zh = page.startsWith("zh");
  const allowed = new Set(%s);
  const skip = "script,style,code,pre,kbd,samp,textarea,[data-user],[translate=no]";
  const out = new Set();
  const judge = (el, s) => {
    if (!s.trim()) return;
    if (el.closest(skip)) return;
    const own = el.closest("[lang]");
    if (own && own.lang !== page) return;
    s = s.replace(/\b[a-z]{2,5}_[a-z0-9]{16}\b|https?:\/\/\S+|[\w.+-]+@[\w.-]+|\/[\w\/.?=&%%-]*/g, " ");
    const key = s.match(/\b[a-z]{2,}(?:[._][a-z]{2,})+\b/);
    if (key) out.add("raw key or code " + JSON.stringify(key[0]) + " in " + JSON.stringify(s.trim().slice(0, 80)));
    if (zh && /[\u3400-\u9fff][:;,?!](\s|$)/.test(s)) out.add("ASCII punctuation after Chinese in " + JSON.stringify(s.trim().slice(0, 80)));
    if (zh) {
      for (const w of s.match(/[\w'-]+/g) || []) {
        if (!/^[A-Za-z]{2,}$/.test(w) || allowed.has(w)) continue;
        out.add("English " + JSON.stringify(w) + " on a Chinese page in " + JSON.stringify(s.trim().slice(0, 80)));
        break;
      }
    } else if (/[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/.test(s)) {
      out.add("Chinese on an English page: " + JSON.stringify(s.trim().slice(0, 80)));
    }
  };
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n; (n = walk.nextNode());) {
    const el = n.parentElement;
    if (el && el.checkVisibility()) judge(el, n.textContent);
  }
  for (const el of document.body.querySelectorAll("[placeholder],[aria-label],[title],img[alt]")) {
    for (const a of ["placeholder", "aria-label", "title", "alt"]) {
      if (el.hasAttribute(a)) judge(el, el.getAttribute(a));
    }
  }
  return [...out].slice(0, 12);
})()`, latinAllowed)

// latinAllowed are the Latin names a Chinese page may show: the product,
// standards and formats, which Chinese consoles write in Latin too.
var latinAllowed = func() string {
	b, _ := json.Marshal(strings.Fields(`Shelf SaaS API SSO OIDC OAuth OpenID Connect PKCE URL HTTP HTTPS http https
		localhost JSON PNG JPEG WebP SVG PDF CSV QR ID UTF Webhook CLI IP UTC CNY GMV Markdown MB KB CRM HR OA`))
	return string(b)
}()

// shoot keeps screenshots of the page at 390 px and at 1366 px when
// SHELF_TEST_SHOTS lists a part of its path ("review,orgs/"): to look at
// changed pages without a test of their own.
func (q quality) shoot(t *testing.T, ctx context.Context, path, lang string) {
	t.Helper()
	want := os.Getenv("SHELF_TEST_SHOTS")
	if want == "" || !slices.ContainsFunc(strings.Split(want, ","), func(p string) bool { return strings.Contains(path, p) }) {
		return
	}
	name := "quality-" + lang + "-" + strings.NewReplacer("/", "-", "?", "-", "=", "-").Replace(strings.Trim(path, "/"))
	browsertest.Screenshot(t, ctx, name+"-390")
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1366, 900)); err != nil {
		t.Fatal(err)
	}
	browsertest.Screenshot(t, ctx, name+"-1366")
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844)); err != nil {
		t.Fatal(err)
	}
}
