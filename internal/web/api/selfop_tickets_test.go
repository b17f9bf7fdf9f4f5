package api_test

import (
	"bytes"
	"context"
	"image/color"
	"testing"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store/storetest"
	"github.com/shelfhq/shelf/internal/web/webtest"
)

// freshTicket is customer@'s ticket (the customer org's admin) on the app
// of a fresh paid order, with a text attachment.
func freshTicket(f *webtest.Fixture) *shelf.Ticket {
	f.T.Helper()
	t, err := f.Store.OpenTicket(context.Background(), shelf.NewTicket{OrgID: f.World.Customer.ID, AppID: f.FreshOrder(true).AppID,
		ByUserID: f.World.Users[demo.CustomerEmail].ID, Subject: "无法登录", Text: "help", Attachments: []shelf.NewAttachment{{Name: "log.txt", Data: []byte("error 42\n")}}})
	if err != nil {
		f.T.Fatal(err)
	}
	return t
}

// seatless is the app of a fresh paid order whose only seat is the
// customer org's admin's (customer@): member@ has none.
func seatless(f *webtest.Fixture) string {
	f.T.Helper()
	o := f.FreshOrder(true)
	admin := f.World.Users[demo.CustomerEmail].ID
	if _, err := f.Store.SetSeats(context.Background(), o.OrgID, o.AppID, shelf.SeatsChange{UserIDs: []string{admin}, ByUserID: admin}); err != nil {
		f.T.Fatal(err)
	}
	return o.AppID
}

func ticketAuthzRows() []commerceRow {
	org := func(f *webtest.Fixture) (map[string]string, any) {
		return map[string]string{"org": f.World.Customer.ID}, map[string]any{"app_id": seatless(f), "subject": "慢", "text": "help"}
	}
	partner := func(f *webtest.Fixture) (map[string]string, any) {
		return map[string]string{"org": f.World.Partner1.ID}, nil
	}
	targets := func(f *webtest.Fixture) (map[string]string, any) {
		return map[string]string{"org": f.World.Partner1.ID}, map[string]any{"targets": []any{map[string]any{"priority": "high", "first_response_minutes": 60, "resolution_minutes": 600}}}
	}
	ticket := func(f *webtest.Fixture) (map[string]string, any) {
		return map[string]string{"ticket": freshTicket(f).ID}, nil
	}
	message := func(f *webtest.Fixture) (map[string]string, any) {
		return map[string]string{"ticket": freshTicket(f).ID}, map[string]any{"text": "回复"}
	}
	closed := func(f *webtest.Fixture) (map[string]string, any) {
		t := freshTicket(f)
		if _, err := f.Store.CloseTicket(context.Background(), t.ID, t.OpenedBy); err != nil {
			f.T.Fatal(err)
		}
		return map[string]string{"ticket": t.ID}, nil
	}
	attachment := func(f *webtest.Fixture) (map[string]string, any) {
		t := freshTicket(f)
		ms, err := f.Store.TicketMessages(context.Background(), t.ID)
		if err != nil {
			f.T.Fatal(err)
		}
		return map[string]string{"ticket": t.ID, "attachment": ms[0].Attachments[0].ID}, nil
	}
	none := func(*webtest.Fixture) (map[string]string, any) { return nil, nil }
	return []commerceRow{
		// On the customer org: member is member@ (no seat of the app, and
		// not who opened the ticket), admin customer@ (who opened it).
		{"POST", "/api/v1/orgs/{org}/tickets", onCustomer, [6]int{401, 403, 201, 404, 404, 403}, org},
		{"GET", "/api/v1/orgs/{org}/tickets", onCustomer, [6]int{401, 200, 200, 404, 404, 404}, org},
		{"GET", "/api/v1/tickets/{ticket}", onCustomer, [6]int{401, 404, 200, 404, 404, 404}, ticket},
		{"POST", "/api/v1/tickets/{ticket}/messages", onCustomer, [6]int{401, 404, 201, 404, 404, 404}, message},
		{"POST", "/api/v1/tickets/{ticket}/close", onCustomer, [6]int{401, 404, 200, 404, 404, 404}, ticket},
		{"POST", "/api/v1/tickets/{ticket}/reopen", onCustomer, [6]int{401, 404, 200, 404, 404, 404}, closed},
		// On partner org 1, the app's partner: member dev@, admin partner@;
		// partner org 2's admin never sees them.
		{"GET", "/api/v1/tickets/{ticket}", onPartner, [6]int{401, 200, 200, 404, 404, 404}, ticket},
		{"POST", "/api/v1/tickets/{ticket}/messages", onPartner, [6]int{401, 201, 201, 404, 404, 404}, message},
		{"POST", "/api/v1/tickets/{ticket}/reopen", onPartner, [6]int{401, 403, 403, 404, 404, 404}, closed},
		{"GET", "/api/v1/tickets/{ticket}/attachments/{attachment}", onPartner, [6]int{401, 200, 200, 404, 404, 404}, attachment},
		{"GET", "/api/v1/partners/{org}/tickets", onPartner, [6]int{401, 200, 200, 404, 404, 404}, partner},
		{"GET", "/api/v1/partners/{org}/service-targets", onPartner, [6]int{401, 200, 200, 404, 404, 404}, partner},
		{"PUT", "/api/v1/partners/{org}/service-targets", onPartner, [6]int{401, 403, 200, 404, 404, 403}, targets},
		{"GET", "/api/v1/platform/ticket-health", onPartner, [6]int{401, 403, 403, 403, 403, 200}, none},
	}
}

