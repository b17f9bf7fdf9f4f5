package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
)

// addToSales adds an entry to the dashboard's daily figures (and, for a
// payment, marks its org as paying that month), in the entry's
// transaction.
func addToSales(ctx context.Context, tx *Tx, e *shelf.SettlementEntry) error {
	orders, refunds, gross, refunded := 0, 0, int64(0), int64(0)
	if e.Kind == shelf.EntryOrder {
		orders, gross = 1, e.Amount
	} else {
		refunds, refunded = 1, -e.Amount
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO sales_daily (partner_org_id, day, listing_id, currency, order_type, orders, gross, refunds,
		refunded, commission) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		ON CONFLICT (partner_org_id, day, listing_id, currency, order_type) DO UPDATE SET orders = sales_daily.orders + excluded.orders,
			gross = sales_daily.gross + excluded.gross, refunds = sales_daily.refunds + excluded.refunds,
			refunded = sales_daily.refunded + excluded.refunded, commission = sales_daily.commission + excluded.commission`,
		e.PartnerID, e.At.UTC().Format(time.DateOnly), e.ListingID, e.Currency, e.OrderType, orders, gross, refunds, refunded, e.Commission); err != nil {
		return fmt.Errorf("daily sales: %w", err)
	}
	if e.Kind != shelf.EntryOrder {
		return nil
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO sales_org_months (partner_org_id, month, listing_id, currency, org_id) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (partner_org_id, month, listing_id, currency, org_id) DO NOTHING`, e.PartnerID, shelf.MonthOf(e.At), e.ListingID, e.Currency, e.OrgID)
	return err
}

// SalesDashboard reads a partner's dashboard from the daily figures and
// the subscriptions of its apps: its cost follows the days and listings
// asked for, not the number of orders.
func (s *Store) SalesDashboard(ctx context.Context, q shelf.SalesQuery) (*shelf.SalesDashboard, error) {
	if err := q.CheckSalesRange(); err != nil {
		return nil, err
	}
	if q.Currency == "" {
		q.Currency = shelf.DefaultCurrency
	}
	from, to := q.From.UTC().Format(time.DateOnly), q.To.UTC().Format(time.DateOnly)
	d := &shelf.SalesDashboard{From: from, To: to, Listing: q.ListingID, Currency: q.Currency, Months: []shelf.SalesMonth{},
		ByType: []shelf.SalesByType{}, TopListings: []shelf.SalesListing{}}
	args := []any{q.PartnerID, from, to, q.ListingID, q.Currency}
	// One pass over the days, folded here into months, types and listings.
	months, types, listings := map[string]*shelf.SalesMonth{}, map[shelf.OrderType]*shelf.SalesByType{}, map[string]*shelf.SalesListing{}
	err := eachRow(ctx, s.read, `SELECT substr(day, 1, 7), order_type, listing_id, SUM(orders), SUM(gross), SUM(refunds), SUM(refunded), SUM(commission)
		FROM sales_daily WHERE partner_org_id = $1 AND day >= $2 AND day <= $3 AND ($4 = '' OR listing_id = $4) AND currency = $5
		GROUP BY substr(day, 1, 7), order_type, listing_id`, args, func(scan func(...any) error) error {
		var month, listing string
		var typ shelf.OrderType
		var f shelf.SalesMonth
		if err := scan(&month, &typ, &listing, &f.Orders, &f.Gross, &f.Refunds, &f.Refunded, &f.Commission); err != nil {
			return err
		}
		m := months[month]
		if m == nil {
			m = &shelf.SalesMonth{Month: month}
			months[month] = m
		}
		m.Orders, m.Gross, m.Refunds, m.Refunded, m.Commission = m.Orders+f.Orders, m.Gross+f.Gross, m.Refunds+f.Refunds, m.Refunded+f.Refunded, m.Commission+f.Commission
		t := types[typ]
		if t == nil {
			t = &shelf.SalesByType{Type: typ}
			types[typ] = t
		}
		t.Orders, t.Gross, t.Refunds, t.Refunded = t.Orders+f.Orders, t.Gross+f.Gross, t.Refunds+f.Refunds, t.Refunded+f.Refunded
		l := listings[listing]
		if l == nil {
			l = &shelf.SalesListing{ListingID: listing}
			listings[listing] = l
		}
		l.Orders, l.Revenue, l.Net = l.Orders+f.Orders, l.Revenue+f.Gross-f.Refunded, l.Net+f.Gross-f.Refunded-f.Commission
		return nil
	})
	for _, m := range months {
		m.Net = m.Gross - m.Refunded - m.Commission
		d.Months = append(d.Months, *m)
	}
	slices.SortFunc(d.Months, func(a, b shelf.SalesMonth) int { return strings.Compare(a.Month, b.Month) })
	for _, t := range types {
		d.ByType = append(d.ByType, *t)
	}
	slices.SortFunc(d.ByType, func(a, b shelf.SalesByType) int { return strings.Compare(string(a.Type), string(b.Type)) })
	for _, l := range listings {
		d.TopListings = append(d.TopListings, *l)
	}
	slices.SortFunc(d.TopListings, func(a, b shelf.SalesListing) int {
		return cmp.Or(cmp.Compare(b.Revenue, a.Revenue), strings.Compare(a.ListingID, b.ListingID))
	})
	d.TopListings = d.TopListings[:min(5, len(d.TopListings))]
	if err == nil {
		err = s.read.QueryRowContext(ctx, `SELECT COUNT(DISTINCT org_id) FROM sales_org_months WHERE partner_org_id = $1 AND month >= $2
			AND month <= $3 AND ($4 = '' OR listing_id = $4) AND currency = $5`, q.PartnerID, from[:7], to[:7], q.ListingID, q.Currency).Scan(&d.PayingOrgs)
	}
	if err == nil {
		err = salesSubscriptions(ctx, s.read, q, d)
	}
	if err != nil {
		return nil, fmt.Errorf("sales dashboard: %w", err)
	}
	d.Finish()
	return d, nil
}

