package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
)

const listingSelect = `SELECT l.id, l.app_id, l.org_id, l.state, l.live_revision_id, l.category_id, l.market, l.delist_reason, l.takedown_reason,
	l.created_at, l.updated_at, a.name, a.kind, EXISTS (SELECT 1 FROM partner_suspensions ps WHERE ps.org_id = l.org_id),
	(SELECT o.partner_program FROM orgs o WHERE o.id = l.org_id)
	FROM listings l JOIN apps a ON a.id = l.app_id `

func scanListing(row interface{ Scan(...any) error }) (*shelf.ListingInfo, error) {
	var li shelf.ListingInfo
	var created, updated int64
	if err := row.Scan(&li.ID, &li.AppID, &li.OrgID, &li.State, &li.LiveRevisionID, &li.CategoryID, &li.Market, &li.DelistReason, &li.TakedownReason,
		&created, &updated, &li.AppName, &li.AppKind, &li.PartnerSuspended, &li.PartnerBadge); err != nil {
		return nil, err
	}
	li.PartnerBadge = li.PartnerBadge && !li.PartnerSuspended
	li.CreatedAt, li.UpdatedAt = fromMicros(created), fromMicros(updated)
	return &li, nil
}

func listingTx(ctx context.Context, q queryer, id string) (*shelf.ListingInfo, error) {
	li, err := scanListing(q.QueryRowContext(ctx, listingSelect+`WHERE l.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, shelf.NotFound("listing")
	}
	if err != nil {
		return nil, fmt.Errorf("get listing: %w", err)
	}
	return li, nil
}

// withRevisions fills the live revision and the one in progress.
func (s *Store) withRevisions(ctx context.Context, li *shelf.ListingInfo) error {
	if li.LiveRevisionID != "" {
		live, err := revisionTx(ctx, s.read, li.LiveRevisionID)
		if err != nil {
			return err
		}
		li.Live = live
	}
	p, err := scanRevision(s.read.QueryRowContext(ctx, revisionSelect+`WHERE r.listing_id = $1 AND r.state IN ('draft', 'submitted', 'rejected')`, li.ID))
	if err == nil {
		li.Pending = p
	} else if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	return nil
}

// Listing returns a listing with its live and pending revisions.
func (s *Store) Listing(ctx context.Context, id string) (*shelf.ListingInfo, error) {
	li, err := listingTx(ctx, s.read, id)
	if err != nil {
		return nil, err
	}
	return li, s.withRevisions(ctx, li)
}

// ListingForApp returns an app's listing, if it has one.
func (s *Store) ListingForApp(ctx context.Context, appID string) (*shelf.ListingInfo, error) {
	li, err := scanListing(s.read.QueryRowContext(ctx, listingSelect+`WHERE l.app_id = $1`, appID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, shelf.NotFound("listing")
	}
	if err != nil {
		return nil, fmt.Errorf("listing for app: %w", err)
	}
	return li, s.withRevisions(ctx, li)
}

// PartnerListings lists a partner org's listings.
func (s *Store) PartnerListings(ctx context.Context, orgID string, p shelf.PageReq) ([]shelf.ListingInfo, error) {
	tail, args, err := partnerListingsOrder.page(p, []any{orgID})
	if err != nil {
		return nil, err
	}
	return s.listings(ctx, `WHERE l.org_id = $1`, tail, args...)
}

// PartnerMarketListings lists one page of a partner's listings that the
// market may show (listed, with the market promotion mode), oldest first:
// the partner's storefront page.
func (s *Store) PartnerMarketListings(ctx context.Context, orgID string, p shelf.PageReq) ([]shelf.ListingInfo, error) {
	tail, args, err := partnerListingsOrder.page(p, []any{orgID})
	if err != nil {
		return nil, err
	}
	return s.listings(ctx, `WHERE l.org_id = $1 AND l.state = 'listed' AND l.market = TRUE`, tail, args...)
}

// ListingsForApps returns the listings of some of a partner org's apps
// (those among appIDs that have one; no order): a page of apps shows each
// app's listing without reading all of the partner's listings.
func (s *Store) ListingsForApps(ctx context.Context, orgID string, appIDs []string) ([]shelf.ListingInfo, error) {
	if len(appIDs) == 0 {
		return []shelf.ListingInfo{}, nil
	}
	arg, err := jsonArg(appIDs)
	if err != nil {
		return nil, err
	}
	return s.listings(ctx, `WHERE l.org_id = $1 AND l.app_id IN (SELECT value FROM `+s.dialect.jsonTexts("$2")+`)`, ``, orgID, arg)
}

// partnerListingsOrder pages a partner's listings oldest first (index listings_org_created).
var partnerListingsOrder = keyset{cols: []string{"l.created_at", "l.id"}}

// MarketListings lists what customers may find in the market: listed, with
// the market promotion mode, optionally in one category (a parent category
// includes its children). Own-channel-only listings never appear here.
func (s *Store) MarketListings(ctx context.Context, categoryID string) ([]shelf.ListingInfo, error) {
	if categoryID == "" {
		return s.listings(ctx, `WHERE l.state = 'listed' AND l.market = TRUE`, `ORDER BY l.updated_at DESC, l.id`)
	}
	return s.listings(ctx, `WHERE l.state = 'listed' AND l.market = TRUE AND (l.category_id = $1
		OR l.category_id IN (SELECT id FROM categories WHERE parent_id = $1))`, `ORDER BY l.updated_at DESC, l.id`, categoryID)
}

// listings returns the listings matching where, in order, each with its
// live and pending revisions, in two queries whatever their number (the
// storefront's hot path).
func (s *Store) listings(ctx context.Context, where, order string, args ...any) ([]shelf.ListingInfo, error) {
	rows, err := s.queryPage(ctx, listingSelect+where+" "+order, args...)
	if err != nil {
		return nil, fmt.Errorf("listings: %w", err)
	}
	out := []shelf.ListingInfo{}
	index := map[string]int{}
	for rows.Next() {
		li, err := scanListing(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		index[li.ID] = len(out)
		out = append(out, *li)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// The same filter on l selects the revisions that matter of the same
	// listings: the live one and the one in progress.
	ids := make([]string, len(out))
	for i := range out {
		ids[i] = out[i].ID
	}
	idArg, err := jsonArg(ids)
	if err != nil {
		return nil, err
	}
	revs, err := s.read.QueryContext(ctx, revisionSelect+`WHERE l.id IN (SELECT value FROM `+s.dialect.jsonTexts("$1")+`)
		AND (r.id = l.live_revision_id OR r.state IN ('draft', 'submitted', 'rejected'))`, idArg)
	if err != nil {
		return nil, fmt.Errorf("listings' revisions: %w", err)
	}
	defer revs.Close()
	for revs.Next() {
		ri, err := scanRevision(revs)
		if err != nil {
			return nil, err
		}
		i, ok := index[ri.ListingID]
		if !ok {
			continue
		}
		if ri.ID == out[i].LiveRevisionID {
			out[i].Live = ri
		} else {
			out[i].Pending = ri
		}
	}
	return out, revs.Err()
}

// reviewQueueOrder pages the queue oldest first (index revisions_submitted).
var reviewQueueOrder = keyset{cols: []string{"r.submitted_at", "r.id"}}

// ReviewQueue lists one page of the submitted revisions in scope, oldest first.
func (s *Store) ReviewQueue(ctx context.Context, scope shelf.ReviewScope, p shelf.PageReq) ([]shelf.QueueItem, error) {
	if !scope.All && len(scope.Categories) == 0 {
		return []shelf.QueueItem{}, nil
	}
	where, args := `r.state = 'submitted'`, []any{}
	if !scope.All {
		cats, err := jsonArg(scope.Categories)
		if err != nil {
			return nil, err
		}
		where, args = where+` AND r.category_id IN (SELECT value FROM `+s.dialect.jsonTexts("$1")+`)`, append(args, cats)
	}
	tail, args, err := reviewQueueOrder.page(p, args)
	if err != nil {
		return nil, err
	}
	rows, err := s.queryPage(ctx, `SELECT r.id, r.listing_id, l.app_id, l.org_id, o.name, r.doc, r.category_id, r.number, r.submitted_at
		FROM revisions r JOIN listings l ON l.id = r.listing_id JOIN orgs o ON o.id = l.org_id
		WHERE `+where+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("review queue: %w", err)
	}
	defer rows.Close()
	now := s.clock.Now()
	out := []shelf.QueueItem{}
	for rows.Next() {
		var q shelf.QueueItem
		var doc string
		var submitted int64
		if err := rows.Scan(&q.RevisionID, &q.ListingID, &q.AppID, &q.OrgID, &q.OrgName, &doc, &q.CategoryID, &q.Number, &submitted); err != nil {
			return nil, err
		}
		var r shelf.Revision
		if err := jsonUnmarshal(doc, &r); err != nil {
			return nil, err
		}
		q.Name, q.NameEn = r.Name, r.NameEn
		q.SubmittedAt = fromMicros(submitted)
		q.Waiting = now.Sub(q.SubmittedAt)
		q.WaitingSecs = int64(q.Waiting / time.Second)
		out = append(out, q)
	}
	return out, rows.Err()
}

// OperatorStats gives each category operator of one page (paged as
// PlatformUsers) their queue length and median
// time from submission to decision over the last 90 days.
func (s *Store) OperatorStats(ctx context.Context, p shelf.PageReq) ([]shelf.OperatorStats, error) {
	ops, err := s.PlatformUsers(ctx, shelf.CategoryOperator, p)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(ops))
	for i, u := range ops {
		ids[i] = u.ID
	}
	arg, err := jsonArg(ids)
	if err != nil {
		return nil, err
	}
	since := micros(s.clock.Now().Add(-90 * 24 * time.Hour))
	rows, err := s.read.QueryContext(ctx, `SELECT decided_by, decided_at - submitted_at FROM revisions
		WHERE decided_by IN (SELECT value FROM `+s.dialect.jsonTexts("$2")+`) AND decided_at > $1 AND submitted_at IS NOT NULL`, since, arg)
	if err != nil {
		return nil, fmt.Errorf("operator stats: %w", err)
	}
	durations := map[string][]int64{}
	for rows.Next() {
		var who string
		var d int64
		if err := rows.Scan(&who, &d); err != nil {
			rows.Close()
			return nil, err
		}
		durations[who] = append(durations[who], d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("operator stats: %w", err)
	}
	waiting, err := s.waitingByOperator(ctx, arg)
	if err != nil {
		return nil, err
	}
	out := []shelf.OperatorStats{}
	for _, u := range ops {
		ds := durations[u.ID]
		st := shelf.OperatorStats{UserID: u.ID, Name: u.Name, QueueLength: waiting[u.ID], Decided: len(ds)}
		if len(ds) > 0 {
			sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
			st.MedianDecision = float64(ds[len(ds)/2]) / float64(time.Hour/time.Microsecond)
		}
		out = append(out, st)
	}
	return out, nil
}

// waitingByOperator counts the submitted revisions in the reach (their
// categories and those categories' children) of each operator in ids (a
// JSON array), in one query.
func (s *Store) waitingByOperator(ctx context.Context, ids string) (map[string]int, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT reach.user_id, COUNT(r.id) FROM
		(SELECT DISTINCT o.user_id, c.id AS category_id FROM category_operators o
			JOIN categories c ON c.id = o.category_id OR c.parent_id = o.category_id
			WHERE o.user_id IN (SELECT value FROM `+s.dialect.jsonTexts("$1")+`)) reach
		JOIN revisions r ON r.category_id = reach.category_id AND r.state = 'submitted'
		GROUP BY reach.user_id`, ids)
	if err != nil {
		return nil, fmt.Errorf("queue lengths: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var who string
		var n int
		if err := rows.Scan(&who, &n); err != nil {
			return nil, err
		}
		out[who] = n
	}
	return out, rows.Err()
}

func jsonUnmarshal(doc string, v any) error {
	if err := json.Unmarshal([]byte(doc), v); err != nil {
		return fmt.Errorf("decode stored document: %w", err)
	}
	return nil
}
