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

// TestTicketPagesAuthorization opens the ticket pages as each kind of
// caller: a ticket is its partner's members' and, on the customer's side,
// its org admins' and opener's; the health page the platform admins'.
func TestTicketPagesAuthorization(t *testing.T) {
	f := webtest.New(t)
	o := f.FreshOrder(true)
	tk, err := f.Store.OpenTicket(context.Background(), shelf.NewTicket{OrgID: o.OrgID, AppID: o.AppID, ByUserID: f.World.Users[demo.CustomerEmail].ID,
		Subject: "慢", Text: "help", Attachments: []shelf.NewAttachment{{Name: "log.txt", Data: []byte("x\n")}}})
	if err != nil {
		t.Fatal(err)
	}
	ms, err := f.Store.TicketMessages(context.Background(), tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	p1, c := f.World.Partner1.ID, f.World.Customer.ID
	who, browsers := selfopBrowsers(f)
	const signin = http.StatusSeeOther
	for _, c := range []struct {
		path string
		want [7]int
	}{
		{"/orgs/" + c + "/tickets", [7]int{signin, 200, 404, 404, 404, 404, 404}},
		{"/orgs/" + p1 + "/tickets", [7]int{signin, 404, 200, 200, 404, 404, 404}},
		// member@ neither opened it nor administers the org.
		{"/tickets/" + tk.ID, [7]int{signin, 404, 200, 200, 404, 404, 404}},
		{"/tickets/" + tk.ID + "/attachments/" + ms[0].Attachments[0].ID, [7]int{signin, 404, 200, 200, 404, 404, 404}},
		{"/admin/tickets", [7]int{signin, 403, 403, 403, 403, 403, 200}},
	} {
		for i, email := range who {
			if status, _, _ := browsers[email].Get(c.path); status != c.want[i] {
				t.Errorf("GET %s as %q = %d, want %d", c.path, email, status, c.want[i])
			}
		}
	}
	for i, email := range who[1:] {
		b := browsers[email]
		_, page, _ := b.Get("/orgs")
		csrf := webtest.CSRFOf(t, page)
		status, _, _ := b.Post("/tickets/"+tk.ID+"/messages", url.Values{"csrf_token": {csrf}, "text": {"hi"}})
		if want := []int{404, 303, 303, 404, 404, 404}[i]; status != want {
			t.Errorf("message as %s = %d, want %d", email, status, want)
		}
		status, _, _ = b.Post("/orgs/"+p1+"/service-targets", url.Values{"csrf_token": {csrf}})
		if want := []int{404, 422, 403, 404, 404, 403}[i]; status != want {
			t.Errorf("targets as %s = %d, want %d", email, status, want)
		}
	}
}

// TestTicketPages: a customer admin opens a ticket from the org's page (a
// member without a seat is told why not), the partner answers, the
// customer closes it and reopens it; times and breaches show on both
// sides and on the platform's health page.
func TestTicketPages(t *testing.T) {
	f := webtest.New(t)
	o := f.FreshOrder(true)
	admin := f.World.Users[demo.CustomerEmail].ID
	if _, err := f.Store.SetSeats(context.Background(), o.OrgID, o.AppID, shelf.SeatsChange{UserIDs: []string{admin}, ByUserID: admin}); err != nil {
		t.Fatal(err)
	}
	member := f.Browser()
	member.SignIn(demo.MemberEmail)
	_, page, _ := member.Get("/orgs/" + o.OrgID + "/tickets")
	form := url.Values{"csrf_token": {webtest.CSRFOf(t, page)}, "app_id": {o.AppID}, "subject": {"无法登录"}, "priority": {"urgent"}, "text": {"报错"}}
	if _, body, _ := member.Post("/orgs/"+o.OrgID+"/tickets", form); !strings.Contains(body, "持有该应用席位的成员") {
		t.Fatalf("seatless member: %s", body)
	}
	customer := f.Browser()
	customer.SignIn(demo.CustomerEmail)
	_, page, _ = customer.Get("/orgs/" + o.OrgID + "/tickets")
	form.Set("csrf_token", webtest.CSRFOf(t, page))
	status, _, h := customer.Post("/orgs/"+o.OrgID+"/tickets", form)
	if status != 303 || !strings.HasPrefix(h.Get("Location"), "/tickets/tkt_") {
		t.Fatalf("open: %d %v", status, h)
	}
	path := strings.SplitN(h.Get("Location"), "?", 2)[0]
	f.Advance(2 * time.Hour) // past the urgent ticket's hour
	partner := f.Browser()
	partner.SignIn(demo.PartnerEmail)
	_, page, _ = partner.Get(path)
	if !strings.Contains(page, "无法登录") || !strings.Contains(page, "超时") {
		t.Fatalf("partner's page: %s", page)
	}
	csrf := webtest.CSRFOf(t, page)
	if status, _, _ := partner.Post(path+"/messages", url.Values{"csrf_token": {csrf}, "text": {"请清除缓存后重试"}}); status != 303 {
		t.Fatalf("answer: %d", status)
	}
	_, page, _ = customer.Get(path)
	if !strings.Contains(page, "已回复") || !strings.Contains(page, "请清除缓存后重试") || !strings.Contains(page, "2 小时") {
		t.Fatalf("customer's page: %s", page)
	}
	csrf = webtest.CSRFOf(t, page)
	if status, _, _ := customer.Post(path+"/close", url.Values{"csrf_token": {csrf}}); status != 303 {
		t.Fatalf("close: %d", status)
	}
	_, page, _ = customer.Get(path)
	if !strings.Contains(page, `id="ticket-reopen"`) || strings.Contains(page, `id="reply-form"`) {
		t.Fatalf("closed page: %s", page)
	}
	if _, body, _ := customer.Post(path+"/messages", url.Values{"csrf_token": {csrf}, "text": {"again"}}); !strings.Contains(body, "工单已关闭") {
		t.Fatalf("message to a closed ticket: %s", body)
	}
	if status, _, _ := customer.Post(path+"/reopen", url.Values{"csrf_token": {csrf}}); status != 303 {
		t.Fatalf("reopen: %d", status)
	}
	platform := f.Browser()
	platform.SignIn(demo.AdminEmail)
	platform.Get("/lang?to=en&back=/")
	_, page, _ = platform.Get("/admin/tickets")
	if !strings.Contains(page, `id="health-`+f.World.Partner1.ID+`"`) || !strings.Contains(page, "2 h") {
		t.Fatalf("health: %s", page)
	}
}
