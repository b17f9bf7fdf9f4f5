package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/shelfhq/shelf/internal/shelf"
)

// SetSeats replaces the seats of an org's subscription to an app. More
// seats than licensed, or a member list larger than the licence with
// all_members, is refused (seats_exceeded) and changes nothing; users who
// are not members are refused by name.
func (s *Store) SetSeats(ctx context.Context, orgID, appID string, ch shelf.SeatsChange) (*shelf.Subscription, error) {
	var out shelf.Subscription
	err := s.Update(ctx, func(tx *Tx) error {
		sub, err := subForUpdate(ctx, tx, orgID, appID)
		if err != nil {
			return err
		}
		if sub == nil {
			return shelf.NotFound("subscription")
		}
		now := sub.At(tx.Now())
		if !now.Usable() {
			return shelf.Errorf(shelf.KindConflict, "no_active_license", "the subscription is %s: buy or renew before assigning seats", now.Status)
		}
		before, err := seatUsers(ctx, tx, sub.ID)
		if err != nil {
			return err
		}
		if err := applySeats(ctx, tx, sub, now.Users, ch); err != nil {
			return err
		}
		after, err := seatUsers(ctx, tx, sub.ID)
		if err != nil {
			return err
		}
		if err := saveSub(ctx, tx, sub); err != nil {
			return err
		}
		if err := audit(ctx, tx, ch.ByUserID, "seats.set", "subscription", sub.ID, before, after, ""); err != nil {
			return err
		}
		out = sub.At(tx.Now())
		return emitSeats(ctx, tx, sub, before, after, ch.ByUserID)
	})
	if err != nil {
		return nil, fmt.Errorf("set seats of %s in %s: %w", appID, orgID, err)
	}
	return &out, nil
}

func applySeats(ctx context.Context, tx *Tx, sub *storedSub, licensed int, ch shelf.SeatsChange) error {
	if ch.AllMembers {
		members, err := memberCount(ctx, tx, sub.OrgID)
		if err != nil {
			return err
		}
		if members > licensed {
			return shelf.FieldError("all_members", "seats_exceeded", "the organization has %d members; the licence covers %d users", members, licensed)
		}
		sub.AllMembers, sub.AssignedSeats, sub.OverLimitSince = true, members, nil
		return nil
	}
	ids := slices.Clone(ch.UserIDs)
	if ch.Scope != nil && !sub.AllMembers {
		held, err := seatUsers(ctx, tx, sub.ID)
		if err != nil {
			return err
		}
		for _, id := range held {
			if !slices.Contains(ch.Scope, id) {
				ids = append(ids, id)
			}
		}
	}
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	if len(ids) > licensed {
		return shelf.FieldError("user_ids", "seats_exceeded", "%d seats asked for; the licence covers %d users", len(ids), licensed)
	}
	raw, err := json.Marshal(ids)
	if err != nil {
		return err
	}
	var members int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM memberships WHERE org_id = $1 AND user_id IN (SELECT value FROM `+
		tx.s.dialect.jsonTexts("$2")+`)`, sub.OrgID, string(raw)).Scan(&members); err != nil {
		return fmt.Errorf("check seat members: %w", err)
	}
	if members != len(ids) {
		return shelf.FieldError("user_ids", "not_a_member", "every seat must go to a member of the organization")
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM seats WHERE subscription_id = $1 AND user_id NOT IN (SELECT value FROM `+
		tx.s.dialect.jsonTexts("$2")+`)`, sub.ID, string(raw)); err != nil {
		return fmt.Errorf("free seats: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO seats (subscription_id, user_id, assigned_by, assigned_at)
		SELECT $1, value, $3, $4 FROM `+tx.s.dialect.jsonTexts("$2")+` WHERE true ON CONFLICT (subscription_id, user_id) DO NOTHING`,
		sub.ID, string(raw), ch.ByUserID, micros(tx.Now())); err != nil {
		return fmt.Errorf("assign seats: %w", err)
	}
	sub.AllMembers = false
	return countSeats(ctx, tx, sub)
}

// countSeats sets the subscription's seat count from its seats and starts
// or ends its time over the limit.
func countSeats(ctx context.Context, tx *Tx, sub *storedSub) error {
	if !sub.AllMembers {
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM seats WHERE subscription_id = $1`, sub.ID).Scan(&sub.AssignedSeats); err != nil {
			return fmt.Errorf("count seats: %w", err)
		}
	}
	licensed := sub.At(tx.Now()).Users
	switch {
	case sub.AssignedSeats <= licensed:
		sub.OverLimitSince = nil
	case sub.OverLimitSince == nil:
		now := tx.Now()
		sub.OverLimitSince = &now
	}
	return nil
}

// SeatHolders returns which of userIDs hold a seat of the org's
// subscription to the app: a page of members is checked in one query,
// however many seats there are.
func (s *Store) SeatHolders(ctx context.Context, orgID, appID string, userIDs []string) ([]string, error) {
	raw, err := json.Marshal(userIDs)
	if err != nil {
		return nil, err
	}
	held, err := queryStrings(ctx, s.read, `SELECT st.user_id FROM seats st
		WHERE st.subscription_id = (SELECT sb.id FROM subscriptions sb WHERE sb.org_id = $1 AND sb.app_id = $2)
		AND st.user_id IN (SELECT value FROM `+s.dialect.jsonTexts("$3")+`)`, orgID, appID, string(raw))
	if err != nil {
		return nil, fmt.Errorf("seat holders of %s in %s: %w", appID, orgID, err)
	}
	return held, nil
}

