package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/webtest"
)

// authRequest starts an app's sign-in at Shelf's authorize endpoint, as
// the app would, and returns the sign-in page's path.
func authRequest(t *testing.T, b *webtest.Browser, app *shelf.App, redirect, prompt string) string {
	t.Helper()
	q := url.Values{"client_id": {app.ClientID}, "redirect_uri": {redirect}, "response_type": {"code"}, "scope": {"openid profile"},
		"state": {"st4te"}, "nonce": {"n0nce"}, "code_challenge": {"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"}, "code_challenge_method": {"S256"}}
	if prompt != "" {
		q.Set("prompt", prompt)
	}
	status, body, h := b.Get("/oidc/authorize?" + q.Encode())
	loc, err := url.Parse(h.Get("Location"))
	if status != http.StatusFound || err != nil || loc.Path != "/signin/oidc" {
		t.Fatalf("authorize = %d %s %.300s", status, h.Get("Location"), body)
	}
	return loc.RequestURI()
}

func TestSignInToApp(t *testing.T) {
	f, _ := ssoFixture(t)
	ctx := context.Background()
	rev := f.RevisionIn("listed")
	app, _ := f.Store.App(ctx, rev.AppID)
	const redirect = "https://app.vendor.example/callback"
	if _, err := f.Store.SetAppOIDC(ctx, app.ID, []string{redirect}, "", f.World.Users[demo.PartnerEmail].ID); err != nil {
		t.Fatal(err)
	}
	member := f.Browser()
	member.SignIn(demo.MemberEmail)
	anon := f.Browser()

	// Not installed anywhere the member belongs: a 403 page in words.
	page := authRequest(t, member, app, redirect, "")
	status, body, _ := member.Get(page)
	if status != http.StatusForbidden || !strings.Contains(body, "该应用尚未安装到所选组织") {
		t.Fatalf("sign-in without an installation = %d", status)
	}
	noCodes(t, "sign-in page", body, "app_not_installed")
	if _, err := f.Store.StartTrial(ctx, f.World.Customer.ID, rev.ListingID, f.World.Users[demo.CustomerEmail].ID); err != nil {
		t.Fatal(err)
	}

	// Anonymous: sign in first and come back; with prompt=none the app hears login_required.
	if status, _, h := anon.Get(page); status != http.StatusSeeOther || h.Get("Location") != "/signin?next="+url.QueryEscape(page) {
		t.Fatalf("anonymous sign-in page = %d %s", status, h.Get("Location"))
	}
	if status, _, h := anon.Get(authRequest(t, anon, app, redirect, "none")); status != http.StatusFound ||
		!strings.HasPrefix(h.Get("Location"), redirect+"?error=login_required") || !strings.Contains(h.Get("Location"), "state=st4te") {
		t.Fatalf("prompt=none without a session = %d %s", status, h.Get("Location"))
	}

	// The member sees the app and the one org, and cancels: access_denied.
	status, body, _ = member.Get(page)
	if status != http.StatusOK {
		t.Fatalf("sign-in page = %d", status)
	}
	mustContain(t, "sign-in page", body, app.Name, "星河贸易", `id="oidc-continue"`)
	if status, _, h := post(t, member, body, "/signin/oidc", url.Values{"id": {strings.TrimPrefix(page, "/signin/oidc?id=")}, "action": {"cancel"}}); status != http.StatusFound ||
		!strings.HasPrefix(h.Get("Location"), redirect+"?error=access_denied") {
		t.Fatalf("cancel = %d %s", status, h.Get("Location"))
	}

	// Another org (not the member's): refused in words; the member's own: a code for the app.
	page = authRequest(t, member, app, redirect, "")
	_, body, _ = member.Get(page)
	id := strings.TrimPrefix(page, "/signin/oidc?id=")
	status, body2, _ := post(t, member, body, "/signin/oidc", url.Values{"id": {id}, "org": {f.World.Partner1.ID}})
	if status != http.StatusForbidden || !strings.Contains(body2, "您不是该组织的成员") {
		t.Fatalf("another org = %d", status)
	}
	status, _, h := post(t, member, body, "/signin/oidc", url.Values{"id": {id}, "org": {f.World.Customer.ID}})
	if loc := h.Get("Location"); status != http.StatusFound || !strings.HasPrefix(loc, redirect+"?code=") || !strings.Contains(loc, "state=st4te") {
		t.Fatalf("continue = %d %s", status, loc)
	}
	// A completed request is gone.
	if status, body, _ := member.Get(page); status != http.StatusNotFound || !strings.Contains(body, "找不到") {
		t.Fatalf("a completed request = %d", status)
	}

	// An expired request is a not-found page.
	page = authRequest(t, member, app, redirect, "")
	f.Advance(2 * time.Hour)
	if status, _, _ := member.Get(page); status != http.StatusNotFound {
		t.Fatalf("an expired request = %d", status)
	}
}
