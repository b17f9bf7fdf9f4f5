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

// selfopStatement pays a fresh order of partner org 1 and returns its
// statement.
func selfopStatement(t *testing.T, f *webtest.Fixture) (*shelf.Order, *shelf.Statement) {
	t.Helper()
	o := f.FreshOrder(true)
	sts, err := f.Store.Statements(context.Background(), f.World.Partner1.ID, shelf.MonthOf(*o.PaidAt), shelf.PageReq{})
	if err != nil || len(sts) != 1 {
		t.Fatalf("statements = %+v, %v", sts, err)
	}
	return o, &sts[0]
}

// TestSelfopPagesAuthorization opens the settlement pages as each kind of
// caller.
func TestSelfopPagesAuthorization(t *testing.T) {
	f := webtest.New(t)
	o, st := selfopStatement(t, f)
	p1 := f.World.Partner1.ID
	browsers := map[string]*webtest.Browser{"": f.Browser()}
	who := []string{"", demo.MemberEmail, demo.PartnerEmail, "dev@shelf.test", demo.Partner2Email, demo.OperatorEmail, demo.AdminEmail}
	for _, email := range who[1:] {
		b := f.Browser()
		b.SignIn(email)
		browsers[email] = b
	}
	const signin = http.StatusSeeOther
	for _, c := range []struct {
		path string
		want [7]int
	}{
		{"/orgs/" + p1 + "/statements", [7]int{signin, 404, 200, 403, 404, 404, 200}},
		{"/orgs/" + p1 + "/statements/" + st.ID, [7]int{signin, 404, 200, 403, 404, 404, 200}},
		{"/orgs/" + p1 + "/statements/" + st.ID + "/csv", [7]int{signin, 404, 200, 403, 404, 404, 200}},
		{"/orgs/" + f.World.Partner2.ID + "/statements/" + st.ID, [7]int{signin, 404, 404, 404, 404, 404, 404}},
		{"/admin/statements", [7]int{signin, 403, 403, 403, 403, 403, 200}},
		{"/orgs/" + p1 + "/sales", [7]int{signin, 404, 200, 403, 404, 404, 200}},
		{"/orgs/" + p1 + "/sales/csv", [7]int{signin, 404, 200, 403, 404, 404, 200}},
		{"/apps/" + o.AppID + "/sales/dashboard.csv", [7]int{signin, 404, 200, 403, 404, 404, 404}},
	} {
		for i, email := range who {
			if status, _, _ := browsers[email].Get(c.path); status != c.want[i] {
				t.Errorf("GET %s as %q = %d, want %d", c.path, email, status, c.want[i])
			}
		}
	}
	// Only platform admins close statements and set rates.
	for _, email := range who[1:6] {
		b := browsers[email]
		_, page, _ := b.Get("/orgs")
		csrf := webtest.CSRFOf(t, page)
		if status, _, _ := b.Post("/admin/statements/"+st.ID+"/close", url.Values{"csrf_token": {csrf}}); status != http.StatusForbidden {
			t.Errorf("close as %s = %d", email, status)
		}
		if status, _, _ := b.Post("/admin/commission-rates", url.Values{"csrf_token": {csrf}, "scope": {"default"}, "percent": {"1"}}); status != http.StatusForbidden {
			t.Errorf("rate as %s = %d", email, status)
		}
	}
}

