package store

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/shelfhq/shelf/internal/shelf"
)

// RecordDeliveries logs attempts and moves their deliveries on, in one
// transaction (group commit: one fsync for a whole round). A delivery whose
// lease was lost to another claim (another node's, or this node's own after
// its lease ran out) keeps that claim's state; the attempt is still logged,
// since it happened.
func (s *Store) RecordDeliveries(ctx context.Context, outs []shelf.DeliveryOutcome) error {
	if len(outs) == 0 {
		return nil
	}
	if err := s.Update(ctx, func(tx *Tx) error { return s.record(ctx, tx, outs) }); err != nil {
		return fmt.Errorf("record deliveries: %w", err)
	}
	return nil
}

// record is RecordDeliveries in tx. Its statements do not grow with the
// batch: the outcomes travel as one JSON parameter, unpacked by the
// database (dialect.jsonRows), so the SQL text is fixed. Per-event
// statements made recording the bottleneck: a round trip each on
// PostgreSQL; and on SQLite long VALUES lists cost more to parse and bind
// (quadratic in the parameters) than to run.
func (s *Store) record(ctx context.Context, tx *Tx, outs []shelf.DeliveryOutcome) error {
	if len(outs) == 0 {
		return nil
	}
	outs = slices.Clone(outs)
	slices.SortStableFunc(outs, func(a, b shelf.DeliveryOutcome) int {
		return cmp.Or(cmp.Compare(a.AppID, b.AppID), cmp.Compare(a.Attempt.EventID, b.Attempt.EventID))
	})
	if err := s.lockStreams(ctx, tx, outs); err != nil {
		return err
	}
	sent, unsent := splitUnsent(outs)
	if len(unsent) > 0 {
		if err := s.returnLeases(ctx, tx, unsent); err != nil {
			return err
		}
	}
	if len(sent) == 0 {
		return nil
	}
	if err := s.logAttempts(ctx, tx, sent); err != nil {
		return err
	}
	for _, part := range distinctRuns(sent) {
		if err := s.updateDeliveries(ctx, tx, part); err != nil {
			return err
		}
	}
	var moved []string // deliveries whose stream moves on
	for _, o := range sent {
		if o.State != shelf.DeliveryPending {
			moved = append(moved, o.Attempt.EventID)
		}
	}
	if len(moved) > 0 {
		if err := s.promoteHeads(ctx, tx, moved); err != nil {
			return err
		}
	}
	return nil
}

// splitUnsent separates the attempts from the leases handed back unused.
func splitUnsent(outs []shelf.DeliveryOutcome) (sent, unsent []shelf.DeliveryOutcome) {
	for _, o := range outs {
		if o.Unsent {
			unsent = append(unsent, o)
		} else {
			sent = append(sent, o)
		}
	}
	return sent, unsent
}

// returnLeases ends the leases of events a batch did not reach, where the
// batch's claim still holds them: they are not queued (their stream's head is ahead
// of them), and once one becomes the head it is ready at once instead of
// when the lease would have run out.
func (s *Store) returnLeases(ctx context.Context, tx *Tx, unsent []shelf.DeliveryOutcome) error {
	type leaseRow struct {
		EventID string `json:"event_id"`
		LeaseID string `json:"lease_id"`
	}
	rows := make([]leaseRow, len(unsent))
	for i, o := range unsent {
		rows[i] = leaseRow{o.Attempt.EventID, o.LeaseID}
	}
	arg, err := jsonArg(rows)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `WITH j AS MATERIALIZED (SELECT r.value FROM `+s.dialect.jsonRows("$1")+` AS r)
		UPDATE deliveries SET lease_owner = '', lease_id = '', lease_until = 0 FROM j
		WHERE deliveries.event_id = j.value ->> 'event_id' AND deliveries.lease_id = j.value ->> 'lease_id'`, arg); err != nil {
		return fmt.Errorf("return leases: %w", err)
	}
	return nil
}

