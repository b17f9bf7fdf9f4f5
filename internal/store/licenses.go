package store

import (
	"context"
	"fmt"

	"github.com/shelfhq/shelf/internal/shelf"
)

// License reads what decides an org's entitlements to an app: its
// subscription and the seat holders in the order the limit counts them.
func (s *Store) License(ctx context.Context, appID, orgID string) (*shelf.License, error) {
	sub, err := subWhere(ctx, s.read, "", `org_id = $1 AND app_id = $2`, orgID, appID)
	if shelf.ErrorKind(err) == shelf.KindNotFound {
		return shelf.NewLicense(nil, nil), nil
	}
	if err != nil {
		return nil, err
	}
	query := `SELECT user_id FROM seats WHERE subscription_id = $1 ORDER BY assigned_at, user_id`
	arg := sub.ID
	if sub.AllMembers {
		query, arg = `SELECT user_id FROM memberships WHERE org_id = $1 ORDER BY created_at, user_id`, orgID
	}
	holders, err := queryStrings(ctx, s.read, query, arg)
	if err != nil {
		return nil, fmt.Errorf("license of %s in %s: %w", appID, orgID, err)
	}
	return shelf.NewLicense(&sub.Subscription, holders), nil
}

// Entitlements answers "may these users use the app?" for one org.
func (s *Store) Entitlements(ctx context.Context, appID, orgID string, userIDs []string) ([]shelf.Entitlement, error) {
	l, err := s.License(ctx, appID, orgID)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	out := make([]shelf.Entitlement, len(userIDs))
	for i, u := range userIDs {
		out[i] = l.Entitlement(u, now)
	}
	return out, nil
}
