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
