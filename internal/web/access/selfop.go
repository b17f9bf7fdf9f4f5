package access

import (
	"net/http"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/auth"
)

// RequirePartnerBooks lets a caller see a partner org's books (its
// statements and sales): the org's admins, and platform admins, who read
// every partner's. Members who are not admins are refused; strangers get
// 404 as for any org.
func (p *Policy) RequirePartnerBooks(r *http.Request) (Org, error) {
	u, err := RequireUser(r)
	if err != nil {
		return Org{}, err
	}
	minRole := shelf.RoleAdmin
	if u.HasPlatformRole(shelf.PlatformAdmin) && auth.SafeMethod(r.Method) {
		minRole = shelf.RoleMember
	}
	acc, err := p.RequireOrg(r, minRole)
	if err != nil {
		return acc, err
	}
	if acc.Org.Kind != shelf.OrgPartner {
		return acc, shelf.Forbidden("partner_org_required", "this is for partner orgs")
	}
	return acc, nil
}

// RequireRatingPartner checks the caller administers the partner org of
// a listing (to reply to its customer reviews).
func (p *Policy) RequireRatingPartner(r *http.Request, li *shelf.ListingInfo) (*shelf.User, error) {
	u, err := RequireUser(r)
	if err != nil {
		return nil, err
	}
	role, member, err := p.store.MemberRole(r.Context(), li.OrgID, u.ID)
	if err != nil {
		return nil, err
	}
	if !member || role != shelf.RoleAdmin {
		return nil, shelf.Forbidden("not_listing_partner", "only the admins of the app's partner org may do this")
	}
	return u, nil
}

// RequireModerator returns the caller if they may hide customer reviews:
// platform admins and category operators.
func RequireModerator(r *http.Request) (*shelf.User, error) {
	u, err := RequireUser(r)
	if err != nil {
		return nil, err
	}
	if !u.HasPlatformRole(shelf.PlatformAdmin) && !u.HasPlatformRole(shelf.CategoryOperator) {
		return nil, shelf.Forbidden("platform_role_required", "only operators may hide reviews")
	}
	return u, nil
}