// TestTicketsAuthorization calls every ticket endpoint as each of the six
// callers.
func TestTicketsAuthorization(t *testing.T) {
	runAuthzRows(t, webtest.New(t), ticketAuthzRows(), false)
}

// TestTicketsAPI, on both databases: refused tickets and messages answer
// a code and change nothing; the partner answers, the customer closes and
// reopens; an attachment comes back as checked.
func TestTicketsAPI(t *testing.T) {
	for _, backend := range []string{storetest.SQLite, storetest.Postgres} {
		t.Run(backend, func(t *testing.T) { testTicketsAPI(t, webtest.NewWith(t, backend, nil)) })
	}
}

func testTicketsAPI(t *testing.T, f *webtest.Fixture) {
	app := seatless(f)
	org := map[string]string{"org": f.World.Customer.ID}
	path := "/api/v1/orgs/{org}/tickets"
	png := storetest.PNG(t, 32, 32, color.RGBA{1, 2, 3, 255})
	other := f.RevisionIn("listed").AppID // listed, never installed here
	before := f.Counts()
	for _, c := range []struct {
		name   string
		as     string
		body   any
		status int
		code   string
	}{
		{"an app the org does not have", demo.CustomerEmail, map[string]any{"app_id": other, "subject": "s", "text": "t"}, 422, "app_not_installed"},
		{"a member without a seat", demo.MemberEmail, map[string]any{"app_id": app, "subject": "s", "text": "t"}, 403, "seat_required"},
		{"too large", demo.CustomerEmail, map[string]any{"app_id": app, "subject": "s", "text": "t",
			"attachments": []any{map[string]any{"name": "a.txt", "data": bytes.Repeat([]byte("a"), shelf.MaxTicketAttachment+1)}}}, 422, "attachment_too_large"},
		{"a refused type", demo.CustomerEmail, map[string]any{"app_id": app, "subject": "s", "text": "t",
			"attachments": []any{map[string]any{"name": "a.pdf", "data": []byte("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")}}}, 422, "attachment_type_refused"},
		{"no subject", demo.CustomerEmail, map[string]any{"app_id": app, "text": "t"}, 422, "required"},
		{"a bad priority", demo.CustomerEmail, map[string]any{"app_id": app, "subject": "s", "text": "t", "priority": "now"}, 422, "invalid_priority"},
	} {
		f.Call(c.as, "POST", path, org, c.body).WantError(t, c.status, c.code)
	}
	if ch := before.Changed(f.Counts()); len(ch) > 0 {
		t.Fatalf("refused tickets changed %v", ch)
	}
	var tk struct {
		shelf.Ticket
		Messages []shelf.TicketMessage
	}
	r := f.Call(demo.CustomerEmail, "POST", path, org, map[string]any{"app_id": app, "subject": "无法登录", "text": "截图见附件", "priority": "urgent",
		"attachments": []any{map[string]any{"name": "shot.png", "data": png}}})
	if r.JSON(t, &tk); r.Status != 201 || tk.State != shelf.TicketOpen || tk.Priority != shelf.PriorityUrgent {
		t.Fatalf("open: %d %s", r.Status, r.Body)
	}
	id := map[string]string{"ticket": tk.ID}
	f.Call(demo.Partner2Email, "POST", "/api/v1/tickets/{ticket}/messages", id, map[string]any{"text": "x"}).WantError(t, 404, "not_found")
	f.Call(demo.CustomerEmail, "POST", "/api/v1/tickets/{ticket}/messages", id, map[string]any{"text": "x", "await_customer": true}).WantError(t, 422, "partner_only")
	before = f.Counts()
	f.Call(demo.PartnerEmail, "POST", "/api/v1/tickets/{ticket}/messages", id, map[string]any{"text": "x",
		"attachments": []any{map[string]any{"name": "a.svg", "data": []byte("<svg xmlns='http://www.w3.org/2000/svg'/>")}}}).WantError(t, 422, "attachment_type_refused")
	if ch := before.Changed(f.Counts()); len(ch) > 0 {
		t.Fatalf("a refused message changed %v", ch)
	}
	f.Advance(90 * 60e9) // 90 minutes: past the urgent first-response target (60)
	r = f.Call(demo.PartnerEmail, "POST", "/api/v1/tickets/{ticket}/messages", id, map[string]any{"text": "请重试 try again", "await_customer": true})
	if r.JSON(t, &tk); r.Status != 201 || tk.State != shelf.TicketWaitingCustomer || tk.FirstResponseSecs != 90*60 || !tk.ResponseBreached || len(tk.Messages) != 2 {
		t.Fatalf("answer: %d %s", r.Status, r.Body)
	}
	att := tk.Messages[0].Attachments[0]
	r = f.Call("dev@shelf.test", "GET", "/api/v1/tickets/{ticket}/attachments/{attachment}", map[string]string{"ticket": tk.ID, "attachment": att.ID}, nil)
	if r.Status != 200 || r.Header.Get("Content-Type") != "image/png" || !bytes.HasPrefix(r.Body, []byte("\x89PNG")) {
		t.Fatalf("attachment: %d %v", r.Status, r.Header)
	}
	r = f.Call(demo.CustomerEmail, "POST", "/api/v1/tickets/{ticket}/close", id, nil)
	if r.JSON(t, &tk); tk.State != shelf.TicketClosed {
		t.Fatalf("close: %d %s", r.Status, r.Body)
	}
	f.Call(demo.CustomerEmail, "POST", "/api/v1/tickets/{ticket}/messages", id, map[string]any{"text": "x"}).WantError(t, 409, "ticket_closed")
	f.Advance(15 * 24 * 3600e9)
	f.Call(demo.CustomerEmail, "POST", "/api/v1/tickets/{ticket}/reopen", id, nil).WantError(t, 409, "reopen_window_passed")
	var health struct {
		Items []shelf.TicketHealth
	}
	f.Call(demo.AdminEmail, "GET", "/api/v1/platform/ticket-health", nil, nil).JSON(t, &health)
	if len(health.Items) == 0 || health.Items[0].ResponseBreaches == 0 {
		t.Fatalf("health = %+v", health)
	}
}
