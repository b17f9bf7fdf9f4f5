package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/shelfhq/shelf/internal/shelf"
)

// Group roles: the owner is the group's (chat_groups.owner_id); admins
// may install and uninstall cool apps as the owner may.
const (
	GroupRoleMember = "member"
	GroupRoleAdmin  = "admin"
)

// GroupRole is a user's role in a group; ok is false for non-members.
func (s *Store) GroupRole(ctx context.Context, groupID, userID string) (role string, ok bool, err error) {
	err = s.read.QueryRowContext(ctx, `SELECT role FROM group_members WHERE group_id = $1 AND user_id = $2`, groupID, userID).Scan(&role)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("group role: %w", err)
	}
	return role, true, nil
}

// SetGroupRole makes a group member an admin of the group or a member again.
func (s *Store) SetGroupRole(ctx context.Context, groupID, userID, role, byUserID string) error {
	if role != GroupRoleMember && role != GroupRoleAdmin {
		return shelf.FieldError("role", "invalid_role", "role must be admin or member")
	}
	return s.Update(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE group_members SET role = $1 WHERE group_id = $2 AND user_id = $3`, role, groupID, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return shelf.NotFound("group member")
		}
		return audit(ctx, tx, byUserID, "group.role", "group", groupID, nil, map[string]string{"user_id": userID, "role": role}, "")
	})
}

// RemoveGroupMember takes someone out of a group (or lets them leave) and
// tells the group's cool apps. The owner cannot leave their own group.
func (s *Store) RemoveGroupMember(ctx context.Context, groupID, userID, byUserID string) error {
	return s.Update(ctx, func(tx *Tx) error {
		g, err := groupTx(ctx, tx, groupID)
		if err != nil {
			return err
		}
		if g.OwnerID == userID {
			return shelf.Errorf(shelf.KindConflict, "group_owner", "the group's owner stays in the group")
		}
		if err := tx.execOne(ctx, `DELETE FROM group_members WHERE group_id = $1 AND user_id = $2`, groupID, userID); err == errConcurrent {
			return shelf.NotFound("group member")
		} else if err != nil {
			return err
		}
		if err := audit(ctx, tx, byUserID, "group.leave", "group", groupID, map[string]string{"user_id": userID}, nil, ""); err != nil {
			return err
		}
		return emitMembersChanged(ctx, tx, g, nil, []string{userID})
	})
}

// coolOrgLeave takes a user leaving an org out of its groups, telling each
// group's cool apps.
func coolOrgLeave(ctx context.Context, tx *Tx, orgID, userID string) error {
	groups, err := queryStrings(ctx, tx, `SELECT group_id FROM group_members WHERE user_id = $1 AND group_id IN (SELECT id FROM chat_groups WHERE org_id = $2)`, userID, orgID)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM group_members WHERE user_id = $1 AND group_id IN (SELECT id FROM chat_groups WHERE org_id = $2)`, userID, orgID); err != nil {
		return err
	}
	for _, id := range groups {
		g, err := groupTx(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := emitMembersChanged(ctx, tx, g, nil, []string{userID}); err != nil {
			return err
		}
	}
	return nil
}

// emitMembersChanged sends group.members_changed to every cool app
// installed in the group, in the org's stream of each.
func emitMembersChanged(ctx context.Context, tx *Tx, g *shelf.Group, joined, left []string) error {
	apps, err := groupAppIDs(ctx, tx, g.ID)
	if err != nil || len(apps) == 0 {
		return err
	}
	members, err := groupMembersTx(ctx, tx, g.ID)
	if err != nil {
		return err
	}
	data := shelf.GroupMembersChanged{Group: shelf.GroupRef{ID: g.ID, Name: g.Name}, Joined: nonNil(joined), Left: nonNil(left), Members: members}
	for _, appID := range apps {
		if _, err := tx.Emit(ctx, appID, g.OrgID, shelf.EventGroupMembersChanged, data); err != nil {
			return err
		}
	}
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// groupAppIDs lists the apps actively installed in a group.
func groupAppIDs(ctx context.Context, q queryer, groupID string) ([]string, error) {
	return queryStrings(ctx, q, `SELECT app_id FROM installations WHERE group_id = $1 AND status = 'active' ORDER BY app_id`, groupID)
}

func groupMembersTx(ctx context.Context, q queryer, groupID string) ([]string, error) {
	ids, err := queryStrings(ctx, q, `SELECT user_id FROM group_members WHERE group_id = $1 ORDER BY user_id`, groupID)
	if err != nil {
		return nil, fmt.Errorf("group members: %w", err)
	}
	return ids, nil
}

// emitCoolInstalled tells the vendor its cool app is in a group, with the
// group's members.
func emitCoolInstalled(ctx context.Context, tx *Tx, inst *shelf.Installation) error {
	g, err := groupTx(ctx, tx, inst.GroupID)
	if err != nil {
		return err
	}
	members, err := groupMembersTx(ctx, tx, g.ID)
	if err != nil {
		return err
	}
	code, err := issueInstallCode(ctx, tx, inst.AppID, inst.OrgID)
	if err != nil {
		return err
	}
	_, err = tx.Emit(ctx, inst.AppID, inst.OrgID, shelf.EventCoolAppInstalled, shelf.CoolAppInstalled{
		InstallationID: inst.ID, Group: shelf.GroupRef{ID: g.ID, Name: g.Name}, Members: members, InstalledBy: inst.InstalledBy, AuthCode: code})
	return err
}

// checkCoolSubscription refuses a paid cool app (no free spec) in a group
// of an org without a subscription to it (a trial, the free spec or a
// paid term). Test orgs are never billed.
func checkCoolSubscription(ctx context.Context, tx *Tx, app *shelf.App, org *shelf.Org) error {
	if org.Test {
		return nil
	}
	var doc string
	err := tx.QueryRowContext(ctx, `SELECT r.doc FROM listings l JOIN revisions r ON r.id = l.live_revision_id WHERE l.app_id = $1`, app.ID).Scan(&doc)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	var rev shelf.Revision
	if err := jsonUnmarshal(doc, &rev); err != nil {
		return err
	}
	if rev.HasFreeSpec() || len(rev.Specs) == 0 {
		return nil
	}
	sub, err := subWhere(ctx, tx, "", `org_id = $1 AND app_id = $2`, org.ID, app.ID)
	if shelf.ErrorKind(err) == shelf.KindNotFound {
		return coolSubscriptionRequired()
	}
	if err != nil {
		return err
	}
	switch sub.At(tx.Now()).Status {
	case shelf.SubTrial, shelf.SubFree, shelf.SubActive, shelf.SubOverLimit:
		return nil
	}
	return coolSubscriptionRequired()
}

func coolSubscriptionRequired() error {
	return shelf.Forbidden("subscription_required", "this cool app is paid: the org needs a trial or a subscription to it first (an org admin starts one in the market)")
}

// installationIDOrder pages a group's installations by id (index
// installations_group).
var installationIDOrder = keyset{cols: []string{"id"}}

// GroupInstallations lists the apps actively installed in a group, by
// installation id after after, at most limit.
func (s *Store) GroupInstallations(ctx context.Context, groupID, after string, limit int) ([]shelf.Installation, error) {
	tail, args, err := installationIDOrder.page(afterKey(after, limit), []any{groupID})
	if err != nil {
		return nil, err
	}
	rows, err := s.queryPage(ctx, `SELECT `+installationColumns+` FROM installations WHERE group_id = $1 AND status = 'active'`+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("group installations: %w", err)
	}
	defer rows.Close()
	out := []shelf.Installation{}
	for rows.Next() {
		i, err := scanInstallation(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *i)
	}
	return out, rows.Err()
}

// GroupInstallation returns the app's active installation in a group.
func (s *Store) GroupInstallation(ctx context.Context, groupID, appID string) (*shelf.Installation, error) {
	return installationWhere(ctx, s.read, `group_id = $1 AND app_id = $2 AND status = 'active'`, groupID, appID)
}

// isCoolApp reports whether the app is a cool app: buying one subscribes
// the org without installing it org-wide.
func isCoolApp(ctx context.Context, q queryer, appID string) (bool, error) {
	var kind shelf.AppKind
	err := q.QueryRowContext(ctx, `SELECT kind FROM apps WHERE id = $1`, appID).Scan(&kind)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return kind == shelf.AppCool, err
}
