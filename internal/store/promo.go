package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/shelfhq/shelf/internal/shelf"
)

// CreatePromoChannel makes a promotion channel for a live listing, with a
// fresh random code. A landing the listing cannot serve (a trial it does
// not offer, a spec it does not sell) is refused.
func (s *Store) CreatePromoChannel(ctx context.Context, n shelf.NewPromoChannel) (*shelf.PromoChannel, error) {
	var out *shelf.PromoChannel
	err := s.Update(ctx, func(tx *Tx) error {
		li, err := listingTx(ctx, tx, n.ListingID)
		if err != nil {
			return err
		}
		var live *shelf.Revision
		if li.State == shelf.ListingListed && li.LiveRevisionID != "" {
			ri, err := revisionTx(ctx, tx, li.LiveRevisionID)
			if err != nil {
				return err
			}
			live = &ri.Revision
		}
		if err := n.Check(live, tx.Now()); err != nil {
			return err
		}
		c := &shelf.PromoChannel{ID: shelf.NewID("chn"), ListingID: li.ID, AppID: li.AppID, OrgID: li.OrgID, Name: n.Name, Note: n.Note,
			Target: n.Target, SpecCode: n.SpecCode, State: n.State, CreatedBy: n.ByUserID, CreatedAt: tx.Now(), UpdatedAt: tx.Now()}
		if n.ExpiresAt != nil {
			e := n.ExpiresAt.UTC()
			c.ExpiresAt = &e
		}
		// A drawn code that is taken (one in 2^39 per channel) is drawn again.
		for range 5 {
			c.Code = shelf.NewPromoCode()
			var one int
			err := tx.QueryRowContext(ctx, `SELECT 1 FROM promo_channels WHERE code = $1`, c.Code).Scan(&one)
			if errors.Is(err, sql.ErrNoRows) {
				break
			}
			if err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO promo_channels (id, code, listing_id, app_id, org_id, name, note, target, spec_code, state,
			paused, expires_at, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, FALSE, $11, $12, $13, $13)`,
			c.ID, c.Code, c.ListingID, c.AppID, c.OrgID, c.Name, c.Note, c.Target, c.SpecCode, c.State, expiryMicros(c), c.CreatedBy,
			micros(c.CreatedAt)); err != nil {
			return fmt.Errorf("insert channel: %w", err)
		}
		out = c
		return audit(ctx, tx, n.ByUserID, "promo_channel.create", "promo_channel", c.ID, nil, c, "")
	})
	if err != nil {
		return nil, fmt.Errorf("create channel for %s: %w", n.ListingID, err)
	}
	return out, nil
}

// UpdatePromoChannel renames, pauses, resumes, re-dates or expires a
// listing's channel; an expired channel stays expired.
func (s *Store) UpdatePromoChannel(ctx context.Context, listingID, code string, p shelf.PromoPatch, byUserID string) (*shelf.PromoChannel, error) {
	var out *shelf.PromoChannel
	err := s.Update(ctx, func(tx *Tx) error {
		c, err := promoChannelWhere(ctx, tx, `c.code = $1 AND c.listing_id = $2`, shelf.NormPromoCode(code), listingID)
		if err != nil {
			return err
		}
		before := *c
		if err := p.Apply(c, tx.Now()); err != nil {
			return err
		}
		c.UpdatedAt = tx.Now()
		if err := tx.execOne(ctx, `UPDATE promo_channels SET name = $1, note = $2, state = $3, paused = $4, expires_at = $5, updated_at = $6
			WHERE id = $7 AND updated_at = $8`, c.Name, c.Note, c.State, c.Paused, expiryMicros(c), micros(c.UpdatedAt), c.ID,
			micros(before.UpdatedAt)); err != nil {
			return err
		}
		out = c
		tx.touch(shelf.ChangePromoChannel(c.Code)) // links cached on every node
		return audit(ctx, tx, byUserID, "promo_channel.update", "promo_channel", c.ID, before, c, "")
	})
	if err != nil {
		return nil, fmt.Errorf("update channel %s: %w", code, err)
	}
	return out, nil
}

// PromoChannel returns a channel by its code, in any case.
func (s *Store) PromoChannel(ctx context.Context, code string) (*shelf.PromoChannel, error) {
	code = shelf.NormPromoCode(code)
	if code == "" {
		return nil, shelf.NotFound("channel")
	}
	return promoChannelWhere(ctx, s.read, `c.code = $1`, code)
}

// PromoLink returns a channel by its code with whether its listing is
// live, in one query: the path of every scanned code.
func (s *Store) PromoLink(ctx context.Context, code string) (*shelf.PromoChannel, bool, error) {
	code = shelf.NormPromoCode(code)
	if code == "" {
		return nil, false, shelf.NotFound("channel")
	}
	var live bool
	stmt, err := s.visits.linkStmt(ctx, s.read)
	if err != nil {
		return nil, false, fmt.Errorf("channel link: %w", err)
	}
	row := stmt.QueryRowContext(ctx, code)
	c, err := scanPromoChannel(scanFunc(func(dst ...any) error { return row.Scan(append(dst, &live)...) }))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, shelf.NotFound("channel")
	}
	if err != nil {
		return nil, false, fmt.Errorf("channel link: %w", err)
	}
	return c, live, nil
}

// scanFunc adapts a function to a row's Scan.
type scanFunc func(dst ...any) error

func (f scanFunc) Scan(dst ...any) error { return f(dst...) }

// promoChannelsOrder pages a listing's channels newest first (index promo_channels_listing_id).
var promoChannelsOrder = keyset{cols: []string{"c.created_at", "c.id"}, desc: true}

// PromoChannels lists a listing's channels, newest first.
func (s *Store) PromoChannels(ctx context.Context, listingID string, p shelf.PageReq) ([]shelf.PromoChannel, error) {
	tail, args, err := promoChannelsOrder.page(p, []any{listingID})
	if err != nil {
		return nil, err
	}
	rows, err := s.queryPage(ctx, `SELECT `+promoColumns+` FROM promo_channels c WHERE c.listing_id = $1`+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("channels: %w", err)
	}
	defer rows.Close()
	out := []shelf.PromoChannel{}
	for rows.Next() {
		c, err := scanPromoChannel(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *c)
	}
	return out, rows.Err()
}

// SetPromoAttributionDays sets a listing's last-touch window (1 to 90 days).
func (s *Store) SetPromoAttributionDays(ctx context.Context, listingID string, days int, byUserID string) error {
	if days < 1 || days > shelf.PromoAttributionMax {
		return shelf.FieldError("attribution_days", "invalid_attribution_days", "the attribution window is 1 to %d days", shelf.PromoAttributionMax)
	}
	return s.Update(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO promo_settings (listing_id, attribution_days) VALUES ($1, $2)
			ON CONFLICT (listing_id) DO UPDATE SET attribution_days = excluded.attribution_days`, listingID, days); err != nil {
			return fmt.Errorf("attribution window: %w", err)
		}
		return audit(ctx, tx, byUserID, "promo.attribution_days", "listing", listingID, nil, map[string]int{"attribution_days": days}, "")
	})
}

