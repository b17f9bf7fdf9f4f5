package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/shelfhq/shelf/internal/shelf"
)

// CreateRating records an org's customer review of a listing, by one of
// its members: only an org that has had the app installed may
// (not_a_customer), once (review_exists; it edits the one it has).
func (s *Store) CreateRating(ctx context.Context, n shelf.NewRating) (*shelf.Rating, error) {
	if err := n.Check(); err != nil {
		return nil, err
	}
	var id string
	err := s.Update(ctx, func(tx *Tx) error {
		var role string
		err := tx.QueryRowContext(ctx, `SELECT role FROM memberships WHERE org_id = $1 AND user_id = $2`, n.OrgID, n.ByUserID).Scan(&role)
		if errors.Is(err, sql.ErrNoRows) {
			return shelf.Forbidden("org_member_required", "only a member of the org may review for it")
		} else if err != nil {
			return err
		}
		var one int
		err = tx.QueryRowContext(ctx, `SELECT 1 FROM installations i JOIN listings l ON l.app_id = i.app_id JOIN orgs o ON o.id = i.org_id
			WHERE l.id = $1 AND i.org_id = $2 AND NOT o.test LIMIT 1`, n.ListingID, n.OrgID).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return shelf.Forbidden("not_a_customer", "only an org that has had the app installed may review it")
		} else if err != nil {
			return err
		}
		id = shelf.NewID("rvw")
		res, err := tx.ExecContext(ctx, `INSERT INTO ratings (id, listing_id, org_id, author_id, author_role, stars, body, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) ON CONFLICT (listing_id, org_id) DO NOTHING`,
			id, n.ListingID, n.OrgID, n.ByUserID, role, n.Stars, n.Text, micros(tx.Now()))
		if err != nil {
			return err
		}
		if k, err := res.RowsAffected(); err != nil {
			return err
		} else if k == 0 {
			return shelf.Errorf(shelf.KindConflict, "review_exists", "this org has already reviewed this app: edit that review")
		}
		if err := countRating(ctx, tx, ratingCount{n.ListingID, n.Stars, true}, 1); err != nil {
			return err
		}
		tx.touch(shelf.ChangeListing(n.ListingID)) // the listing page shows its reviews
		return audit(ctx, tx, n.ByUserID, "rating.create", "rating", id, nil, n, "")
	})
	if err != nil {
		return nil, fmt.Errorf("review listing %s: %w", n.ListingID, err)
	}
	return s.Rating(ctx, id)
}

const ratingSelect = `SELECT r.id, r.listing_id, r.org_id, o.name, r.author_id, u.name, r.author_role, r.stars, r.body, r.reply, r.replied_at,
	r.hidden_at, r.hidden_reason, r.created_at, r.updated_at, (SELECT COUNT(*) FROM rating_flags f WHERE f.rating_id = r.id) FROM ratings r JOIN orgs o ON o.id = r.org_id JOIN users u ON u.id = r.author_id`

func scanRating(row interface{ Scan(...any) error }) (*shelf.Rating, error) {
	var r shelf.Rating
	var replied, hidden sql.NullInt64
	var created, updated int64
	if err := row.Scan(&r.ID, &r.ListingID, &r.OrgID, &r.OrgName, &r.AuthorID, &r.AuthorName, &r.AuthorRole, &r.Stars, &r.Text, &r.Reply,
		&replied, &hidden, &r.HiddenReason, &created, &updated, &r.Flags); err != nil {
		return nil, err
	}
	r.RepliedAt, r.Hidden = nullMicros(replied), hidden.Valid
	r.CreatedAt, r.UpdatedAt = fromMicros(created), fromMicros(updated)
	return &r, nil
}

