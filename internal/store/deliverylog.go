package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
)

// DeliveryFilter narrows the delivery log; an alias of the domain type.
type DeliveryFilter = shelf.DeliveryFilter

// Deliveries lists an app's event deliveries, newest first.
func (s *Store) Deliveries(ctx context.Context, appID string, f DeliveryFilter) ([]shelf.Delivery, error) {
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 200
	}
	rows, err := s.read.QueryContext(ctx, `SELECT event_id, event_type, app_id, org_id, seq, state, attempts, next_attempt_at, last_status, last_error,
		delivered_at, created_at FROM deliveries WHERE app_id = $1 AND ($2 = '' OR event_type = $2) AND ($3 = '' OR state = $3)
		ORDER BY created_at DESC, seq DESC LIMIT $4`, appID, f.Type, string(f.State), f.Limit)
	if err != nil {
		return nil, fmt.Errorf("deliveries: %w", err)
	}
	defer rows.Close()
	out := []shelf.Delivery{}
	for rows.Next() {
		var d shelf.Delivery
		var next, created int64
		var delivered sql.NullInt64
		if err := rows.Scan(&d.EventID, &d.EventType, &d.AppID, &d.OrgID, &d.Seq, &d.State, &d.Attempts, &next, &d.LastStatus, &d.LastError,
			&delivered, &created); err != nil {
			return nil, err
		}
		d.NextAttemptAt, d.DeliveredAt, d.CreatedAt = fromMicros(next), nullMicros(delivered), fromMicros(created)
		out = append(out, d)
	}
	return out, rows.Err()
}

// AttemptFilter narrows the attempt log; an alias of the domain type.
type AttemptFilter = shelf.AttemptFilter

