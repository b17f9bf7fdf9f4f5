package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
)

// RecordPayment takes a payment provider's verified word on an order. A
// payment moves the order created → paid and fulfils it in the same
// transaction; the same payment told twice (a provider's retry, two
// callbacks racing) changes nothing the second time; a second, different
// payment of a paid order is refused (order_already_paid) so it can be
// returned. A failed payment leaves the order waiting.
func (s *Store) RecordPayment(ctx context.Context, res shelf.PaymentResult, byUserID string) (*shelf.Order, error) {
	var out *shelf.Order
	err := s.Update(ctx, func(tx *Tx) error {
		o, err := orderWhere(ctx, tx, tx.s.dialect.forUpdate(), `id = $1`, res.OrderID)
		if err != nil {
			return err
		}
		out = o
		if !res.Paid {
			return audit(ctx, tx, byUserID, "order.payment_failed", "order", o.ID, nil, nil, res.Provider+" "+res.Ref)
		}
		switch o.State {
		case shelf.OrderPaid, shelf.OrderFulfilled, shelf.OrderRefunded:
			if o.Provider == res.Provider && o.PaymentRef == res.Ref {
				return nil
			}
			return shelf.Errorf(shelf.KindConflict, "order_already_paid", "order %s is already paid", o.ID)
		case shelf.OrderCancelled:
			return shelf.Errorf(shelf.KindConflict, "order_cancelled", "order %s was cancelled: it cannot be paid", o.ID)
		}
		if res.Amount != o.Amount || res.Currency != o.Currency {
			return shelf.Errorf(shelf.KindInvalid, "payment_amount_mismatch", "the payment of %s does not match the order's %s",
				shelf.FormatMoney(res.Amount, res.Currency), shelf.FormatMoney(o.Amount, o.Currency))
		}
		return payOrder(ctx, tx, o, res, byUserID)
	})
	if err != nil {
		return nil, fmt.Errorf("record payment of %s: %w", res.OrderID, err)
	}
	return out, nil
}

// payOrder marks a created order paid and fulfils it. The update's
// condition on the state makes a racing second payment find nothing.
func payOrder(ctx context.Context, tx *Tx, o *shelf.Order, res shelf.PaymentResult, byUserID string) error {
	err := tx.execOne(ctx, `UPDATE orders SET state = 'paid', paid_at = $2, provider = $3, payment_ref = $4 WHERE id = $1 AND state = 'created'`,
		o.ID, micros(tx.Now()), res.Provider, res.Ref)
	if isUniqueViolation(err) {
		return shelf.Errorf(shelf.KindConflict, "payment_reused", "this payment already paid another order")
	}
	if err != nil {
		return err
	}
	now := tx.Now()
	o.State, o.PaidAt, o.Provider, o.PaymentRef = shelf.OrderPaid, &now, res.Provider, res.Ref
	if err := audit(ctx, tx, byUserID, "order.pay", "order", o.ID, nil, map[string]string{"provider": res.Provider, "ref": res.Ref}, ""); err != nil {
		return err
	}
	if err := recordSplit(ctx, tx, o, shelf.EntryOrder); err != nil {
		return err
	}
	return fulfil(ctx, tx, o, byUserID)
}

