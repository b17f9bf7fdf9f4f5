package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
)

// CreateOrder prices an order on the server and records it, waiting for
// payment (a test org's order costs nothing and is fulfilled at once).
// With an idempotency key, the first answer is kept with the order: the
// same key and request get it again, the same key with another request is
// refused (idempotency_key_reused); nothing is created twice, across nodes
// too.
func (s *Store) CreateOrder(ctx context.Context, req shelf.OrderRequest, idem shelf.Idempotency, answer shelf.AnswerFunc) (*shelf.OrderPlaced, error) {
	out, err := s.orders.place(ctx, s, &orderCall{req: req, idem: idem, answer: answer})
	if err != nil {
		return nil, fmt.Errorf("create order: %w", err)
	}
	return out, nil
}

// errReplay rolls back a transaction that found its idempotency key
// answered by a request that committed while it ran; the kept answer is
// read again after the rollback.
var errReplay = errors.New("idempotency key answered meanwhile")

// placeOrder prices and inserts the order, renders its answer and keeps
// it under the key at the end. The key is the arbiter: a retry whose
// order the rules now refuse (it waits for payment, or was paid) is
// answered with the kept answer; one the rules would take again (the
// first order was cancelled) finds the key taken when it keeps its answer,
// and rolls back to answer with the kept one. So does a request with the
// same key that committed in the meantime (on PostgreSQL the key's insert
// waits for it).
func placeOrder(ctx context.Context, tx *Tx, req shelf.OrderRequest, idem shelf.Idempotency, answer shelf.AnswerFunc) (*shelf.OrderPlaced, error) {
	o, err := createOrder(ctx, tx, req)
	if e, ok := shelf.AsError(err); ok && e.Kind != shelf.KindInternal && o == nil {
		// A retry of a request that was answered (its order now waits
		// for payment, or was paid) is refused by the rules: answer it
		// as the first time.
		if kept, kerr := keptAnswer(ctx, tx, req.OrgID, idem); kerr != nil || kept != nil {
			return &shelf.OrderPlaced{Answer: derefAnswer(kept), Replay: true}, kerr
		}
	}
	switch {
	case err != nil && o != nil:
		return nil, afterWrite{err}
	case err != nil:
		return nil, err
	}
	a, err := answer(o)
	if err != nil {
		return nil, afterWrite{err}
	}
	if tx.group != nil { // kept with the group's other answers, which checks the keys
		tx.group.keys = append(tx.group.keys, keyRow{Org: req.OrgID, Key: idem.Key, Hash: idem.Hash, Status: a.Status, Body: string(a.Body)})
		return &shelf.OrderPlaced{Order: o, Answer: a}, nil
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO idempotency_keys (org_id, idem_key, request_hash, status, body, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (org_id, idem_key) DO NOTHING`, req.OrgID, idem.Key, idem.Hash, a.Status, string(a.Body), micros(tx.Now()))
	if err != nil {
		return nil, afterWrite{fmt.Errorf("keep the answer: %w", err)}
	}
	if n, err := res.RowsAffected(); err != nil {
		return nil, afterWrite{err}
	} else if n == 0 {
		return nil, afterWrite{errReplay}
	}
	return &shelf.OrderPlaced{Order: o, Answer: a}, nil
}

// afterWrite is a failure after the order was written: the transaction
// must be undone (a group of orders, whole).
type afterWrite struct{ error }

func (e afterWrite) Unwrap() error { return e.error }

func derefAnswer(a *shelf.Answer) shelf.Answer {
	if a == nil {
		return shelf.Answer{}
	}
	return *a
}

// keptAnswer returns the answer kept for an idempotency key: nil if none,
// a conflict if the key was used for another request.
func keptAnswer(ctx context.Context, q queryer, orgID string, idem shelf.Idempotency) (*shelf.Answer, error) {
	if tx, ok := q.(*Tx); ok && tx.group != nil {
		if a, found, err := tx.group.kept(orgID, idem); found || err != nil {
			return a, err
		}
	}
	var a shelf.Answer
	var hash, body string
	err := q.QueryRowContext(ctx, `SELECT request_hash, status, body FROM idempotency_keys WHERE org_id = $1 AND idem_key = $2`,
		orgID, idem.Key).Scan(&hash, &a.Status, &body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read idempotency key: %w", err)
	}
	if hash != idem.Hash {
		return nil, errKeyReused
	}
	a.Body = []byte(body)
	return &a, nil
}

var errKeyReused = shelf.Errorf(shelf.KindConflict, "idempotency_key_reused", "this Idempotency-Key was used for another request; use a new key for a new request")

// PruneIdempotencyKeys deletes the keys older than keep (at least a day is
// promised to clients).
func (s *Store) PruneIdempotencyKeys(ctx context.Context, keep int64) (int64, error) {
	var n int64
	err := s.Update(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM idempotency_keys WHERE created_at < $1`, micros(tx.Now())-keep)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("prune idempotency keys: %w", err)
	}
	return n, nil
}

