package ui

import (
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/access"
	"github.com/shelfhq/shelf/internal/web/service"
)

// ticketPages mounts the service tickets' pages: an org's tickets (a
// customer's, with the form to open one; a partner's, with its service
// targets), a ticket's page for either side, the platform's health.
func (h *Handler) ticketPages(mux *http.ServeMux) {
	mux.HandleFunc("GET /orgs/{org}/tickets", h.pageTicketList)
	mux.HandleFunc("POST /orgs/{org}/tickets", h.postTicket)
	mux.HandleFunc("POST /orgs/{org}/service-targets", h.postTicketTargets)
	mux.HandleFunc("GET /tickets/{ticket}", h.pageTicket)
	mux.HandleFunc("POST /tickets/{ticket}/messages", h.postTicketMessage)
	mux.HandleFunc("POST /tickets/{ticket}/close", h.postTicketClose)
	mux.HandleFunc("POST /tickets/{ticket}/reopen", h.postTicketReopen)
	mux.HandleFunc("GET /tickets/{ticket}/attachments/{attachment}", h.ticketAttachment)
	mux.HandleFunc("GET /admin/tickets", h.pageTicketHealth)
}

// ticketRow is a ticket with its times written for people.
type ticketRow struct {
	shelf.Ticket
	FirstResponse, Resolution string
}

// ticketAppOption is an installed app a customer may open a ticket on.
type ticketAppOption struct{ ID, Name string }

// ticketListPage is an org's tickets: a customer's side (with the form)
// or a partner's (with its targets).
type ticketListPage struct {
	*orgPage
	Partner    bool
	Tickets    []ticketRow
	Apps       []ticketAppOption
	Priorities []shelf.TicketPriority
	Targets    []ticketTargetRow
	State      string
	States     []shelf.TicketState
	Next       string
}

// ticketTargetRow is a service target with its times written for people.
type ticketTargetRow struct {
	shelf.ServiceTarget
	FirstResponseText, ResolutionText string
}

var ticketStates = []shelf.TicketState{shelf.TicketOpen, shelf.TicketAnswered, shelf.TicketWaitingCustomer, shelf.TicketClosed}

const ticketPageSize = 50

// ticketDuration writes seconds as days, hours and minutes in lang.
func ticketDuration(lang string, secs int64) string {
	if secs <= 0 {
		return "—"
	}
	d, hr, m := secs/86400, secs%86400/3600, secs%3600/60
	out := ""
	for _, p := range []struct {
		n   int64
		key string
	}{{d, "ticket.unit.d"}, {hr, "ticket.unit.h"}, {m, "ticket.unit.min"}} {
		if p.n > 0 {
			out += strconv.FormatInt(p.n, 10) + " " + translate(lang, p.key) + " "
		}
	}
	if out == "" {
		return "< 1 " + translate(lang, "ticket.unit.min")
	}
	return out[:len(out)-1]
}

func ticketRows(lang string, ts []shelf.Ticket) []ticketRow {
	out := make([]ticketRow, len(ts))
	for i, t := range ts {
		out[i] = ticketRow{Ticket: t, FirstResponse: ticketDuration(lang, t.FirstResponseSecs), Resolution: ticketDuration(lang, t.ResolutionSecs)}
	}
	return out
}

func (h *Handler) pageTicketList(w http.ResponseWriter, r *http.Request) { h.showTicketList(w, r, nil) }

func (h *Handler) showTicketList(w http.ResponseWriter, r *http.Request, formErr error) {
	op, err := h.loadOrgPage(r, "tickets")
	if err == nil && op.Role == "" {
		err = shelf.NotFound("org")
	}
	if err != nil {
		h.failPage(w, r, err)
		return
	}
	op.Tab = "tickets"
	p := &ticketListPage{orgPage: op, Partner: op.Org.Kind == shelf.OrgPartner, Priorities: shelf.TicketPriorities, States: ticketStates}
	f := shelf.TicketFilter{OrgID: op.Org.ID}
	switch {
	case p.Partner:
		f = shelf.TicketFilter{PartnerID: op.Org.ID}
		err = h.ticketTargets(r, p)
	case !op.IsAdmin:
		f.OpenedBy = userIDOf(r)
	}
	if err == nil && !p.Partner {
		err = h.ticketApps(r, p)
	}
	if err == nil {
		err = h.ticketListRows(r, p, f)
	}
	if err != nil {
		h.failPage(w, r, err)
		return
	}
	h.showLocal(w, r, "ticket_list", "ticket.title", p, op.Org, formErr)
}

// userIDOf is the signed-in user's id ("" for nobody).
func userIDOf(r *http.Request) string {
	u, err := access.RequireUser(r)
	if err != nil {
		return ""
	}
	return u.ID
}

