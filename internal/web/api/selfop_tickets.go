package api

import (
	"net/http"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/access"
	"github.com/shelfhq/shelf/internal/web/httpx"
	"github.com/shelfhq/shelf/internal/web/service"
)

// ticketRoutes are the service tickets' (服务) endpoints.
func (h *Handler) ticketRoutes() []route {
	return []route{
		{"POST", "/api/v1/orgs/{org}/tickets", h.openTicket},
		{"GET", "/api/v1/orgs/{org}/tickets", h.orgTickets},
		{"GET", "/api/v1/partners/{org}/tickets", h.partnerTickets},
		{"GET", "/api/v1/tickets/{ticket}", h.readTicket},
		{"POST", "/api/v1/tickets/{ticket}/messages", h.replyTicket},
		{"POST", "/api/v1/tickets/{ticket}/close", h.closeTicket},
		{"POST", "/api/v1/tickets/{ticket}/reopen", h.reopenTicket},
		{"GET", "/api/v1/tickets/{ticket}/attachments/{attachment}", h.ticketAttachment},
		{"GET", "/api/v1/partners/{org}/service-targets", h.serviceTargets},
		{"PUT", "/api/v1/partners/{org}/service-targets", h.setServiceTargets},
		{"GET", "/api/v1/platform/ticket-health", h.ticketHealth},
	}
}

type ticketRequest struct {
	AppID       string                `json:"app_id"`
	Subject     string                `json:"subject"`
	Priority    shelf.TicketPriority  `json:"priority"`
	Text        string                `json:"text"`
	Attachments []shelf.NewAttachment `json:"attachments"`
}

// openTicket: an admin of the org, or a member with a seat, opens a
// ticket on an app the org has installed.
func (h *Handler) openTicket(w http.ResponseWriter, r *http.Request) error {
	acc, err := h.RequireOrg(r, shelf.RoleMember)
	if err != nil {
		return err
	}
	var req ticketRequest
	if err := httpx.DecodeJSON(w, r, &req); err != nil {
		return err
	}
	t, err := h.Selfop.OpenTicket(r.Context(), shelf.NewTicket{OrgID: acc.Org.ID, AppID: req.AppID, ByUserID: acc.User.ID, Subject: req.Subject,
		Priority: req.Priority, Text: req.Text, Attachments: req.Attachments})
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, t)
	return nil
}

// ticketPage answers one page of tickets selected by f.
func (h *Handler) ticketPage(w http.ResponseWriter, r *http.Request, f shelf.TicketFilter) error {
	state := r.URL.Query().Get("state")
	scope := []string{f.OpenedBy, state} // the org is the path's; a member sees their own
	p, limit, err := ticketsPager.request(r, scope...)
	if err != nil {
		return err
	}
	if f.State, err = service.TicketState(state); err != nil {
		return err
	}
	f.After, f.Limit = afterKey(p), p.Limit
	ts, err := h.Selfop.Tickets(r.Context(), f)
	return ticketsPager.write(w, r, ts, limit, err, scope...)
}

// ticketsPager pages tickets (a partner's, an org's), newest first.
var ticketsPager = keyPager("tickets", shelf.TicketCursor)

// orgTickets: an org's tickets; its admins see all, a member those they
// opened.
func (h *Handler) orgTickets(w http.ResponseWriter, r *http.Request) error {
	acc, err := h.RequireOrg(r, shelf.RoleMember)
	if err != nil {
		return err
	}
	if acc.Role == "" {
		return shelf.NotFound("org")
	}
	f := shelf.TicketFilter{OrgID: acc.Org.ID}
	if !acc.IsAdmin() {
		f.OpenedBy = acc.User.ID
	}
	return h.ticketPage(w, r, f)
}

// partnerTickets: the tickets on a partner's apps, for its members.
func (h *Handler) partnerTickets(w http.ResponseWriter, r *http.Request) error {
	acc, err := h.RequirePartnerMember(r)
	if err != nil {
		return err
	}
	return h.ticketPage(w, r, shelf.TicketFilter{PartnerID: acc.Org.ID})
}

// sideOfTicket loads the ticket in the path and the caller's side of it.
func (h *Handler) sideOfTicket(r *http.Request) (*shelf.Ticket, *shelf.User, string, error) {
	return h.RequireTicket(r, h.Selfop.Ticket)
}

// readTicket is a ticket with its messages, for either side.
func (h *Handler) readTicket(w http.ResponseWriter, r *http.Request) error {
	t, _, _, err := h.sideOfTicket(r)
	if err != nil {
		return err
	}
	return h.writeTicket(w, r, t, http.StatusOK)
}

