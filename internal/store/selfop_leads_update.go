package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/shelfhq/shelf/internal/shelf"
)

// UpdateLead applies a partner member's change to a lead: its state (a
// lost one with a reason), its owner (a member of the partner org), its
// next follow-up date, and a note; tells the vendor lead.updated.
func (s *Store) UpdateLead(ctx context.Context, id, byUserID string, c shelf.LeadChange) (*shelf.Lead, error) {
	err := s.Update(ctx, func(tx *Tx) error {
		l, err := scanLead(tx.QueryRowContext(ctx, leadSelect+` WHERE l.id = $1`, id), tx.Now())
		if err != nil {
			return noRowsAs(err, "lead")
		}
		before := *l
		if err := c.Apply(l); err != nil {
			return err
		}
		if c.OwnerID != nil && *c.OwnerID != "" {
			var one int
			err := tx.QueryRowContext(ctx, `SELECT 1 FROM memberships WHERE org_id = $1 AND user_id = $2`, l.PartnerID, *c.OwnerID).Scan(&one)
			if err != nil {
				if errors.Is(err, sql.ErrNoRows) {
					return shelf.FieldError("owner_id", "owner_not_member", "a lead's owner is a member of the partner org")
				}
				return err
			}
		}
		if err := tx.execOne(ctx, `UPDATE leads SET state = $2, lost_reason = $3, owner_id = $4, next_follow_up = $5, updated_at = $6
			WHERE id = $1 AND updated_at = $7`, l.ID, string(l.State), l.LostReason, l.OwnerID, l.NextFollowUp, micros(tx.Now()), micros(before.UpdatedAt)); err != nil {
			return err
		}
		if c.Note != "" {
			if _, err := tx.ExecContext(ctx, `INSERT INTO lead_notes (id, lead_id, author_id, body, created_at) VALUES ($1, $2, $3, $4, $5)`,
				shelf.NewID("note"), l.ID, byUserID, c.Note, micros(tx.Now())); err != nil {
				return fmt.Errorf("note: %w", err)
			}
		}
		if err := audit(ctx, tx, byUserID, "lead.update", "lead", l.ID, leadAudit(&before), leadAudit(l), ""); err != nil {
			return err
		}
		_, err = tx.Emit(ctx, l.AppID, before.OrgID, shelf.EventLeadUpdated, l.EventData())
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("update lead %s: %w", id, err)
	}
	return s.Lead(ctx, id)
}

// leadAudit is what the audit log keeps of a lead: never contact details.
func leadAudit(l *shelf.Lead) map[string]string {
	return map[string]string{"state": string(l.State), "owner_id": l.OwnerID, "next_follow_up": l.NextFollowUp, "lost_reason": l.LostReason}
}

// LeadNotes lists a lead's notes, oldest first.
func (s *Store) LeadNotes(ctx context.Context, id string) ([]shelf.LeadNote, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT n.id, n.author_id, u.name, n.body, n.created_at FROM lead_notes n JOIN users u ON u.id = n.author_id
		WHERE n.lead_id = $1 ORDER BY n.created_at, n.id LIMIT 500`, id)
	if err != nil {
		return nil, fmt.Errorf("lead notes: %w", err)
	}
	defer rows.Close()
	out := []shelf.LeadNote{}
	for rows.Next() {
		var n shelf.LeadNote
		var at int64
		if err := rows.Scan(&n.ID, &n.AuthorID, &n.AuthorName, &n.Text, &at); err != nil {
			return nil, fmt.Errorf("lead notes: %w", err)
		}
		n.CreatedAt = fromMicros(at)
		out = append(out, n)
	}
	return out, rows.Err()
}

// LeadContact returns who asked to be contacted, only while their consent
// stands (consent_withdrawn; a trial lead has none: no_consent).
func (s *Store) LeadContact(ctx context.Context, id string) (*shelf.LeadContact, error) {
	c := shelf.LeadContact{LeadID: id}
	var consent shelf.LeadConsent
	err := s.read.QueryRowContext(ctx, `SELECT l.consent, l.contact_name, l.contact_email, o.name, l.message FROM leads l JOIN orgs o ON o.id = l.org_id WHERE l.id = $1`, id).
		Scan(&consent, &c.Name, &c.Email, &c.OrgName, &c.Message)
	if err != nil {
		return nil, fmt.Errorf("lead %s contact: %w", id, noRowsAs(err, "lead"))
	}
	switch consent {
	case shelf.ConsentWithdrawn:
		return nil, shelf.Forbidden("consent_withdrawn", "the customer withdrew their consent: their contact details are erased")
	case shelf.ConsentNone:
		return nil, shelf.Forbidden("no_consent", "this lead came from a trial: the customer has not shared contact details")
	}
	return &c, nil
}

// WithdrawLeadConsent erases a contact request's contact details and
// message at the customer's word; the lead stays, anonymised, with its
// state and the partner's notes. Tells the vendor lead.updated.
func (s *Store) WithdrawLeadConsent(ctx context.Context, id, byUserID string) (*shelf.Lead, error) {
	err := s.Update(ctx, func(tx *Tx) error {
		if err := tx.execOne(ctx, `UPDATE leads SET consent = 'withdrawn', contact_name = '', contact_email = '', message = '', consent_withdrawn_at = $2, updated_at = $2
			WHERE id = $1 AND consent = 'given'`, id, micros(tx.Now())); err != nil {
			if errors.Is(err, errConcurrent) {
				return shelf.Errorf(shelf.KindConflict, "consent_withdrawn", "consent was already withdrawn")
			}
			return err
		}
		l, err := scanLead(tx.QueryRowContext(ctx, leadSelect+` WHERE l.id = $1`, id), tx.Now())
		if err != nil {
			return err
		}
		if err := audit(ctx, tx, byUserID, "lead.withdraw_consent", "lead", id, nil, nil, ""); err != nil {
			return err
		}
		_, err = tx.Emit(ctx, l.AppID, l.OrgID, shelf.EventLeadUpdated, l.EventData())
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("withdraw consent of lead %s: %w", id, err)
	}
	return s.Lead(ctx, id)
}

// noRowsAs turns a missing row into a 404 of what.
func noRowsAs(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return shelf.NotFound(what)
	}
	return err
}
