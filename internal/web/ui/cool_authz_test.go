package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store/storetest"
	"github.com/shelfhq/shelf/internal/web/webtest"
)

// TestCoolPagesAuthorization opens each cool-app page as each kind of
// caller, as TestPagesAuthorization does for the others.
func TestCoolPagesAuthorization(t *testing.T) {
	f := webtest.New(t)
	ctx := context.Background()
	cool, _ := f.PartnerApp(shelf.AppCool)
	now := f.Clock.Now()
	if err := f.Store.RecordSelfTest(ctx, &shelf.SelfTest{AppID: cool.ID, TestOrgID: f.World.TestOrg.ID, StartedBy: f.World.Users[demo.PartnerEmail].ID,
		ConfigHash: cool.ConfigHash(), Passed: true, Checks: []shelf.SelfTestCheck{{Name: shelf.SelfTestGroupInstall, Passed: true}}, StartedAt: now, FinishedAt: now}); err != nil {
		t.Fatal(err)
	}
	a, err := f.Store.SubmitCoolApp(ctx, cool.ID, f.World.Users[demo.PartnerEmail].ID, storetest.CoolMaterials(f.HRLeaf(), f.Icon()))
	if err != nil {
		t.Fatal(err)
	}
	g := f.World.Groups[0] // owned by customer@, member@ in it
	browsers := map[string]*webtest.Browser{"": f.Browser()}
	who := []string{"", demo.MemberEmail, demo.PartnerEmail, "dev@shelf.test", demo.Partner2Email, demo.OperatorEmail, demo.AdminEmail}
	for _, email := range who[1:] {
		b := f.Browser()
		b.SignIn(email)
		browsers[email] = b
	}
	const signin = http.StatusSeeOther
	p1 := f.World.Partner1.ID
	for _, c := range []struct {
		path string
		want [7]int
	}{
		{"/orgs/" + p1 + "/partner-program", [7]int{signin, 404, 200, 200, 404, 404, 200}},
		{"/admin/partner-program", [7]int{signin, 403, 403, 403, 403, 403, 200}},
		{"/apps/" + cool.ID + "/coolapp", [7]int{signin, 404, 200, 403, 404, 404, 404}},
		{"/admin/coolapps", [7]int{signin, 403, 403, 403, 403, 403, 200}},
		{"/admin/coolapps/" + a.ID, [7]int{signin, 403, 403, 403, 403, 403, 200}},
		{"/cool", [7]int{200, 200, 200, 200, 200, 200, 200}},
		{"/cool?q=日报", [7]int{200, 200, 200, 200, 200, 200, 200}},
		{"/cool/apps/" + f.World.Apps["standup"].ID, [7]int{200, 200, 200, 200, 200, 200, 200}},
		{"/cool/apps/" + cool.ID, [7]int{404, 404, 404, 404, 404, 404, 404}}, // not approved yet
		{"/orgs/" + g.OrgID + "/groups/" + g.ID, [7]int{signin, 200, 404, 404, 404, 404, 404}},
		{"/orgs/" + g.OrgID + "/groups/" + g.ID + "/apps/" + f.World.Apps["standup"].ID + "/open", [7]int{signin, 404, 404, 404, 404, 404, 404}},
	} {
		for i, email := range who {
			status, body, h := browsers[email].Get(c.path)
			if status != c.want[i] {
				t.Errorf("GET %s as %q = %d, want %d", c.path, email, status, c.want[i])
			}
			switch {
			case status == signin && !strings.HasPrefix(h.Get("Location"), "/signin"):
				t.Errorf("GET %s as %q redirects to %q, not to sign in", c.path, email, h.Get("Location"))
			case status >= 400 && strings.Contains(body, "page not found"):
				t.Errorf("GET %s as %q matched no page", c.path, email)
			}
		}
	}
	// The forms: each refused before any work for those it is not for.
	csrf := map[string]string{}
	for _, email := range who[1:] {
		_, page, _ := browsers[email].Get("/cool")
		csrf[email] = webtest.CSRFOf(t, page)
	}
	for _, c := range []struct {
		path string
		form url.Values
		want [7]int
	}{
		{"/orgs/" + p1 + "/partner-program", url.Values{"company_name": {""}}, [7]int{signin, 404, 422, 403, 404, 404, 403}},
		{"/admin/partner-program/pap_missing", url.Values{"decision": {"approve"}}, [7]int{signin, 403, 403, 403, 403, 403, 404}},
		{"/admin/partner-program/orgs/" + p1, url.Values{"action": {"suspend"}}, [7]int{signin, 403, 403, 403, 403, 403, 422}},
		{"/apps/" + cool.ID + "/coolapp", url.Values{"action": {"check"}}, [7]int{signin, 404, 200, 403, 404, 404, 404}},
		// The form's live check answers JSON: 401 rather than the sign-in page.
		{"/apps/" + cool.ID + "/coolapp/validate", url.Values{"name": {"群投票"}}, [7]int{http.StatusUnauthorized, 404, 200, 403, 404, 404, 404}},
		{"/admin/coolapps/" + a.ID, url.Values{"decision": {"reject"}}, [7]int{signin, 403, 403, 403, 403, 403, 422}},
		{"/cool/apps/" + f.World.Apps["standup"].ID + "/install", url.Values{"target": {g.OrgID + "/" + g.ID}}, [7]int{signin, 404, 404, 404, 404, 404, 403}},
		{"/orgs/" + g.OrgID + "/groups/" + g.ID + "/installations/ins_missing/remove", nil, [7]int{signin, 404, 404, 404, 404, 404, 403}},
	} {
		for i, email := range who {
			form := url.Values{"csrf_token": {csrf[email]}}
			for k, v := range c.form {
				form[k] = v
			}
			status, body, h := browsers[email].Post(c.path, form)
			if status != c.want[i] {
				t.Errorf("POST %s as %q = %d, want %d", c.path, email, status, c.want[i])
			}
			if status == signin && email == "" && !strings.HasPrefix(h.Get("Location"), "/signin") {
				t.Errorf("POST %s anonymously redirects to %q, not to sign in", c.path, h.Get("Location"))
			}
			if status >= 400 && strings.Contains(body, "page not found") {
				t.Errorf("POST %s as %q matched no page", c.path, email)
			}
		}
	}
}