// ticketListRows reads one page of the list with the state filter.
func (h *Handler) ticketListRows(r *http.Request, p *ticketListPage, f shelf.TicketFilter) error {
	q := r.URL.Query()
	var err error
	p.State = q.Get("state")
	if f.State, err = service.TicketState(p.State); err != nil {
		return err
	}
	after, _ := base64.RawURLEncoding.DecodeString(q.Get("cursor"))
	f.After, f.Limit = string(after), ticketPageSize+1
	ts, err := h.Selfop.Tickets(r.Context(), f)
	if err != nil {
		return err
	}
	if len(ts) > ticketPageSize {
		ts = ts[:ticketPageSize]
		q.Set("cursor", base64.RawURLEncoding.EncodeToString([]byte(shelf.TicketCursor(ts[len(ts)-1]))))
		p.Next = q.Encode()
	}
	p.Tickets = ticketRows(language(r), ts)
	return nil
}

// ticketApps lists the apps installed in the org, for the form.
func (h *Handler) ticketApps(r *http.Request, p *ticketListPage) error {
	is, err := h.Listings.Installations(r.Context(), p.Org.ID, shelf.PageReq{})
	if err != nil {
		return err
	}
	n := h.names(r.Context())
	seen := map[string]bool{shelf.PartnerConsoleID: true}
	for _, i := range is {
		if seen[i.AppID] {
			continue
		}
		seen[i.AppID] = true
		name, err := n.app(i.AppID, language(r))
		if err != nil {
			return err
		}
		p.Apps = append(p.Apps, ticketAppOption{ID: i.AppID, Name: name})
	}
	return nil
}

func (h *Handler) ticketTargets(r *http.Request, p *ticketListPage) error {
	ts, err := h.Selfop.ServiceTargets(r.Context(), p.Org.ID)
	for _, t := range ts {
		p.Targets = append(p.Targets, ticketTargetRow{ServiceTarget: t, FirstResponseText: ticketDuration(language(r), int64(t.FirstResponse)*60),
			ResolutionText: ticketDuration(language(r), int64(t.Resolution)*60)})
	}
	return err
}

// ticketUpload reads the form's attached file, if one was sent.
func ticketUpload(r *http.Request) ([]shelf.NewAttachment, error) {
	f, hdr, err := r.FormFile("attachment")
	if errors.Is(err, http.ErrMissingFile) || errors.Is(err, http.ErrNotMultipart) {
		return nil, nil
	}
	if err != nil {
		return nil, &shelf.Error{Kind: shelf.KindBadRequest, Code: "bad_upload", Field: "attachment", Message: "the upload cannot be read"}
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, shelf.MaxTicketAttachment+1))
	if err != nil || len(b) == 0 {
		return nil, err
	}
	return []shelf.NewAttachment{{Name: hdr.Filename, Data: b}}, nil
}

// postTicket: a customer opens a ticket from the org's tickets page.
func (h *Handler) postTicket(w http.ResponseWriter, r *http.Request) {
	acc, err := h.RequireOrg(r, shelf.RoleMember)
	if err != nil {
		h.failPage(w, r, err)
		return
	}
	atts, err := ticketUpload(r)
	var t *shelf.Ticket
	if err == nil {
		t, err = h.Selfop.OpenTicket(r.Context(), shelf.NewTicket{OrgID: acc.Org.ID, AppID: r.PostFormValue("app_id"), ByUserID: acc.User.ID,
			Subject: r.PostFormValue("subject"), Priority: shelf.TicketPriority(r.PostFormValue("priority")), Text: r.PostFormValue("text"), Attachments: atts})
	}
	if err != nil {
		h.showTicketList(w, r, err)
		return
	}
	done(w, r, "/tickets/"+t.ID, "ticket.opened_flash")
}

// postTicketTargets: a partner's admins set its service targets.
func (h *Handler) postTicketTargets(w http.ResponseWriter, r *http.Request) {
	acc, err := h.RequirePartnerMember(r)
	if err == nil && !acc.IsAdmin() {
		err = shelf.Forbidden("org_admin_required", "only an admin of this org may do this")
	}
	if err != nil {
		h.failPage(w, r, err)
		return
	}
	var ts []shelf.ServiceTarget
	for _, p := range shelf.TicketPriorities {
		first, _ := strconv.Atoi(r.PostFormValue("first_" + string(p)))
		res, _ := strconv.Atoi(r.PostFormValue("resolution_" + string(p)))
		ts = append(ts, shelf.ServiceTarget{Priority: p, FirstResponse: first, Resolution: res})
	}
	if _, err := h.Selfop.SetServiceTargets(r.Context(), acc.Org.ID, acc.User.ID, ts); err != nil {
		h.showTicketList(w, r, err)
		return
	}
	done(w, r, "/orgs/"+acc.Org.ID+"/tickets", "ticket.targets_flash")
}

// ticketPageData is a ticket's page, for either side.
type ticketPageData struct {
	Ticket    *service.TicketView
	Row       ticketRow
	Side      string
	Back      string
	CanReopen bool
}

// ticketOfPath loads the ticket in the path and the caller's side.
func (h *Handler) ticketOfPath(r *http.Request) (*shelf.Ticket, *shelf.User, string, error) {
	return h.RequireTicket(r, h.Selfop.Ticket)
}

func (h *Handler) pageTicket(w http.ResponseWriter, r *http.Request) { h.showTicket(w, r, nil) }

