package store

import (
	"context"
	"fmt"
)

// InstallCounts gives the number of active installations of each app that
// has any: the market ranks by it.
func (s *Store) InstallCounts(ctx context.Context) (map[string]int64, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT app_id, COUNT(*) FROM installations WHERE status = 'active' GROUP BY app_id`)
	if err != nil {
		return nil, fmt.Errorf("install counts: %w", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var app string
		var n int64
		if err := rows.Scan(&app, &n); err != nil {
			return nil, err
		}
		out[app] = n
	}
	return out, rows.Err()
}
