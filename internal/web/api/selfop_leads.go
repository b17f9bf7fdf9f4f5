package api

import (
	"net/http"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/access"
	"github.com/shelfhq/shelf/internal/web/httpx"
	"github.com/shelfhq/shelf/internal/web/service"
)

// leadRoutes are the leads' (商机) endpoints: customers ask to be
// contacted and may withdraw their consent; the listing's partner works
// its leads.
func (h *Handler) leadRoutes() []route {
	return []route{
		{"POST", "/api/v1/listings/{listing}/contact-requests", h.createContactRequest},
		{"GET", "/api/v1/orgs/{org}/contact-requests", h.orgContactRequests},
		{"POST", "/api/v1/leads/{lead}/withdraw-consent", h.withdrawLeadConsent},
		{"GET", "/api/v1/partners/{org}/leads", h.partnerLeads},
		{"GET", "/api/v1/leads/{lead}", h.readLead},
		{"PATCH", "/api/v1/leads/{lead}", h.updateLead},
		{"GET", "/api/v1/leads/{lead}/contact", h.leadContact},
	}
}

type contactRequest struct {
	OrgID   string `json:"org_id"`
	Message string `json:"message"`
	Consent bool   `json:"consent"`
	Source  string `json:"source"`
}

// createContactRequest: a member of an org asks the listing's partner to
// contact it, consenting to share their name, email, org and message.
func (h *Handler) createContactRequest(w http.ResponseWriter, r *http.Request) error {
	var req contactRequest
	u, li, err := listingOrgRequest(h, w, r, &req, func(c *contactRequest) string { return c.OrgID })
	if err != nil {
		return err
	}
	l, err := h.Selfop.CreateContactRequest(r.Context(), shelf.NewContactRequest{ListingID: li.ID, OrgID: req.OrgID, ByUserID: u.ID,
		Message: req.Message, Consent: req.Consent, Source: req.Source})
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, l)
	return nil
}

// orgContactRequests lists the contact requests an org made (its members).
func (h *Handler) orgContactRequests(w http.ResponseWriter, r *http.Request) error {
	acc, err := h.RequireOrg(r, shelf.RoleMember)
	if err != nil {
		return err
	}
	if acc.Role == "" {
		return shelf.NotFound("org")
	}
	page, limit, err := contactRequestsPager.request(r)
	if err != nil {
		return err
	}
	ls, err := h.Selfop.OrgContactRequests(r.Context(), acc.Org.ID, page)
	return contactRequestsPager.write(w, r, ls, limit, err)
}

// contactRequestsPager: an org's contact requests, newest first.
var contactRequestsPager = pager[shelf.Lead]{tag: "contact-requests", shape: "is", key: func(l shelf.Lead) []any { return []any{l.CreatedAt.UnixMicro(), l.ID} }}

// withdrawLeadConsent: who asked (or an admin of their org) withdraws the
// consent; the contact details are erased.
func (h *Handler) withdrawLeadConsent(w http.ResponseWriter, r *http.Request) error {
	l, err := h.Selfop.Lead(r.Context(), r.PathValue("lead"))
	if err != nil {
		return err
	}
	u, err := h.RequireLeadCustomer(r, l)
	if err != nil {
		return err
	}
	if l, err = h.Selfop.WithdrawLeadConsent(r.Context(), l.ID, u.ID); err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, l)
	return nil
}

// partnerLeads lists a partner's leads (its members), newest first,
// cursor-paged, filtered by state, owner, listing, overdue.
func (h *Handler) partnerLeads(w http.ResponseWriter, r *http.Request) error {
	acc, err := h.RequirePartnerMember(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	scope := []string{q.Get("state"), q.Get("owner"), q.Get("listing"), q.Get("overdue")}
	p, limit, err := leadsPager.request(r, scope...)
	if err != nil {
		return err
	}
	f, err := service.LeadFilter(acc.Org.ID, q.Get("state"), q.Get("owner"), q.Get("listing"), q.Get("overdue"))
	if err != nil {
		return err
	}
	f.Now, f.After, f.Limit = h.Clock.Now(), afterKey(p), p.Limit
	ls, err := h.Selfop.Leads(r.Context(), f)
	return leadsPager.write(w, r, service.AnonymiseLeads(ls), limit, err, scope...)
}

// leadsPager pages a partner's leads, newest first.
var leadsPager = keyPager("leads", shelf.LeadCursor)

// partnerLead loads the lead in the path for a member of its partner org.
func (h *Handler) partnerLead(r *http.Request) (*service.LeadView, *shelf.User, error) {
	l, err := h.Selfop.Lead(r.Context(), r.PathValue("lead"))
	if err != nil {
		return nil, nil, err
	}
	u, _, err := h.RequireMemberOf(r, l.PartnerID, "lead")
	if err != nil {
		return nil, nil, err
	}
	v, err := h.PartnerLead(r.Context(), l.PartnerID, l.ID)
	return v, u, err
}

// readLead is one lead with its notes.
func (h *Handler) readLead(w http.ResponseWriter, r *http.Request) error {
	v, _, err := h.partnerLead(r)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, v)
	return nil
}

// updateLead: a partner member moves a lead, assigns it, sets its next
// follow-up, adds a note.
func (h *Handler) updateLead(w http.ResponseWriter, r *http.Request) error {
	v, u, err := h.partnerLead(r)
	if err != nil {
		return err
	}
	var c shelf.LeadChange
	if err := httpx.DecodeJSON(w, r, &c); err != nil {
		return err
	}
	if _, err := h.Selfop.UpdateLead(r.Context(), v.ID, u.ID, c); err != nil {
		return err
	}
	if v, err = h.PartnerLead(r.Context(), v.PartnerID, v.ID); err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, v)
	return nil
}

// leadContact is who asked to be contacted, while their consent stands.
func (h *Handler) leadContact(w http.ResponseWriter, r *http.Request) error {
	v, _, err := h.partnerLead(r)
	if err != nil {
		return err
	}
	c, err := h.Selfop.LeadContact(r.Context(), v.ID)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, c)
	return nil
}

// listingOrgRequest reads a signed-in caller's request about a live
// listing on behalf of the org its body names (org_id, required).
func listingOrgRequest[T any](h *Handler, w http.ResponseWriter, r *http.Request, req *T, orgID func(*T) string) (*shelf.User, *shelf.ListingInfo, error) {
	u, err := access.RequireUser(r)
	if err != nil {
		return nil, nil, err
	}
	li, err := h.liveListing(r)
	if err != nil {
		return nil, nil, err
	}
	if err := httpx.DecodeJSON(w, r, req); err != nil {
		return nil, nil, err
	}
	if orgID(req) == "" {
		return nil, nil, shelf.FieldError("org_id", "required", "org_id is required")
	}
	return u, li, nil
}