func seatUsers(ctx context.Context, q queryer, subID string) ([]string, error) {
	return queryStrings(ctx, q, `SELECT user_id FROM seats WHERE subscription_id = $1 ORDER BY user_id`, subID)
}

// queryStrings runs a query of one text column and collects it.
func queryStrings(ctx context.Context, q queryer, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return scanStrings(rows)
}

// scanStrings collects rows of one text column and closes them.
func scanStrings(rows *sql.Rows) ([]string, error) {
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func emitSeats(ctx context.Context, tx *Tx, sub *storedSub, before, after []string, byUserID string) error {
	d := shelf.SeatsEventData{SubscriptionID: sub.ID, Added: []string{}, Removed: []string{}, AllMembers: sub.AllMembers,
		Assigned: sub.AssignedSeats, Users: sub.At(tx.Now()).Users, ByUserID: byUserID}
	for _, u := range after {
		if !slices.Contains(before, u) {
			d.Added = append(d.Added, u)
		}
	}
	for _, u := range before {
		if !slices.Contains(after, u) {
			d.Removed = append(d.Removed, u)
		}
	}
	_, err := tx.Emit(ctx, sub.AppID, sub.OrgID, shelf.EventSeatsChanged, d)
	return err
}

// seatsOrder pages a subscription's seats in the order they were given
// (index seats_subscription_assigned).
var seatsOrder = keyset{cols: []string{"st.assigned_at", "st.user_id"}}

// Seats lists the members holding a seat of an org's subscription to an
// app, in the order they were given (the order the limit counts them in).
func (s *Store) Seats(ctx context.Context, orgID, appID string, p shelf.PageReq) ([]shelf.Seat, error) {
	tail, args, err := seatsOrder.page(p, []any{orgID, appID})
	if err != nil {
		return nil, err
	}
	// The subscription is looked up first, so its seats' index serves the order.
	rows, err := s.queryPage(ctx, `SELECT st.user_id, st.assigned_by, st.assigned_at FROM seats st
		WHERE st.subscription_id = (SELECT sb.id FROM subscriptions sb WHERE sb.org_id = $1 AND sb.app_id = $2)`+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("seats: %w", err)
	}
	defer rows.Close()
	out := []shelf.Seat{}
	for rows.Next() {
		var st shelf.Seat
		var at int64
		if err := rows.Scan(&st.UserID, &st.AssignedBy, &at); err != nil {
			return nil, fmt.Errorf("seats: %w", err)
		}
		st.AssignedAt = fromMicros(at)
		out = append(out, st)
	}
	return out, rows.Err()
}

// memberLeft frees the seats a member held in the org they left and
// recounts subscriptions that cover every member, in the transaction that
// removed them.
func memberLeft(ctx context.Context, tx *Tx, orgID, userID, byUserID string) error {
	return recountMembers(ctx, tx, `SELECT id FROM subscriptions WHERE org_id = $1
		AND (all_members OR id IN (SELECT subscription_id FROM seats WHERE user_id = $2)) ORDER BY id`, orgID, userID, byUserID, true)
}

// memberJoined recounts the subscriptions of an org that cover every
// member: a new member may take the org over its licence.
func memberJoined(ctx context.Context, tx *Tx, orgID, userID, byUserID string) error {
	return recountMembers(ctx, tx, `SELECT id FROM subscriptions WHERE org_id = $1 AND all_members AND $2 <> '' ORDER BY id`,
		orgID, userID, byUserID, false)
}

func recountMembers(ctx context.Context, tx *Tx, query, orgID, userID, byUserID string, left bool) error {
	ids, err := queryStrings(ctx, tx, query, orgID, userID)
	if err != nil {
		return fmt.Errorf("subscriptions of %s: %w", userID, err)
	}
	for _, id := range ids {
		if err := recountAfterMemberChange(ctx, tx, id, userID, byUserID, left); err != nil {
			return err
		}
	}
	return nil
}

func recountAfterMemberChange(ctx context.Context, tx *Tx, subID, userID, byUserID string, left bool) error {
	sub, err := subWhere(ctx, tx, tx.s.dialect.forUpdate(), `id = $1`, subID)
	if err != nil {
		return err
	}
	before, err := seatUsers(ctx, tx, sub.ID)
	if err != nil {
		return err
	}
	if left {
		if _, err := tx.ExecContext(ctx, `DELETE FROM seats WHERE subscription_id = $1 AND user_id = $2`, sub.ID, userID); err != nil {
			return fmt.Errorf("free seat: %w", err)
		}
	}
	if sub.AllMembers {
		if sub.AssignedSeats, err = memberCount(ctx, tx, sub.OrgID); err != nil {
			return err
		}
	}
	if err := countSeats(ctx, tx, sub); err != nil {
		return err
	}
	after, err := seatUsers(ctx, tx, sub.ID)
	if err != nil {
		return err
	}
	if err := saveSub(ctx, tx, sub); err != nil {
		return err
	}
	if slices.Equal(before, after) && !sub.AllMembers {
		return nil
	}
	return emitSeats(ctx, tx, sub, before, after, byUserID)
}
