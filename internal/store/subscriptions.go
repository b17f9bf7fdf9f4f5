package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
)

const subColumns = `id, org_id, app_id, listing_id, kind, spec_code, period, users, currency, unit_price, starts_at, ends_at,
	anchor_day, trial_used, free_spec, free_users, next_term, assigned_seats, all_members, over_limit_since, cancelled_at,
	version, updated_at`

// storedSub is a subscription row: the domain's facts plus the row version
// that conditional updates check.
type storedSub struct {
	shelf.Subscription
	version int64
}

func scanSub(row interface{ Scan(...any) error }) (*storedSub, error) {
	var s storedSub
	var starts, ends, updated int64
	var next string
	var over, cancelled sql.NullInt64
	if err := row.Scan(&s.ID, &s.OrgID, &s.AppID, &s.ListingID, &s.Kind, &s.SpecCode, &s.Period, &s.Users, &s.Currency, &s.UnitPrice,
		&starts, &ends, &s.AnchorDay, &s.TrialUsed, &s.FreeSpec, &s.FreeUsers, &next, &s.AssignedSeats, &s.AllMembers, &over, &cancelled,
		&s.version, &updated); err != nil {
		return nil, err
	}
	s.StartsAt, s.UpdatedAt = fromMicros(starts), fromMicros(updated)
	if ends != 0 {
		s.EndsAt = fromMicros(ends)
	}
	s.OverLimitSince, s.CancelledAt = nullMicros(over), nullMicros(cancelled)
	if next != "" {
		s.Next = &shelf.TermChange{}
		if err := json.Unmarshal([]byte(next), s.Next); err != nil {
			return nil, fmt.Errorf("subscription %s next term: %w", s.ID, err)
		}
	}
	return &s, nil
}

// subWhere reads one subscription; lock takes its row for the rest of the
// transaction (PostgreSQL), so two changes to one subscription queue.
func subWhere(ctx context.Context, q queryer, lock string, where string, args ...any) (*storedSub, error) {
	s, err := scanSub(q.QueryRowContext(ctx, `SELECT `+subColumns+` FROM subscriptions WHERE `+where+lock, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, shelf.NotFound("subscription")
	}
	if err != nil {
		return nil, fmt.Errorf("get subscription: %w", err)
	}
	return s, nil
}

// subForUpdate reads the org's subscription to an app, locked; nil if the
// org never had one.
func subForUpdate(ctx context.Context, tx *Tx, orgID, appID string) (*storedSub, error) {
	if tx.group != nil && tx.group.reads != nil {
		if s, ok := tx.group.reads.sub(orgID, appID); ok {
			return s, nil
		}
	}
	s, err := subWhere(ctx, tx, tx.s.dialect.forUpdate(), `org_id = $1 AND app_id = $2`, orgID, appID)
	if shelf.ErrorKind(err) == shelf.KindNotFound {
		return nil, nil
	}
	return s, err
}

// saveSub writes a subscription: an insert for a new one (version 0), else
// an update that must find the version it read.
func saveSub(ctx context.Context, tx *Tx, s *storedSub) error {
	next := ""
	if s.Next != nil {
		b, err := json.Marshal(s.Next)
		if err != nil {
			return err
		}
		next = string(b)
	}
	var ends int64
	if !s.EndsAt.IsZero() {
		ends = micros(s.EndsAt)
	}
	args := []any{s.ID, s.OrgID, s.AppID, s.ListingID, s.Kind, s.SpecCode, s.Period, s.Users, s.Currency, s.UnitPrice,
		micros(s.StartsAt), ends, s.AnchorDay, s.TrialUsed, s.FreeSpec, s.FreeUsers, next, s.AssignedSeats, s.AllMembers,
		optMicros(s.OverLimitSince), optMicros(s.CancelledAt), s.version + 1, micros(tx.Now())}
	if s.version == 0 {
		_, err := tx.ExecContext(ctx, `INSERT INTO subscriptions (`+subColumns+`, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $23)`, args...)
		if err != nil {
			return fmt.Errorf("insert subscription: %w", err)
		}
	} else if err := tx.execOne(ctx, `UPDATE subscriptions SET listing_id = $4, kind = $5, spec_code = $6, period = $7, users = $8,
			currency = $9, unit_price = $10, starts_at = $11, ends_at = $12, anchor_day = $13, trial_used = $14, free_spec = $15,
			free_users = $16, next_term = $17, assigned_seats = $18, all_members = $19, over_limit_since = $20, cancelled_at = $21,
			version = $22, updated_at = $23
		WHERE id = $1 AND org_id = $2 AND app_id = $3 AND version = $24`, append(args, s.version)...); err != nil {
		return fmt.Errorf("update subscription %s: %w", s.ID, err)
	}
	s.version++
	s.UpdatedAt = tx.Now()
	tx.touch(s.OrgID)
	return nil
}

// optMicros stores an optional time: NULL when absent.
func optMicros(t *time.Time) any {
	if t == nil {
		return nil
	}
	return micros(*t)
}

// Subscriptions lists one page of an org's subscriptions as they stand now, by app.
func (s *Store) Subscriptions(ctx context.Context, orgID string, p shelf.PageReq) ([]shelf.Subscription, error) {
	return s.subscriptions(ctx, `org_id = $1`, orgID, keyset{cols: []string{"app_id"}}, p)
}

// AppSubscriptions lists one page of the subscriptions to an app (the
// partner's view), by org.
func (s *Store) AppSubscriptions(ctx context.Context, appID string, p shelf.PageReq) ([]shelf.Subscription, error) {
	return s.subscriptions(ctx, `app_id = $1`, appID, keyset{cols: []string{"org_id"}}, p)
}

// subscriptions reads one page of the subscriptions where selects, in
// order: an org's by app, an app's by org (one subscription per pair;
// indexes on (org_id, app_id) and (app_id, org_id)).
func (s *Store) subscriptions(ctx context.Context, where string, arg string, order keyset, p shelf.PageReq) ([]shelf.Subscription, error) {
	tail, args, err := order.page(p, []any{arg})
	if err != nil {
		return nil, err
	}
	rows, err := s.queryPage(ctx, `SELECT `+subColumns+` FROM subscriptions WHERE `+where+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("subscriptions: %w", err)
	}
	defer rows.Close()
	now := s.clock.Now()
	out := []shelf.Subscription{}
	for rows.Next() {
		sub, err := scanSub(rows)
		if err != nil {
			return nil, fmt.Errorf("subscriptions: %w", err)
		}
		out = append(out, sub.At(now))
	}
	return out, rows.Err()
}

// Subscription returns an org's subscription to an app as it stands now.
func (s *Store) Subscription(ctx context.Context, orgID, appID string) (*shelf.Subscription, error) {
	sub, err := subWhere(ctx, s.read, "", `org_id = $1 AND app_id = $2`, orgID, appID)
	if err != nil {
		return nil, err
	}
	v := sub.At(s.clock.Now())
	return &v, nil
}