// DeliveryAttempts lists an app's delivery attempts, newest first.
func (s *Store) DeliveryAttempts(ctx context.Context, appID string, f AttemptFilter) ([]shelf.DeliveryAttempt, error) {
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 200
	}
	okFilter := ""
	if f.OK != nil {
		okFilter = "ok"
		if !*f.OK {
			okFilter = "failed"
		}
	}
	rows, err := s.read.QueryContext(ctx, `SELECT id, event_id, event_type, attempted_at, ok, status_code, latency_us, error, response
		FROM delivery_attempts WHERE app_id = $1 AND ($2 = '' OR event_type = $2) AND ($3 = '' OR event_id = $3)
		AND ($4 = '' OR ok = ($4 = 'ok')) ORDER BY attempted_at DESC, id LIMIT $5`, appID, f.Type, f.EventID, okFilter, f.Limit)
	if err != nil {
		return nil, fmt.Errorf("delivery attempts: %w", err)
	}
	defer rows.Close()
	out := []shelf.DeliveryAttempt{}
	for rows.Next() {
		a, err := scanAttempt(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// LatestAttempts returns the last perEvent attempts at each of the app's
// events named, newest first, by event id: the delivery log shows them
// beside its deliveries, whatever else the app was attempting meanwhile.
// The list drives the join (CROSS JOIN keeps SQLite from reordering it), so
// the cost follows the events named, through the attempts' event index, not
// the app's whole log.
func (s *Store) LatestAttempts(ctx context.Context, appID string, eventIDs []string, perEvent int) (map[string][]shelf.DeliveryAttempt, error) {
	out := map[string][]shelf.DeliveryAttempt{}
	if len(eventIDs) == 0 {
		return out, nil
	}
	arg, err := jsonArg(eventIDs)
	if err != nil {
		return nil, err
	}
	rows, err := s.read.QueryContext(ctx, `SELECT id, event_id, event_type, attempted_at, ok, status_code, latency_us, error, response FROM (
		SELECT a.*, ROW_NUMBER() OVER (PARTITION BY a.event_id ORDER BY a.attempted_at DESC, a.id) AS n
		FROM `+s.dialect.jsonTexts("$2")+` AS j CROSS JOIN delivery_attempts a WHERE a.event_id = j.value AND a.app_id = $1) r
		WHERE r.n <= $3 ORDER BY r.event_id, r.n`, appID, arg, perEvent)
	if err != nil {
		return nil, fmt.Errorf("latest attempts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		a, err := scanAttempt(rows)
		if err != nil {
			return nil, fmt.Errorf("latest attempts: %w", err)
		}
		out[a.EventID] = append(out[a.EventID], a)
	}
	return out, rows.Err()
}

// scanAttempt reads the columns id, event_id, event_type, attempted_at, ok,
// status_code, latency_us, error, response.
func scanAttempt(row interface{ Scan(...any) error }) (shelf.DeliveryAttempt, error) {
	var a shelf.DeliveryAttempt
	var at, latency int64
	if err := row.Scan(&a.ID, &a.EventID, &a.EventType, &at, &a.OK, &a.StatusCode, &latency, &a.Error, &a.Response); err != nil {
		return a, err
	}
	a.AttemptedAt, a.Latency = fromMicros(at), time.Duration(latency)*time.Microsecond
	return a, nil
}

// ResendEvent sends one event again, now, whatever its state: a delivered
// or failed event is parked (sent on its own, outside the stream's order:
// the vendor de-duplicates by id) with a fresh retry window; a waiting one
// is simply due now.
func (s *Store) ResendEvent(ctx context.Context, appID, eventID string) error {
	err := s.Update(ctx, func(tx *Tx) error {
		var state shelf.DeliveryState
		err := tx.QueryRowContext(ctx, `SELECT state FROM deliveries WHERE event_id = $1 AND app_id = $2`, eventID, appID).Scan(&state)
		if errors.Is(err, sql.ErrNoRows) {
			return shelf.NotFound("event")
		}
		if err != nil {
			return err
		}
		_, err = s.resend(ctx, tx, `event_id = $4 AND app_id = $5`, eventID, appID)
		return err
	})
	if err != nil {
		return fmt.Errorf("resend event %s: %w", eventID, err)
	}
	return nil
}

// ResendFailed resends every failed event of an app created in [from, to).
func (s *Store) ResendFailed(ctx context.Context, appID string, from, to time.Time) (int, error) {
	var n int
	err := s.Update(ctx, func(tx *Tx) error {
		var err error
		n, err = s.resend(ctx, tx, `app_id = $4 AND state = 'failed' AND created_at >= $5 AND created_at < $6`, appID, micros(from), micros(to))
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("resend failed events: %w", err)
	}
	return n, nil
}

// resend makes the deliveries matching where ($4…) due now. A lease in
// force is kept: the node holding it records its attempt, and the resend
// follows.
func (s *Store) resend(ctx context.Context, tx *Tx, where string, args ...any) (int, error) {
	now := tx.Now()
	res, err := tx.ExecContext(ctx, `UPDATE deliveries SET
		queued = CASE WHEN state IN ('delivered', 'failed') THEN TRUE ELSE queued END,
		state = CASE WHEN state IN ('delivered', 'failed') THEN 'parked' ELSE state END,
		attempts = 0, first_attempt_at = NULL, next_attempt_at = $1, give_up_at = $2, updated_at = $3
		WHERE `+where, append([]any{micros(now), micros(now.Add(shelf.DeliveryWindow)), micros(now)}, args...)...)
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// DeliveryCounts counts an app's deliveries by state.
func (s *Store) DeliveryCounts(ctx context.Context, appID string) (map[shelf.DeliveryState]int, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT state, COUNT(*) FROM deliveries WHERE app_id = $1 GROUP BY state`, appID)
	if err != nil {
		return nil, fmt.Errorf("delivery counts: %w", err)
	}
	defer rows.Close()
	out := map[shelf.DeliveryState]int{}
	for rows.Next() {
		var st shelf.DeliveryState
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		out[st] = n
	}
	return out, rows.Err()
}

// DeliveryStats returns an app's delivery health per UTC day for the days
// since `since`, oldest first: attempts, successes and p95 latency.
func (s *Store) DeliveryStats(ctx context.Context, appID string, since time.Time) ([]shelf.DayStats, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT attempted_at, ok, latency_us FROM delivery_attempts
		WHERE app_id = $1 AND attempted_at >= $2 ORDER BY attempted_at`, appID, micros(since))
	if err != nil {
		return nil, fmt.Errorf("delivery stats: %w", err)
	}
	defer rows.Close()
	var out []shelf.DayStats
	var latencies []int64
	flush := func() {
		if len(out) > 0 {
			slices.Sort(latencies)
			out[len(out)-1].P95 = time.Duration(latencies[(len(latencies)*95-1)/100]) * time.Microsecond
		}
		latencies = latencies[:0]
	}
	for rows.Next() {
		var at, latency int64
		var ok bool
		if err := rows.Scan(&at, &ok, &latency); err != nil {
			return nil, err
		}
		day := fromMicros(at).Format(time.DateOnly)
		if len(out) == 0 || out[len(out)-1].Day != day {
			flush()
			out = append(out, shelf.DayStats{Day: day})
		}
		d := &out[len(out)-1]
		d.Attempts++
		if ok {
			d.Succeeded++
		}
		latencies = append(latencies, latency)
	}
	flush()
	return out, rows.Err()
}
