package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/shelfhq/shelf/internal/shelf"
)

// RecordSelfTest stores a finished self-test.
func (s *Store) RecordSelfTest(ctx context.Context, st *shelf.SelfTest) error {
	checks, err := json.Marshal(st.Checks)
	if err != nil {
		return fmt.Errorf("record self-test: %w", err)
	}
	if st.ID == "" {
		st.ID = shelf.NewID("stt")
	}
	return s.Update(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO self_tests (id, app_id, test_org_id, started_by, config_hash, passed, checks, started_at, finished_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, st.ID, st.AppID, st.TestOrgID, st.StartedBy, st.ConfigHash, st.Passed, string(checks),
			micros(st.StartedAt), micros(st.FinishedAt))
		if err != nil {
			return fmt.Errorf("record self-test: %w", err)
		}
		return audit(ctx, tx, st.StartedBy, "app.self_test", "app", st.AppID, nil, map[string]any{"self_test_id": st.ID, "passed": st.Passed}, "")
	})
}

const selfTestColumns = `id, app_id, test_org_id, started_by, config_hash, passed, checks, started_at, finished_at`

func scanSelfTest(row interface{ Scan(...any) error }) (*shelf.SelfTest, error) {
	var st shelf.SelfTest
	var checks string
	var started, finished int64
	if err := row.Scan(&st.ID, &st.AppID, &st.TestOrgID, &st.StartedBy, &st.ConfigHash, &st.Passed, &checks, &started, &finished); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(checks), &st.Checks); err != nil {
		return nil, fmt.Errorf("self-test %s checks: %w", st.ID, err)
	}
	st.StartedAt, st.FinishedAt = fromMicros(started), fromMicros(finished)
	return &st, nil
}

// LatestSelfTest returns an app's newest self-test, marked Current when it
// matches the app's configuration now.
func (s *Store) LatestSelfTest(ctx context.Context, appID string) (*shelf.SelfTest, error) {
	return latestSelfTest(ctx, s.read, s, appID)
}

func latestSelfTest(ctx context.Context, q queryer, s *Store, appID string) (*shelf.SelfTest, error) {
	st, err := scanSelfTest(q.QueryRowContext(ctx, `SELECT `+selfTestColumns+` FROM self_tests WHERE app_id = $1 ORDER BY started_at DESC, id DESC LIMIT 1`, appID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, shelf.NotFound("self-test")
	}
	if err != nil {
		return nil, fmt.Errorf("latest self-test: %w", err)
	}
	app, err := appTx(ctx, q, s.clock.Now(), `a.id = $2`, appID)
	if err != nil {
		return nil, err
	}
	st.Current = st.ConfigHash == app.ConfigHash()
	return st, nil
}

// selfTestsOrder pages an app's self-tests newest first (index self_tests_app_started_id).
var selfTestsOrder = keyset{cols: []string{"started_at", "id"}, desc: true}

// SelfTests lists one page of an app's self-tests, newest first.
func (s *Store) SelfTests(ctx context.Context, appID string, p shelf.PageReq) ([]shelf.SelfTest, error) {
	app, err := s.App(ctx, appID)
	if err != nil {
		return nil, err
	}
	tail, args, err := selfTestsOrder.page(p, []any{appID})
	if err != nil {
		return nil, err
	}
	rows, err := s.queryPage(ctx, `SELECT `+selfTestColumns+` FROM self_tests WHERE app_id = $1`+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("self-tests: %w", err)
	}
	defer rows.Close()
	out := []shelf.SelfTest{}
	for rows.Next() {
		st, err := scanSelfTest(rows)
		if err != nil {
			return nil, err
		}
		st.Current = st.ConfigHash == app.ConfigHash()
		out = append(out, *st)
	}
	return out, rows.Err()
}
