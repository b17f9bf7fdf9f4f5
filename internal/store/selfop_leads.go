package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
)

// leadSelect reads a lead with its org, owner and the org's activity with
// the app now (active installs, assigned seats, the end of a running
// trial).
const leadSelect = `SELECT l.id, l.listing_id, l.app_id, l.partner_org_id, l.org_id, o.name, l.origin, l.source, l.channel, l.state, l.lost_reason,
	l.owner_id, COALESCE(u.name, ''), l.next_follow_up, l.consent, l.message, l.requested_by, l.created_at, l.updated_at,
	(SELECT COUNT(*) FROM installations i WHERE i.app_id = l.app_id AND i.org_id = l.org_id AND i.status = 'active'),
	(SELECT COALESCE(SUM(s.assigned_seats), 0) FROM subscriptions s WHERE s.app_id = l.app_id AND s.org_id = l.org_id),
	(SELECT COALESCE(MAX(s.ends_at), 0) FROM subscriptions s WHERE s.app_id = l.app_id AND s.org_id = l.org_id AND s.kind = 'trial' AND s.cancelled_at IS NULL)
	FROM leads l JOIN orgs o ON o.id = l.org_id LEFT JOIN users u ON u.id = l.owner_id`

func scanLead(row interface{ Scan(...any) error }, now time.Time) (*shelf.Lead, error) {
	var l shelf.Lead
	var created, updated, trialEnds int64
	if err := row.Scan(&l.ID, &l.ListingID, &l.AppID, &l.PartnerID, &l.OrgID, &l.OrgName, &l.Origin, &l.Source, &l.Channel, &l.State, &l.LostReason,
		&l.OwnerID, &l.OwnerName, &l.NextFollowUp, &l.Consent, &l.Message, &l.RequestedBy, &created, &updated,
		&l.Activity.Installs, &l.Activity.Seats, &trialEnds); err != nil {
		return nil, err
	}
	l.CreatedAt, l.UpdatedAt = fromMicros(created), fromMicros(updated)
	if left := fromMicros(trialEnds).Sub(now); trialEnds > 0 && left > 0 {
		l.Activity.TrialDaysLeft = int((left + 24*time.Hour - 1) / (24 * time.Hour))
	}
	l.Overdue = l.IsOverdue(now)
	return &l, nil
}

// Lead returns one lead as its partner sees it (anonymised once consent
// is withdrawn).
func (s *Store) Lead(ctx context.Context, id string) (*shelf.Lead, error) {
	l, err := scanLead(s.read.QueryRowContext(ctx, leadSelect+` WHERE l.id = $1`, id), s.clock.Now())
	if errors.Is(err, sql.ErrNoRows) {
		return nil, shelf.NotFound("lead")
	}
	if err != nil {
		return nil, fmt.Errorf("lead %s: %w", id, err)
	}
	return l, nil
}

// Leads lists a partner's leads, newest first, after the cursor key
// f.After (shelf.LeadCursor), at most f.Limit.
func (s *Store) Leads(ctx context.Context, f shelf.LeadFilter) ([]shelf.Lead, error) {
	q := leadSelect + ` WHERE l.partner_org_id = $1`
	args := []any{f.PartnerID}
	add := func(cond string, v any) {
		args = append(args, v)
		q += strings.ReplaceAll(cond, "$?", "$"+strconv.Itoa(len(args)))
	}
	if f.ListingID != "" {
		add(` AND l.listing_id = $?`, f.ListingID)
	}
	if f.State != "" {
		add(` AND l.state = $?`, string(f.State))
	}
	if f.OwnerID != "" {
		add(` AND l.owner_id = $?`, f.OwnerID)
	}
	if f.Overdue {
		add(` AND l.state IN ('new', 'contacted') AND l.next_follow_up <> '' AND l.next_follow_up < $?`, f.Now.UTC().Format(time.DateOnly))
	}
	tail, args, err := leadsOrder.pageAfter(f.After, f.Limit, parseCursor, args)
	if err != nil {
		return nil, err
	}
	return s.scanLeads(ctx, q+tail, args...)
}

// OrgContactRequests lists the contact requests an org made (its own
// view: never anonymised), newest first.
func (s *Store) OrgContactRequests(ctx context.Context, orgID string, p shelf.PageReq) ([]shelf.Lead, error) {
	tail, args, err := leadsOrder.page(p, []any{orgID})
	if err != nil {
		return nil, err
	}
	return s.scanLeads(ctx, leadSelect+` WHERE l.org_id = $1 AND l.origin = 'contact'`+tail, args...)
}

// leadsOrder: leads newest first, a partner's (index leads_partner) or an
// org's contact requests (index leads_org_origin).
var leadsOrder = keyset{cols: []string{"l.created_at", "l.id"}, desc: true}

func (s *Store) scanLeads(ctx context.Context, q string, args ...any) ([]shelf.Lead, error) {
	rows, err := s.queryPage(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("leads: %w", err)
	}
	defer rows.Close()
	out := []shelf.Lead{}
	now := s.clock.Now()
	for rows.Next() {
		l, err := scanLead(rows, now)
		if err != nil {
			return nil, fmt.Errorf("leads: %w", err)
		}
		out = append(out, *l)
	}
	return out, rows.Err()
}