// TestSelfopPages: the platform admin sets a partner's rate on the page; a
// paid order shows on the partner's statement with its split; the admin
// closes the statement after the month, in either language.
func TestSelfopPages(t *testing.T) {
	f := webtest.New(t)
	admin := f.Browser()
	admin.SignIn(demo.AdminEmail)
	_, page, _ := admin.Get("/admin/statements")
	csrf := webtest.CSRFOf(t, page)
	p1 := f.World.Partner1.ID
	status, body, _ := admin.Post("/admin/commission-rates", url.Values{"csrf_token": {csrf}, "scope": {"partner"}, "scope_id": {p1},
		"percent": {"12.5"}, "from": {"2020-01-01"}})
	if status == http.StatusSeeOther || !strings.Contains(body, "佣金比例只能从现在或将来生效") {
		t.Fatalf("retroactive rate: %d %s", status, body)
	}
	status, body, _ = admin.Post("/admin/commission-rates", url.Values{"csrf_token": {csrf}, "scope": {"partner"}, "scope_id": {p1}, "percent": {"12.5"}})
	if status != http.StatusSeeOther {
		t.Fatalf("rate: %d %s", status, body)
	}
	o, st := selfopStatement(t, f)
	partner := f.Browser()
	partner.SignIn(demo.PartnerEmail)
	_, body, _ = partner.Get("/orgs/" + p1 + "/statements/" + st.ID)
	for _, want := range []string{o.ID, "12.5%", "¥45.00", "¥5.63", "¥39.37", "进行中"} {
		if !strings.Contains(body, want) {
			t.Errorf("statement page lacks %q", want)
		}
	}
	status, body, _ = admin.Post("/admin/statements/"+st.ID+"/close", url.Values{"csrf_token": {csrf}})
	if !strings.Contains(body, "该月份尚未结束") {
		t.Fatalf("early close: %d %s", status, body)
	}
	f.Advance(32 * 24 * time.Hour) // the sessions end too
	admin.SignIn(demo.AdminEmail)
	partner.SignIn(demo.PartnerEmail)
	admin.Get("/lang?to=en&back=/admin/statements")
	_, page, _ = admin.Get("/admin/statements")
	if !strings.Contains(page, `id="close-`+st.ID+`"`) {
		t.Fatalf("no close button: %s", page)
	}
	csrf = webtest.CSRFOf(t, page)
	if status, _, h := admin.Post("/admin/statements/"+st.ID+"/close", url.Values{"csrf_token": {csrf}}); status != http.StatusSeeOther || !strings.Contains(h.Get("Location"), "flash") {
		t.Fatalf("close: %d %v", status, h)
	}
	_, body, _ = partner.Get("/orgs/" + p1 + "/statements")
	if !strings.Contains(body, "已关闭") || !strings.Contains(body, "¥39.37") {
		t.Errorf("statements list: %s", body)
	}
	status, body, h := partner.Get("/orgs/" + p1 + "/statements/" + st.ID + "/csv")
	if status != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/csv") || !strings.Contains(body, "payout,,,,,,,,39.37,CNY") {
		t.Errorf("csv: %d %s", status, body)
	}
}

// TestSelfopDashboardPages: the app's sales page and the partner's
// dashboard show a paid order's month, with its CSV; bad dates are told
// in the reader's language.
func TestSelfopDashboardPages(t *testing.T) {
	f := webtest.New(t)
	o, _ := selfopStatement(t, f)
	partner := f.Browser()
	partner.SignIn(demo.PartnerEmail)
	month := shelf.MonthOf(*o.PaidAt)
	for _, path := range []string{"/apps/" + o.AppID + "/sales", "/orgs/" + f.World.Partner1.ID + "/sales"} {
		status, body, _ := partner.Get(path)
		if status != 200 || !strings.Contains(body, `id="month-table"`) || !strings.Contains(body, "<td>"+month+"</td>") || !strings.Contains(body, "¥45.00") {
			t.Errorf("%s: %d %s", path, status, body)
		}
	}
	status, body, _ := partner.Get("/orgs/" + f.World.Partner1.ID + "/sales/csv")
	if status != 200 || !strings.Contains(body, "month,"+month+",1,45.00,0,0.00,") || !strings.Contains(body, "order_type,BUY,1,45.00") {
		t.Errorf("csv: %d %s", status, body)
	}
	status, body, _ = partner.Get("/orgs/" + f.World.Partner1.ID + "/sales?from=2027-02-30")
	if status != 422 || !strings.Contains(body, "日期格式应为") {
		t.Errorf("bad date: %d %s", status, body)
	}
}
