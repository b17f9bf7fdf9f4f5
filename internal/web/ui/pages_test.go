package ui_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/web/webtest"
)

func TestPagesLanguage(t *testing.T) {
	f := webtest.New(t)
	b := f.Browser()
	status, body, _ := b.Get("/")
	if status != 200 || !strings.Contains(body, `<html lang="zh-CN">`) || !strings.Contains(body, "人事管理") || !strings.Contains(body, "应用市场") {
		t.Fatalf("home = %d, not the zh-CN market: %.400s", status, body)
	}
	// The home page is named once; other pages add the site's name.
	if !strings.Contains(body, "<title>Shelf 应用市场</title>") {
		t.Errorf("home title: %s", regexp.MustCompile(`<title>[^<]*</title>`).FindString(body))
	}
	if _, signin, _ := b.Get("/signin"); !regexp.MustCompile(`<title>[^<·]+ · Shelf</title>`).MatchString(signin) {
		t.Errorf("sign-in title: %s", regexp.MustCompile(`<title>[^<]*</title>`).FindString(signin))
	}
	status, _, h := b.Get("/lang?to=en&back=/signin")
	if status != http.StatusSeeOther || h.Get("Location") != "/signin" {
		t.Fatalf("lang switch = %d %s", status, h.Get("Location"))
	}
	_, body, _ = b.Get("/")
	if !strings.Contains(body, `<html lang="en">`) || !strings.Contains(body, "HR") || strings.Contains(body, "人事管理") {
		t.Fatalf("home after switching is not English: %.400s", body)
	}
	if _, _, h := b.Get("/lang?to=en&back=//evil.example"); h.Get("Location") != "/" {
		t.Fatalf("lang switch followed an off-site back link: %s", h.Get("Location"))
	}
}

func TestPagesSignInAndMembers(t *testing.T) {
	f := webtest.New(t)
	b := f.Browser()
	if status, _, h := b.Get("/orgs"); status != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/signin") {
		t.Fatalf("anonymous /orgs = %d %s", status, h.Get("Location"))
	}
	status, body, _ := b.Post("/signin", url.Values{"email": {demo.CustomerEmail}, "password": {"wrong-password"}})
	if status != 401 || !strings.Contains(body, "邮箱或密码不正确") {
		t.Fatalf("bad sign-in = %d", status)
	}
	b.SignIn(demo.CustomerEmail)
	orgPath := "/orgs/" + f.World.Customer.ID
	_, page, _ := b.Get(orgPath)
	for _, want := range []string{demo.MemberEmail, "sales1@shelf.test", "星河贸易", `id="add-member"`} {
		if !strings.Contains(page, want) {
			t.Errorf("org page lacks %q", want)
		}
	}
	// A form without the session's CSRF token is refused and changes nothing.
	before := f.Counts()
	status, _, _ = b.Post(orgPath+"/members", url.Values{"email": {"new1@example.com"}, "role": {"member"}})
	if changed := before.Changed(f.Counts()); status != http.StatusForbidden || len(changed) > 0 {
		t.Fatalf("form without csrf_token = %d, changed %v", status, changed)
	}
	// A cross-site POST is refused even with the token.
	status, _, _ = b.Post(orgPath+"/members", url.Values{"email": {"new1@example.com"}, "csrf_token": {webtest.CSRFOf(t, page)}}, "Sec-Fetch-Site", "cross-site")
	if changed := before.Changed(f.Counts()); status != http.StatusForbidden || len(changed) > 0 {
		t.Fatalf("cross-site form = %d, changed %v", status, changed)
	}
	status, page, _ = b.Post(orgPath+"/members", url.Values{"email": {"new1@example.com"}, "role": {"member"}, "csrf_token": {webtest.CSRFOf(t, page)}})
	link := regexp.MustCompile(`/invitations/(shelf_inv_[A-Za-z0-9_-]+)`).FindStringSubmatch(page)
	if status != http.StatusOK || link == nil || !strings.Contains(page, "new1@example.com") {
		t.Fatalf("invite = %d, no link shown:\n%.600s", status, page)
	}
	if _, again, _ := b.Get(orgPath); strings.Contains(again, link[1]) {
		t.Fatal("the invitation link is shown a second time")
	}
	// The invited person signs up and opens the link.
	newbie := f.Browser()
	if status, _, _ := newbie.Post("/signup", url.Values{"email": {"new1@example.com"}, "name": {"新人"}, "password": {"password1"}}); status != http.StatusSeeOther {
		t.Fatalf("sign up = %d", status)
	}
	status, invPage, _ := newbie.Get("/invitations/" + link[1])
	if status != 200 || !strings.Contains(invPage, `id="accept-invitation"`) {
		t.Fatalf("invitation page = %d", status)
	}
	if status, _, h := newbie.Post("/invitations/"+link[1], url.Values{"csrf_token": {webtest.CSRFOf(t, invPage)}}); status != http.StatusSeeOther || h.Get("Location") != orgPath+"?flash=invite.joined" {
		t.Fatalf("accept = %d %s", status, h.Get("Location"))
	}
	if status, _, _ := newbie.Get("/invitations/" + link[1]); status != http.StatusNotFound {
		t.Fatalf("a used link answers %d", status)
	}
	_, page, _ = b.Get(orgPath)
	status, page, _ = b.Post(orgPath+"/members", url.Values{"email": {demo.MemberEmail}, "csrf_token": {webtest.CSRFOf(t, page)}})
	if status != http.StatusConflict || !strings.Contains(page, "此人已是本组织成员") {
		t.Fatalf("duplicate member = %d", status)
	}
}

func TestPagesRoles(t *testing.T) {
	f := webtest.New(t)
	member := f.Browser()
	member.SignIn(demo.MemberEmail)
	_, page, _ := member.Get("/orgs/" + f.World.Customer.ID)
	if strings.Contains(page, `id="add-member"`) || strings.Contains(page, `id="nav-admin"`) {
		t.Fatal("a plain member sees admin controls")
	}
	status, _, _ := member.Post("/orgs/"+f.World.Customer.ID+"/members", url.Values{"email": {"x@example.com"}, "csrf_token": {webtest.CSRFOf(t, page)}})
	if status != http.StatusForbidden {
		t.Fatalf("member adding a member = %d", status)
	}
	if status, _, _ := member.Get("/orgs/" + f.World.Partner1.ID); status != http.StatusNotFound {
		t.Fatalf("member opening another org = %d", status)
	}
	if status, _, _ := member.Get("/admin/categories"); status != http.StatusForbidden {
		t.Fatalf("member opening platform admin = %d", status)
	}
	admin := f.Browser()
	admin.SignIn(demo.AdminEmail)
	status, page, _ = admin.Get("/admin/categories")
	if status != 200 || !strings.Contains(page, "考勤排班") || !strings.Contains(page, "周运营") {
		t.Fatalf("categories page = %d", status)
	}
	status, _, _ = admin.Post("/admin/categories", url.Values{"name": {"物流"}, "name_en": {"Logistics"}, "position": {"60"}, "csrf_token": {webtest.CSRFOf(t, page)}})
	if _, after, _ := admin.Get("/admin/categories"); status != http.StatusSeeOther || !strings.Contains(after, "Logistics") {
		t.Fatalf("create category = %d", status)
	}
	partner := f.Browser()
	partner.SignIn(demo.PartnerEmail)
	if status, page, _ := partner.Get("/orgs/" + f.World.Partner1.ID + "/test-orgs"); status != 200 || !strings.Contains(page, "云雀体验测试组织") {
		t.Fatalf("test orgs page = %d", status)
	}
}
