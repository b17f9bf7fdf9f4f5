package web

import (
	"io"
	"io/fs"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/selftest"
	"github.com/shelfhq/shelf/internal/shelf"
)

// browser is a cookie-keeping HTTP client that does not follow redirects,
// so tests can see them.
type browser struct {
	t    *testing.T
	base string
	c    *http.Client
}

func (f *fixture) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: f.t, base: f.srv.URL, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

func (b *browser) get(path string) (int, string, http.Header) {
	b.t.Helper()
	res, err := b.c.Get(b.base + path)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body), res.Header
}

func (b *browser) post(path string, form url.Values, header ...string) (int, string, http.Header) {
	b.t.Helper()
	req, _ := http.NewRequest("POST", b.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body), res.Header
}

func (b *browser) signIn(email string) {
	b.t.Helper()
	status, body, h := b.post("/signin", url.Values{"email": {email}, "password": {demo.Password}})
	if status != http.StatusSeeOther || h.Get("Location") != "/orgs" {
		b.t.Fatalf("sign in as %s = %d %s: %.300s", email, status, h.Get("Location"), body)
	}
}

var csrfRe = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

func csrfOf(t *testing.T, page string) string {
	t.Helper()
	m := csrfRe.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no csrf_token in the page")
	}
	return m[1]
}

func TestPagesLanguage(t *testing.T) {
	f := newFixture(t)
	b := f.browser()
	status, body, _ := b.get("/")
	if status != 200 || !strings.Contains(body, `<html lang="zh-CN">`) || !strings.Contains(body, "人事管理") || !strings.Contains(body, "应用市场") {
		t.Fatalf("home = %d, not the zh-CN market: %.400s", status, body)
	}
	status, _, h := b.get("/lang?to=en&back=/signin")
	if status != http.StatusSeeOther || h.Get("Location") != "/signin" {
		t.Fatalf("lang switch = %d %s", status, h.Get("Location"))
	}
	_, body, _ = b.get("/")
	if !strings.Contains(body, `<html lang="en">`) || !strings.Contains(body, "HR") || strings.Contains(body, "人事管理") {
		t.Fatalf("home after switching is not English: %.400s", body)
	}
	if _, _, h := b.get("/lang?to=en&back=//evil.example"); h.Get("Location") != "/" {
		t.Fatalf("lang switch followed an off-site back link: %s", h.Get("Location"))
	}
}

func TestPagesSignInAndMembers(t *testing.T) {
	f := newFixture(t)
	b := f.browser()
	if status, _, h := b.get("/orgs"); status != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/signin") {
		t.Fatalf("anonymous /orgs = %d %s", status, h.Get("Location"))
	}
	status, body, _ := b.post("/signin", url.Values{"email": {demo.CustomerEmail}, "password": {"wrong-password"}})
	if status != 401 || !strings.Contains(body, "wrong email or password") {
		t.Fatalf("bad sign-in = %d", status)
	}
	b.signIn(demo.CustomerEmail)
	orgPath := "/orgs/" + f.world.Customer.ID
	_, page, _ := b.get(orgPath)
	for _, want := range []string{demo.MemberEmail, "sales1@shelf.test", "星河贸易", `id="add-member"`} {
		if !strings.Contains(page, want) {
			t.Errorf("org page lacks %q", want)
		}
	}
	// A form without the session's CSRF token is refused and changes nothing.
	before := f.counts()
	status, _, _ = b.post(orgPath+"/members", url.Values{"email": {"new1@example.com"}, "role": {"member"}})
	if status != http.StatusForbidden || f.counts() != before {
		t.Fatalf("form without csrf_token = %d", status)
	}
	// A cross-site POST is refused even with the token.
	status, _, _ = b.post(orgPath+"/members", url.Values{"email": {"new1@example.com"}, "csrf_token": {csrfOf(t, page)}}, "Sec-Fetch-Site", "cross-site")
	if status != http.StatusForbidden || f.counts() != before {
		t.Fatalf("cross-site form = %d", status)
	}
	status, page, _ = b.post(orgPath+"/members", url.Values{"email": {"new1@example.com"}, "role": {"member"}, "csrf_token": {csrfOf(t, page)}})
	link := regexp.MustCompile(`/invitations/(shelf_inv_[A-Za-z0-9_-]+)`).FindStringSubmatch(page)
	if status != http.StatusOK || link == nil || !strings.Contains(page, "new1@example.com") {
		t.Fatalf("invite = %d, no link shown:\n%.600s", status, page)
	}
	if _, again, _ := b.get(orgPath); strings.Contains(again, link[1]) {
		t.Fatal("the invitation link is shown a second time")
	}
	// The invited person signs up and opens the link.
	newbie := f.browser()
	if status, _, _ := newbie.post("/signup", url.Values{"email": {"new1@example.com"}, "name": {"新人"}, "password": {"password1"}}); status != http.StatusSeeOther {
		t.Fatalf("sign up = %d", status)
	}
	status, invPage, _ := newbie.get("/invitations/" + link[1])
	if status != 200 || !strings.Contains(invPage, `id="accept-invitation"`) {
		t.Fatalf("invitation page = %d", status)
	}
	if status, _, h := newbie.post("/invitations/"+link[1], url.Values{"csrf_token": {csrfOf(t, invPage)}}); status != http.StatusSeeOther || h.Get("Location") != orgPath+"?flash=invite.joined" {
		t.Fatalf("accept = %d %s", status, h.Get("Location"))
	}
	if status, _, _ := newbie.get("/invitations/" + link[1]); status != http.StatusNotFound {
		t.Fatalf("a used link answers %d", status)
	}
	_, page, _ = b.get(orgPath)
	status, page, _ = b.post(orgPath+"/members", url.Values{"email": {demo.MemberEmail}, "csrf_token": {csrfOf(t, page)}})
	if status != http.StatusConflict || !strings.Contains(page, "already a member") {
		t.Fatalf("duplicate member = %d", status)
	}
}

