package store

import (
	"context"
	"fmt"

	"github.com/shelfhq/shelf/internal/shelf"
)

// appInstallationsOrder pages an app's installations by id (index
// installations_app_id).
var appInstallationsOrder = keyset{cols: []string{"i.id"}}

// AppInstallations lists the active installations of an app by id, those
// with an id after after, at most limit: the orgs (and groups) a vendor
// serves, paged by id so a page never repeats or skips a row.
func (s *Store) AppInstallations(ctx context.Context, appID, after string, limit int) ([]shelf.AppInstallation, error) {
	tail, args, err := appInstallationsOrder.page(afterKey(after, limit), []any{appID})
	if err != nil {
		return nil, err
	}
	rows, err := s.queryPage(ctx, `SELECT i.id, i.app_id, i.org_id, i.group_id, i.status, i.channel, i.installed_by, i.created_at, i.updated_at, o.name, o.test
		FROM installations i JOIN orgs o ON o.id = i.org_id
		WHERE i.app_id = $1 AND i.status = 'active'`+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("app installations: %w", err)
	}
	defer rows.Close()
	out := []shelf.AppInstallation{}
	for rows.Next() {
		var a shelf.AppInstallation
		var created, updated int64
		if err := rows.Scan(&a.ID, &a.AppID, &a.OrgID, &a.GroupID, &a.Status, &a.Channel, &a.InstalledBy, &created, &updated, &a.OrgName, &a.TestOrg); err != nil {
			return nil, err
		}
		a.CreatedAt, a.UpdatedAt = fromMicros(created), fromMicros(updated)
		out = append(out, a)
	}
	return out, rows.Err()
}
