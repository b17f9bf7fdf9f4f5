package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/shelfhq/shelf/internal/shelf"
)

const partnerAppColumns = `id, org_id, company_name, registration_no, contact, website, builds, state, reason, submitted_by, decided_by, created_at, decided_at`

func scanPartnerApp(row interface{ Scan(...any) error }) (*shelf.PartnerApplication, error) {
	var a shelf.PartnerApplication
	var created int64
	var decided sql.NullInt64
	if err := row.Scan(&a.ID, &a.OrgID, &a.CompanyName, &a.RegistrationNo, &a.Contact, &a.Website, &a.Builds, &a.State, &a.Reason,
		&a.SubmittedBy, &a.DecidedBy, &created, &decided); err != nil {
		return nil, err
	}
	a.CreatedAt = fromMicros(created)
	if decided.Valid {
		t := fromMicros(decided.Int64)
		a.DecidedAt = &t
	}
	return &a, nil
}

// ApplyPartnerProgram files a partner org's application to the partner
// program. A member, or an org with an application waiting, is refused.
func (s *Store) ApplyPartnerProgram(ctx context.Context, orgID, byUserID string, in shelf.PartnerApplicationInput) (*shelf.PartnerApplication, error) {
	if err := in.Check(); err != nil {
		return nil, err
	}
	a := &shelf.PartnerApplication{ID: shelf.NewID("pap"), OrgID: orgID, PartnerApplicationInput: in, State: shelf.PartnerPending, SubmittedBy: byUserID}
	err := s.Update(ctx, func(tx *Tx) error {
		o, err := orgTx(ctx, tx, orgID)
		if err != nil {
			return err
		}
		if o.Kind != shelf.OrgPartner || o.Test {
			return shelf.Errorf(shelf.KindInvalid, "not_a_partner", "only partner orgs join the partner program")
		}
		if o.PartnerProgram {
			return shelf.Errorf(shelf.KindConflict, "already_partner", "the org is already in the partner program")
		}
		a.CreatedAt = tx.Now()
		_, err = tx.ExecContext(ctx, `INSERT INTO partner_applications (id, org_id, company_name, registration_no, contact, website, builds, state, submitted_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $9)`, a.ID, orgID, in.CompanyName, in.RegistrationNo, in.Contact, in.Website, in.Builds, byUserID, micros(a.CreatedAt))
		if isUniqueViolation(err) {
			return shelf.Errorf(shelf.KindConflict, "application_pending", "the org's application is waiting for a platform admin")
		}
		if err != nil {
			return err
		}
		return audit(ctx, tx, byUserID, "partner.apply", "partner_application", a.ID, nil, a, "")
	})
	if err != nil {
		return nil, fmt.Errorf("apply to the partner program: %w", err)
	}
	return a, nil
}

// PartnerApplication returns an application by id.
func (s *Store) PartnerApplication(ctx context.Context, id string) (*shelf.PartnerApplication, error) {
	return partnerAppTx(ctx, s.read, id)
}

