package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
)

// recordSplit writes the split of a paid order, or of its refund, in the
// transaction of the payment or refund, and adds it to the partner's
// statement of the month (the next open one if that month is closed) and
// to the sales dashboard's daily figures.
// Test orders and free orders move no money and are not settled.
func recordSplit(ctx context.Context, tx *Tx, o *shelf.Order, kind shelf.EntryKind) error {
	if o.Amount <= 0 || o.Test {
		return nil
	}
	var partner, category string
	if err := tx.QueryRowContext(ctx, `SELECT org_id, category_id FROM listings WHERE id = $1`, o.ListingID).Scan(&partner, &category); err != nil {
		return fmt.Errorf("settle order %s: listing: %w", o.ID, err)
	}
	e := shelf.SettlementEntry{ID: shelf.NewID("sen"), PartnerID: partner, OrderID: o.ID, Kind: kind, OrgID: o.OrgID, AppID: o.AppID,
		ListingID: o.ListingID, OrderType: o.Type, Amount: o.Amount, Currency: o.Currency, At: tx.Now()}
	var rateID string
	err := sql.ErrNoRows
	if kind == shelf.EntryRefund {
		// A refund gives back exactly what the payment split.
		err = tx.QueryRowContext(ctx, `SELECT rate_bp, rate_id, commission FROM settlement_entries WHERE order_id = $1 AND kind = 'order'`,
			o.ID).Scan(&e.RateBP, &rateID, &e.Commission)
	}
	switch {
	case errors.Is(err, sql.ErrNoRows):
		at := tx.Now()
		if kind == shelf.EntryRefund && o.PaidAt != nil { // paid before splits were recorded: the rate of then
			at = *o.PaidAt
		}
		if e.RateBP, rateID, err = rateAt(ctx, tx, partner, category, at); err != nil {
			return err
		}
		e.Commission = shelf.Commission(e.Amount, e.RateBP)
	case err != nil:
		return fmt.Errorf("settle refund of %s: %w", o.ID, err)
	}
	if kind == shelf.EntryRefund {
		e.Amount, e.Commission = -e.Amount, -e.Commission
	}
	e.Net = e.Amount - e.Commission
	if e.StatementID, err = addToStatement(ctx, tx, &e); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO settlement_entries (id, statement_id, partner_org_id, order_id, kind, org_id, app_id, listing_id,
		order_type, amount, commission, net, rate_bp, rate_id, currency, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
		e.ID, e.StatementID, e.PartnerID, e.OrderID, e.Kind, e.OrgID, e.AppID, e.ListingID, e.OrderType, e.Amount, e.Commission, e.Net,
		e.RateBP, rateID, e.Currency, micros(e.At))
	if err != nil {
		return fmt.Errorf("settle order %s: %w", o.ID, err)
	}
	return addToSales(ctx, tx, &e)
}

// rateAt is the commission rate in force at a moment for a partner's
// listing in a category: the partner's, else the category's (the leaf,
// then its parent), else the default, else none (0).
func rateAt(ctx context.Context, q queryer, partner, category string, at time.Time) (int, string, error) {
	var bp int
	var id string
	err := q.QueryRowContext(ctx, `SELECT rate_bp, id FROM commission_rates
		WHERE effective_from <= $1 AND (scope = 'default'
			OR scope = 'partner' AND scope_id = $2
			OR scope = 'category' AND scope_id <> '' AND (scope_id = $3 OR scope_id = (SELECT parent_id FROM categories WHERE id = $3)))
		ORDER BY CASE WHEN scope = 'partner' THEN 0 WHEN scope_id = $3 THEN 1 WHEN scope = 'category' THEN 2 ELSE 3 END, effective_from DESC, id DESC
		LIMIT 1`, micros(at), partner, category).Scan(&bp, &id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", nil
	}
	if err != nil {
		return 0, "", fmt.Errorf("commission rate: %w", err)
	}
	return bp, id, nil
}

