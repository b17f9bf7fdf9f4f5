package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/shelfhq/shelf/internal/shelf"
)

// writeVisit records one visit and, for a signed-in visitor, their touch;
// the partner's own people (signed in) are never counted.
func writeVisit(ctx context.Context, tx *Tx, c *shelf.PromoChannel, v shelf.PromoVisit) error {
	const notPartner = `NOT EXISTS (SELECT 1 FROM memberships m WHERE m.org_id = $1 AND m.user_id = $2)`
	if v.UserID != "" {
		if _, err := tx.ExecContext(ctx, `INSERT INTO promo_touches (user_id, listing_id, channel_id, touched_at)
			SELECT $2, $3, $4, CAST($5 AS BIGINT) WHERE `+notPartner+`
			ON CONFLICT (user_id, listing_id) DO UPDATE SET channel_id = excluded.channel_id, touched_at = excluded.touched_at`,
			c.OrgID, v.UserID, c.ListingID, c.ID, micros(v.At)); err != nil {
			return fmt.Errorf("touch: %w", err)
		}
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO promo_visits (channel_id, day, visitor) SELECT $3, CAST($4 AS BIGINT), $5 WHERE `+notPartner+`
		ON CONFLICT (channel_id, day, visitor) DO NOTHING`, c.OrgID, v.UserID, c.ID, shelf.PromoDay(v.At), v.Visitor)
	return err
}

// promoTouch finds what brought an install, trial or order of an app:
// the channel code given (it must be one of the app's channels), else the
// user's last touch of the app's listing within its attribution window.
// nil: no channel.
func promoTouch(ctx context.Context, q queryer, now int64, appID, userID, code string) (*shelf.PromoTouch, error) {
	var t shelf.PromoTouch
	var err error
	if code != "" {
		err = q.QueryRowContext(ctx, `SELECT id, code, state FROM promo_channels WHERE code = $1 AND app_id = $2`, shelf.NormPromoCode(code), appID).
			Scan(&t.ChannelID, &t.Code, &t.State)
	} else if userID != "" {
		err = q.QueryRowContext(ctx, `SELECT c.id, c.code, c.state FROM promo_touches t JOIN promo_channels c ON c.id = t.channel_id
			LEFT JOIN promo_settings s ON s.listing_id = t.listing_id
			WHERE t.user_id = $1 AND c.app_id = $2 AND t.touched_at + COALESCE(s.attribution_days, 30) * CAST(86400000000 AS BIGINT) >= $3`,
			userID, appID, now).Scan(&t.ChannelID, &t.Code, &t.State)
	} else {
		return nil, nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("promotion touch: %w", err)
	}
	return &t, nil
}

// promoConvert records what a channel brought, once per install, trial or
// order. It is counted unless the org is a test org or the user one of the
// partner's own people.
func promoConvert(ctx context.Context, tx *Tx, t *shelf.PromoTouch, kind, orgID, userID, refID string, amount int64, currency string) error {
	if t == nil {
		return nil
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO promo_conversions (id, channel_id, listing_id, kind, org_id, ref_id, amount, currency, counted, day, created_at)
		SELECT $1, c.id, c.listing_id, $2, o.id, $3, CAST($4 AS BIGINT), $5,
			NOT o.test AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.org_id = c.org_id AND m.user_id = $6), CAST($7 AS BIGINT), CAST($8 AS BIGINT)
		FROM promo_channels c CROSS JOIN orgs o WHERE c.id = $9 AND o.id = $10
		ON CONFLICT (kind, ref_id) DO NOTHING`,
		shelf.NewID("cnv"), kind, refID, amount, currency, userID, shelf.PromoDay(tx.Now()), micros(tx.Now()), t.ChannelID, orgID)
	if err != nil {
		return fmt.Errorf("record %s of channel %s: %w", kind, t.Code, err)
	}
	return nil
}

