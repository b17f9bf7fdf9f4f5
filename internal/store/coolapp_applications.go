package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/shelfhq/shelf/internal/shelf"
)

const coolAppColumns = `c.id, c.app_id, c.org_id, o.name, c.number, c.state, c.materials, c.self_test_id, c.reason, c.field_reasons,
	c.submitted_by, c.decided_by, c.created_at, c.decided_at FROM coolapp_applications c JOIN orgs o ON o.id = c.org_id `

func scanCoolApp(row interface{ Scan(...any) error }) (*shelf.CoolAppApplication, error) {
	var a shelf.CoolAppApplication
	var materials, reasons string
	var created int64
	var decided sql.NullInt64
	if err := row.Scan(&a.ID, &a.AppID, &a.OrgID, &a.OrgName, &a.Number, &a.State, &materials, &a.SelfTestID, &a.Reason, &reasons,
		&a.SubmittedBy, &a.DecidedBy, &created, &decided); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(materials), &a.Materials); err != nil {
		return nil, fmt.Errorf("cool-app application %s: %w", a.ID, err)
	}
	if err := json.Unmarshal([]byte(reasons), &a.FieldReasons); err != nil {
		return nil, fmt.Errorf("cool-app application %s reasons: %w", a.ID, err)
	}
	if a.FieldReasons == nil {
		a.FieldReasons = []shelf.FieldReason{}
	}
	a.CreatedAt, a.DecidedAt = fromMicros(created), nullMicros(decided)
	return &a, nil
}

// SubmitCoolApp files a cool-app listing application (酷应用上架申请) with
// its materials: the partner must be an active member of the partner
// program, the materials complete, and the app's latest self-test a
// passing group install of the app as configured now.
func (s *Store) SubmitCoolApp(ctx context.Context, appID, byUserID string, m shelf.CoolMaterials) (*shelf.CoolAppApplication, error) {
	if err := m.Check(); err != nil {
		return nil, err
	}
	var out *shelf.CoolAppApplication
	err := s.Update(ctx, func(tx *Tx) error {
		app, err := appTx(ctx, tx, tx.Now(), `a.id = $2`, appID)
		if err != nil {
			return err
		}
		if app.Kind != shelf.AppCool {
			return shelf.FieldError("app_id", "not_a_cool_app", "only a cool app (kind cool) is filed as a cool-app application")
		}
		if st, err := partnerStatusTx(ctx, tx, app.OrgID); err != nil {
			return err
		} else if !st.ActiveMember() {
			return shelf.ErrPartnerProgramRequired()
		}
		if err := resolveRevision(ctx, tx, app.OrgID, &m.Revision); err != nil {
			return err
		}
		if err := shelf.FirstBlocking(shelf.Precheck(&m.Revision)); err != nil {
			return err
		}
		st, err := coolSelfTest(ctx, tx, s, app.ID)
		if err != nil {
			return err
		}
		if err := noRevisionInProgress(ctx, tx, app); err != nil {
			return err
		}
		id := shelf.NewID("cap")
		var number int
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(number), 0) + 1 FROM coolapp_applications WHERE app_id = $1`, app.ID).Scan(&number); err != nil {
			return err
		}
		doc, err := json.Marshal(m)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO coolapp_applications (id, app_id, org_id, number, state, materials, self_test_id, submitted_by, created_at)
			VALUES ($1, $2, $3, $4, 'submitted', $5, $6, $7, $8)`, id, app.ID, app.OrgID, number, string(doc), st.ID, byUserID, micros(tx.Now()))
		if isUniqueViolation(err) {
			return shelf.Errorf(shelf.KindConflict, "application_pending", "the app's cool-app application is waiting for review")
		}
		if err != nil {
			return err
		}
		if err := audit(ctx, tx, byUserID, "coolapp.submit", "coolapp_application", id, nil, map[string]any{"app_id": app.ID, "self_test_id": st.ID}, ""); err != nil {
			return err
		}
		out, err = coolAppTx(ctx, tx, id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("submit cool-app application of %s: %w", appID, err)
	}
	return out, nil
}

