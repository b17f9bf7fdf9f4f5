// Package access is Shelf's web access policy, the one place the API and
// the pages ask what a caller may see and do. Each check returns a
// *shelf.Error to answer with; a caller who may not know something exists
// gets 404, not 403.
package access

import (
	"context"
	"net/http"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/auth"
)

// Store is what the policy reads.
type Store interface {
	OrgForMember(ctx context.Context, orgID, userID string) (*shelf.Org, shelf.Role, bool, error)
	MemberRole(ctx context.Context, orgID, userID string) (shelf.Role, bool, error)
	Group(ctx context.Context, id string) (*shelf.Group, error)
	GroupRole(ctx context.Context, groupID, userID string) (string, bool, error)
}

// Apps finds apps.
type Apps interface {
	App(ctx context.Context, id string) (*shelf.App, error)
}

// Listings is what the policy reads of the listing workflow.
type Listings interface {
	IsInstalled(ctx context.Context, appID, orgID string) (bool, error)
	Revision(ctx context.Context, id string) (*shelf.RevisionInfo, error)
	Listing(ctx context.Context, id string) (*shelf.ListingInfo, error)
	OperatorCategories(ctx context.Context, userID string) ([]string, error)
}

// Policy answers the access questions.
type Policy struct {
	store    Store
	apps     Apps
	listings Listings
	orders   Orders
}

// New returns the policy over its storage.
func New(s Store, a Apps, l Listings) *Policy {
	return &Policy{store: s, apps: a, listings: l}
}

var errSignIn = &shelf.Error{Kind: shelf.KindUnauthenticated, Code: "unauthenticated", Message: "sign in or send a bearer token"}

// RequireUser returns the signed-in user or 401.
func RequireUser(r *http.Request) (*shelf.User, error) {
	a := auth.FromContext(r.Context())
	if a == nil {
		return nil, errSignIn
	}
	return a.User, nil
}

// RequirePlatform returns the user if they hold the platform role.
func RequirePlatform(r *http.Request, role shelf.PlatformRole) (*shelf.User, error) {
	u, err := RequireUser(r)
	if err != nil {
		return nil, err
	}
	if !u.HasPlatformRole(role) {
		return nil, shelf.Forbidden("platform_role_required", "this needs the %s role", role)
	}
	return u, nil
}

// Org is what the caller may do in one org.
type Org struct {
	User *shelf.User
	Org  *shelf.Org
	Role shelf.Role // "" when the caller is a platform admin but not a member
}

// IsAdmin reports whether the caller administers the org.
func (a Org) IsAdmin() bool { return a.Role == shelf.RoleAdmin }

// RequireOrg loads the org in the path and checks the caller belongs to it
// with at least minRole. Platform admins may read every org but change
// only those they belong to.
func (p *Policy) RequireOrg(r *http.Request, minRole shelf.Role) (Org, error) {
	return p.RequireOrgOf(r, r.PathValue("org"), minRole)
}

// RequireOrgOf is RequireOrg for an org named elsewhere than the path (a
// request body's org_id, an app's partner org).
func (p *Policy) RequireOrgOf(r *http.Request, orgID string, minRole shelf.Role) (Org, error) {
	u, err := RequireUser(r)
	if err != nil {
		return Org{}, err
	}
	o, role, member, err := p.store.OrgForMember(r.Context(), orgID, u.ID)
	if err != nil {
		return Org{}, err
	}
	if !member {
		if !u.HasPlatformRole(shelf.PlatformAdmin) {
			return Org{}, shelf.NotFound("org")
		}
		if minRole != shelf.RoleMember || !auth.SafeMethod(r.Method) {
			return Org{}, shelf.Forbidden("org_member_required", "platform admins may read this org but only its members may change it")
		}
	}
	if minRole == shelf.RoleAdmin && role != shelf.RoleAdmin {
		return Org{}, shelf.Forbidden("org_admin_required", "only an admin of this org may do this")
	}
	return Org{User: u, Org: o, Role: role}, nil
}

// RequirePartnerAdmin checks the caller administers a (non-test) partner
// org in which the partner console is installed.
func (p *Policy) RequirePartnerAdmin(r *http.Request) (Org, error) {
	acc, err := p.RequireOrg(r, shelf.RoleAdmin)
	if err != nil {
		return acc, err
	}
	if !IsPartnerOrg(acc.Org) {
		return acc, shelf.Forbidden("partner_org_required", "this is for partner orgs")
	}
	return acc, p.RequireConsole(r.Context(), acc.Org.ID)
}

// IsPartnerOrg reports whether the org is a real (non-test) partner org,
// the only kind with a partner console.
func IsPartnerOrg(o *shelf.Org) bool { return o.Kind == shelf.OrgPartner && !o.Test }

// ErrConsole says partner work needs the partner console installed first.
func ErrConsole() error {
	return shelf.Forbidden("partner_console_not_installed",
		"install the partner console (伙伴自运营平台) in this org first: POST /api/v1/orgs/{org}/installations {\"app_id\": \"%s\"}, or from the org's workbench", shelf.PartnerConsoleID)
}

// RequireConsole checks the partner console is installed in the org.
func (p *Policy) RequireConsole(ctx context.Context, orgID string) error {
	ok, err := p.ConsoleInstalled(ctx, orgID)
	if err != nil {
		return err
	}
	if !ok {
		return ErrConsole()
	}
	return nil
}

// ConsoleInstalled reports whether the partner console is installed in the org.
func (p *Policy) ConsoleInstalled(ctx context.Context, orgID string) (bool, error) {
	return p.listings.IsInstalled(ctx, shelf.PartnerConsoleID, orgID)
}
