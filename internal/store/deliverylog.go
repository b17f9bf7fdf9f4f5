package store

import (
	"cmp"
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

// The delivery log pages newest first by (created_at, event id) over its
// two sources, each through its (app, created_at, id) index, merged: a page
// is the newest limit of both after the key.
var (
	streamDeliveriesOrder    = keyset{cols: []string{"e.created_at", "e.id"}, desc: true}
	exceptionDeliveriesOrder = keyset{cols: []string{"created_at", "event_id"}, desc: true}
	attemptsOrder            = keyset{cols: []string{"attempted_at", "id"}, desc: true}
)

// Deliveries lists an app's event deliveries, newest first. The state is
// read from the streams (delivered up to the cursor, pending after it) and
// the exceptions (parked, failed); a delivered event's attempts, status and
// time come from its last counted attempt. Each source is read newest
// first up to the limit, through its (app, created) index, and merged.
func (s *Store) Deliveries(ctx context.Context, appID string, f DeliveryFilter) ([]shelf.Delivery, error) {
	out := []shelf.Delivery{}
	if f.State == "" || f.State == shelf.DeliveryPending || f.State == shelf.DeliveryDelivered {
		tail, args, err := streamDeliveriesOrder.page(f.PageReq, []any{appID, f.Type, string(f.State)})
		if err != nil {
			return nil, err
		}
		rows, err := s.queryPage(ctx, `SELECT e.id, e.type, e.app_id, e.org_id, e.seq,
			CASE WHEN e.seq <= s.delivered_seq THEN 'delivered' ELSE 'pending' END,
			CASE WHEN e.seq = s.delivered_seq + 1 THEN s.attempts ELSE 0 END,
			CASE WHEN e.seq = s.delivered_seq + 1 THEN s.next_attempt_at ELSE e.created_at END,
			CASE WHEN e.seq = s.delivered_seq + 1 THEN s.last_status ELSE 0 END,
			CASE WHEN e.seq = s.delivered_seq + 1 THEN s.last_error ELSE '' END, e.created_at
			FROM events e JOIN event_streams s ON s.app_id = e.app_id AND s.org_id = e.org_id
			WHERE e.app_id = $1 AND e.seq > s.pruned_seq AND ($2 = '' OR e.type = $2)
			AND ($3 = '' OR ($3 = 'delivered' AND e.seq <= s.delivered_seq) OR ($3 = 'pending' AND e.seq > s.delivered_seq))
			AND NOT EXISTS (SELECT 1 FROM delivery_exceptions x WHERE x.event_id = e.id)`+tail, args...)
		if err != nil {
			return nil, fmt.Errorf("deliveries: %w", err)
		}
		if out, err = scanDeliveries(rows, out); err != nil {
			return nil, fmt.Errorf("deliveries: %w", err)
		}
	}
	if f.State == "" || f.State == shelf.DeliveryParked || f.State == shelf.DeliveryFailed {
		tail, args, err := exceptionDeliveriesOrder.page(f.PageReq, []any{appID, f.Type, string(f.State)})
		if err != nil {
			return nil, err
		}
		rows, err := s.queryPage(ctx, `SELECT event_id, event_type, app_id, org_id, seq, state, attempts, next_attempt_at, last_status,
			last_error, created_at FROM delivery_exceptions WHERE app_id = $1 AND ($2 = '' OR event_type = $2) AND ($3 = '' OR state = $3)`+tail, args...)
		if err != nil {
			return nil, fmt.Errorf("deliveries: %w", err)
		}
		if out, err = scanDeliveries(rows, out); err != nil {
			return nil, fmt.Errorf("deliveries: %w", err)
		}
	}
	slices.SortFunc(out, func(a, b shelf.Delivery) int {
		c := cmp.Or(b.CreatedAt.Compare(a.CreatedAt), cmp.Compare(b.EventID, a.EventID))
		if f.Back {
			return -c
		}
		return c
	})
	out = out[:min(len(out), pageLimit(f.PageReq))]
	return out, s.fillDelivered(ctx, appID, out)
}

// scanDeliveries appends the rows (event_id, event_type, app_id, org_id,
// seq, state, attempts, next_attempt_at, last_status, last_error,
// created_at) to out and closes them.
func scanDeliveries(rows *sql.Rows, out []shelf.Delivery) ([]shelf.Delivery, error) {
	defer rows.Close()
	for rows.Next() {
		var d shelf.Delivery
		var next, created int64
		if err := rows.Scan(&d.EventID, &d.EventType, &d.AppID, &d.OrgID, &d.Seq, &d.State, &d.Attempts, &next, &d.LastStatus, &d.LastError,
			&created); err != nil {
			return nil, err
		}
		d.NextAttemptAt, d.CreatedAt = fromMicros(next), fromMicros(created)
		out = append(out, d)
	}
	return out, rows.Err()
}

// fillDelivered completes the delivered ones of ds from the attempt that
// delivered them (the latest counted successful one), in one query through
// the attempts' event index.
func (s *Store) fillDelivered(ctx context.Context, appID string, ds []shelf.Delivery) error {
	var ids []string
	for _, d := range ds {
		if d.State == shelf.DeliveryDelivered {
			ids = append(ids, d.EventID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	arg, err := jsonArg(ids)
	if err != nil {
		return err
	}
	rows, err := s.read.QueryContext(ctx, `SELECT event_id, attempt_no, attempted_at, status_code, error FROM (
		SELECT a.event_id, a.attempt_no, a.attempted_at, a.status_code, a.error,
			ROW_NUMBER() OVER (PARTITION BY a.event_id ORDER BY a.attempted_at DESC, a.id) AS n
		FROM `+s.dialect.jsonTexts("$2")+` AS j CROSS JOIN delivery_attempts a WHERE a.event_id = j.value AND a.app_id = $1 AND a.ok AND a.attempt_no > 0) r
		WHERE r.n = 1`, appID, arg)
	if err != nil {
		return fmt.Errorf("delivered: %w", err)
	}
	defer rows.Close()
	type settled struct {
		n, status int
		at        int64
		err       string
	}
	got := map[string]settled{}
	for rows.Next() {
		var id string
		var v settled
		if err := rows.Scan(&id, &v.n, &v.at, &v.status, &v.err); err != nil {
			return fmt.Errorf("delivered: %w", err)
		}
		got[id] = v
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("delivered: %w", err)
	}
	for i := range ds {
		if v, ok := got[ds[i].EventID]; ok && ds[i].State == shelf.DeliveryDelivered {
			at := fromMicros(v.at)
			ds[i].Attempts, ds[i].LastStatus, ds[i].LastError, ds[i].NextAttemptAt, ds[i].DeliveredAt = v.n, v.status, v.err, at, &at
		}
	}
	return nil
}

// AttemptFilter narrows the attempt log; an alias of the domain type.
type AttemptFilter = shelf.AttemptFilter

// DeliveryAttempts lists an app's delivery attempts, newest first.
func (s *Store) DeliveryAttempts(ctx context.Context, appID string, f AttemptFilter) ([]shelf.DeliveryAttempt, error) {
	okFilter := ""
	if f.OK != nil {
		okFilter = "ok"
		if !*f.OK {
			okFilter = "failed"
		}
	}
	tail, args, err := attemptsOrder.page(f.PageReq, []any{appID, f.Type, f.EventID, okFilter})
	if err != nil {
		return nil, err
	}
	rows, err := s.queryPage(ctx, `SELECT id, event_id, event_type, attempted_at, ok, status_code, latency_us, error, response
		FROM delivery_attempts WHERE app_id = $1 AND ($2 = '' OR event_type = $2) AND ($3 = '' OR event_id = $3)
		AND ($4 = '' OR ok = ($4 = 'ok'))`+tail, args...)
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
// the vendor de-duplicates by id) with a fresh retry window; a parked one
// or its stream's head is simply due now, with a fresh window; a later
// pending event goes out in its turn.
func (s *Store) ResendEvent(ctx context.Context, appID, eventID string) error {
	err := s.Update(ctx, func(tx *Tx) error {
		var orgID, typ string
		var seq, created, delivered int64
		err := tx.QueryRowContext(ctx, `SELECT e.org_id, e.seq, e.type, e.created_at, s.delivered_seq FROM events e
			JOIN event_streams s ON s.app_id = e.app_id AND s.org_id = e.org_id WHERE e.id = $1 AND e.app_id = $2`+s.dialect.forUpdateOf("s"),
			eventID, appID).Scan(&orgID, &seq, &typ, &created, &delivered)
		if errors.Is(err, sql.ErrNoRows) {
			return shelf.NotFound("event")
		}
		if err != nil {
			return err
		}
		now := tx.Now()
		fresh := []any{micros(now), micros(now.Add(shelf.DeliveryWindow))}
		switch {
		case seq == delivered+1:
			_, err = tx.ExecContext(ctx, `UPDATE event_streams SET attempts = 0, first_attempt_at = NULL, next_attempt_at = $1, give_up_at = $2
				WHERE app_id = $3 AND org_id = $4`, append(fresh, appID, orgID)...)
		case seq > delivered:
		default:
			_, err = tx.ExecContext(ctx, `INSERT INTO delivery_exceptions (event_id, app_id, org_id, seq, event_type, state, next_attempt_at, give_up_at,
				created_at, updated_at) VALUES ($3, $4, $5, $6, $7, 'parked', $1, $2, $8, $1)
				ON CONFLICT (event_id) DO UPDATE SET state = 'parked', attempts = 0, first_attempt_at = NULL, next_attempt_at = $1, give_up_at = $2,
				updated_at = $1`, append(fresh, eventID, appID, orgID, seq, typ, created)...)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("resend event %s: %w", eventID, err)
	}
	return nil
}

// ResendFailed resends every failed event of an app created in [from, to):
// they are parked, due now, with a fresh retry window. A lease in force is
// kept: the node holding it records its attempt, and the resend follows.
func (s *Store) ResendFailed(ctx context.Context, appID string, from, to time.Time) (int, error) {
	n, err := s.parkCounted(ctx, func(tx *Tx, due, giveUp int64) (sql.Result, error) {
		return tx.ExecContext(ctx, `UPDATE delivery_exceptions SET state = 'parked', attempts = 0, first_attempt_at = NULL,
			next_attempt_at = $1, give_up_at = $2, updated_at = $1
			WHERE app_id = $3 AND state = 'failed' AND created_at >= $4 AND created_at < $5`,
			due, giveUp, appID, micros(from), micros(to))
	})
	if err != nil {
		return 0, fmt.Errorf("resend failed events: %w", err)
	}
	return n, nil
}

// parkCounted runs park in a write transaction with now (due) and the end
// of a fresh retry window, and returns how many rows it parked.
func (s *Store) parkCounted(ctx context.Context, park func(tx *Tx, due, giveUp int64) (sql.Result, error)) (int, error) {
	var n int
	err := s.Update(ctx, func(tx *Tx) error {
		res, err := park(tx, micros(tx.Now()), micros(tx.Now().Add(shelf.DeliveryWindow)))
		if err != nil {
			return err
		}
		k, _ := res.RowsAffected()
		n = int(k)
		return nil
	})
	return n, err
}

// ReplayEvents delivers again every settled event of an app created in
// [from, to): delivered, failed and parked alike (a vendor rebuilding its
// state after a bug of its own). Each is parked, due now, with a fresh
// retry window: sent on its own, outside its stream's order, with its
// original id, so receivers that de-duplicate by id see a redelivery.
// Events still pending go out in their turn and are not counted; events
// whose delivery log was pruned stay in the pull API only. A lease in force
// is kept. A range of more than max events is a 422 (replay_too_large) and
// changes nothing, so one call cannot park millions of events at once.
func (s *Store) ReplayEvents(ctx context.Context, appID string, from, to time.Time, max int) (int, error) {
	const settled = ` FROM events e JOIN event_streams s ON s.app_id = e.app_id AND s.org_id = e.org_id
		WHERE e.app_id = $1 AND e.created_at >= $2 AND e.created_at < $3 AND e.seq <= s.delivered_seq AND e.seq > s.pruned_seq`
	n, err := s.parkCounted(ctx, func(tx *Tx, due, giveUp int64) (sql.Result, error) {
		var count int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*)`+settled, appID, micros(from), micros(to)).Scan(&count); err != nil {
			return nil, err
		}
		if count > max {
			return nil, shelf.FieldError("from", "replay_too_large", "the range holds %d events; replay at most %d at once: narrow from and to", count, max)
		}
		return tx.ExecContext(ctx, `INSERT INTO delivery_exceptions (event_id, app_id, org_id, seq, event_type, state, next_attempt_at, give_up_at,
			created_at, updated_at) SELECT e.id, e.app_id, e.org_id, e.seq, e.type, 'parked', $4, $5, e.created_at, $4`+settled+`
			ON CONFLICT (event_id) DO UPDATE SET state = 'parked', attempts = 0, first_attempt_at = NULL, next_attempt_at = $4, give_up_at = $5,
			updated_at = $4`, appID, micros(from), micros(to), due, giveUp)
	})
	if err != nil {
		return 0, fmt.Errorf("replay events: %w", err)
	}
	return n, nil
}

// DeliveryCounts counts an app's deliveries by state (states with none are
// left out): pending and delivered from its streams' cursors, parked and
// failed from its exceptions. Events whose log was pruned are not counted.
func (s *Store) DeliveryCounts(ctx context.Context, appID string) (map[shelf.DeliveryState]int, error) {
	var pending, delivered int64
	if err := s.read.QueryRowContext(ctx, `SELECT COALESCE(SUM(last_seq - delivered_seq), 0), COALESCE(SUM(delivered_seq - pruned_seq), 0)
		FROM event_streams WHERE app_id = $1`, appID).Scan(&pending, &delivered); err != nil {
		return nil, fmt.Errorf("delivery counts: %w", err)
	}
	rows, err := s.read.QueryContext(ctx, `SELECT x.state, COUNT(*), COALESCE(SUM(CASE WHEN x.seq > s.pruned_seq THEN 1 ELSE 0 END), 0)
		FROM delivery_exceptions x JOIN event_streams s ON s.app_id = x.app_id AND s.org_id = x.org_id WHERE x.app_id = $1 GROUP BY x.state`, appID)
	if err != nil {
		return nil, fmt.Errorf("delivery counts: %w", err)
	}
	defer rows.Close()
	out := map[shelf.DeliveryState]int{}
	for rows.Next() {
		var st shelf.DeliveryState
		var n, unpruned int64
		if err := rows.Scan(&st, &n, &unpruned); err != nil {
			return nil, err
		}
		out[st] = int(n)
		delivered -= unpruned // behind the cursor, but not delivered
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if pending > 0 {
		out[shelf.DeliveryPending] = int(pending)
	}
	if delivered > 0 {
		out[shelf.DeliveryDelivered] = int(delivered)
	}
	return out, nil
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