// PromoAttributionDays is a listing's last-touch window in days.
func (s *Store) PromoAttributionDays(ctx context.Context, listingID string) (int, error) {
	days := shelf.PromoAttributionDays
	err := s.read.QueryRowContext(ctx, `SELECT attribution_days FROM promo_settings WHERE listing_id = $1`, listingID).Scan(&days)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("attribution window: %w", err)
	}
	return days, nil
}

const promoColumns = `c.id, c.code, c.listing_id, c.app_id, c.org_id, c.name, c.note, c.target, c.spec_code, c.state, c.paused, c.expires_at,
	c.created_by, c.created_at, c.updated_at`

func scanPromoChannel(row interface{ Scan(...any) error }) (*shelf.PromoChannel, error) {
	var c shelf.PromoChannel
	var expires, created, updated int64
	if err := row.Scan(&c.ID, &c.Code, &c.ListingID, &c.AppID, &c.OrgID, &c.Name, &c.Note, &c.Target, &c.SpecCode, &c.State, &c.Paused,
		&expires, &c.CreatedBy, &created, &updated); err != nil {
		return nil, err
	}
	if expires != 0 {
		e := fromMicros(expires)
		c.ExpiresAt = &e
	}
	c.CreatedAt, c.UpdatedAt = fromMicros(created), fromMicros(updated)
	return &c, nil
}

func promoChannelWhere(ctx context.Context, q queryer, where string, args ...any) (*shelf.PromoChannel, error) {
	c, err := scanPromoChannel(q.QueryRowContext(ctx, `SELECT `+promoColumns+` FROM promo_channels c WHERE `+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, shelf.NotFound("channel")
	}
	if err != nil {
		return nil, fmt.Errorf("get channel: %w", err)
	}
	return c, nil
}

func expiryMicros(c *shelf.PromoChannel) int64 {
	if c.ExpiresAt == nil {
		return 0
	}
	return micros(*c.ExpiresAt)
}