func (h *Handler) writeTicket(w http.ResponseWriter, r *http.Request, t *shelf.Ticket, status int) error {
	v, err := h.TicketWithMessages(r.Context(), t)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, status, v)
	return nil
}

type ticketReplyRequest struct {
	Text          string                `json:"text"`
	Attachments   []shelf.NewAttachment `json:"attachments"`
	AwaitCustomer bool                  `json:"await_customer"`
}

// replyTicket adds a message from the caller's side.
func (h *Handler) replyTicket(w http.ResponseWriter, r *http.Request) error {
	t, u, side, err := h.sideOfTicket(r)
	if err != nil {
		return err
	}
	var req ticketReplyRequest
	if err := httpx.DecodeJSON(w, r, &req); err != nil {
		return err
	}
	if req.AwaitCustomer && side != shelf.TicketSidePartner {
		return shelf.FieldError("await_customer", "partner_only", "only the partner waits for the customer")
	}
	if t, err = h.Selfop.ReplyTicket(r.Context(), shelf.TicketReply{TicketID: t.ID, ByUserID: u.ID, Side: side, Text: req.Text,
		Attachments: req.Attachments, AwaitCustomer: req.AwaitCustomer}); err != nil {
		return err
	}
	return h.writeTicket(w, r, t, http.StatusCreated)
}

// closeTicket: either side closes.
func (h *Handler) closeTicket(w http.ResponseWriter, r *http.Request) error {
	t, u, _, err := h.sideOfTicket(r)
	if err != nil {
		return err
	}
	if t, err = h.Selfop.CloseTicket(r.Context(), t.ID, u.ID); err != nil {
		return err
	}
	return h.writeTicket(w, r, t, http.StatusOK)
}

// reopenTicket: the customer's side reopens within 14 days.
func (h *Handler) reopenTicket(w http.ResponseWriter, r *http.Request) error {
	t, u, side, err := h.sideOfTicket(r)
	if err != nil {
		return err
	}
	if side != shelf.TicketSideCustomer {
		return shelf.Forbidden("customer_only", "only the customer reopens a ticket")
	}
	if t, err = h.Selfop.ReopenTicket(r.Context(), t.ID, u.ID); err != nil {
		return err
	}
	return h.writeTicket(w, r, t, http.StatusOK)
}

// ticketAttachment serves an attached file as a download, with the type
// Shelf checked it to be.
func (h *Handler) ticketAttachment(w http.ResponseWriter, r *http.Request) error {
	t, _, _, err := h.sideOfTicket(r)
	if err != nil {
		return err
	}
	a, b, err := h.Selfop.TicketAttachmentData(r.Context(), t.ID, r.PathValue("attachment"))
	if err != nil {
		return err
	}
	service.ServeTicketAttachment(w, a, b)
	return nil
}

// serviceTargets are a partner's targets per priority (its members).
func (h *Handler) serviceTargets(w http.ResponseWriter, r *http.Request) error {
	acc, err := h.RequirePartnerMember(r)
	if err != nil {
		return err
	}
	ts, err := h.Selfop.ServiceTargets(r.Context(), acc.Org.ID)
	return httpx.WriteList(w, ts, err)
}

type serviceTargetsRequest struct {
	Targets []shelf.ServiceTarget `json:"targets"`
}

// setServiceTargets: a partner's admins set its targets.
func (h *Handler) setServiceTargets(w http.ResponseWriter, r *http.Request) error {
	acc, err := h.RequirePartnerMember(r)
	if err != nil {
		return err
	}
	if !acc.IsAdmin() {
		return shelf.Forbidden("org_admin_required", "only an admin of this org may do this")
	}
	var req serviceTargetsRequest
	if err := httpx.DecodeJSON(w, r, &req); err != nil {
		return err
	}
	ts, err := h.Selfop.SetServiceTargets(r.Context(), acc.Org.ID, acc.User.ID, req.Targets)
	return httpx.WriteList(w, ts, err)
}

// ticketHealth: every partner's tickets, for platform admins.
func (h *Handler) ticketHealth(w http.ResponseWriter, r *http.Request) error {
	if _, err := access.RequirePlatform(r, shelf.PlatformAdmin); err != nil {
		return err
	}
	p, limit, err := ticketHealthPager.request(r)
	if err != nil {
		return err
	}
	hs, err := h.Selfop.TicketHealth(r.Context(), afterKey(p), p.Limit)
	return ticketHealthPager.write(w, r, hs, limit, err)
}

// ticketHealthPager pages the partners' ticket health by partner.
var ticketHealthPager = keyPager("ticket-health", func(x shelf.TicketHealth) string { return x.PartnerID })