// distinctRuns cuts outs into runs with no event twice in a run: one
// UPDATE … FROM joins each row once, so a second outcome for an event
// (never sent by the dispatcher, but allowed) goes in a later statement, as
// if they had run one after the other.
func distinctRuns(outs []shelf.DeliveryOutcome) [][]shelf.DeliveryOutcome {
	var parts [][]shelf.DeliveryOutcome
	start, seen := 0, map[string]bool{}
	for i, o := range outs {
		if seen[o.Attempt.EventID] {
			parts, start, seen = append(parts, outs[start:i]), i, map[string]bool{}
		}
		seen[o.Attempt.EventID] = true
	}
	return append(parts, outs[start:])
}

// jsonArg encodes rows for a dialect.jsonRows parameter.
func jsonArg(rows any) (string, error) {
	b, err := json.Marshal(rows)
	if err != nil {
		return "", fmt.Errorf("encode rows: %w", err)
	}
	return string(b), nil
}

// lockStreams locks the (app, org) streams of the outcomes' events, in
// (app, org) order so two nodes recording at once cannot deadlock, so that
// promoting a stream's next head cannot interleave with an emit deciding
// whether its event is the head. On SQLite the write transaction already
// excludes every other writer, and nothing runs.
func (s *Store) lockStreams(ctx context.Context, tx *Tx, outs []shelf.DeliveryOutcome) error {
	lock := s.dialect.forUpdate()
	if lock == "" {
		return nil
	}
	ids := make([]string, len(outs))
	for i, o := range outs {
		ids[i] = o.Attempt.EventID
	}
	arg, err := jsonArg(ids)
	if err != nil {
		return err
	}
	// One statement: the rows are locked in the order the sort returns them.
	rows, err := tx.QueryContext(ctx, `SELECT s.last_seq FROM event_streams s WHERE EXISTS (
		SELECT 1 FROM deliveries d WHERE d.app_id = s.app_id AND d.org_id = s.org_id
		AND d.event_id IN (SELECT j.value FROM `+s.dialect.jsonTexts("$1")+` AS j))
		ORDER BY s.app_id, s.org_id`+lock, arg)
	if err != nil {
		return fmt.Errorf("lock streams: %w", err)
	}
	if err := rows.Close(); err != nil {
		return fmt.Errorf("lock streams: %w", err)
	}
	return nil
}

// attemptRow is an attempt in a JSON parameter.
type attemptRow struct {
	ID          string `json:"id"`
	EventID     string `json:"event_id"`
	AppID       string `json:"app_id"`
	EventType   string `json:"event_type"`
	AttemptedAt int64  `json:"attempted_at"`
	OK          bool   `json:"ok"`
	StatusCode  int    `json:"status_code"`
	LatencyUS   int64  `json:"latency_us"`
	Error       string `json:"error"`
	Response    string `json:"response"`
}

// logAttempts inserts the attempts.
func (s *Store) logAttempts(ctx context.Context, tx *Tx, outs []shelf.DeliveryOutcome) error {
	rows := make([]attemptRow, len(outs))
	for i, o := range outs {
		a := o.Attempt
		rows[i] = attemptRow{shelf.NewID("att"), a.EventID, o.AppID, a.EventType, micros(a.AttemptedAt), a.OK, a.StatusCode,
			a.Latency.Microseconds(), a.Error, a.Response}
	}
	arg, err := jsonArg(rows)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `WITH j AS MATERIALIZED (SELECT r.value FROM `+s.dialect.jsonRows("$1")+` AS r)
		INSERT INTO delivery_attempts (id, event_id, app_id, event_type, attempted_at, ok, status_code, latency_us, error, response)
		SELECT j.value ->> 'id', j.value ->> 'event_id', j.value ->> 'app_id', j.value ->> 'event_type',
			CAST(j.value ->> 'attempted_at' AS BIGINT), CAST(j.value ->> 'ok' AS BOOLEAN), CAST(j.value ->> 'status_code' AS INTEGER),
			CAST(j.value ->> 'latency_us' AS BIGINT), j.value ->> 'error', j.value ->> 'response'
		FROM j`, arg); err != nil {
		return fmt.Errorf("log attempts: %w", err)
	}
	return nil
}

