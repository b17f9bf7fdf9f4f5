package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/shelfhq/shelf/internal/shelf"
)

// DecideCoolApp is the platform operators' verdict on a cool-app
// application. Approval puts the materials live as the app's listing
// revision (so the cool app market, search and buying see it) and records
// the declaration group owners read; rejection keeps the reasons per
// field for the partner's editor. Both tell the vendor.
func (s *Store) DecideCoolApp(ctx context.Context, id, reviewerID string, d shelf.ReviewDecision) (*shelf.CoolAppApplication, error) {
	if err := shelf.CheckCoolDecision(&d); err != nil {
		return nil, err
	}
	var out *shelf.CoolAppApplication
	err := s.Update(ctx, func(tx *Tx) error {
		a, err := coolAppTx(ctx, tx, id)
		if err != nil {
			return err
		}
		if a.State != shelf.CoolSubmitted {
			return shelf.Errorf(shelf.KindConflict, "not_submitted", "the application was already decided (%s)", a.State)
		}
		next, action := shelf.CoolRejected, "coolapp.reject"
		if d.Approve {
			next, action = shelf.CoolApproved, "coolapp.approve"
		}
		reasons, err := json.Marshal(nonNilReasons(d.FieldReasons))
		if err != nil {
			return err
		}
		if err := tx.execOne(ctx, `UPDATE coolapp_applications SET state = $1, reason = $2, field_reasons = $3, decided_by = $4, decided_at = $5
			WHERE id = $6 AND state = 'submitted'`, next, d.Reason, string(reasons), reviewerID, micros(tx.Now()), id); err != nil {
			return err
		}
		if d.Approve {
			err = approveCoolApp(ctx, tx, a, reviewerID)
		} else {
			err = notify(ctx, tx, a.OrgID, "coolapp.rejected", a.ID, fmt.Sprintf("酷应用上架申请「%s」未通过 / the cool-app application of %s was rejected", a.Materials.Name, a.Materials.NameEn))
		}
		if err != nil {
			return err
		}
		if err := audit(ctx, tx, reviewerID, action, "coolapp_application", a.ID, a.State, next, d.Reason); err != nil {
			return err
		}
		typ := shelf.EventCoolAppRejected
		if d.Approve {
			typ = shelf.EventCoolAppApproved
		}
		if _, err := tx.Emit(ctx, a.AppID, a.OrgID, typ, shelf.CoolAppDecided{ApplicationID: a.ID, ReviewerID: reviewerID, Reason: d.Reason, FieldReasons: d.FieldReasons}); err != nil {
			return err
		}
		out, err = coolAppTx(ctx, tx, id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("decide cool-app application %s: %w", id, err)
	}
	return out, nil
}

func nonNilReasons(r []shelf.FieldReason) []shelf.FieldReason {
	if r == nil {
		return []shelf.FieldReason{}
	}
	return r
}

// approveCoolApp makes the materials the listing's live revision (approved
// by the platform operator, with the application's self-test) and keeps
// the declaration.
func approveCoolApp(ctx context.Context, tx *Tx, a *shelf.CoolAppApplication, reviewerID string) error {
	app, err := appTx(ctx, tx, tx.Now(), `a.id = $2`, a.AppID)
	if err != nil {
		return err
	}
	if err := noRevisionInProgress(ctx, tx, app); err != nil {
		return err
	}
	listingID, err := listingForApp(ctx, tx, app)
	if err != nil {
		return err
	}
	var number int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(number), 0) + 1 FROM revisions WHERE listing_id = $1`, listingID).Scan(&number); err != nil {
		return err
	}
	doc, err := json.Marshal(a.Materials.Revision)
	if err != nil {
		return err
	}
	revID, now := shelf.NewID("rev"), micros(tx.Now())
	if _, err := tx.ExecContext(ctx, `INSERT INTO revisions (id, listing_id, number, state, category_id, doc, self_test_id, created_by, submitted_at, decided_at, decided_by, created_at, updated_at)
		VALUES ($1, $2, $3, 'approved', $4, $5, $6, $7, $8, $9, $10, $8, $9)`, revID, listingID, number, a.Materials.CategoryID, string(doc), a.SelfTestID,
		a.SubmittedBy, micros(a.CreatedAt), now, reviewerID); err != nil {
		return err
	}
	rev, err := revisionTx(ctx, tx, revID)
	if err != nil {
		return err
	}
	if err := publish(ctx, tx, rev, reviewerID); err != nil {
		return err
	}
	decl, err := json.Marshal(a.Materials.CoolDeclaration)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO cool_apps (app_id, application_id, declaration, updated_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (app_id) DO UPDATE SET application_id = excluded.application_id, declaration = excluded.declaration, updated_at = excluded.updated_at`,
		a.AppID, a.ID, string(decl), now)
	return err
}

// CoolApp returns what an approved cool app declares to group owners.
func (s *Store) CoolApp(ctx context.Context, appID string) (*shelf.CoolApp, error) {
	return coolAppDecl(ctx, s.read, appID)
}

func coolAppDecl(ctx context.Context, q queryer, appID string) (*shelf.CoolApp, error) {
	c := shelf.CoolApp{AppID: appID}
	var doc string
	var updated int64
	err := q.QueryRowContext(ctx, `SELECT application_id, declaration, updated_at FROM cool_apps WHERE app_id = $1`, appID).Scan(&c.ApplicationID, &doc, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, shelf.NotFound("cool app")
	}
	if err != nil {
		return nil, fmt.Errorf("cool app %s: %w", appID, err)
	}
	if err := json.Unmarshal([]byte(doc), &c.CoolDeclaration); err != nil {
		return nil, fmt.Errorf("cool app %s: %w", appID, err)
	}
	c.UpdatedAt = fromMicros(updated)
	return &c, nil
}
