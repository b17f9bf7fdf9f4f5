package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/shelfhq/shelf/internal/shelf"
)

// groupReads is what a group's orders read alike, fetched for the whole
// group in four statements (the listings' live terms, the buying orgs,
// what brought each order, their subscriptions locked) instead of two round trips per order: on
// PostgreSQL the round trips, not the rows, are what an order costs.
// What it lacks (a listing or org that does not exist) each order reads
// on its own, getting the usual error.
type groupReads struct {
	listings map[string]*listingTerms
	orgs     map[string]groupOrg
	// subs holds the locked subscription of each (org, app) pair the group
	// asked for, nil where the org has none. An entry serves once: the
	// order that takes it may change the subscription, so a second order
	// of the pair reads it again.
	subs map[[2]string]*storedSub
	// touches holds what brought each order (readTouches), nil where
	// nothing did; orders missing from it read their own.
	touches map[touchKey]*shelf.PromoTouch
}

type groupOrg struct {
	kind shelf.OrgKind
	test bool
}

// sellable answers from the group's reads; found is false when they lack
// the listing or the org.
func (r *groupReads) sellable(listingID, orgID string) (sl *sellable, err error, found bool) {
	t, ok := r.listings[listingID]
	o, ok2 := r.orgs[orgID]
	if !ok || !ok2 {
		return nil, nil, false
	}
	sl, err = t.sellTo(orgID, o.kind, o.test)
	return sl, err, true
}

// sub takes the pair's locked subscription, once.
func (r *groupReads) sub(orgID, appID string) (*storedSub, bool) {
	k := [2]string{orgID, appID}
	s, ok := r.subs[k]
	if ok {
		delete(r.subs, k)
	}
	return s, ok
}

// readGroup fetches what the calls' orders read, locking the subscriptions
// in one order (by org and app) so that two groups never wait for each other
// in a circle.
func readGroup(ctx context.Context, tx *Tx, calls []*orderCall) (*groupReads, error) {
	r := &groupReads{listings: map[string]*listingTerms{}, orgs: map[string]groupOrg{}, subs: map[[2]string]*storedSub{}}
	listingIDs, orgIDs := distinct(calls, func(c *orderCall) string { return c.req.ListingID }),
		distinct(calls, func(c *orderCall) string { return c.req.OrgID })
	if err := r.readListings(ctx, tx, listingIDs); err != nil {
		return nil, err
	}
	if err := r.readOrgs(ctx, tx, orgIDs); err != nil {
		return nil, err
	}
	if err := r.readTouches(ctx, tx, calls); err != nil {
		return nil, err
	}
	return r, r.lockSubs(ctx, tx, calls)
}

func distinct(calls []*orderCall, key func(*orderCall) string) []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range calls {
		if k := key(c); !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

func jsonParam(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

func (r *groupReads) readListings(ctx context.Context, tx *Tx, ids []string) error {
	param, err := jsonParam(ids)
	if err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT l.id, l.app_id, l.state, r.doc FROM listings l LEFT JOIN revisions r ON r.id = l.live_revision_id
		WHERE l.id IN (SELECT value FROM `+tx.s.dialect.jsonTexts("$1")+`)`, param)
	if err != nil {
		return fmt.Errorf("read a group's listings: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var row sellableRow
		if err := rows.Scan(&id, &row.appID, &row.state, &row.doc); err != nil {
			return fmt.Errorf("read a group's listings: %w", err)
		}
		if r.listings[id], err = row.terms(id); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (r *groupReads) readOrgs(ctx context.Context, tx *Tx, ids []string) error {
	param, err := jsonParam(ids)
	if err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, kind, test FROM orgs WHERE id IN (SELECT value FROM `+tx.s.dialect.jsonTexts("$1")+`)`, param)
	if err != nil {
		return fmt.Errorf("read a group's orgs: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var o groupOrg
		if err := rows.Scan(&id, &o.kind, &o.test); err != nil {
			return fmt.Errorf("read a group's orgs: %w", err)
		}
		r.orgs[id] = o
	}
	return rows.Err()
}

// lockSubs reads and locks the subscriptions of the (org, app) pairs the
// calls buy, marking the pairs without one as such.
func (r *groupReads) lockSubs(ctx context.Context, tx *Tx, calls []*orderCall) error {
	type pair struct {
		Org string `json:"o"`
		App string `json:"a"`
	}
	var pairs []pair
	for _, c := range calls {
		t, ok := r.listings[c.req.ListingID]
		k := [2]string{c.req.OrgID, ""}
		if !ok {
			continue
		}
		k[1] = t.appID
		if _, dup := r.subs[k]; !dup {
			r.subs[k] = nil
			pairs = append(pairs, pair{k[0], k[1]})
		}
	}
	if len(pairs) == 0 {
		return nil
	}
	param, err := jsonParam(pairs)
	if err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+subColumns+` FROM subscriptions
		WHERE (org_id, app_id) IN (SELECT value ->> 'o', value ->> 'a' FROM `+tx.s.dialect.jsonRows("$1")+`)
		ORDER BY org_id, app_id`+tx.s.dialect.forUpdate(), param)
	if err != nil {
		return fmt.Errorf("lock a group's subscriptions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		s, err := scanSub(rows)
		if err != nil {
			return fmt.Errorf("lock a group's subscriptions: %w", err)
		}
		r.subs[[2]string{s.OrgID, s.AppID}] = s
	}
	return rows.Err()
}