// fulfil applies a paid order to the org's subscription and tells the
// vendor: app.installed first if the app was not installed, then
// order.paid and subscription.changed. An order whose subscription moved
// on since it was priced (it expired, another change came first) stays
// paid with the reason, for a platform admin to refund.
func fulfil(ctx context.Context, tx *Tx, o *shelf.Order, byUserID string) error {
	sl, err := sellableListing(ctx, tx, o.ListingID, o.OrgID)
	if e, ok := shelf.AsError(err); ok && e.Kind != shelf.KindInternal {
		return unfulfilled(ctx, tx, o, e.Message)
	} else if err != nil {
		return err
	}
	sub, err := subForUpdate(ctx, tx, o.OrgID, o.AppID)
	if err != nil {
		return err
	}
	before := ""
	if sub != nil {
		b, err := json.Marshal(subSnapshot{Subscription: sub.Subscription, AnchorDay: sub.AnchorDay})
		if err != nil {
			return err
		}
		before = string(b)
	} else {
		sub = &storedSub{Subscription: shelf.Subscription{ID: shelf.NewID("sub"), OrgID: o.OrgID, AppID: o.AppID}}
	}
	if reason := applyOrder(sub, o, tx.Now()); reason != "" {
		return unfulfilled(ctx, tx, o, reason)
	}
	sub.ListingID = o.ListingID
	sl.fallback(sub)
	if err := ensureInstalled(ctx, tx, sl, o.CreatedBy, o.Channel); err != nil {
		return err
	}
	if sub.version == 0 {
		if err := saveSub(ctx, tx, sub); err != nil {
			return err
		}
		if err := seatStarter(ctx, tx, sub, o.CreatedBy); err != nil {
			return err
		}
	} else if err := countSeats(ctx, tx, sub); err != nil {
		return err
	}
	if err := saveSub(ctx, tx, sub); err != nil {
		return err
	}
	// The subscription's row lock serializes fulfilments: the sequence has
	// no repeats.
	if err := tx.execOne(ctx, `UPDATE orders SET state = 'fulfilled', fulfilled_at = $2, sub_before = $3,
			fulfil_seq = (SELECT COALESCE(MAX(f.fulfil_seq), 0) + 1 FROM orders f WHERE f.org_id = $4 AND f.app_id = $5)
		WHERE id = $1 AND state = 'paid'`, o.ID, micros(tx.Now()), before, o.OrgID, o.AppID); err != nil {
		return err
	}
	now := tx.Now()
	o.State, o.FulfilledAt = shelf.OrderFulfilled, &now
	data := o.OrderData()
	if o.Channel != "" {
		touch, err := promoTouch(ctx, tx, micros(now), o.AppID, "", o.Channel)
		if err != nil {
			return err
		}
		if touch != nil {
			data.State = touch.State
		}
		if err := promoConvert(ctx, tx, touch, "order", o.OrgID, o.CreatedBy, o.ID, o.Amount, o.Currency); err != nil {
			return err
		}
	}
	if _, err := tx.Emit(ctx, o.AppID, o.OrgID, shelf.EventOrderPaid, data); err != nil {
		return err
	}
	_, err = tx.Emit(ctx, o.AppID, o.OrgID, shelf.EventSubscriptionChanged, shelf.SubscriptionEventData{SubscriptionData: sub.SubData(now), ByUserID: byUserID})
	return err
}

// subSnapshot is a subscription as kept on the order that changed it, with
// the facts its JSON form leaves out.
type subSnapshot struct {
	shelf.Subscription
	AnchorDay int `json:"anchor_day"`
}

// unfulfilled keeps a paid order that can no longer be applied paid, with
// the reason, for a platform admin to refund.
func unfulfilled(ctx context.Context, tx *Tx, o *shelf.Order, reason string) error {
	o.Reason = "not fulfilled: " + reason
	if _, err := tx.ExecContext(ctx, `UPDATE orders SET reason = $2 WHERE id = $1`, o.ID, o.Reason); err != nil {
		return err
	}
	return audit(ctx, tx, "", "order.unfulfilled", "order", o.ID, nil, nil, reason)
}

// applyOrder changes a subscription as a paid order says, at now, or
// says why it no longer can. Terms that start at payment (a purchase, the
// renewal of an ended term) start when the payment arrives, not when the
// order was priced.
func applyOrder(sub *storedSub, o *shelf.Order, now time.Time) string {
	v := sub.At(now)
	q := o.Computation
	inTerm := v.Kind == shelf.SubKindPaid && (v.Status == shelf.SubActive || v.Status == shelf.SubOverLimit)
	setTerms := func() {
		sub.Kind, sub.SpecCode, sub.Users, sub.UnitPrice, sub.Period, sub.Currency = shelf.SubKindPaid, q.SpecCode, q.Users, q.UnitPrice, q.Period, q.Currency
		sub.CancelledAt = nil
	}
	switch o.Type {
	case shelf.OrderBuy:
		if inTerm {
			return "the organization already had a paid term"
		}
		setTerms()
		sub.StartsAt, sub.AnchorDay, sub.Next = now, now.Day(), nil
		sub.EndsAt = shelf.AddPeriods(now, q.Period, q.Periods, now.Day())
	case shelf.OrderRenew:
		if v.Kind != shelf.SubKindPaid || v.Status == shelf.SubCancelled || sub.Next != nil {
			return "the subscription can no longer be renewed"
		}
		if !inTerm {
			setTerms()
			sub.StartsAt, sub.AnchorDay = now, now.Day()
			sub.EndsAt = shelf.AddPeriods(now, q.Period, q.Periods, now.Day())
			break
		}
		sub.EndsAt = shelf.AddPeriods(sub.EndsAt, q.Period, q.Periods, sub.AnchorDay)
	case shelf.OrderUpgrade, shelf.OrderRenewUpgrade:
		if !inTerm || sub.Next != nil {
			return "the subscription is no longer in its term"
		}
		setTerms()
		if o.Type == shelf.OrderRenewUpgrade {
			sub.EndsAt = shelf.AddPeriods(sub.EndsAt, q.Period, q.Periods, sub.AnchorDay)
		}
	case shelf.OrderRenewDegrade:
		if !inTerm || sub.Next != nil {
			return "the subscription is no longer in its term"
		}
		sub.Next = &shelf.TermChange{SpecCode: q.SpecCode, Users: q.Users, UnitPrice: q.UnitPrice, Period: q.Period, StartsAt: sub.EndsAt,
			EndsAt: shelf.AddPeriods(sub.EndsAt, q.Period, q.Periods, sub.AnchorDay), OrderID: o.ID}
	}
	return ""
}

