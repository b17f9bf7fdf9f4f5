package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/shelfhq/shelf/internal/shelf"
)

// FeaturedListings lists the storefront's featured listings in their
// order, each with its live name and whether it is still live in the
// market.
func (s *Store) FeaturedListings(ctx context.Context) ([]shelf.FeaturedListing, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT listing_id, position, added_by, added_at FROM featured_listings ORDER BY position`)
	if err != nil {
		return nil, fmt.Errorf("featured listings: %w", err)
	}
	var out []shelf.FeaturedListing
	for rows.Next() {
		var f shelf.FeaturedListing
		var at int64
		if err := rows.Scan(&f.ListingID, &f.Position, &f.AddedBy, &at); err != nil {
			rows.Close()
			return nil, fmt.Errorf("featured listings: %w", err)
		}
		f.AddedAt = fromMicros(at)
		out = append(out, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("featured listings: %w", err)
	}
	// At most shelf.MaxFeatured: a read each is cheap, and the listing's
	// live revision is read as everywhere else.
	for i := range out {
		li, err := s.Listing(ctx, out[i].ListingID)
		if err != nil {
			return nil, fmt.Errorf("featured listing %s: %w", out[i].ListingID, err)
		}
		out[i].Live = inMarket(li)
		if li.Live != nil {
			out[i].Name, out[i].NameEn = li.Live.Name, li.Live.NameEn
		}
	}
	return out, nil
}

// inMarket reports whether customers can find the listing in the market.
func inMarket(li *shelf.ListingInfo) bool {
	return li.State == shelf.ListingListed && li.Market && li.Live != nil
}

// SetFeaturedListings replaces the featured listings with ids, in that
// order: each must be live in the market (listing_unknown,
// listing_not_in_market). Every node hears shelf.ChangeFeatured.
func (s *Store) SetFeaturedListings(ctx context.Context, byUserID string, ids []string) ([]shelf.FeaturedListing, error) {
	if err := shelf.CheckFeatured(ids); err != nil {
		return nil, err
	}
	before, err := s.FeaturedListings(ctx)
	if err != nil {
		return nil, err
	}
	err = s.Update(ctx, func(tx *Tx) error {
		for _, id := range ids {
			if err := checkFeaturable(ctx, tx, id); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM featured_listings`); err != nil {
			return err
		}
		for i, id := range ids {
			if _, err := tx.ExecContext(ctx, `INSERT INTO featured_listings (listing_id, position, added_by, added_at) VALUES ($1, $2, $3, $4)`,
				id, i+1, byUserID, micros(tx.Now())); err != nil {
				return err
			}
		}
		tx.touch(shelf.ChangeFeatured)
		return audit(ctx, tx, byUserID, "featured.set", "featured", "", featuredIDs(before), ids, "")
	})
	if err != nil {
		return nil, fmt.Errorf("set featured listings: %w", err)
	}
	return s.FeaturedListings(ctx)
}

func featuredIDs(fs []shelf.FeaturedListing) []string {
	out := []string{}
	for _, f := range fs {
		out = append(out, f.ListingID)
	}
	return out
}

// checkFeaturable refuses a listing that is not live in the market.
func checkFeaturable(ctx context.Context, tx *Tx, id string) error {
	var state, live string
	var market bool
	err := tx.QueryRowContext(ctx, `SELECT state, market, COALESCE(live_revision_id, '') FROM listings WHERE id = $1`, id).Scan(&state, &market, &live)
	if errors.Is(err, sql.ErrNoRows) {
		return shelf.FieldError("listing_ids", "listing_unknown", "no listing %s", id)
	}
	if err != nil {
		return err
	}
	if state != string(shelf.ListingListed) || !market || live == "" {
		return shelf.FieldError("listing_ids", "listing_not_in_market", "listing %s is not live in the market", id)
	}
	return nil
}
