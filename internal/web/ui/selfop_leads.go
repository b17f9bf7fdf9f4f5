package ui

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/access"
	"github.com/shelfhq/shelf/internal/web/service"
)

// selfop2PageFiles are the leads' and service tickets' pages (see
// pageFiles).
var selfop2PageFiles = []string{"lead_list", "lead_page", "lead_requests", "ticket_list", "ticket_page", "ticket_health"}

// selfop2Pages mounts the leads' and the tickets' pages.
func (h *Handler) selfop2Pages(mux *http.ServeMux) {
	h.leadPages(mux)
	h.ticketPages(mux)
}

// leadPages mounts the leads' pages: the partner's list and a lead's page,
// the customer's contact requests, and the listing page's contact form.
func (h *Handler) leadPages(mux *http.ServeMux) {
	mux.HandleFunc("POST /listings/{listing}/contact", h.postLeadContact)
	mux.HandleFunc("GET /orgs/{org}/leads", h.pageLeadList)
	mux.HandleFunc("GET /orgs/{org}/leads/{lead}", h.pageLead)
	mux.HandleFunc("POST /orgs/{org}/leads/{lead}", h.postLead)
	mux.HandleFunc("GET /orgs/{org}/contact-requests", h.pageLeadRequests)
	mux.HandleFunc("POST /orgs/{org}/contact-requests/{lead}/withdraw", h.postLeadWithdraw)
}

// leadSource names where a reader of the listing page came from, by the
// page that linked to it: the contact form carries it.
func leadSource(r *http.Request) string {
	ref, err := url.Parse(r.Referer())
	if err != nil || ref.Host != r.Host {
		return "direct"
	}
	switch p := ref.Path; {
	case strings.HasPrefix(p, "/search"):
		return "search"
	case strings.HasPrefix(p, "/categories"):
		return "category"
	case p == "/" || strings.HasPrefix(p, "/market"):
		return "market"
	}
	return "direct"
}

// postLeadContact: a customer asks the listing's partner to contact them.
func (h *Handler) postLeadContact(w http.ResponseWriter, r *http.Request) {
	u, err := access.RequireUser(r)
	if err != nil {
		h.failPage(w, r, err)
		return
	}
	_, err = h.Selfop.CreateContactRequest(r.Context(), shelf.NewContactRequest{ListingID: r.PathValue("listing"), OrgID: r.PostFormValue("org_id"),
		ByUserID: u.ID, Message: r.PostFormValue("message"), Consent: r.PostFormValue("consent") == "yes", Source: r.PostFormValue("source")})
	h.afterRating(w, r, err, "lead.asked_flash")
}

// leadRow is a lead with its app's name, for lists.
type leadRow struct {
	shelf.Lead
	AppName string
}

// leadListPage is a partner's leads with the filters applied.
type leadListPage struct {
	*orgPage
	Leads        []leadRow
	State, Owner string
	Overdue      bool
	Next         string // the next page's query, "" on the last
	States       []shelf.LeadState
}

// partnerLeadsOrg authorizes a partner's lead pages (its members) and
// loads the org's head; false: the error page was shown.
func (h *Handler) partnerLeadsOrg(w http.ResponseWriter, r *http.Request) (*orgPage, bool) {
	_, err := h.RequirePartnerMember(r)
	var p *orgPage
	if err == nil {
		p, err = h.loadOrgPage(r, "leads")
	}
	if err != nil {
		h.failPage(w, r, err)
		return nil, false
	}
	return p, true
}

var leadStates = []shelf.LeadState{shelf.LeadNew, shelf.LeadContacted, shelf.LeadWon, shelf.LeadLost}

const leadPageSize = 50