func TestPagesRoles(t *testing.T) {
	f := newFixture(t)
	member := f.browser()
	member.signIn(demo.MemberEmail)
	_, page, _ := member.get("/orgs/" + f.world.Customer.ID)
	if strings.Contains(page, `id="add-member"`) || strings.Contains(page, `id="nav-admin"`) {
		t.Fatal("a plain member sees admin controls")
	}
	status, _, _ := member.post("/orgs/"+f.world.Customer.ID+"/members", url.Values{"email": {"x@example.com"}, "csrf_token": {csrfOf(t, page)}})
	if status != http.StatusForbidden {
		t.Fatalf("member adding a member = %d", status)
	}
	if status, _, _ := member.get("/orgs/" + f.world.Partner1.ID); status != http.StatusNotFound {
		t.Fatalf("member opening another org = %d", status)
	}
	if status, _, _ := member.get("/admin/categories"); status != http.StatusForbidden {
		t.Fatalf("member opening platform admin = %d", status)
	}
	admin := f.browser()
	admin.signIn(demo.AdminEmail)
	status, page, _ = admin.get("/admin/categories")
	if status != 200 || !strings.Contains(page, "考勤排班") || !strings.Contains(page, "周运营") {
		t.Fatalf("categories page = %d", status)
	}
	status, _, _ = admin.post("/admin/categories", url.Values{"name": {"物流"}, "name_en": {"Logistics"}, "position": {"60"}, "csrf_token": {csrfOf(t, page)}})
	if _, after, _ := admin.get("/admin/categories"); status != http.StatusSeeOther || !strings.Contains(after, "Logistics") {
		t.Fatalf("create category = %d", status)
	}
	partner := f.browser()
	partner.signIn(demo.PartnerEmail)
	if status, page, _ := partner.get("/orgs/" + f.world.Partner1.ID + "/test-orgs"); status != 200 || !strings.Contains(page, "云雀体验测试组织") {
		t.Fatalf("test orgs page = %d", status)
	}
}

var tCall = regexp.MustCompile(`\bt "([^"]+)"`)

// TestCatalogComplete: every key a template uses has both languages, and
// keys built at run time (roles, org kinds) exist too.
func TestCatalogComplete(t *testing.T) {
	used := map[string]bool{"role.admin": true, "role.member": true, "kind.platform": true, "kind.partner": true, "kind.customer": true, "kind.test": true,
		"error.title": true, "error.not_found": true, "auth.signed_out": true, "org.added": true, "org.invited": true, "invite.joined": true, "invite.title": true,
		"console.self_test_ran": true, "editor.saved": true, "editor.submitted": true, "review.approved": true, "review.rejected": true,
		"review.taken_down": true, "console.app": true, "review.revision": true, "market.listing": true}
	for _, st := range []string{"draft", "self_tested", "in_review", "rejected", "listed", "delisted", "taken_down"} {
		used["appstate."+st] = true
	}
	for _, st := range shelf.RevisionStates() {
		used["revstate."+string(st)] = true
	}
	for _, st := range shelf.ListingStates() {
		used["liststate."+string(st)] = true
	}
	for _, c := range []string{selftest.CheckInstall, selftest.CheckGroupInstall, selftest.CheckSignedPing, selftest.CheckSignedInstall, selftest.CheckRejectsForgery, selftest.CheckLaunchURL} {
		used["check."+c] = true
	}
	for _, a := range []shelf.ActivationOrder{shelf.ActivationPaidFirst, shelf.ActivationTrialThenPaid, shelf.ActivationFreeThenPaid} {
		used["activation."+string(a)] = true
	}
	used["severity."+string(shelf.SeverityError)], used["severity."+string(shelf.SeverityWarning)] = true, true
	err := fs.WalkDir(assets, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(assets, path)
		for _, m := range tCall.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = true
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for key := range used {
		m, ok := catalog[key]
		if !ok || m[0] == "" || m[1] == "" {
			t.Errorf("catalog lacks %q in one of the languages", key)
		}
	}
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"/orgs":               "/orgs",
		"/apps/x?type=a&b=c":  "/apps/x?type=a&b=c",
		"//evil.com":          "/",
		"/\t/evil.com":        "/",
		"/\\evil.com":         "/",
		"/%09/evil.com":       "/%09/evil.com",
		"https://evil.com/x":  "/",
		"evil.com":            "/",
		"/\n/evil.com":        "/",
		"":                    "/",
		"///evil.com":         "/",
		"/a//b":               "/a//b",
		"javascript:alert(1)": "/",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}
