package store

import (
	"context"
	"fmt"

	"github.com/shelfhq/shelf/internal/shelf"
)

// sweepBatch bounds the subscriptions one sweep transaction handles.
const sweepBatch = 100

// SweepResult counts what a commerce sweep did.
type SweepResult struct {
	TrialsEnding, TrialsExpired, TermsExpired, TermsChanged int
	OrdersCancelled                                         int64
}

// SweepCommerce tells vendors what time did: trials ending in three days
// (trial.ending), trials and terms that ended (trial.expired,
// subscription.expired), scheduled changes that started
// (subscription.changed); and cancels orders left unpaid. Each notice goes
// out once per term end, whichever node sweeps (rows are claimed with SKIP
// LOCKED on PostgreSQL). Access never waits for it: statuses are computed
// at read time.
func (s *Store) SweepCommerce(ctx context.Context) (SweepResult, error) {
	var r SweepResult
	for {
		n, err := s.sweepOnce(ctx, &r)
		if err != nil {
			return r, fmt.Errorf("commerce sweep: %w", err)
		}
		if n < sweepBatch {
			break
		}
	}
	var err error
	r.OrdersCancelled, err = s.CancelUnpaidOrders(ctx)
	return r, err
}

func (s *Store) sweepOnce(ctx context.Context, r *SweepResult) (int, error) {
	var n int
	err := s.Update(ctx, func(tx *Tx) error {
		now := micros(tx.Now())
		rows, err := tx.QueryContext(ctx, `SELECT `+subColumns+` FROM subscriptions
			WHERE cancelled_at IS NULL AND ends_at > 0 AND (
				(kind = 'trial' AND ends_at > $1 AND ends_at <= $2 AND ending_noticed <> ends_at)
				OR (kind IN ('trial', 'paid') AND ends_at <= $1 AND ended_noticed <> ends_at))
			ORDER BY ends_at, id LIMIT $3`+tx.s.dialect.skipLocked(), now, micros(tx.Now().Add(shelf.TrialEndingNotice)), sweepBatch)
		if err != nil {
			return err
		}
		var subs []*storedSub
		for rows.Next() {
			sub, err := scanSub(rows)
			if err != nil {
				rows.Close()
				return err
			}
			subs = append(subs, sub)
		}
		if err := rows.Close(); err != nil {
			return err
		}
		n = len(subs)
		for _, sub := range subs {
			if err := sweepSub(ctx, tx, sub, r); err != nil {
				return fmt.Errorf("subscription %s: %w", sub.ID, err)
			}
		}
		return nil
	})
	return n, err
}

func sweepSub(ctx context.Context, tx *Tx, sub *storedSub, r *SweepResult) error {
	now := tx.Now()
	end := micros(sub.EndsAt)
	data := shelf.SubscriptionEventData{SubscriptionData: sub.SubData(now)}
	switch {
	case sub.EndsAt.After(now):
		r.TrialsEnding++
		if err := tx.execOne(ctx, `UPDATE subscriptions SET ending_noticed = $2, version = version + 1 WHERE id = $1 AND version = $3`,
			sub.ID, end, sub.version); err != nil {
			return err
		}
		if _, err := tx.Emit(ctx, sub.AppID, sub.OrgID, shelf.EventTrialEnding, data); err != nil {
			return err
		}
		// Still a trial three days before its end: no purchase yet.
		return trialLead(ctx, tx, sub.ListingID, sub.OrgID, "", shelf.LeadFromTrialEnding)
	case sub.Next != nil:
		// A downgrade starts: the scheduled term becomes the term.
		r.TermsChanged++
		sub.FoldNext(now)
		if err := countSeats(ctx, tx, sub); err != nil {
			return err
		}
		if err := saveSub(ctx, tx, sub); err != nil {
			return err
		}
		_, err := tx.Emit(ctx, sub.AppID, sub.OrgID, shelf.EventSubscriptionChanged, shelf.SubscriptionEventData{SubscriptionData: sub.SubData(now)})
		return err
	}
	typ := shelf.EventSubscriptionExpired
	if sub.Kind == shelf.SubKindTrial {
		typ = shelf.EventTrialExpired
		r.TrialsExpired++
	} else {
		r.TermsExpired++
	}
	if err := tx.execOne(ctx, `UPDATE subscriptions SET ended_noticed = $2, ending_noticed = $2, version = version + 1 WHERE id = $1 AND version = $3`,
		sub.ID, end, sub.version); err != nil {
		return err
	}
	_, err := tx.Emit(ctx, sub.AppID, sub.OrgID, typ, data)
	return err
}
