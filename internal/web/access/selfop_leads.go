package access

import (
	"context"
	"net/http"

	"github.com/shelfhq/shelf/internal/shelf"
)

// RequirePartnerMember lets the members of the partner org in the path see
// its leads and tickets; platform admins who are not members get 404 like
// anyone else: a partner's pipeline is its own.
func (p *Policy) RequirePartnerMember(r *http.Request) (Org, error) {
	acc, err := p.RequireOrg(r, shelf.RoleMember)
	if err != nil {
		return acc, err
	}
	if acc.Role == "" {
		return acc, shelf.NotFound("org")
	}
	if acc.Org.Kind != shelf.OrgPartner {
		return acc, shelf.Forbidden("partner_org_required", "this is for partner orgs")
	}
	return acc, nil
}

// RequireMemberOf checks the caller belongs to orgID; anyone else gets a
// 404 for what (a lead, a ticket), as if it did not exist.
func (p *Policy) RequireMemberOf(r *http.Request, orgID, what string) (*shelf.User, shelf.Role, error) {
	u, err := RequireUser(r)
	if err != nil {
		return nil, "", err
	}
	role, member, err := p.store.MemberRole(r.Context(), orgID, u.ID)
	if err != nil {
		return nil, "", err
	}
	if !member {
		return nil, "", shelf.NotFound(what)
	}
	return u, role, nil
}

// RequireLeadCustomer lets the person who asked to be contacted, or an
// admin of their org, withdraw the consent; other members are refused,
// strangers get 404.
func (p *Policy) RequireLeadCustomer(r *http.Request, l *shelf.Lead) (*shelf.User, error) {
	u, role, err := p.RequireMemberOf(r, l.OrgID, "lead")
	if err != nil {
		return nil, err
	}
	if u.ID != l.RequestedBy && role != shelf.RoleAdmin {
		return nil, shelf.Forbidden("org_admin_required", "only who asked, or an admin of the org, may withdraw the consent")
	}
	return u, nil
}

// TicketSide says on which side the caller reads and writes a ticket: the
// partner's members, or on the customer's side the org's admins and who
// opened it; anyone else gets 404.
func (p *Policy) TicketSide(r *http.Request, t *shelf.Ticket) (*shelf.User, string, error) {
	u, err := RequireUser(r)
	if err != nil {
		return nil, "", err
	}
	if _, member, err := p.store.MemberRole(r.Context(), t.PartnerID, u.ID); err != nil {
		return nil, "", err
	} else if member {
		return u, shelf.TicketSidePartner, nil
	}
	role, member, err := p.store.MemberRole(r.Context(), t.OrgID, u.ID)
	if err != nil {
		return nil, "", err
	}
	if member && (role == shelf.RoleAdmin || t.OpenedBy == u.ID) {
		return u, shelf.TicketSideCustomer, nil
	}
	return nil, "", shelf.NotFound("ticket")
}

// RequireTicket loads the ticket in the path with load, for a signed-in
// caller, and says on which side of it they are (TicketSide).
func (p *Policy) RequireTicket(r *http.Request, load func(ctx context.Context, id string) (*shelf.Ticket, error)) (*shelf.Ticket, *shelf.User, string, error) {
	if _, err := RequireUser(r); err != nil {
		return nil, nil, "", err
	}
	t, err := load(r.Context(), r.PathValue("ticket"))
	if err != nil {
		return nil, nil, "", err
	}
	u, side, err := p.TicketSide(r, t)
	return t, u, side, err
}
