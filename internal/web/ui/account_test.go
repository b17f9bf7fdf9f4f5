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

var sessionEndRe = regexp.MustCompile(`action="(/account/sessions/[0-9a-f]+/end)"`)

// TestPagesAccountSelfService: on the account page a person changes their
// name, changes their password only with the current one (the other
// browsers are signed out, this one stays) and signs another browser out;
// forms without the CSRF token, anonymous callers and another person's
// session are refused; refusals are in the reader's language.
func TestPagesAccountSelfService(t *testing.T) {
	f := webtest.New(t)
	here, there, other := f.Browser(), f.Browser(), f.Browser()
	here.SignIn(demo.MemberEmail)
	phone := "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36"
	if status, _, _ := there.Post("/signin", url.Values{"email": {demo.MemberEmail}, "password": {demo.Password}}, "User-Agent", phone); status != http.StatusSeeOther {
		t.Fatalf("sign in from a phone = %d", status)
	}
	other.SignIn(demo.CustomerEmail)
	_, page, _ := here.Get("/account")
	csrf := webtest.CSRFOf(t, page)
	if got := len(sessionEndRe.FindAllString(page, -1)); got != 1 || !strings.Contains(page, "本设备") {
		t.Fatalf("the account page lists %d other sessions:\n%.3000s", got, page)
	}
	// The other browser is named by its device and its masked address
	// (the test server is on the loopback): never the whole address.
	if !strings.Contains(page, "Chrome · Android") || !strings.Contains(page, "127.0.0.*") || strings.Contains(page, "127.0.0.1") {
		t.Errorf("the sessions do not say the device and its masked address:\n%.3000s", page[strings.Index(page, `id="sessions"`):])
	}
	endThere := sessionEndRe.FindStringSubmatch(page)[1]

	if status, _, h := f.Browser().Post("/account/name", url.Values{"name": {"x"}}); status != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/signin") {
		t.Errorf("anonymous rename = %d %s", status, h.Get("Location"))
	}
	if status, _, _ := here.Post("/account/name", url.Values{"name": {"x"}}); status != http.StatusForbidden {
		t.Errorf("rename without the CSRF token = %d", status)
	}
	_, otherPage, _ := other.Get("/account")
	if status, _, _ := other.Post(endThere, url.Values{"csrf_token": {webtest.CSRFOf(t, otherPage)}}); status != http.StatusNotFound {
		t.Errorf("ending another person's session = %d", status)
	}

	for _, c := range []struct {
		name         string
		form         url.Values
		status       int
		want         string
		wantRedirect bool
	}{
		{"wrong current password", url.Values{"current_password": {"nope-nope"}, "new_password": {"a fresh secret"}, "new_password2": {"a fresh secret"}}, 401, "当前密码不正确", false},
		{"the two differ", url.Values{"current_password": {demo.Password}, "new_password": {"a fresh secret"}, "new_password2": {"another one"}}, 422, "两次输入的新密码不一致", false},
		{"too short", url.Values{"current_password": {demo.Password}, "new_password": {"short"}, "new_password2": {"short"}}, 422, "密码至少 8 个字符", false},
		{"changed", url.Values{"current_password": {demo.Password}, "new_password": {"a fresh secret"}, "new_password2": {"a fresh secret"}}, http.StatusSeeOther, "", true},
	} {
		c.form.Set("csrf_token", csrf)
		status, body, _ := here.Post("/account/password", c.form)
		if status != c.status || !strings.Contains(body, c.want) {
			t.Errorf("%s: = %d, want %d with %q:\n%.2000s", c.name, status, c.status, c.want, body)
		}
	}
	if status, _, h := there.Get("/account"); status != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/signin") {
		t.Errorf("the other browser is still signed in after the password changed: %d", status)
	}
	if status, _, _ := here.Get("/account"); status != http.StatusOK {
		t.Errorf("this browser was signed out by its own password change: %d", status)
	}

	if status, _, _ := here.Post("/account/name", url.Values{"csrf_token": {csrf}, "name": {"张成员 Zhang"}}); status != http.StatusSeeOther {
		t.Errorf("rename = %d", status)
	}
	if _, page, _ := here.Get("/account"); !strings.Contains(page, "张成员 Zhang") {
		t.Error("the new name is not shown")
	}

	again := f.Browser() // a new browser signs in with the new password; this one ends it
	if status, _, _ := again.Post("/signin", url.Values{"email": {demo.MemberEmail}, "password": {"a fresh secret"}}); status != http.StatusSeeOther {
		t.Fatalf("sign in with the new password = %d", status)
	}
	_, page, _ = here.Get("/account")
	end := sessionEndRe.FindStringSubmatch(page)
	if end == nil {
		t.Fatal("the new browser is not listed")
	}
	if status, _, _ := here.Post(end[1], url.Values{"csrf_token": {csrf}}); status != http.StatusSeeOther {
		t.Errorf("end session = %d", status)
	}
	if status, _, _ := again.Get("/account"); status != http.StatusSeeOther {
		t.Errorf("the ended browser is still signed in: %d", status)
	}
}