// CreateContactRequest records a customer's request to be contacted by a
// listing's partner, as a lead with the requester's name and email (shared
// by their consent) and where they came from: the promotion channel that
// brought them, if any, else the page they name. An org asks once while
// its request is open (contact_request_open).
func (s *Store) CreateContactRequest(ctx context.Context, n shelf.NewContactRequest) (*shelf.Lead, error) {
	if err := n.Check(); err != nil {
		return nil, err
	}
	var id string
	err := s.Update(ctx, func(tx *Tx) error {
		var name, email string
		var test bool
		err := tx.QueryRowContext(ctx, `SELECT u.name, u.email, o.test FROM memberships m JOIN users u ON u.id = m.user_id JOIN orgs o ON o.id = m.org_id
			WHERE m.org_id = $1 AND m.user_id = $2`, n.OrgID, n.ByUserID).Scan(&name, &email, &test)
		if errors.Is(err, sql.ErrNoRows) {
			return shelf.Forbidden("org_member_required", "only a member of the org may ask for it")
		} else if err != nil {
			return err
		}
		if test {
			return shelf.FieldError("org_id", "test_org", "a test org cannot ask to be contacted")
		}
		var open int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM leads WHERE listing_id = $1 AND org_id = $2 AND origin = 'contact' AND state IN ('new', 'contacted') AND consent = 'given'`,
			n.ListingID, n.OrgID).Scan(&open); err != nil {
			return err
		} else if open > 0 {
			return shelf.Errorf(shelf.KindConflict, "contact_request_open", "this org has already asked the partner to contact it")
		}
		id = shelf.NewID("lead")
		l := newLead{id: id, listingID: n.ListingID, orgID: n.OrgID, origin: shelf.LeadFromContact, source: n.Source, userID: n.ByUserID,
			consent: shelf.ConsentGiven, name: name, email: email, message: n.Message}
		if err := insertLead(ctx, tx, l); err != nil {
			return err
		}
		return audit(ctx, tx, n.ByUserID, "lead.contact_request", "lead", id, nil, nil, "")
	})
	if err != nil {
		return nil, fmt.Errorf("contact request for listing %s: %w", n.ListingID, err)
	}
	return s.Lead(ctx, id)
}

// newLead is a lead to insert.
type newLead struct {
	id, listingID, orgID, source, userID string
	origin                               shelf.LeadOrigin
	consent                              shelf.LeadConsent
	name, email, message                 string
}

// insertLead writes a lead of the listing's partner, attributed to the
// promotion channel that brought the user if any, and tells the vendor
// lead.created.
func insertLead(ctx context.Context, tx *Tx, n newLead) error {
	var partnerID, appID string
	if err := tx.QueryRowContext(ctx, `SELECT org_id, app_id FROM listings WHERE id = $1`, n.listingID).Scan(&partnerID, &appID); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return shelf.NotFound("listing")
		}
		return err
	}
	touch, err := promoTouch(ctx, tx, micros(tx.Now()), appID, n.userID, "")
	if err != nil {
		return err
	}
	channel := ""
	if touch != nil {
		n.source, channel = "channel", touch.Code
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO leads (id, listing_id, app_id, partner_org_id, org_id, origin, source, channel, consent,
		contact_name, contact_email, message, requested_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)`,
		n.id, n.listingID, appID, partnerID, n.orgID, string(n.origin), n.source, channel, string(n.consent), n.name, n.email, n.message, n.userID, micros(tx.Now())); err != nil {
		return fmt.Errorf("insert lead: %w", err)
	}
	_, err = tx.Emit(ctx, appID, n.orgID, shelf.EventLeadCreated, shelf.LeadEventData{LeadID: n.id, ListingID: n.listingID, Origin: n.origin,
		Source: n.source, Channel: channel, State: shelf.LeadNew, Consent: n.consent})
	return err
}

// trialLead opens a lead when an org's trial starts or is ending without a
// purchase: once per org, listing and origin; never for test orgs.
func trialLead(ctx context.Context, tx *Tx, listingID, orgID, userID string, origin shelf.LeadOrigin) error {
	var skip int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM orgs o WHERE o.id = $1 AND (o.test OR EXISTS (
		SELECT 1 FROM leads l WHERE l.listing_id = $2 AND l.org_id = o.id AND l.origin = $3))`, orgID, listingID, string(origin)).Scan(&skip); err != nil {
		return fmt.Errorf("trial lead: %w", err)
	}
	if skip > 0 {
		return nil
	}
	return insertLead(ctx, tx, newLead{id: shelf.NewID("lead"), listingID: listingID, orgID: orgID, origin: origin, source: "trial",
		userID: userID, consent: shelf.ConsentNone})
}

// parseCursor reads a newest-first list's cursor key (shelf.LeadCursor,
// shelf.TicketCursor).
func parseCursor(after string) (int64, string, error) {
	at, id, ok := strings.Cut(after, ":")
	n, err := strconv.ParseInt(at, 10, 64)
	if !ok || err != nil {
		return 0, "", shelf.FieldError("cursor", "invalid_cursor", "cursor must be a next_cursor this endpoint returned")
	}
	return n, id, nil
}