// addToStatement adds an entry to the running totals of its partner's
// open statement of the entry's month, or of the first later month whose
// statement is open: a closed statement never changes. On PostgreSQL the
// upsert waits for a close under way and then sees it closed.
func addToStatement(ctx context.Context, tx *Tx, e *shelf.SettlementEntry) (string, error) {
	orders, refunds, gross, refunded := 0, 0, int64(0), int64(0)
	if e.Kind == shelf.EntryOrder {
		orders, gross = 1, e.Amount
	} else {
		refunds, refunded = 1, -e.Amount
	}
	month := shelf.MonthOf(e.At)
	for range 120 {
		var id string
		err := tx.QueryRowContext(ctx, `INSERT INTO statements (id, partner_org_id, month, currency, orders, gross, refunds, refunded, commission, net,
			created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)
			ON CONFLICT (partner_org_id, currency, month) DO UPDATE SET orders = statements.orders + excluded.orders,
				gross = statements.gross + excluded.gross, refunds = statements.refunds + excluded.refunds,
				refunded = statements.refunded + excluded.refunded, commission = statements.commission + excluded.commission,
				net = statements.net + excluded.net, updated_at = excluded.updated_at
			WHERE statements.state = 'open'
			RETURNING id`, shelf.NewID("stm"), e.PartnerID, month, e.Currency, orders, gross, refunds, refunded, e.Commission, e.Net,
			micros(tx.Now())).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) { // that month is closed
			month = shelf.NextMonth(month)
			continue
		}
		if err != nil {
			return "", fmt.Errorf("add to statement: %w", err)
		}
		return id, nil
	}
	return "", fmt.Errorf("add to statement: no open month for %s", e.PartnerID)
}

// SetCommissionRate adds a rate from its effective moment on (now or
// later: never retroactive; zero is now).
func (s *Store) SetCommissionRate(ctx context.Context, r shelf.CommissionRate) (*shelf.CommissionRate, error) {
	err := s.Update(ctx, func(tx *Tx) error {
		if r.EffectiveFrom.IsZero() {
			r.EffectiveFrom = tx.Now()
		}
		if err := r.CheckRate(tx.Now()); err != nil {
			return err
		}
		if r.Scope == shelf.ScopeCategory {
			if err := exists(ctx, tx, `SELECT 1 FROM categories WHERE id = $1`, r.ScopeID, "scope_id", "category"); err != nil {
				return err
			}
		}
		if r.Scope == shelf.ScopePartner {
			if err := exists(ctx, tx, `SELECT 1 FROM orgs WHERE id = $1 AND kind = 'partner'`, r.ScopeID, "scope_id", "partner org"); err != nil {
				return err
			}
		}
		r.ID, r.CreatedAt, r.EffectiveFrom = shelf.NewID("rate"), tx.Now(), r.EffectiveFrom.UTC()
		if _, err := tx.ExecContext(ctx, `INSERT INTO commission_rates (id, scope, scope_id, rate_bp, effective_from, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, r.ID, r.Scope, r.ScopeID, r.RateBP, micros(r.EffectiveFrom), r.CreatedBy, micros(r.CreatedAt)); err != nil {
			return err
		}
		return audit(ctx, tx, r.CreatedBy, "commission.rate", "commission_rate", r.ID, nil, r, "")
	})
	if err != nil {
		return nil, fmt.Errorf("set commission rate: %w", err)
	}
	return &r, nil
}

func exists(ctx context.Context, tx *Tx, query, id, field, what string) error {
	var one int
	err := tx.QueryRowContext(ctx, query, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return shelf.FieldError(field, "not_found", "no such %s", what)
	}
	return err
}

// commissionRatesOrder pages the rates newest first (index commission_rates_from).
var commissionRatesOrder = keyset{cols: []string{"effective_from", "id"}, desc: true}

// CommissionRates lists every rate, newest effective first.
func (s *Store) CommissionRates(ctx context.Context, p shelf.PageReq) ([]shelf.CommissionRate, error) {
	tail, args, err := commissionRatesOrder.page(p, nil)
	if err != nil {
		return nil, err
	}
	rows, err := s.queryPage(ctx, `SELECT id, scope, scope_id, rate_bp, effective_from, created_by, created_at FROM commission_rates
		WHERE TRUE`+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("commission rates: %w", err)
	}
	defer rows.Close()
	out := []shelf.CommissionRate{}
	for rows.Next() {
		var r shelf.CommissionRate
		var from, created int64
		if err := rows.Scan(&r.ID, &r.Scope, &r.ScopeID, &r.RateBP, &from, &r.CreatedBy, &created); err != nil {
			return nil, err
		}
		r.EffectiveFrom, r.CreatedAt = fromMicros(from), fromMicros(created)
		out = append(out, r)
	}
	return out, rows.Err()
}
