package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/shelfhq/shelf/internal/shelf"
)

// CreateGroup creates a group chat in a customer org. The owner and every
// listed member must belong to the org.
func (s *Store) CreateGroup(ctx context.Context, orgID, name, ownerID string, memberIDs []string) (*shelf.Group, error) {
	name, err := shelf.CleanName("name", name, 100)
	if err != nil {
		return nil, err
	}
	g := &shelf.Group{ID: shelf.NewID("grp"), OrgID: orgID, Name: name, OwnerID: ownerID}
	err = s.Update(ctx, func(tx *Tx) error {
		o, err := orgTx(ctx, tx, orgID)
		if err != nil {
			return err
		}
		if o.Kind != shelf.OrgCustomer {
			return shelf.Errorf(shelf.KindInvalid, "not_a_customer_org", "groups exist in customer orgs only")
		}
		g.CreatedAt = tx.Now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO chat_groups (id, org_id, name, owner_id, created_at) VALUES ($1, $2, $3, $4, $5)`,
			g.ID, orgID, name, ownerID, micros(tx.Now())); err != nil {
			return err
		}
		seen := map[string]bool{}
		for _, uid := range append([]string{ownerID}, memberIDs...) {
			if seen[uid] {
				continue
			}
			seen[uid] = true
			if err := addGroupMember(ctx, tx, g, uid); err != nil {
				return err
			}
		}
		g.MemberCount = len(seen)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("create group: %w", err)
	}
	return g, nil
}

func addGroupMember(ctx context.Context, tx *Tx, g *shelf.Group, userID string) error {
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM memberships WHERE org_id = $1 AND user_id = $2`, g.OrgID, userID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return shelf.FieldError("user_id", "not_a_member", "user %s is not a member of the org", userID)
	}
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO group_members (group_id, user_id, created_at) VALUES ($1, $2, $3)`, g.ID, userID, micros(tx.Now()))
	if isUniqueViolation(err) {
		return &shelf.Error{Kind: shelf.KindConflict, Code: "already_member", Field: "user_id", Message: "already in the group"}
	}
	return err
}

// AddGroupMember adds an org member to a group.
func (s *Store) AddGroupMember(ctx context.Context, groupID, userID string) error {
	return s.Update(ctx, func(tx *Tx) error {
		g, err := groupTx(ctx, tx, groupID)
		if err != nil {
			return err
		}
		if err := addGroupMember(ctx, tx, g, userID); err != nil {
			return err
		}
		return emitMembersChanged(ctx, tx, g, []string{userID}, nil)
	})
}

const groupSelect = `SELECT g.id, g.org_id, g.name, g.owner_id, g.created_at,
	(SELECT COUNT(*) FROM group_members gm WHERE gm.group_id = g.id) FROM chat_groups g `

func scanGroup(row interface{ Scan(...any) error }) (*shelf.Group, error) {
	var g shelf.Group
	var created int64
	if err := row.Scan(&g.ID, &g.OrgID, &g.Name, &g.OwnerID, &created, &g.MemberCount); err != nil {
		return nil, err
	}
	g.CreatedAt = fromMicros(created)
	return &g, nil
}

func groupTx(ctx context.Context, q queryer, id string) (*shelf.Group, error) {
	g, err := scanGroup(q.QueryRowContext(ctx, groupSelect+`WHERE g.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, shelf.NotFound("group")
	}
	if err != nil {
		return nil, fmt.Errorf("get group: %w", err)
	}
	return g, nil
}

// Group returns a group by id.
func (s *Store) Group(ctx context.Context, id string) (*shelf.Group, error) {
	return groupTx(ctx, s.read, id)
}

// groupsOrder pages an org's groups by name (index chat_groups_org_name).
var groupsOrder = keyset{cols: []string{"g.name", "g.id"}}

// Groups lists one page of an org's groups by name.
func (s *Store) Groups(ctx context.Context, orgID string, p shelf.PageReq) ([]shelf.Group, error) {
	tail, args, err := groupsOrder.page(p, []any{orgID})
	if err != nil {
		return nil, err
	}
	rows, err := s.queryPage(ctx, groupSelect+`WHERE g.org_id = $1`+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("groups: %w", err)
	}
	defer rows.Close()
	out := []shelf.Group{}
	for rows.Next() {
		g, err := scanGroup(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *g)
	}
	return out, rows.Err()
}

// GroupMembers lists the user ids in a group.
func (s *Store) GroupMembers(ctx context.Context, groupID string) ([]string, error) {
	return groupMembersTx(ctx, s.read, groupID)
}
