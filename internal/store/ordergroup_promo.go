package store

import (
	"context"
	"fmt"

	"github.com/shelfhq/shelf/internal/shelf"
)

// touchKey is what an order's attribution depends on: who orders, which
// app, and the channel code the order names (if any).
type touchKey struct{ user, app, code string }

// readTouches finds what brought each order of the group (promoTouch for
// all of them) in one statement: the channel named by its code, else the
// buyer's last touch of the app within the window. Orders whose listing
// the group did not read are left to promoTouch.
func (r *groupReads) readTouches(ctx context.Context, tx *Tx, calls []*orderCall) error {
	type ask struct {
		I    int    `json:"i"`
		User string `json:"u"`
		App  string `json:"a"`
		Code string `json:"c"`
	}
	r.touches = map[touchKey]*shelf.PromoTouch{}
	var asks []ask
	var keys []touchKey
	for _, c := range calls {
		t, ok := r.listings[c.req.ListingID]
		if !ok {
			continue
		}
		k := touchKey{c.req.ByUserID, t.appID, c.req.Channel}
		if _, seen := r.touches[k]; seen {
			continue
		}
		r.touches[k] = nil
		code := ""
		if k.code != "" {
			// A code that cannot be one names no channel (and is no
			// empty code, which would look for the last touch).
			if code = shelf.NormPromoCode(k.code); code == "" {
				code = "-"
			}
		}
		asks = append(asks, ask{len(keys), k.user, k.app, code})
		keys = append(keys, k)
	}
	if len(asks) == 0 {
		return nil
	}
	param, err := jsonParam(asks)
	if err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT CAST(value ->> 'i' AS INTEGER), c.id, c.code, c.state FROM `+tx.s.dialect.jsonRows("$1")+`
		JOIN promo_channels c ON c.code = value ->> 'c' AND c.app_id = value ->> 'a'
		UNION ALL
		SELECT CAST(value ->> 'i' AS INTEGER), c.id, c.code, c.state FROM `+tx.s.dialect.jsonRows("$1")+`
		JOIN promo_touches t ON t.user_id = value ->> 'u' JOIN promo_channels c ON c.id = t.channel_id AND c.app_id = value ->> 'a'
		LEFT JOIN promo_settings s ON s.listing_id = t.listing_id
		WHERE value ->> 'c' = '' AND t.touched_at + COALESCE(s.attribution_days, 30) * CAST(86400000000 AS BIGINT) >= $2`,
		param, micros(tx.Now()))
	if err != nil {
		return fmt.Errorf("read a group's promotion touches: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var i int
		var t shelf.PromoTouch
		if err := rows.Scan(&i, &t.ChannelID, &t.Code, &t.State); err != nil {
			return fmt.Errorf("read a group's promotion touches: %w", err)
		}
		if i >= 0 && i < len(keys) && r.touches[keys[i]] == nil {
			r.touches[keys[i]] = &t
		}
	}
	return rows.Err()
}

// orderTouch is promoTouch for an order, answered from the group's reads
// when they have it.
func orderTouch(ctx context.Context, tx *Tx, appID string, req shelf.OrderRequest) (*shelf.PromoTouch, error) {
	if tx.group != nil && tx.group.reads != nil {
		if t, ok := tx.group.reads.touches[touchKey{req.ByUserID, appID, req.Channel}]; ok {
			return t, nil
		}
	}
	return promoTouch(ctx, tx, micros(tx.Now()), appID, req.ByUserID, req.Channel)
}
