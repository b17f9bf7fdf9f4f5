package access

import (
	"context"

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
// group, or uninstall them from it: an org admin, or the group's owner
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
	return g.OwnerID == acc.User.ID, nil
}
