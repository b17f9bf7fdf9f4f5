package service

import (
	"context"

	"github.com/shelfhq/shelf/internal/shelf"
)

// LeadStore keeps the partners' leads (商机); *store.Store implements it.
type LeadStore interface {
	CreateContactRequest(ctx context.Context, n shelf.NewContactRequest) (*shelf.Lead, error)
	Lead(ctx context.Context, id string) (*shelf.Lead, error)
	Leads(ctx context.Context, f shelf.LeadFilter) ([]shelf.Lead, error)
	OrgContactRequests(ctx context.Context, orgID string, p shelf.PageReq) ([]shelf.Lead, error)
	UpdateLead(ctx context.Context, id, byUserID string, c shelf.LeadChange) (*shelf.Lead, error)
	LeadNotes(ctx context.Context, id string) ([]shelf.LeadNote, error)
	LeadContact(ctx context.Context, id string) (*shelf.LeadContact, error)
	WithdrawLeadConsent(ctx context.Context, id, byUserID string) (*shelf.Lead, error)
}

// LeadView is a lead with its notes, as its partner sees it.
type LeadView struct {
	*shelf.Lead
	Notes []shelf.LeadNote `json:"notes"`
}

// PartnerLead reads a lead of the partner org partnerID with its notes,
// anonymised once consent is withdrawn; another partner's is not found.
func (s *Services) PartnerLead(ctx context.Context, partnerID, id string) (*LeadView, error) {
	l, err := s.Selfop.Lead(ctx, id)
	if err != nil {
		return nil, err
	}
	if l.PartnerID != partnerID {
		return nil, shelf.NotFound("lead")
	}
	ns, err := s.Selfop.LeadNotes(ctx, id)
	if err != nil {
		return nil, err
	}
	l.Anonymise()
	return &LeadView{Lead: l, Notes: ns}, nil
}

// LeadFilter reads a lead list's filters: a state, an owner, a listing,
// overdue only.
func LeadFilter(partnerID, state, owner, listing, overdue string) (shelf.LeadFilter, error) {
	f := shelf.LeadFilter{PartnerID: partnerID, State: shelf.LeadState(state), OwnerID: owner, ListingID: listing, Overdue: overdue == "true"}
	switch f.State {
	case "", shelf.LeadNew, shelf.LeadContacted, shelf.LeadWon, shelf.LeadLost:
		return f, nil
	}
	return f, shelf.FieldError("state", "invalid_lead_state", "state must be new, contacted, won or lost")
}

// AnonymiseLeads leaves out who withdrew their consent, for the partner's
// list.
func AnonymiseLeads(ls []shelf.Lead) []shelf.Lead {
	for i := range ls {
		ls[i].Anonymise()
	}
	return ls
}