// coolSelfTest returns the app's latest self-test if it vouches for the
// app now: passed, current, and with the group install done.
func coolSelfTest(ctx context.Context, tx *Tx, s *Store, appID string) (*shelf.SelfTest, error) {
	st, err := latestSelfTest(ctx, tx, s, appID)
	switch {
	case shelf.ErrorKind(err) == shelf.KindNotFound:
		return nil, selfTestRequired("the app has no self-test yet")
	case err != nil:
		return nil, err
	case !st.Current:
		return nil, &shelf.Error{Kind: shelf.KindInvalid, Code: "self_test_stale", Field: "self_test",
			Message: "the app's configuration (webhook, launch or homepage URL) changed since its last self-test: run it again (POST /api/v1/apps/{app}/self-tests)"}
	case !st.Passed:
		return nil, selfTestRequired("the app's last self-test failed")
	}
	if !slices.ContainsFunc(st.Checks, func(c shelf.SelfTestCheck) bool { return c.Name == shelf.SelfTestGroupInstall && c.Passed }) {
		return nil, selfTestRequired("the last self-test did not install the app into a group of a test org")
	}
	return st, nil
}

// noRevisionInProgress refuses an application while the app's listing
// has a revision in the category operators' workflow: the approval would
// have two sources for the live revision.
func noRevisionInProgress(ctx context.Context, tx *Tx, app *shelf.App) error {
	var open string
	err := tx.QueryRowContext(ctx, `SELECT r.id FROM revisions r JOIN listings l ON l.id = r.listing_id
		WHERE l.app_id = $1 AND r.state IN ('draft', 'submitted', 'rejected')`, app.ID).Scan(&open)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	return shelf.Errorf(shelf.KindConflict, "draft_exists", "the listing has revision %s in progress: withdraw or delete it first", open)
}

func coolAppTx(ctx context.Context, q queryer, id string) (*shelf.CoolAppApplication, error) {
	a, err := scanCoolApp(q.QueryRowContext(ctx, `SELECT `+coolAppColumns+`WHERE c.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, shelf.NotFound("cool-app application")
	}
	if err != nil {
		return nil, fmt.Errorf("cool-app application: %w", err)
	}
	return a, nil
}

// CoolAppApplication returns an application by id.
func (s *Store) CoolAppApplication(ctx context.Context, id string) (*shelf.CoolAppApplication, error) {
	return coolAppTx(ctx, s.read, id)
}

// CoolAppQueue lists applications in one state ("" for all), oldest first,
// after the time key after, at most limit: the platform operators' queue.
func (s *Store) CoolAppQueue(ctx context.Context, state shelf.CoolAppState, after string, limit int) ([]shelf.CoolAppApplication, error) {
	// Two texts, so each filter has its index (a state's, or the time's).
	where, args := `WHERE true`, []any{}
	if state != "" {
		where, args = `WHERE c.state = $1`, []any{string(state)}
	}
	tail, args, err := coolAppsOrder.pageAfter(after, limit, shelf.ParseTimeKey, args)
	if err != nil {
		return nil, err
	}
	return s.coolApps(ctx, where+tail, args...)
}

// coolAppsOrder pages cool-app applications oldest first (indexes
// coolapp_applications_state, _created and _app).
var coolAppsOrder = keyset{cols: []string{"c.created_at", "c.id"}}

// AppCoolApplications is an app's application history, oldest first,
// after the time key after, at most limit.
func (s *Store) AppCoolApplications(ctx context.Context, appID, after string, limit int) ([]shelf.CoolAppApplication, error) {
	tail, args, err := coolAppsOrder.pageAfter(after, limit, shelf.ParseTimeKey, []any{appID})
	if err != nil {
		return nil, err
	}
	return s.coolApps(ctx, `WHERE c.app_id = $1`+tail, args...)
}

func (s *Store) coolApps(ctx context.Context, where string, args ...any) ([]shelf.CoolAppApplication, error) {
	rows, err := s.queryPage(ctx, `SELECT `+coolAppColumns+where, args...)
	if err != nil {
		return nil, fmt.Errorf("cool-app applications: %w", err)
	}
	defer rows.Close()
	out := []shelf.CoolAppApplication{}
	for rows.Next() {
		a, err := scanCoolApp(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *a)
	}
	return out, rows.Err()
}