// Rating returns one review.
func (s *Store) Rating(ctx context.Context, id string) (*shelf.Rating, error) {
	r, err := scanRating(s.read.QueryRowContext(ctx, ratingSelect+` WHERE r.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, shelf.NotFound("review")
	}
	if err != nil {
		return nil, fmt.Errorf("review %s: %w", id, err)
	}
	return r, nil
}

// Ratings lists a listing's newest 500 reviews, hidden ones too (the
// caller decides who sees them): RatingsPage's first page, for the
// readers that want them at once (the demo's and the tests' checks).
func (s *Store) Ratings(ctx context.Context, listingID string) ([]shelf.Rating, error) {
	return s.RatingsPage(ctx, listingID, true, shelf.FirstPage(500))
}

// ratingsOrder pages a listing's reviews newest first (index
// ratings_listing_created_id).
var ratingsOrder = keyset{cols: []string{"r.created_at", "r.id"}, desc: true}

// RatingsPage lists one page of a listing's reviews, newest first; hidden
// ones only withHidden (an operator's view). Hidden reviews are few (a
// moderator's act), so the visible ones are filtered on the index range.
func (s *Store) RatingsPage(ctx context.Context, listingID string, withHidden bool, p shelf.PageReq) ([]shelf.Rating, error) {
	where := ` WHERE r.listing_id = $1`
	if !withHidden {
		where += ` AND r.hidden_at IS NULL`
	}
	tail, args, err := ratingsOrder.page(p, []any{listingID})
	if err != nil {
		return nil, err
	}
	rows, err := s.queryPage(ctx, ratingSelect+where+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("reviews: %w", err)
	}
	defer rows.Close()
	out := []shelf.Rating{}
	for rows.Next() {
		r, err := scanRating(rows)
		if err != nil {
			return nil, fmt.Errorf("reviews: %w", err)
		}
		out = append(out, *r)
	}
	return out, rows.Err()
}

// RatingSummary counts a listing's visible reviews by stars: the summary
// of all of them, whatever page is shown.
func (s *Store) RatingSummary(ctx context.Context, listingID string) (shelf.RatingSummary, error) {
	var dist [5]int
	rows, err := s.read.QueryContext(ctx, `SELECT stars, n FROM rating_counts WHERE listing_id = $1`, listingID)
	if err != nil {
		return shelf.RatingSummary{}, fmt.Errorf("review summary: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var stars, n int
		if err := rows.Scan(&stars, &n); err != nil {
			return shelf.RatingSummary{}, fmt.Errorf("review summary: %w", err)
		}
		if stars >= 1 && stars <= 5 {
			dist[stars-1] = n
		}
	}
	return shelf.SummaryOf(dist), rows.Err()
}

// ReplyRating keeps the partner's public reply to a review: once
// (reply_exists).
func (s *Store) ReplyRating(ctx context.Context, id, byUserID, text string) (*shelf.Rating, error) {
	if err := shelf.CheckRatingText("text", text, true); err != nil {
		return nil, err
	}
	err := s.Update(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE ratings SET reply = $2, reply_by = $3, replied_at = $4, updated_at = $4 WHERE id = $1 AND reply = ''`,
			id, text, byUserID, micros(tx.Now()))
		if err != nil {
			return err
		}
		if k, err := res.RowsAffected(); err != nil {
			return err
		} else if k == 0 {
			return shelf.Errorf(shelf.KindConflict, "reply_exists", "the partner has already replied to this review")
		}
		if err := touchRatedListing(ctx, tx, id); err != nil {
			return err
		}
		return audit(ctx, tx, byUserID, "rating.reply", "rating", id, nil, nil, "")
	})
	if err != nil {
		return nil, fmt.Errorf("reply to review %s: %w", id, err)
	}
	return s.Rating(ctx, id)
}

// HideRating hides a review with the reason, in the audit log.
func (s *Store) HideRating(ctx context.Context, id, byUserID, reason string) (*shelf.Rating, error) {
	if err := shelf.CheckRatingText("reason", reason, true); err != nil {
		return nil, err
	}
	err := s.Update(ctx, func(tx *Tx) error {
		err := rerate(ctx, tx, id, func() error {
			return tx.execOne(ctx, `UPDATE ratings SET hidden_at = $2, hidden_by = $3, hidden_reason = $4 WHERE id = $1 AND hidden_at IS NULL`,
				id, micros(tx.Now()), byUserID, reason)
		})
		if errors.Is(err, errConcurrent) {
			return shelf.Errorf(shelf.KindConflict, "review_hidden", "this review is already hidden")
		} else if err != nil {
			return err
		}
		if err := notifyRatingHidden(ctx, tx, id, reason); err != nil {
			return err
		}
		return audit(ctx, tx, byUserID, "rating.hide", "rating", id, nil, nil, reason)
	})
	if err != nil {
		return nil, fmt.Errorf("hide review %s: %w", id, err)
	}
	return s.Rating(ctx, id)
}

// touchRatedListing tells every node that a review's listing changed: its
// cached page shows the reviews.
func touchRatedListing(ctx context.Context, tx *Tx, ratingID string) error {
	var listingID string
	if err := tx.QueryRowContext(ctx, `SELECT listing_id FROM ratings WHERE id = $1`, ratingID).Scan(&listingID); err != nil {
		return fmt.Errorf("review %s: %w", ratingID, err)
	}
	tx.touch(shelf.ChangeListing(listingID))
	return nil
}

// ratingCount is what one review adds to its listing's summary: one at its
// stars, while it is visible.
type ratingCount struct {
	listingID string
	stars     int
	visible   bool
}

// countRating moves the listing's kept count (rating_counts) of visible
// reviews at c's stars by delta, in the transaction that changes the
// review: the summary is then five rows however many reviews there are.
func countRating(ctx context.Context, tx *Tx, c ratingCount, delta int) error {
	if !c.visible {
		return nil
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO rating_counts (listing_id, stars, n) VALUES ($1, $2, $3)
		ON CONFLICT (listing_id, stars) DO UPDATE SET n = rating_counts.n + excluded.n`, c.listingID, c.stars, delta)
	if err != nil {
		return fmt.Errorf("count review: %w", err)
	}
	return nil
}

// rerate runs change on review id and moves its listing's counts from what
// the review added before to what it adds after; every node hears that the
// listing changed.
func rerate(ctx context.Context, tx *Tx, id string, change func() error) error {
	read := func() (ratingCount, error) {
		var c ratingCount
		err := tx.QueryRowContext(ctx, `SELECT listing_id, stars, hidden_at IS NULL FROM ratings WHERE id = $1`, id).Scan(&c.listingID, &c.stars, &c.visible)
		if err != nil {
			return c, fmt.Errorf("review %s: %w", id, err)
		}
		return c, nil
	}
	before, err := read()
	if err != nil {
		return err
	}
	if err := change(); err != nil {
		return err
	}
	after, err := read()
	if err != nil {
		return err
	}
	if err := countRating(ctx, tx, before, -1); err != nil {
		return err
	}
	if err := countRating(ctx, tx, after, 1); err != nil {
		return err
	}
	tx.touch(shelf.ChangeListing(after.listingID))
	return nil
}
