package store

import (
	"context"
	"fmt"

	"github.com/shelfhq/shelf/internal/shelf"
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

// SearchRatings gives the visible ratings of each listing that has any,
// or of the one listing named: the market sorts by them. They are read
// from the kept counts (rating_counts), five rows a listing.
func (s *Store) SearchRatings(ctx context.Context, listingID string) (map[string]shelf.SearchRating, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT listing_id, CAST(SUM(n) AS BIGINT), CAST(SUM(stars * n) AS BIGINT) FROM rating_counts
		WHERE $1 = '' OR listing_id = $1 GROUP BY listing_id HAVING SUM(n) > 0`, listingID)
	if err != nil {
		return nil, fmt.Errorf("search ratings: %w", err)
	}
	defer rows.Close()
	out := map[string]shelf.SearchRating{}
	for rows.Next() {
		var id string
		var r shelf.SearchRating
		if err := rows.Scan(&id, &r.Count, &r.Stars); err != nil {
			return nil, fmt.Errorf("search ratings: %w", err)
		}
		out[id] = r
	}
	return out, rows.Err()
}
