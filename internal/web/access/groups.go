package access

import (
	"context"
	"net/http"

	"github.com/shelfhq/shelf/internal/shelf"
)

// OrgGroup loads a group of the caller's org: 404 when there is no such
// group in it. Any other failure is returned as it is, so an outage is a
// 500 and not an answer about the group.
func (p *Policy) OrgGroup(ctx context.Context, acc Org, groupID string) (*shelf.Group, error) {
	g, err := p.store.Group(ctx, groupID)
	if err != nil {
		return nil, err
	}
	if g.OrgID != acc.Org.ID {
		return nil, shelf.NotFound("group")
	}
	return g, nil
}

// ManagesGroupApps reports whether the caller may install apps into the
// group, or uninstall them from it: an org admin, the group's owner or
// one of its admins
// (groupID "" is the org itself, for admins only).
func (p *Policy) ManagesGroupApps(ctx context.Context, acc Org, groupID string) (bool, error) {
	if acc.IsAdmin() {
		return true, nil
	}
	if groupID == "" {
		return false, nil
	}
	g, err := p.OrgGroup(ctx, acc, groupID)
	switch {
	case shelf.ErrorKind(err) == shelf.KindNotFound:
		return false, nil
	case err != nil:
		return false, err
	}
	if g.OwnerID == acc.User.ID {
		return true, nil
	}
	role, _, err := p.store.GroupRole(ctx, g.ID, acc.User.ID)
	return role == "admin", err
}

// RequireGroupMember loads a group of the caller's org that the caller is
// in (org admins see every group of their org): 404 otherwise.
func (p *Policy) RequireGroupMember(r *http.Request) (Org, *shelf.Group, error) {
	acc, err := p.RequireOrg(r, shelf.RoleMember)
	if err != nil {
		return acc, nil, err
	}
	g, err := p.OrgGroup(r.Context(), acc, r.PathValue("group"))
	if err != nil {
		return acc, nil, err
	}
	if acc.IsAdmin() || g.OwnerID == acc.User.ID {
		return acc, g, nil
	}
	if _, in, err := p.store.GroupRole(r.Context(), g.ID, acc.User.ID); err != nil {
		return acc, nil, err
	} else if !in {
		return acc, nil, shelf.NotFound("group")
	}
	return acc, g, nil
}