// Quote prices an order without placing it: the preview a customer sees
// before confirming.
func (s *Store) Quote(ctx context.Context, req shelf.OrderRequest) (*shelf.Quote, error) {
	sl, err := sellableListing(ctx, s.read, req.ListingID, req.OrgID)
	if err != nil {
		return nil, fmt.Errorf("quote: %w", err)
	}
	sub, err := subWhere(ctx, s.read, "", `org_id = $1 AND app_id = $2`, req.OrgID, sl.appID)
	if shelf.ErrorKind(err) == shelf.KindNotFound {
		sub, err = nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("quote: %w", err)
	}
	return quote(sl, sub, req, s.clock.Now())
}

func quote(sl *sellable, sub *storedSub, req shelf.OrderRequest, now time.Time) (*shelf.Quote, error) {
	var view *shelf.Subscription
	if sub != nil {
		v := sub.At(now)
		view = &v
	}
	return shelf.ComputeQuote(shelf.QuoteInput{Request: req, Specs: sl.specs, Sub: view, Now: now, TestOrg: sl.orgTest})
}

func createOrder(ctx context.Context, tx *Tx, req shelf.OrderRequest) (*shelf.Order, error) {
	sl, err := sellableListing(ctx, tx, req.ListingID, req.OrgID)
	if err != nil {
		return nil, err
	}
	sub, err := subForUpdate(ctx, tx, req.OrgID, sl.appID)
	if err != nil {
		return nil, err
	}
	q, err := quote(sl, sub, req, tx.Now())
	if err != nil {
		return nil, err
	}
	touch, err := orderTouch(ctx, tx, sl.appID, req)
	if err != nil {
		return nil, err
	}
	if touch == nil && req.Channel != "" {
		return nil, shelf.FieldError("channel", "unknown_channel", "no promotion channel %q of this listing", req.Channel)
	}
	req.Channel = ""
	if touch != nil {
		req.Channel = touch.Code
	}
	o := &shelf.Order{ID: shelf.NewID("ord"), OrgID: req.OrgID, AppID: sl.appID, ListingID: req.ListingID, Type: req.Type,
		SpecCode: q.SpecCode, Users: q.Users, Periods: q.Periods, State: shelf.OrderCreated, Amount: q.Amount, Currency: q.Currency,
		Test: q.Test, Computation: *q, Channel: req.Channel, CreatedBy: req.ByUserID, CreatedAt: tx.Now()}
	comp, err := json.Marshal(q)
	if err != nil {
		return nil, err
	}
	if tx.group != nil && o.Amount > 0 && !o.Test {
		// Written with the group's other orders, which checks that each
		// was the only one of its app waiting for payment.
		tx.group.orders = append(tx.group.orders, orderRow{ID: o.ID, Org: o.OrgID, App: o.AppID, Listing: o.ListingID, Type: string(o.Type),
			Spec: o.SpecCode, Users: o.Users, Periods: o.Periods, Amount: o.Amount, Currency: o.Currency, Computation: string(comp),
			Channel: o.Channel, By: o.CreatedBy})
	} else if err := insertOrder(ctx, tx, o, string(comp)); err != nil {
		return nil, err
	}
	if err := audit(ctx, tx, req.ByUserID, "order.create", "order", o.ID, nil, o, ""); err != nil {
		return nil, err
	}
	if o.Amount == 0 {
		// Nothing to pay (a test org): paid and fulfilled at once, or not
		// placed. With no subscription row yet there is nothing to lock,
		// so a concurrent order may have created one since this one was
		// priced: then this order is refused, not kept paid and unfulfilled.
		if err := payOrder(ctx, tx, o, shelf.PaymentResult{OrderID: o.ID, Provider: "none", Ref: o.ID, Currency: o.Currency, Paid: true}, req.ByUserID); err != nil {
			return o, err
		}
		if o.State != shelf.OrderFulfilled {
			return o, errSubscriptionChanged
		}
	}
	return o, nil
}