// Refund records that a platform admin returned an order's money, with
// the reason. A fulfilled order must be the latest fulfilled order of its
// subscription; the subscription goes back to what it was before it
// (cancelled if the order created it).
func (s *Store) Refund(ctx context.Context, orderID, byUserID, reason string) (*shelf.Order, error) {
	if reason == "" {
		return nil, shelf.FieldError("reason", "required", "a refund needs a reason")
	}
	var out *shelf.Order
	err := s.Update(ctx, func(tx *Tx) error {
		o, err := orderWhere(ctx, tx, tx.s.dialect.forUpdate(), `id = $1`, orderID)
		if err != nil {
			return err
		}
		if o.State != shelf.OrderPaid && o.State != shelf.OrderFulfilled {
			return shelf.Errorf(shelf.KindConflict, "order_not_refundable", "the order is %s: only a paid order can be refunded", o.State)
		}
		if o.State == shelf.OrderFulfilled {
			if err := undoOrder(ctx, tx, o, byUserID); err != nil {
				return err
			}
		}
		if err := tx.execOne(ctx, `UPDATE orders SET state = 'refunded', refunded_at = $2, reason = $3 WHERE id = $1 AND state = $4`,
			o.ID, micros(tx.Now()), reason, o.State); err != nil {
			return err
		}
		now := tx.Now()
		o.State, o.RefundedAt, o.Reason = shelf.OrderRefunded, &now, reason
		out = o
		if err := audit(ctx, tx, byUserID, "order.refund", "order", o.ID, nil, nil, reason); err != nil {
			return err
		}
		if err := recordSplit(ctx, tx, o, shelf.EntryRefund); err != nil {
			return err
		}
		_, err = tx.Emit(ctx, o.AppID, o.OrgID, shelf.EventOrderRefunded, o.OrderData())
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("refund order %s: %w", orderID, err)
	}
	return out, nil
}

func undoOrder(ctx context.Context, tx *Tx, o *shelf.Order, byUserID string) error {
	var latest, before string
	if err := tx.QueryRowContext(ctx, `SELECT id, sub_before FROM orders WHERE org_id = $1 AND app_id = $2 AND state = 'fulfilled'
		ORDER BY fulfil_seq DESC LIMIT 1`, o.OrgID, o.AppID).Scan(&latest, &before); err != nil {
		return fmt.Errorf("latest order: %w", err)
	}
	if latest != o.ID {
		return shelf.Errorf(shelf.KindConflict, "refund_not_latest", "order %s came after this one: refund it first", latest)
	}
	sub, err := subForUpdate(ctx, tx, o.OrgID, o.AppID)
	if err != nil || sub == nil {
		return fmt.Errorf("subscription of a fulfilled order: %w", err)
	}
	if before == "" {
		now := tx.Now()
		sub.CancelledAt = &now
	} else {
		var snap subSnapshot
		if err := json.Unmarshal([]byte(before), &snap); err != nil {
			return fmt.Errorf("subscription before order %s: %w", o.ID, err)
		}
		prev := snap.Subscription
		prev.AnchorDay = snap.AnchorDay
		// Facts that belong to the org, not to the order, stay.
		prev.ID, prev.TrialUsed, prev.AssignedSeats, prev.AllMembers = sub.ID, sub.TrialUsed, sub.AssignedSeats, sub.AllMembers
		prev.FreeSpec, prev.FreeUsers = sub.FreeSpec, sub.FreeUsers
		sub.Subscription = prev
	}
	if err := countSeats(ctx, tx, sub); err != nil {
		return err
	}
	if err := saveSub(ctx, tx, sub); err != nil {
		return err
	}
	_, err = tx.Emit(ctx, o.AppID, o.OrgID, shelf.EventSubscriptionChanged, shelf.SubscriptionEventData{SubscriptionData: sub.SubData(tx.Now()), ByUserID: byUserID})
	return err
}