func partnerAppTx(ctx context.Context, q queryer, id string) (*shelf.PartnerApplication, error) {
	a, err := scanPartnerApp(q.QueryRowContext(ctx, `SELECT `+partnerAppColumns+` FROM partner_applications WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, shelf.NotFound("partner application")
	}
	if err != nil {
		return nil, fmt.Errorf("partner application: %w", err)
	}
	return a, nil
}

// partnerAppsOrder pages partner-program applications oldest first
// (indexes partner_applications_state_page and _created).
var partnerAppsOrder = keyset{cols: []string{"created_at", "id"}}

// PartnerApplications lists applications in one state ("" for all),
// oldest first, after the time key after (see timeKey), at most limit.
func (s *Store) PartnerApplications(ctx context.Context, state shelf.PartnerApplicationState, after string, limit int) ([]shelf.PartnerApplication, error) {
	where, args := ` WHERE true`, []any{}
	if state != "" {
		where, args = ` WHERE state = $1`, []any{string(state)}
	}
	tail, args, err := partnerAppsOrder.pageAfter(after, limit, shelf.ParseTimeKey, args)
	if err != nil {
		return nil, err
	}
	rows, err := s.queryPage(ctx, `SELECT `+partnerAppColumns+` FROM partner_applications`+where+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("partner applications: %w", err)
	}
	defer rows.Close()
	out := []shelf.PartnerApplication{}
	for rows.Next() {
		a, err := scanPartnerApp(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *a)
	}
	return out, rows.Err()
}

// DecidePartnerApplication approves (the org joins the program) or
// rejects (with a reason) a waiting application.
func (s *Store) DecidePartnerApplication(ctx context.Context, id, adminID string, d shelf.PartnerDecision) (*shelf.PartnerApplication, error) {
	if err := d.Check(); err != nil {
		return nil, err
	}
	var out *shelf.PartnerApplication
	err := s.Update(ctx, func(tx *Tx) error {
		a, err := partnerAppTx(ctx, tx, id)
		if err != nil {
			return err
		}
		if a.State != shelf.PartnerPending {
			return shelf.Errorf(shelf.KindConflict, "not_pending", "the application was already decided (%s)", a.State)
		}
		next := shelf.PartnerRejected
		if d.Approve {
			next = shelf.PartnerApproved
		}
		if err := tx.execOne(ctx, `UPDATE partner_applications SET state = $1, reason = $2, decided_by = $3, decided_at = $4 WHERE id = $5 AND state = 'pending'`,
			next, d.Reason, adminID, micros(tx.Now()), id); err != nil {
			return err
		}
		if d.Approve {
			if _, err := tx.ExecContext(ctx, `UPDATE orgs SET partner_program = TRUE WHERE id = $1`, a.OrgID); err != nil {
				return err
			}
			if err := touchOrgListings(ctx, tx, a.OrgID); err != nil { // the badge
				return err
			}
		}
		msg := "合作伙伴计划申请已通过 / your partner program application was approved"
		if !d.Approve {
			msg = "合作伙伴计划申请未通过 / your partner program application was rejected: " + d.Reason
		}
		if err := notify(ctx, tx, a.OrgID, "partner."+string(next), a.ID, msg); err != nil {
			return err
		}
		if err := audit(ctx, tx, adminID, "partner."+string(next), "partner_application", a.ID, a.State, next, d.Reason); err != nil {
			return err
		}
		out, err = partnerAppTx(ctx, tx, id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("decide partner application %s: %w", id, err)
	}
	return out, nil
}

// PartnerStatus is an org's standing in the partner program.
func (s *Store) PartnerStatus(ctx context.Context, orgID string) (*shelf.PartnerStatus, error) {
	return partnerStatusTx(ctx, s.read, orgID)
}

func partnerStatusTx(ctx context.Context, q queryer, orgID string) (*shelf.PartnerStatus, error) {
	o, err := orgTx(ctx, q, orgID)
	if err != nil {
		return nil, err
	}
	st := &shelf.PartnerStatus{OrgID: orgID, Standing: shelf.StandingNone}
	latest, err := scanPartnerApp(q.QueryRowContext(ctx, `SELECT `+partnerAppColumns+` FROM partner_applications WHERE org_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1`, orgID))
	switch {
	case err == nil:
		st.Latest = latest
		st.Reason = latest.Reason
		if latest.State == shelf.PartnerPending {
			st.Standing = shelf.StandingPending
		} else if latest.State == shelf.PartnerRejected {
			st.Standing = shelf.StandingRejected
		}
	case !errors.Is(err, sql.ErrNoRows):
		return nil, fmt.Errorf("partner status: %w", err)
	}
	if !o.PartnerProgram {
		return st, nil
	}
	st.Standing, st.Reason = shelf.StandingMember, ""
	err = q.QueryRowContext(ctx, `SELECT reason FROM partner_suspensions WHERE org_id = $1`, orgID).Scan(&st.Reason)
	switch {
	case err == nil:
		st.Standing = shelf.StandingSuspended
	case !errors.Is(err, sql.ErrNoRows):
		return nil, fmt.Errorf("partner status: %w", err)
	}
	return st, nil
}

// SuspendPartner suspends a member with a reason: its cool apps leave the
// cool app market and it files no cool-app applications until reinstated.
func (s *Store) SuspendPartner(ctx context.Context, orgID, adminID, reason string) (*shelf.PartnerStatus, error) {
	if err := shelf.CheckReason("reason", reason); err != nil {
		return nil, err
	}
	return s.changePartnerStanding(ctx, orgID, adminID, "partner.suspend", reason, func(tx *Tx, st *shelf.PartnerStatus) error {
		if st.Standing != shelf.StandingMember {
			return shelf.Errorf(shelf.KindConflict, "not_an_active_member", "only an active member of the partner program is suspended (it is %s)", st.Standing)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO partner_suspensions (org_id, reason, suspended_by, suspended_at) VALUES ($1, $2, $3, $4)`,
			orgID, reason, adminID, micros(tx.Now()))
		if isUniqueViolation(err) {
			return errConcurrent
		}
		return err
	})
}

// ReinstatePartner ends a suspension; its cool apps return to the market.
func (s *Store) ReinstatePartner(ctx context.Context, orgID, adminID, reason string) (*shelf.PartnerStatus, error) {
	if err := shelf.CheckReason("reason", reason); err != nil {
		return nil, err
	}
	return s.changePartnerStanding(ctx, orgID, adminID, "partner.reinstate", reason, func(tx *Tx, st *shelf.PartnerStatus) error {
		if st.Standing != shelf.StandingSuspended {
			return shelf.Errorf(shelf.KindConflict, "not_suspended", "the org is not suspended (it is %s)", st.Standing)
		}
		return tx.execOne(ctx, `DELETE FROM partner_suspensions WHERE org_id = $1`, orgID)
	})
}

// changePartnerStanding runs a suspension change, audits it and refreshes
// the market entries of the org's listings.
func (s *Store) changePartnerStanding(ctx context.Context, orgID, adminID, action, reason string, change func(tx *Tx, st *shelf.PartnerStatus) error) (*shelf.PartnerStatus, error) {
	var out *shelf.PartnerStatus
	err := s.Update(ctx, func(tx *Tx) error {
		st, err := partnerStatusTx(ctx, tx, orgID)
		if err != nil {
			return err
		}
		if err := change(tx, st); err != nil {
			return err
		}
		if err := touchOrgListings(ctx, tx, orgID); err != nil {
			return err
		}
		if out, err = partnerStatusTx(ctx, tx, orgID); err != nil {
			return err
		}
		if err := notify(ctx, tx, orgID, action, orgID, action+": "+reason); err != nil {
			return err
		}
		return audit(ctx, tx, adminID, action, "org", orgID, st.Standing, out.Standing, reason)
	})
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", action, orgID, err)
	}
	return out, nil
}

// touchOrgListings tells the market index that the org's listings changed.
func touchOrgListings(ctx context.Context, tx *Tx, orgID string) error {
	ids, err := queryStrings(ctx, tx, `SELECT id FROM listings WHERE org_id = $1`, orgID)
	for _, id := range ids {
		tx.touch(shelf.ChangeListing(id))
	}
	return err
}