var errSubscriptionChanged = shelf.Errorf(shelf.KindConflict, "subscription_changed",
	"another order changed this subscription while this one was placed: review the new state and order again")

// insertOrder writes an order waiting for payment. The partial unique
// index lets one order per app wait for payment; a second finds it here (on
// PostgreSQL, after the first commits).
func insertOrder(ctx context.Context, tx *Tx, o *shelf.Order, comp string) error {
	res, err := tx.ExecContext(ctx, `INSERT INTO orders (id, org_id, app_id, listing_id, type, spec_code, users, periods, state, amount, currency,
		test, computation, channel, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'created', $9, $10, $11, $12, $13, $14, $15)
		ON CONFLICT (org_id, app_id) WHERE state = 'created' DO NOTHING`,
		o.ID, o.OrgID, o.AppID, o.ListingID, o.Type, o.SpecCode, o.Users, o.Periods, o.Amount, o.Currency, o.Test, comp, o.Channel,
		o.CreatedBy, micros(o.CreatedAt))
	if err != nil {
		return fmt.Errorf("insert order: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		pending, err := openOrder(ctx, tx, o.OrgID, o.AppID)
		if err != nil {
			return err
		}
		return shelf.Errorf(shelf.KindConflict, "order_pending", "order %s for this app is waiting for payment: pay or cancel it first", pending)
	}
	return nil
}

func openOrder(ctx context.Context, tx *Tx, orgID, appID string) (string, error) {
	var id string
	err := tx.QueryRowContext(ctx, `SELECT id FROM orders WHERE org_id = $1 AND app_id = $2 AND state = 'created'`, orgID, appID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return id, err
}

const orderColumns = `id, org_id, app_id, listing_id, type, spec_code, users, periods, state, amount, currency, test, computation, channel,
	created_by, created_at, paid_at, fulfilled_at, cancelled_at, refunded_at, provider, payment_ref, reason`

func scanOrder(row interface{ Scan(...any) error }) (*shelf.Order, error) {
	var o shelf.Order
	var comp string
	var created int64
	var paid, fulfilled, cancelled, refunded sql.NullInt64
	if err := row.Scan(&o.ID, &o.OrgID, &o.AppID, &o.ListingID, &o.Type, &o.SpecCode, &o.Users, &o.Periods, &o.State, &o.Amount,
		&o.Currency, &o.Test, &comp, &o.Channel, &o.CreatedBy, &created, &paid, &fulfilled, &cancelled, &refunded, &o.Provider,
		&o.PaymentRef, &o.Reason); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(comp), &o.Computation); err != nil {
		return nil, fmt.Errorf("order %s computation: %w", o.ID, err)
	}
	o.CreatedAt = fromMicros(created)
	o.PaidAt, o.FulfilledAt, o.CancelledAt, o.RefundedAt = nullMicros(paid), nullMicros(fulfilled), nullMicros(cancelled), nullMicros(refunded)
	return &o, nil
}

func orderWhere(ctx context.Context, q queryer, lock, where string, args ...any) (*shelf.Order, error) {
	o, err := scanOrder(q.QueryRowContext(ctx, `SELECT `+orderColumns+` FROM orders WHERE `+where+lock, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, shelf.NotFound("order")
	}
	if err != nil {
		return nil, fmt.Errorf("get order: %w", err)
	}
	return o, nil
}

// Order returns one order.
func (s *Store) Order(ctx context.Context, id string) (*shelf.Order, error) {
	return orderWhere(ctx, s.read, "", `id = $1`, id)
}

// ordersOrder pages orders newest first.
var ordersOrder = keyset{cols: []string{"created_at", "id"}, desc: true}

// Orders lists orders newest first.
func (s *Store) Orders(ctx context.Context, q shelf.OrderQuery) ([]shelf.Order, error) {
	// Only the filters asked for are in the text, so the planner picks the
	// index of the one that narrows: (org_id | app_id | state, created_at, id).
	where, args := `TRUE`, []any{}
	for _, f := range []struct{ col, v string }{{"org_id", q.OrgID}, {"app_id", q.AppID}, {"state", string(q.State)}} {
		if f.v != "" {
			args = append(args, f.v)
			where += ` AND ` + f.col + ` = $` + strconv.Itoa(len(args))
		}
	}
	tail, args, err := ordersOrder.page(q.PageReq, args)
	if err != nil {
		return nil, err
	}
	rows, err := s.queryPage(ctx, `SELECT `+orderColumns+` FROM orders WHERE `+where+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("orders: %w", err)
	}
	defer rows.Close()
	out := []shelf.Order{}
	for rows.Next() {
		o, err := scanOrder(rows)
		if err != nil {
			return nil, fmt.Errorf("orders: %w", err)
		}
		out = append(out, *o)
	}
	return out, rows.Err()
}

// CancelOrder cancels an order still waiting for payment.
func (s *Store) CancelOrder(ctx context.Context, id, byUserID, reason string) (*shelf.Order, error) {
	var out *shelf.Order
	err := s.Update(ctx, func(tx *Tx) error {
		o, err := orderWhere(ctx, tx, tx.s.dialect.forUpdate(), `id = $1`, id)
		if err != nil {
			return err
		}
		if o.State != shelf.OrderCreated {
			return shelf.Errorf(shelf.KindConflict, "order_not_open", "the order is %s: only an order waiting for payment can be cancelled", o.State)
		}
		if err := tx.execOne(ctx, `UPDATE orders SET state = 'cancelled', cancelled_at = $2, reason = $3 WHERE id = $1 AND state = 'created'`,
			id, micros(tx.Now()), reason); err != nil {
			return err
		}
		now := tx.Now()
		o.State, o.CancelledAt, o.Reason = shelf.OrderCancelled, &now, reason
		out = o
		return audit(ctx, tx, byUserID, "order.cancel", "order", id, nil, nil, reason)
	})
	if err != nil {
		return nil, fmt.Errorf("cancel order %s: %w", id, err)
	}
	return out, nil
}

// CancelUnpaidOrders cancels the orders that waited for payment longer than
// shelf.OrderPayWindow.
func (s *Store) CancelUnpaidOrders(ctx context.Context) (int64, error) {
	var n int64
	err := s.Update(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE orders SET state = 'cancelled', cancelled_at = $1, reason = 'unpaid'
			WHERE state = 'created' AND created_at < $2`, micros(tx.Now()), micros(tx.Now().Add(-shelf.OrderPayWindow)))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("cancel unpaid orders: %w", err)
	}
	return n, nil
}