// PromoFunnel counts a listing's (or one channel's) visits, installs,
// trials, paid orders and revenue by day over [From, To], and in total.
func (s *Store) PromoFunnel(ctx context.Context, q shelf.FunnelQuery) (*shelf.Funnel, error) {
	from, to := shelf.PromoDay(q.From), shelf.PromoDay(q.To)
	code := ""
	if q.Code != "" {
		if code = shelf.NormPromoCode(q.Code); code == "" {
			return nil, shelf.NotFound("channel")
		}
	}
	days := map[int64]*shelf.FunnelDay{}
	day := func(d int64) *shelf.FunnelDay {
		if days[d] == nil {
			days[d] = &shelf.FunnelDay{}
		}
		return days[d]
	}
	rows, err := s.read.QueryContext(ctx, `SELECT v.day, COUNT(*) FROM promo_visits v JOIN promo_channels c ON c.id = v.channel_id
		WHERE c.listing_id = $1 AND ($2 = '' OR c.code = $2) AND v.day >= $3 AND v.day <= $4 GROUP BY v.day`, q.ListingID, code, from, to)
	if err != nil {
		return nil, fmt.Errorf("funnel visits: %w", err)
	}
	for rows.Next() {
		var d int64
		var n int
		if err := rows.Scan(&d, &n); err != nil {
			rows.Close()
			return nil, err
		}
		day(d).Visits = n
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	f := &shelf.Funnel{ListingID: q.ListingID, Code: code, From: q.From.UTC().Format(dayFormat), To: q.To.UTC().Format(dayFormat)}
	rows, err = s.read.QueryContext(ctx, `SELECT p.day, p.kind, p.currency, COUNT(*), COALESCE(SUM(p.amount), 0) FROM promo_conversions p
		JOIN promo_channels c ON c.id = p.channel_id
		WHERE p.listing_id = $1 AND ($2 = '' OR c.code = $2) AND p.day >= $3 AND p.day <= $4 AND p.counted
		GROUP BY p.day, p.kind, p.currency`, q.ListingID, code, from, to)
	if err != nil {
		return nil, fmt.Errorf("funnel conversions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var d, sum int64
		var kind, currency string
		var n int
		if err := rows.Scan(&d, &kind, &currency, &n, &sum); err != nil {
			return nil, err
		}
		fd := day(d)
		switch kind {
		case "install":
			fd.Installs += n
		case "trial":
			fd.Trials += n
		case "order":
			fd.Orders += n
			fd.Revenue += sum
			if currency != "" {
				f.Currency = currency
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := promoRefunds(ctx, s.read, q.ListingID, code, from, to, day); err != nil {
		return nil, err
	}
	f.Days = make([]shelf.FunnelDay, 0, to-from+1)
	for d := from; d <= to; d++ {
		fd := shelf.FunnelDay{}
		if days[d] != nil {
			fd = *days[d]
		}
		fd.Day = fromMicros(d * 86400 * 1e6).Format(dayFormat)
		f.Days = append(f.Days, fd)
		f.Total.Visits += fd.Visits
		f.Total.Installs += fd.Installs
		f.Total.Trials += fd.Trials
		f.Total.Orders += fd.Orders
		f.Total.Revenue += fd.Revenue
		f.Total.Refunds += fd.Refunds
		f.Total.Refunded += fd.Refunded
	}
	if f.Currency == "" {
		f.Currency = "CNY"
	}
	f.Rates = f.Total.Rates()
	return f, nil
}

const dayFormat = "2006-01-02"

// promoRefunds takes from each day's revenue the refunds made that day of
// the paid orders a channel brought (counted ones only, as their revenue
// was): a refund is the order's attribution undone, whenever it was paid.
func promoRefunds(ctx context.Context, q queryer, listingID, code string, from, to int64, day func(int64) *shelf.FunnelDay) error {
	const dayMicros = 86400 * 1000000
	rows, err := q.QueryContext(ctx, `SELECT o.refunded_at / $5, COUNT(*), COALESCE(SUM(p.amount), 0) FROM promo_conversions p
		JOIN promo_channels c ON c.id = p.channel_id JOIN orders o ON o.id = p.ref_id
		WHERE p.listing_id = $1 AND ($2 = '' OR c.code = $2) AND p.kind = 'order' AND p.counted AND o.state = 'refunded'
			AND o.refunded_at >= $3 AND o.refunded_at < $4
		GROUP BY o.refunded_at / $5`, listingID, code, from*dayMicros, (to+1)*dayMicros, int64(dayMicros))
	if err != nil {
		return fmt.Errorf("funnel refunds: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var d, sum int64
		var n int
		if err := rows.Scan(&d, &n, &sum); err != nil {
			return fmt.Errorf("funnel refunds: %w", err)
		}
		fd := day(d)
		fd.Refunds += n
		fd.Refunded += sum
		fd.Revenue -= sum
	}
	return rows.Err()
}
