package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/shelfhq/shelf/internal/shelf"
)

// EditRating changes an org's review: any member of the org may, and
// becomes its author (their role shown). A hidden review stays hidden.
func (s *Store) EditRating(ctx context.Context, id, byUserID string, stars int, text string) (*shelf.Rating, error) {
	n := shelf.NewRating{Stars: stars, Text: text}
	if err := n.Check(); err != nil {
		return nil, err
	}
	err := s.Update(ctx, func(tx *Tx) error {
		var role string
		err := tx.QueryRowContext(ctx, `SELECT m.role FROM ratings r JOIN memberships m ON m.org_id = r.org_id AND m.user_id = $2 WHERE r.id = $1`, id, byUserID).Scan(&role)
		if errors.Is(err, sql.ErrNoRows) {
			return shelf.Forbidden("org_member_required", "only a member of the review's org may edit it")
		} else if err != nil {
			return err
		}
		if err := rerate(ctx, tx, id, func() error {
			return tx.execOne(ctx, `UPDATE ratings SET stars = $2, body = $3, author_id = $4, author_role = $5, updated_at = $6 WHERE id = $1`,
				id, n.Stars, n.Text, byUserID, role, micros(tx.Now()))
		}); err != nil {
			return err
		}
		return audit(ctx, tx, byUserID, "rating.edit", "rating", id, nil, n, "")
	})
	if err != nil {
		return nil, fmt.Errorf("edit review %s: %w", id, err)
	}
	return s.Rating(ctx, id)
}

// FlagRating records a customer's report of an abusive review, once per
// person (already_flagged): only members of a (non-test) customer org may
// flag (customer_required). Operators see the count beside the review.
func (s *Store) FlagRating(ctx context.Context, id, byUserID, reason string) (*shelf.Rating, error) {
	reason = strings.TrimSpace(reason)
	if err := shelf.CheckRatingText("reason", reason, true); err != nil {
		return nil, err
	}
	err := s.Update(ctx, func(tx *Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM memberships m JOIN orgs o ON o.id = m.org_id WHERE m.user_id = $1 AND o.kind = 'customer' AND NOT o.test`,
			byUserID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return shelf.Forbidden("customer_required", "only customers flag reviews")
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO rating_flags (rating_id, user_id, reason, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (rating_id, user_id) DO NOTHING`,
			id, byUserID, reason, micros(tx.Now()))
		if err != nil {
			return err
		}
		if k, err := res.RowsAffected(); err != nil {
			return err
		} else if k == 0 {
			return shelf.Errorf(shelf.KindConflict, "already_flagged", "you have already flagged this review")
		}
		return audit(ctx, tx, byUserID, "rating.flag", "rating", id, nil, nil, reason)
	})
	if err != nil {
		return nil, fmt.Errorf("flag review %s: %w", id, err)
	}
	return s.Rating(ctx, id)
}

// notifyRatingHidden tells the review's org, in its notices, that an
// operator hid its review and why.
func notifyRatingHidden(ctx context.Context, tx *Tx, id, reason string) error {
	var orgID, name, nameEn string
	err := tx.QueryRowContext(ctx, `SELECT r.org_id, a.name, a.name_en FROM ratings r JOIN listings l ON l.id = r.listing_id JOIN apps a ON a.id = l.app_id WHERE r.id = $1`, id).
		Scan(&orgID, &name, &nameEn)
	if err != nil {
		return fmt.Errorf("review %s: %w", id, err)
	}
	if nameEn == "" {
		nameEn = name
	}
	return notify(ctx, tx, orgID, "rating.hidden", id, fmt.Sprintf("你对「%s」的评价已被平台隐藏：%s / your review of %s was hidden: %s", name, reason, nameEn, reason))
}