// salesSubscriptions counts the partner's subscriptions now: paid ones in
// term and their seats, running trials, the trials started in the range
// and how many paid since, and the paid terms that ended in the range
// without renewal. Test orgs never count.
func salesSubscriptions(ctx context.Context, q queryer, sq shelf.SalesQuery, d *shelf.SalesDashboard) error {
	now := micros(sq.Now)
	from, to := micros(sq.From), micros(sq.To.AddDate(0, 0, 1))
	return q.QueryRowContext(ctx, `SELECT
			COALESCE(SUM(CASE WHEN s.kind = 'paid' AND s.cancelled_at IS NULL AND s.starts_at <= $3 AND s.ends_at > $3 THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN s.kind = 'paid' AND s.cancelled_at IS NULL AND s.starts_at <= $3 AND s.ends_at > $3 THEN s.assigned_seats ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN s.kind = 'trial' AND s.ends_at > $3 THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN s.trial_used AND s.created_at >= $4 AND s.created_at < $5 THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN s.trial_used AND s.created_at >= $4 AND s.created_at < $5 AND s.kind = 'paid' THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN s.kind = 'paid' AND s.cancelled_at IS NULL AND s.ends_at >= $4 AND s.ends_at < $5 AND s.ends_at <= $3 THEN 1 ELSE 0 END), 0)
		FROM subscriptions s JOIN listings l ON l.app_id = s.app_id JOIN orgs o ON o.id = s.org_id
		WHERE l.org_id = $1 AND ($2 = '' OR l.id = $2) AND NOT o.test AND (s.currency = $6 OR s.currency = '')`,
		sq.PartnerID, sq.ListingID, now, from, to, sq.Currency).Scan(&d.ActiveSubs, &d.Seats, &d.Trials, &d.TrialsStarted, &d.TrialsConverted, &d.Churned)
}

// eachRow runs a query and calls fn with each row's Scan.
func eachRow(ctx context.Context, q queryer, query string, args []any, fn func(scan func(...any) error) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}
