package storetest

import (
	"bytes"
	"context"
	"image/color"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
)

var ticketsContract = map[string]func(t *testing.T, open Opener){
	"TicketsOpen":     testTicketsOpen,
	"TicketsStates":   testTicketsStates,
	"RatingsEditFlag": testRatingsEditFlag,
}

// testTicketsOpen: only an org that has the app, and there its admins or
// members with a seat, open tickets; attachments are bounded and checked.
func testTicketsOpen(t *testing.T, open Opener) {
	ctx := context.Background()
	clock := shelf.NewManualClock(time.Date(2027, 1, 10, 9, 0, 0, 0, time.UTC))
	sh := NewShop(t, open(t, clock), nil)
	s := sh.S
	ticket := func(by string, atts ...shelf.NewAttachment) (*shelf.Ticket, error) {
		return s.OpenTicket(ctx, shelf.NewTicket{OrgID: sh.Customer.ID, AppID: sh.App.ID, ByUserID: by, Subject: "无法登录 cannot sign in",
			Priority: shelf.PriorityHigh, Text: "登录时报错 an error at sign-in", Attachments: atts})
	}
	_, err := ticket(sh.Admin.ID)
	WantCode(t, err, "app_not_installed")
	if _, err := s.StartTrial(ctx, sh.Customer.ID, sh.Listing.ID, sh.Admin.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetSeats(ctx, sh.Customer.ID, sh.App.ID, shelf.SeatsChange{UserIDs: []string{sh.Admin.ID}, ByUserID: sh.Admin.ID}); err != nil {
		t.Fatal(err)
	}
	png := PNG(t, 64, 64, color.RGBA{200, 10, 10, 255})
	for _, c := range []struct {
		name string
		by   string
		atts []shelf.NewAttachment
		code string
	}{
		{"a member without a seat", sh.Member.ID, nil, "seat_required"},
		{"a stranger", sh.Partner.ID, nil, "org_member_required"},
		{"too large", sh.Admin.ID, []shelf.NewAttachment{{Name: "big.txt", Data: bytes.Repeat([]byte("a"), shelf.MaxTicketAttachment+1)}}, "attachment_too_large"},
		{"a program", sh.Admin.ID, []shelf.NewAttachment{{Name: "x.exe", Data: []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00")}}, "attachment_type_refused"},
		{"text named as a page", sh.Admin.ID, []shelf.NewAttachment{{Name: "x.svg", Data: []byte("<svg xmlns='http://www.w3.org/2000/svg'/>")}}, "attachment_type_refused"},
		{"html", sh.Admin.ID, []shelf.NewAttachment{{Name: "x.html", Data: []byte("<html><script>alert(1)</script>")}}, "attachment_type_refused"},
		{"a truncated image", sh.Admin.ID, []shelf.NewAttachment{{Name: "x.png", Data: png[:len(png)/2]}}, "image_invalid"},
	} {
		_, err := ticket(c.by, c.atts...)
		WantCode(t, err, c.code)
	}
	tk, err := ticket(sh.Admin.ID, shelf.NewAttachment{Name: "../shot.png", Data: png}, shelf.NewAttachment{Name: "log.txt", Data: []byte("第一行\nline 2\n")})
	if err != nil {
		t.Fatal(err)
	}
	if tk.State != shelf.TicketOpen || tk.PartnerID != sh.Listing.OrgID || tk.OpenedBy != sh.Admin.ID || !tk.ResponseDue.Equal(clock.Now().Add(4*time.Hour)) {
		t.Fatalf("ticket = %+v", tk)
	}
	ms, err := s.TicketMessages(ctx, tk.ID)
	if err != nil || len(ms) != 1 || len(ms[0].Attachments) != 2 {
		t.Fatalf("messages = %+v, %v", ms, err)
	}
	a := ms[0].Attachments[0]
	if a.Name == "log.txt" {
		a = ms[0].Attachments[1]
	}
	if a.Name != "shot.png" || a.ContentType != "image/png" {
		t.Fatalf("attachment = %+v", a)
	}
	if _, b, err := s.TicketAttachmentData(ctx, tk.ID, a.ID); err != nil || !bytes.HasPrefix(b, []byte("\x89PNG")) {
		t.Fatalf("attachment data: %v", err)
	}
	// A seat makes a member able to.
	if _, err := s.SetSeats(ctx, sh.Customer.ID, sh.App.ID, shelf.SeatsChange{UserIDs: []string{sh.Admin.ID, sh.Member.ID}, ByUserID: sh.Admin.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := ticket(sh.Member.ID); err != nil {
		t.Fatal(err)
	}
	if got := eventTypes(t, s, sh.App.ID, sh.Customer.ID); !slices.Contains(got, shelf.EventTicketCreated) {
		t.Fatalf("events = %v", got)
	}
}

// testTicketsStates: the partner's answer is the first response, the
// customer's message opens the ticket again, closing stops the clock, a
// ticket reopens within 14 days; targets are the partner's at opening and
// breaches show in the platform's health.
func testTicketsStates(t *testing.T, open Opener) {
	ctx := context.Background()
	clock := shelf.NewManualClock(time.Date(2027, 1, 10, 9, 0, 0, 0, time.UTC))
	sh := NewShop(t, open(t, clock), nil)
	s := sh.S
	if _, err := s.StartTrial(ctx, sh.Customer.ID, sh.Listing.ID, sh.Admin.ID); err != nil {
		t.Fatal(err)
	}
	_, err := s.SetServiceTargets(ctx, sh.Listing.OrgID, sh.Partner.ID, []shelf.ServiceTarget{{Priority: shelf.PriorityUrgent, FirstResponse: 30, Resolution: 20}})
	WantCode(t, err, "out_of_range")
	if _, err := s.SetServiceTargets(ctx, sh.Listing.OrgID, sh.Partner.ID, []shelf.ServiceTarget{{Priority: shelf.PriorityUrgent, FirstResponse: 30, Resolution: 120}}); err != nil {
		t.Fatal(err)
	}
	open2 := func(p shelf.TicketPriority) *shelf.Ticket {
		t.Helper()
		tk, err := s.OpenTicket(ctx, shelf.NewTicket{OrgID: sh.Customer.ID, AppID: sh.App.ID, ByUserID: sh.Admin.ID, Subject: "慢 slow", Priority: p, Text: "help"})
		if err != nil {
			t.Fatal(err)
		}
		return tk
	}
	urgent, normal := open2(shelf.PriorityUrgent), open2(shelf.PriorityNormal)
	reply := func(tk *shelf.Ticket, side string, await bool) (*shelf.Ticket, error) {
		by := sh.Admin.ID
		if side == shelf.TicketSidePartner {
			by = sh.Partner.ID
		}
		return s.ReplyTicket(ctx, shelf.TicketReply{TicketID: tk.ID, ByUserID: by, Side: side, Text: "回复 reply", AwaitCustomer: await})
	}
	clock.Advance(45 * time.Minute) // past the urgent ticket's 30 minutes
	tk, err := reply(urgent, shelf.TicketSidePartner, true)
	if err != nil || tk.State != shelf.TicketWaitingCustomer || tk.FirstResponseSecs != 45*60 || !tk.ResponseBreached || tk.ResolutionBreached {
		t.Fatalf("answered = %+v, %v", tk, err)
	}
	clock.Advance(time.Hour)
	if tk, err = reply(tk, shelf.TicketSideCustomer, false); err != nil || tk.State != shelf.TicketOpen || tk.FirstResponseSecs != 45*60 {
		t.Fatalf("customer again = %+v, %v", tk, err)
	}
	if tk, err = reply(tk, shelf.TicketSidePartner, false); err != nil || tk.State != shelf.TicketAnswered {
		t.Fatalf("answered = %+v, %v", tk, err)
	}
	if tk, err = s.CloseTicket(ctx, tk.ID, sh.Admin.ID); err != nil || tk.State != shelf.TicketClosed || tk.ResolutionSecs != 105*60 || tk.ResolutionBreached {
		t.Fatalf("closed = %+v, %v", tk, err)
	}
	_, err = reply(tk, shelf.TicketSideCustomer, false)
	WantCode(t, err, "ticket_closed")
	_, err = s.CloseTicket(ctx, tk.ID, sh.Admin.ID)
	WantCode(t, err, "ticket_closed")
	_, err = s.ReopenTicket(ctx, normal.ID, sh.Admin.ID)
	WantCode(t, err, "ticket_not_closed")
	clock.Advance(14*24*time.Hour - time.Minute)
	if tk, err = s.ReopenTicket(ctx, tk.ID, sh.Admin.ID); err != nil || tk.State != shelf.TicketOpen || tk.ClosedAt != nil {
		t.Fatalf("reopened = %+v, %v", tk, err)
	}
	if tk, err = s.CloseTicket(ctx, tk.ID, sh.Admin.ID); err != nil {
		t.Fatal(err)
	}
	clock.Advance(14*24*time.Hour + time.Minute)
	_, err = s.ReopenTicket(ctx, tk.ID, sh.Admin.ID)
	WantCode(t, err, "reopen_window_passed")

	// The normal ticket (8 h to respond, 3 days to resolve by default) has
	// waited four weeks: both breached; the urgent one: its response.
	hs, err := s.TicketHealth(ctx, "", 10)
	if err != nil || len(hs) != 1 {
		t.Fatalf("health = %+v, %v", hs, err)
	}
	if h := hs[0]; h.PartnerID != sh.Listing.OrgID || h.Open != 1 || h.Closed != 1 || h.ResponseBreaches != 2 || h.ResolutionBreaches != 2 ||
		h.MeanFirstResponse != 45*60 {
		t.Fatalf("health = %+v", h)
	}
	list, err := s.Tickets(ctx, shelf.TicketFilter{PartnerID: sh.Listing.OrgID, Limit: 1})
	if err != nil || len(list) != 1 {
		t.Fatalf("tickets = %+v, %v", list, err)
	}
	next, err := s.Tickets(ctx, shelf.TicketFilter{PartnerID: sh.Listing.OrgID, Limit: 5, After: shelf.TicketCursor(list[0])})
	if err != nil || len(next) != 1 || next[0].ID == list[0].ID {
		t.Fatalf("second page = %+v, %v", next, err)
	}
	if mine, err := s.Tickets(ctx, shelf.TicketFilter{OrgID: sh.Customer.ID, OpenedBy: sh.Member.ID, Limit: 5}); err != nil || len(mine) != 0 {
		t.Fatalf("the member's = %+v, %v", mine, err)
	}
	if got := strings.Join(eventTypes(t, s, sh.App.ID, sh.Customer.ID), ","); strings.Count(got, shelf.EventTicketReplied) != 3 {
		t.Fatalf("events = %s", got)
	}
}

// testRatingsEditFlag: a member of the org edits its review (and becomes
// its author); customers flag it once each; hiding it tells the org in
// its notices.
func testRatingsEditFlag(t *testing.T, open Opener) {
	ctx := context.Background()
	sh := NewShop(t, open(t, nil), nil)
	s := sh.S
	if _, err := s.StartTrial(ctx, sh.Customer.ID, sh.Listing.ID, sh.Admin.ID); err != nil {
		t.Fatal(err)
	}
	r, err := s.CreateRating(ctx, shelf.NewRating{ListingID: sh.Listing.ID, OrgID: sh.Customer.ID, ByUserID: sh.Admin.ID, Stars: 2, Text: "慢"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.EditRating(ctx, r.ID, sh.Partner.ID, 5, "x")
	WantCode(t, err, "org_member_required")
	_, err = s.EditRating(ctx, r.ID, sh.Member.ID, 0, "x")
	WantCode(t, err, "out_of_range")
	summary := func(want [5]int) {
		t.Helper()
		if got, err := s.RatingSummary(ctx, sh.Listing.ID); err != nil || got != shelf.SummaryOf(want) {
			t.Fatalf("summary = %+v, %v; want the counts %v", got, err, want)
		}
	}
	summary([5]int{0, 1, 0, 0, 0})
	if r, err = s.EditRating(ctx, r.ID, sh.Member.ID, 4, "好多了 better"); err != nil || r.Stars != 4 || r.AuthorID != sh.Member.ID || r.AuthorRole != shelf.RoleMember {
		t.Fatalf("edited = %+v, %v", r, err)
	}
	summary([5]int{0, 0, 0, 1, 0}) // the kept counts move with the stars
	_, err = s.FlagRating(ctx, r.ID, sh.Partner.ID, "spam")
	WantCode(t, err, "customer_required")
	_, err = s.FlagRating(ctx, r.ID, sh.Admin.ID, "")
	WantCode(t, err, "required")
	if r, err = s.FlagRating(ctx, r.ID, sh.Admin.ID, "spam"); err != nil || r.Flags != 1 {
		t.Fatalf("flagged = %+v, %v", r, err)
	}
	_, err = s.FlagRating(ctx, r.ID, sh.Admin.ID, "spam")
	WantCode(t, err, "already_flagged")
	if _, err := s.HideRating(ctx, r.ID, sh.Partner.ID, "广告 advertising"); err != nil {
		t.Fatal(err)
	}
	summary([5]int{})
	if _, err := s.EditRating(ctx, r.ID, sh.Member.ID, 5, "还是隐藏 still hidden"); err != nil {
		t.Fatal(err)
	}
	summary([5]int{}) // a hidden review stays out when edited
	ns, err := s.Notices(ctx, sh.Customer.ID, shelf.FirstPage(10))
	if err != nil || len(ns) != 1 || ns[0].Kind != "rating.hidden" || ns[0].ObjectID != r.ID || !strings.Contains(ns[0].Message, "广告 advertising") {
		t.Fatalf("notices = %+v, %v", ns, err)
	}
}