func (h *Handler) showTicket(w http.ResponseWriter, r *http.Request, formErr error) {
	t, _, side, err := h.ticketOfPath(r)
	var v *service.TicketView
	if err == nil {
		v, err = h.TicketWithMessages(r.Context(), t)
	}
	if err != nil {
		h.failPage(w, r, err)
		return
	}
	p := &ticketPageData{Ticket: v, Row: ticketRows(language(r), []shelf.Ticket{*t})[0], Side: side, Back: "/orgs/" + t.OrgID + "/tickets"}
	if side == shelf.TicketSidePartner {
		p.Back = "/orgs/" + t.PartnerID + "/tickets"
	}
	p.CanReopen = side == shelf.TicketSideCustomer && t.State == shelf.TicketClosed && h.Clock.Now().Sub(*t.ClosedAt) <= shelf.TicketReopenWindow
	h.showLocal(w, r, "ticket_page", "ticket.one", p, nil, formErr)
}

// postTicketMessage adds a message from the caller's side.
func (h *Handler) postTicketMessage(w http.ResponseWriter, r *http.Request) {
	t, u, side, err := h.ticketOfPath(r)
	if err != nil {
		h.failPage(w, r, err)
		return
	}
	atts, err := ticketUpload(r)
	if err == nil {
		_, err = h.Selfop.ReplyTicket(r.Context(), shelf.TicketReply{TicketID: t.ID, ByUserID: u.ID, Side: side, Text: r.PostFormValue("text"),
			Attachments: atts, AwaitCustomer: side == shelf.TicketSidePartner && r.PostFormValue("await_customer") == "yes"})
	}
	h.afterTicket(w, r, t.ID, err, "ticket.replied_flash")
}

func (h *Handler) postTicketClose(w http.ResponseWriter, r *http.Request) {
	t, u, _, err := h.ticketOfPath(r)
	if err == nil {
		_, err = h.Selfop.CloseTicket(r.Context(), t.ID, u.ID)
	}
	h.afterTicket(w, r, r.PathValue("ticket"), err, "ticket.closed_flash")
}

func (h *Handler) postTicketReopen(w http.ResponseWriter, r *http.Request) {
	t, u, side, err := h.ticketOfPath(r)
	if err == nil && side != shelf.TicketSideCustomer {
		err = shelf.Forbidden("customer_only", "only the customer reopens a ticket")
	}
	if err == nil {
		_, err = h.Selfop.ReopenTicket(r.Context(), t.ID, u.ID)
	}
	h.afterTicket(w, r, r.PathValue("ticket"), err, "ticket.reopened_flash")
}

// afterTicket goes back to the ticket, or shows it with the refusal.
func (h *Handler) afterTicket(w http.ResponseWriter, r *http.Request, id string, err error, flash string) {
	switch kind := shelf.ErrorKind(err); {
	case err == nil:
		done(w, r, "/tickets/"+id, flash)
	case kind == shelf.KindUnauthenticated, kind == shelf.KindNotFound, kind == shelf.KindForbidden, kind == shelf.KindInternal:
		h.failPage(w, r, err)
	default:
		h.showTicket(w, r, err)
	}
}

func (h *Handler) ticketAttachment(w http.ResponseWriter, r *http.Request) {
	t, _, _, err := h.ticketOfPath(r)
	if err != nil {
		h.failPage(w, r, err)
		return
	}
	a, b, err := h.Selfop.TicketAttachmentData(r.Context(), t.ID, r.PathValue("attachment"))
	if err != nil {
		h.failPage(w, r, err)
		return
	}
	service.ServeTicketAttachment(w, a, b)
}

// ticketHealthPage is every partner's tickets, for platform admins.
type ticketHealthPage struct {
	Items []ticketHealthRow
	Next  string
}

// ticketHealthRow is a partner's health with its times written for people.
type ticketHealthRow struct {
	shelf.TicketHealth
	FirstResponse, Resolution string
}

func (h *Handler) pageTicketHealth(w http.ResponseWriter, r *http.Request) {
	if _, err := access.RequirePlatform(r, shelf.PlatformAdmin); err != nil {
		h.failPage(w, r, err)
		return
	}
	after, _ := base64.RawURLEncoding.DecodeString(r.URL.Query().Get("cursor"))
	hs, err := h.Selfop.TicketHealth(r.Context(), string(after), ticketPageSize+1)
	if err != nil {
		h.failPage(w, r, err)
		return
	}
	p := &ticketHealthPage{}
	if len(hs) > ticketPageSize {
		hs = hs[:ticketPageSize]
		p.Next = "cursor=" + base64.RawURLEncoding.EncodeToString([]byte(hs[len(hs)-1].PartnerID))
	}
	for _, x := range hs {
		p.Items = append(p.Items, ticketHealthRow{TicketHealth: x, FirstResponse: ticketDuration(language(r), x.MeanFirstResponse),
			Resolution: ticketDuration(language(r), x.MeanResolution)})
	}
	h.showLocal(w, r, "ticket_health", "ticket.health", p, nil, nil)
}
