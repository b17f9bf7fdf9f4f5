package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
)

// OpenTicket opens a service ticket for an org on an app it has
// installed, with its first message: by an admin of the org, or a member
// holding a seat of the app (seat_required); an app the org does not have
// is refused (app_not_installed). The due times are the partner's targets
// now. Tells the vendor ticket.created.
func (s *Store) OpenTicket(ctx context.Context, n shelf.NewTicket) (*shelf.Ticket, error) {
	if err := n.Check(); err != nil {
		return nil, err
	}
	atts, err := cleanAttachments(n.Attachments)
	if err != nil {
		return nil, err
	}
	id := shelf.NewID("tkt")
	err = s.Update(ctx, func(tx *Tx) error {
		if err := mayOpenTicket(ctx, tx, n.OrgID, n.AppID, n.ByUserID); err != nil {
			return err
		}
		var partnerID, listingID string
		if err := tx.QueryRowContext(ctx, `SELECT a.org_id, COALESCE(l.id, '') FROM apps a LEFT JOIN listings l ON l.app_id = a.id WHERE a.id = $1`, n.AppID).
			Scan(&partnerID, &listingID); err != nil {
			return fmt.Errorf("app %s: %w", n.AppID, err)
		}
		target, err := serviceTarget(ctx, tx, partnerID, n.Priority)
		if err != nil {
			return err
		}
		now := tx.Now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO tickets (id, org_id, app_id, listing_id, partner_org_id, opened_by, subject, priority, state,
			response_due_at, resolution_due_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', $9, $10, $11, $11)`,
			id, n.OrgID, n.AppID, listingID, partnerID, n.ByUserID, n.Subject, string(n.Priority),
			micros(now.Add(time.Duration(target.FirstResponse)*time.Minute)), micros(now.Add(time.Duration(target.Resolution)*time.Minute)), micros(now)); err != nil {
			return fmt.Errorf("insert ticket: %w", err)
		}
		msgID, err := insertTicketMessage(ctx, tx, id, n.ByUserID, shelf.TicketSideCustomer, n.Text, atts)
		if err != nil {
			return err
		}
		if err := audit(ctx, tx, n.ByUserID, "ticket.open", "ticket", id, nil, map[string]string{"app_id": n.AppID, "priority": string(n.Priority)}, ""); err != nil {
			return err
		}
		_, err = tx.Emit(ctx, n.AppID, n.OrgID, shelf.EventTicketCreated, shelf.TicketEventData{TicketID: id, MessageID: msgID, Subject: n.Subject,
			Priority: n.Priority, State: shelf.TicketOpen, Side: shelf.TicketSideCustomer})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("open ticket on %s: %w", n.AppID, err)
	}
	return s.Ticket(ctx, id)
}

// mayOpenTicket checks the app is installed in the org and the user may
// open a ticket on it there.
func mayOpenTicket(ctx context.Context, tx *Tx, orgID, appID, userID string) error {
	var role shelf.Role
	err := tx.QueryRowContext(ctx, `SELECT role FROM memberships WHERE org_id = $1 AND user_id = $2`, orgID, userID).Scan(&role)
	if errors.Is(err, sql.ErrNoRows) {
		return shelf.Forbidden("org_member_required", "only a member of the org may open its tickets")
	} else if err != nil {
		return err
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM installations WHERE app_id = $1 AND org_id = $2 AND status = 'active'`, appID, orgID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return shelf.FieldError("app_id", "app_not_installed", "the org does not have this app installed")
	}
	if role == shelf.RoleAdmin {
		return nil
	}
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM subscriptions s LEFT JOIN seats st ON st.subscription_id = s.id AND st.user_id = $3
		WHERE s.org_id = $1 AND s.app_id = $2 AND (s.all_members OR st.user_id IS NOT NULL)`, orgID, appID, userID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return shelf.Forbidden("seat_required", "only an admin of the org, or a member with a seat of the app, may open a ticket on it")
	}
	return nil
}

const ticketSelect = `SELECT t.id, t.org_id, o.name, t.app_id, t.listing_id, t.partner_org_id, t.opened_by, u.name, t.subject, t.priority, t.state,
	t.first_response_at, t.closed_at, t.response_due_at, t.resolution_due_at, t.created_at, t.updated_at
	FROM tickets t JOIN orgs o ON o.id = t.org_id JOIN users u ON u.id = t.opened_by`

func scanTicket(row interface{ Scan(...any) error }, now time.Time) (*shelf.Ticket, error) {
	var t shelf.Ticket
	var first, closed sql.NullInt64
	var respDue, resDue, created, updated int64
	if err := row.Scan(&t.ID, &t.OrgID, &t.OrgName, &t.AppID, &t.ListingID, &t.PartnerID, &t.OpenedBy, &t.OpenedByName, &t.Subject, &t.Priority, &t.State,
		&first, &closed, &respDue, &resDue, &created, &updated); err != nil {
		return nil, err
	}
	t.FirstResponseAt, t.ClosedAt = nullMicros(first), nullMicros(closed)
	t.ResponseDue, t.ResolutionDue = fromMicros(respDue), fromMicros(resDue)
	t.CreatedAt, t.UpdatedAt = fromMicros(created), fromMicros(updated)
	t.Measure(now)
	return &t, nil
}

// Ticket returns one ticket with its times measured now.
func (s *Store) Ticket(ctx context.Context, id string) (*shelf.Ticket, error) {
	t, err := scanTicket(s.read.QueryRowContext(ctx, ticketSelect+` WHERE t.id = $1`, id), s.clock.Now())
	if errors.Is(err, sql.ErrNoRows) {
		return nil, shelf.NotFound("ticket")
	}
	if err != nil {
		return nil, fmt.Errorf("ticket %s: %w", id, err)
	}
	return t, nil
}

// ticketsOrder pages tickets newest first (indexes tickets_partner and
// tickets_org).
var ticketsOrder = keyset{cols: []string{"t.created_at", "t.id"}, desc: true}

// Tickets lists a partner's or an org's tickets, newest first, a page at
// a time.
func (s *Store) Tickets(ctx context.Context, f shelf.TicketFilter) ([]shelf.Ticket, error) {
	q, args := ticketSelect+` WHERE t.org_id = $1`, []any{f.OrgID}
	if f.PartnerID != "" {
		q, args = ticketSelect+` WHERE t.partner_org_id = $1`, []any{f.PartnerID}
	}
	add := func(cond string, v any) {
		args = append(args, v)
		q += fmt.Sprintf(cond, len(args))
	}
	if f.OpenedBy != "" {
		add(` AND t.opened_by = $%d`, f.OpenedBy)
	}
	if f.State != "" {
		add(` AND t.state = $%d`, string(f.State))
	}
	tail, args, err := ticketsOrder.pageAfter(f.After, f.Limit, parseCursor, args)
	if err != nil {
		return nil, err
	}
	rows, err := s.queryPage(ctx, q+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("tickets: %w", err)
	}
	defer rows.Close()
	out := []shelf.Ticket{}
	now := s.clock.Now()
	for rows.Next() {
		t, err := scanTicket(rows, now)
		if err != nil {
			return nil, fmt.Errorf("tickets: %w", err)
		}
		out = append(out, *t)
	}
	return out, rows.Err()
}

// serviceTarget is the partner's target for a priority, or the default.
func serviceTarget(ctx context.Context, q queryer, partnerID string, p shelf.TicketPriority) (shelf.ServiceTarget, error) {
	t := shelf.ServiceTarget{Priority: p}
	err := q.QueryRowContext(ctx, `SELECT first_response_minutes, resolution_minutes FROM service_targets WHERE partner_org_id = $1 AND priority = $2`,
		partnerID, string(p)).Scan(&t.FirstResponse, &t.Resolution)
	if errors.Is(err, sql.ErrNoRows) {
		for _, d := range shelf.DefaultServiceTargets {
			if d.Priority == p {
				return d, nil
			}
		}
	}
	if err != nil {
		return t, fmt.Errorf("service target %s: %w", p, err)
	}
	return t, nil
}

// ServiceTargets returns a partner's targets per priority, least urgent
// first (defaults where it set none).
func (s *Store) ServiceTargets(ctx context.Context, partnerID string) ([]shelf.ServiceTarget, error) {
	out := make([]shelf.ServiceTarget, 0, len(shelf.TicketPriorities))
	for _, p := range shelf.TicketPriorities {
		t, err := serviceTarget(ctx, s.read, partnerID, p)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// SetServiceTargets keeps a partner's targets; they apply to tickets
// opened from now on.
func (s *Store) SetServiceTargets(ctx context.Context, partnerID, byUserID string, ts []shelf.ServiceTarget) ([]shelf.ServiceTarget, error) {
	for _, t := range ts {
		if err := t.Check(); err != nil {
			return nil, err
		}
	}
	err := s.Update(ctx, func(tx *Tx) error {
		for _, t := range ts {
			if _, err := tx.ExecContext(ctx, `INSERT INTO service_targets (partner_org_id, priority, first_response_minutes, resolution_minutes, updated_at)
				VALUES ($1, $2, $3, $4, $5) ON CONFLICT (partner_org_id, priority) DO UPDATE SET first_response_minutes = excluded.first_response_minutes,
				resolution_minutes = excluded.resolution_minutes, updated_at = excluded.updated_at`,
				partnerID, string(t.Priority), t.FirstResponse, t.Resolution, micros(tx.Now())); err != nil {
				return err
			}
		}
		return audit(ctx, tx, byUserID, "service_targets.set", "org", partnerID, nil, ts, "")
	})
	if err != nil {
		return nil, fmt.Errorf("service targets of %s: %w", partnerID, err)
	}
	return s.ServiceTargets(ctx, partnerID)
}