func (h *Handler) pageLeadList(w http.ResponseWriter, r *http.Request) {
	op, ok := h.partnerLeadsOrg(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	p := &leadListPage{orgPage: op, State: q.Get("state"), Owner: q.Get("owner"), Overdue: q.Get("overdue") == "true", States: leadStates}
	f, err := service.LeadFilter(op.Org.ID, p.State, p.Owner, "", q.Get("overdue"))
	if err == nil {
		after, _ := base64.RawURLEncoding.DecodeString(q.Get("cursor"))
		f.Now, f.After, f.Limit = h.Clock.Now(), string(after), leadPageSize+1
		var ls []shelf.Lead
		if ls, err = h.Selfop.Leads(r.Context(), f); err == nil {
			err = h.leadRows(r, p, service.AnonymiseLeads(ls))
		}
	}
	if err != nil {
		h.failPage(w, r, err)
		return
	}
	h.showLocal(w, r, "lead_list", "lead.title", p, op.Org, nil)
}

// leadRows names the page's leads' apps and makes the next page's link.
func (h *Handler) leadRows(r *http.Request, p *leadListPage, ls []shelf.Lead) error {
	if len(ls) > leadPageSize {
		ls = ls[:leadPageSize]
		q := r.URL.Query()
		q.Set("cursor", base64.RawURLEncoding.EncodeToString([]byte(shelf.LeadCursor(ls[len(ls)-1]))))
		p.Next = q.Encode()
	}
	n := h.names(r.Context())
	for _, l := range ls {
		name, err := n.app(l.AppID, language(r))
		if err != nil {
			return err
		}
		p.Leads = append(p.Leads, leadRow{Lead: l, AppName: name})
	}
	return nil
}

// leadPage is one lead with its contact details while consent stands.
type leadPage struct {
	*orgPage
	Lead    *service.LeadView
	AppName string
	Contact *shelf.LeadContact
	States  []shelf.LeadState
}

func (h *Handler) pageLead(w http.ResponseWriter, r *http.Request) { h.showLead(w, r, nil) }

func (h *Handler) showLead(w http.ResponseWriter, r *http.Request, formErr error) {
	op, ok := h.partnerLeadsOrg(w, r)
	if !ok {
		return
	}
	p := &leadPage{orgPage: op, States: leadStates}
	var err error
	if p.Lead, err = h.PartnerLead(r.Context(), op.Org.ID, r.PathValue("lead")); err == nil {
		p.AppName, err = h.names(r.Context()).app(p.Lead.AppID, language(r))
	}
	if err == nil && p.Lead.Consent == shelf.ConsentGiven {
		p.Contact, err = h.Selfop.LeadContact(r.Context(), p.Lead.ID)
	}
	if err != nil {
		h.failPage(w, r, err)
		return
	}
	h.showLocal(w, r, "lead_page", "lead.one", p, op.Org, formErr)
}

// postLead: a partner member updates a lead from its page; only the
// fields that differ from the lead's are changed.
func (h *Handler) postLead(w http.ResponseWriter, r *http.Request) {
	op, ok := h.partnerLeadsOrg(w, r)
	if !ok {
		return
	}
	l, err := h.PartnerLead(r.Context(), op.Org.ID, r.PathValue("lead"))
	if err != nil {
		h.failPage(w, r, err)
		return
	}
	c := shelf.LeadChange{Note: r.PostFormValue("note")}
	if v := shelf.LeadState(r.PostFormValue("state")); v != "" && v != l.State {
		c.State = &v
	}
	for _, f := range []struct {
		name string
		cur  string
		dst  **string
	}{{"owner_id", l.OwnerID, &c.OwnerID}, {"next_follow_up", l.NextFollowUp, &c.NextFollowUp}, {"lost_reason", l.LostReason, &c.LostReason}} {
		if v, sent := r.PostForm[f.name]; sent && v[0] != f.cur {
			*f.dst = &v[0]
		}
	}
	if _, err := h.Selfop.UpdateLead(r.Context(), l.ID, userIDOf(r), c); err != nil {
		h.showLead(w, r, err)
		return
	}
	done(w, r, "/orgs/"+op.Org.ID+"/leads/"+l.ID, "lead.saved_flash")
}

// leadRequestsPage is an org's own contact requests.
type leadRequestsPage struct {
	*orgPage
	Requests []leadRow
	UserID   string
}

func (h *Handler) pageLeadRequests(w http.ResponseWriter, r *http.Request) {
	op, err := h.loadOrgPage(r, "contact-requests")
	if err == nil && op.Role == "" {
		err = shelf.NotFound("org")
	}
	p := &leadRequestsPage{orgPage: op}
	if err == nil {
		var ls []shelf.Lead
		if ls, err = h.Selfop.OrgContactRequests(r.Context(), op.Org.ID, shelf.PageReq{}); err == nil {
			var list leadListPage
			err = h.leadRows(r, &list, ls)
			p.Requests = list.Leads
		}
	}
	if err != nil {
		h.failPage(w, r, err)
		return
	}
	p.UserID = userIDOf(r)
	h.showLocal(w, r, "lead_requests", "lead.requests", p, op.Org, nil)
}

// postLeadWithdraw: who asked (or an org admin) withdraws the consent.
func (h *Handler) postLeadWithdraw(w http.ResponseWriter, r *http.Request) {
	l, err := h.Selfop.Lead(r.Context(), r.PathValue("lead"))
	if err == nil && l.OrgID != r.PathValue("org") {
		err = shelf.NotFound("lead")
	}
	var u *shelf.User
	if err == nil {
		u, err = h.RequireLeadCustomer(r, l)
	}
	if err == nil {
		_, err = h.Selfop.WithdrawLeadConsent(r.Context(), l.ID, u.ID)
	}
	if err != nil {
		h.failPage(w, r, err)
		return
	}
	done(w, r, "/orgs/"+l.OrgID+"/contact-requests", "lead.withdrawn_flash")
}