// outcomeRow is a delivery's next state in a JSON parameter.
type outcomeRow struct {
	EventID     string `json:"event_id"`
	LeaseID     string `json:"lease_id"`
	State       string `json:"state"`
	Queued      bool   `json:"queued"`
	NextAt      int64  `json:"next_at"`
	AttemptedAt int64  `json:"attempted_at"`
	Status      int    `json:"status"`
	Error       string `json:"error"`
	DeliveredAt *int64 `json:"delivered_at"`
}

// updateDeliveries moves each delivery on to its outcome, where the
// attempt's claim still holds the lease.
func (s *Store) updateDeliveries(ctx context.Context, tx *Tx, outs []shelf.DeliveryOutcome) error {
	rows := make([]outcomeRow, len(outs))
	for i, o := range outs {
		a := o.Attempt
		var delivered *int64
		if o.State == shelf.DeliveryDelivered {
			at := micros(a.AttemptedAt)
			delivered = &at
		}
		queued := o.State == shelf.DeliveryPending || o.State == shelf.DeliveryParked
		rows[i] = outcomeRow{a.EventID, o.LeaseID, string(o.State), queued, micros(o.NextAttemptAt), micros(a.AttemptedAt), a.StatusCode,
			a.Error, delivered}
	}
	arg, err := jsonArg(rows)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `WITH j AS MATERIALIZED (SELECT r.value FROM `+s.dialect.jsonRows("$2")+` AS r),
		v AS (SELECT j.value ->> 'event_id' AS event_id, j.value ->> 'lease_id' AS lease_id,
			j.value ->> 'state' AS state, CAST(j.value ->> 'queued' AS BOOLEAN) AS queued, CAST(j.value ->> 'next_at' AS BIGINT) AS next_at,
			CAST(j.value ->> 'attempted_at' AS BIGINT) AS attempted_at, CAST(j.value ->> 'status' AS INTEGER) AS status,
			j.value ->> 'error' AS error, CAST(j.value ->> 'delivered_at' AS BIGINT) AS delivered_at
		FROM j)
		UPDATE deliveries SET state = v.state, queued = v.queued, attempts = deliveries.attempts + 1, next_attempt_at = v.next_at,
			first_attempt_at = COALESCE(deliveries.first_attempt_at, v.attempted_at), lease_owner = '', lease_id = '', lease_until = 0,
			last_status = v.status, last_error = v.error, delivered_at = COALESCE(v.delivered_at, deliveries.delivered_at), updated_at = $1
		FROM v WHERE deliveries.event_id = v.event_id AND deliveries.lease_id = v.lease_id`, micros(tx.Now()), arg); err != nil {
		return fmt.Errorf("update deliveries: %w", err)
	}
	return nil
}

// promoteHeads queues the lowest pending event of each of the events'
// streams: a stream moves on once its head is delivered, parked or failed.
// Each stream is looked at once, however many of its events moved (a batch
// moves its stream many times in one round).
func (s *Store) promoteHeads(ctx context.Context, tx *Tx, ids []string) error {
	arg, err := jsonArg(ids)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE deliveries SET queued = TRUE WHERE NOT queued AND event_id IN (
		SELECT (SELECT h.event_id FROM deliveries h WHERE h.app_id = e.app_id AND h.org_id = e.org_id AND h.state = 'pending'
			ORDER BY h.seq LIMIT 1)
		FROM (SELECT DISTINCT m.app_id, m.org_id FROM deliveries m WHERE m.event_id IN (SELECT j.value FROM `+s.dialect.jsonTexts("$1")+` AS j)) e)`, arg); err != nil {
		return fmt.Errorf("next heads: %w", err)
	}
	return nil
}
