package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/shelfhq/shelf/internal/shelf"
)

// RecordDeliveries logs attempts and moves their streams (or parked
// events) on, in one transaction (group commit: one fsync for a whole
// round). An outcome whose lease was lost to another claim (another
// node's, or this node's own after its lease ran out) changes nothing but
// the log: the attempt is still logged, since it happened.
func (s *Store) RecordDeliveries(ctx context.Context, outs []shelf.DeliveryOutcome) error {
	if len(outs) == 0 {
		return nil
	}
	if err := s.Update(ctx, func(tx *Tx) error { return s.record(ctx, tx, outs) }); err != nil {
		return fmt.Errorf("record deliveries: %w", err)
	}
	return nil
}

// record is RecordDeliveries in tx. It reads (and on PostgreSQL locks) the
// streams of the outcomes' events, works out their next state in Go, and
// writes it back: one statement for every stream at once, one multi-row
// insert into the attempt log, and the exceptions that changed. A batch of
// a stream's events thus costs one row version, not a few per event. The
// statements do not grow with the batch: rows travel as one JSON
// parameter (dialect.jsonRows), so the SQL text is fixed.
func (s *Store) record(ctx context.Context, tx *Tx, outs []shelf.DeliveryOutcome) error {
	if len(outs) == 0 {
		return nil
	}
	r, err := s.loadRecording(ctx, tx, outs)
	if err != nil {
		return err
	}
	outs = slices.Clone(outs)
	slices.SortStableFunc(outs, func(a, b shelf.DeliveryOutcome) int {
		ea, eb := r.events[a.Attempt.EventID], r.events[b.Attempt.EventID]
		return cmp.Or(cmp.Compare(ea.appID, eb.appID), cmp.Compare(ea.orgID, eb.orgID), cmp.Compare(ea.seq, eb.seq))
	})
	for _, o := range outs {
		r.apply(o)
	}
	if err := s.logAttempts(ctx, tx, r.attempts); err != nil {
		return err
	}
	if err := s.writeStreams(ctx, tx, r); err != nil {
		return err
	}
	return s.writeExceptions(ctx, tx, r)
}

// recEvent is an outcome's event as recording sees it.
type recEvent struct {
	appID, orgID, typ string
	seq, created      int64
}

// recStream is a stream's delivery state while recording.
type recStream struct {
	delivered, last int64
	attempts        int
	first           sql.NullInt64
	nextAt, giveUp  int64
	status          int
	errText         string
	leaseOwner      string
	leaseID         string
	leaseUntil      int64
	lo, hi          int64
	reported        map[int64]bool // seqs the lease's claim reported on
	moved           bool           // the head moved to one not loaded: read its times in SQL
	changed         bool
}

// recException is a parked or failed event while recording.
type recException struct {
	eventID  string
	ev       recEvent
	state    shelf.DeliveryState
	attempts int
	first    sql.NullInt64
	nextAt   int64
	giveUp   int64
	status   int
	errText  string
	leaseID  string
	isNew    bool // not in the table yet
	gone     bool // delivered: deleted
	changed  bool
}

// recording is one recording transaction's state.
type recording struct {
	now        int64
	events     map[string]recEvent
	bySeq      map[recKey]int64 // created_at of the loaded events
	streams    map[[2]string]*recStream
	exceptions map[string]*recException
	attempts   []attemptRow
}

type recKey struct {
	app, org string
	seq      int64
}

// loadRecording reads the outcomes' events and streams, locking the streams
// in (app, org) order (so two nodes recording at once cannot deadlock, and
// an emit or a claim of the stream waits or skips it), and the exceptions
// among events already behind their stream's cursor.
func (s *Store) loadRecording(ctx context.Context, tx *Tx, outs []shelf.DeliveryOutcome) (*recording, error) {
	r := &recording{now: micros(tx.Now()), events: map[string]recEvent{}, bySeq: map[recKey]int64{},
		streams: map[[2]string]*recStream{}, exceptions: map[string]*recException{}}
	ids := make([]string, 0, len(outs))
	for _, o := range outs {
		ids = append(ids, o.Attempt.EventID)
	}
	arg, err := jsonArg(ids)
	if err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT e.id, e.app_id, e.org_id, e.seq, e.type, e.created_at,
		s.delivered_seq, s.last_seq, s.attempts, s.first_attempt_at, s.next_attempt_at, s.give_up_at, s.last_status, s.last_error,
		s.lease_owner, s.lease_id, s.lease_until, s.lease_lo, s.lease_hi
		FROM event_streams s JOIN events e ON e.app_id = s.app_id AND e.org_id = s.org_id
		WHERE e.id IN (SELECT j.value FROM `+s.dialect.jsonTexts("$1")+` AS j)
		ORDER BY s.app_id, s.org_id`+s.dialect.forUpdateOf("s"), arg)
	if err != nil {
		return nil, fmt.Errorf("lock streams: %w", err)
	}
	defer rows.Close()
	var behind []string
	for rows.Next() {
		var id string
		var ev recEvent
		var st recStream
		if err := rows.Scan(&id, &ev.appID, &ev.orgID, &ev.seq, &ev.typ, &ev.created, &st.delivered, &st.last, &st.attempts, &st.first,
			&st.nextAt, &st.giveUp, &st.status, &st.errText, &st.leaseOwner, &st.leaseID, &st.leaseUntil, &st.lo, &st.hi); err != nil {
			return nil, fmt.Errorf("lock streams: %w", err)
		}
		r.events[id] = ev
		r.bySeq[recKey{ev.appID, ev.orgID, ev.seq}] = ev.created
		key := [2]string{ev.appID, ev.orgID}
		if _, ok := r.streams[key]; !ok {
			st.reported = map[int64]bool{}
			r.streams[key] = &st
		}
		if ev.seq <= st.delivered {
			behind = append(behind, id)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("lock streams: %w", err)
	}
	rows.Close()
	if len(behind) == 0 {
		return r, nil
	}
	if arg, err = jsonArg(behind); err != nil {
		return nil, err
	}
	xs, err := tx.QueryContext(ctx, `SELECT x.event_id, x.state, x.attempts, x.first_attempt_at, x.next_attempt_at, x.give_up_at, x.last_status,
		x.last_error, x.lease_id FROM delivery_exceptions x WHERE x.event_id IN (SELECT j.value FROM `+s.dialect.jsonTexts("$1")+` AS j)
		ORDER BY x.event_id`+s.dialect.forUpdate(), arg)
	if err != nil {
		return nil, fmt.Errorf("lock exceptions: %w", err)
	}
	defer xs.Close()
	for xs.Next() {
		var x recException
		if err := xs.Scan(&x.eventID, &x.state, &x.attempts, &x.first, &x.nextAt, &x.giveUp, &x.status, &x.errText, &x.leaseID); err != nil {
			return nil, fmt.Errorf("lock exceptions: %w", err)
		}
		x.ev = r.events[x.eventID]
		r.exceptions[x.eventID] = &x
	}
	return r, xs.Err()
}

// apply works out what one outcome changes, after those before it.
func (r *recording) apply(o shelf.DeliveryOutcome) {
	id := o.Attempt.EventID
	ev, ok := r.events[id]
	if !ok {
		return // not an event of a stream: nothing to log it against
	}
	st := r.streams[[2]string{ev.appID, ev.orgID}]
	if x := r.exceptions[id]; x != nil && !x.gone && ev.seq <= st.delivered {
		r.applyException(x, o)
		return
	}
	if o.Unsent {
		if o.LeaseID == st.leaseID && st.leaseID != "" {
			st.report(ev.seq)
		}
		return
	}
	n := 0
	if o.LeaseID == st.leaseID && ev.seq == st.delivered+1 {
		n = st.attempts + 1
		first := st.first
		if !first.Valid {
			first = sql.NullInt64{Int64: micros(o.Attempt.AttemptedAt), Valid: true}
		}
		switch o.State {
		case shelf.DeliveryDelivered:
			r.advance(st, ev)
		case shelf.DeliveryParked, shelf.DeliveryFailed:
			r.exceptions[id] = &recException{eventID: id, ev: ev, state: o.State, attempts: n, first: first, nextAt: micros(o.NextAttemptAt),
				giveUp: st.giveUp, status: o.Attempt.StatusCode, errText: o.Attempt.Error, isNew: true, changed: true}
			r.advance(st, ev)
		default:
			st.attempts, st.first, st.nextAt = n, first, micros(o.NextAttemptAt)
			st.status, st.errText, st.moved = o.Attempt.StatusCode, o.Attempt.Error, false
		}
		st.report(ev.seq)
		st.changed = true
	}
	r.log(o, ev, n)
}

// advance settles a stream's head: the next event becomes the head, not
// yet attempted, due from its creation.
func (r *recording) advance(st *recStream, ev recEvent) {
	st.delivered++
	st.attempts, st.first, st.status, st.errText = 0, sql.NullInt64{}, 0, ""
	if created, ok := r.bySeq[recKey{ev.appID, ev.orgID, st.delivered + 1}]; ok {
		st.nextAt, st.giveUp, st.moved = created, created+shelf.DeliveryWindow.Microseconds(), false
	} else {
		st.nextAt, st.giveUp, st.moved = 0, 0, true
	}
}

// report takes seq out of the stream's lease; the lease ends once its
// claim reported on every event it took that is still to settle.
func (st *recStream) report(seq int64) {
	st.reported[seq] = true
	lo, hi := int64(0), int64(0)
	for q := max(st.lo, st.delivered+1); q <= st.hi; q++ {
		if !st.reported[q] {
			if lo == 0 {
				lo = q
			}
			hi = q
		}
	}
	if lo == 0 {
		st.leaseOwner, st.leaseID, st.leaseUntil = "", "", 0
	}
	st.lo, st.hi = lo, hi
	st.changed = true
}

// applyException applies an outcome for a parked (or failed) event.
func (r *recording) applyException(x *recException, o shelf.DeliveryOutcome) {
	if o.Unsent {
		if o.LeaseID == x.leaseID {
			x.leaseID, x.changed = "", true
		}
		return
	}
	n := 0
	if o.LeaseID == x.leaseID {
		n = x.attempts + 1
		if !x.first.Valid {
			x.first = sql.NullInt64{Int64: micros(o.Attempt.AttemptedAt), Valid: true}
		}
		x.attempts, x.nextAt, x.status, x.errText, x.leaseID, x.changed = n, micros(o.NextAttemptAt), o.Attempt.StatusCode, o.Attempt.Error, "", true
		switch o.State {
		case shelf.DeliveryDelivered:
			x.gone = true
		case shelf.DeliveryFailed:
			x.state = shelf.DeliveryFailed
		default:
			x.state = shelf.DeliveryParked
		}
	}
	r.log(o, x.ev, n)
}

// log adds the attempt to the log; n is which attempt of its delivery it
// was (0: not counted, its lease was lost).
func (r *recording) log(o shelf.DeliveryOutcome, ev recEvent, n int) {
	a := o.Attempt
	r.attempts = append(r.attempts, attemptRow{shelf.NewID("att"), a.EventID, ev.appID, a.EventType, micros(a.AttemptedAt), a.OK, a.StatusCode,
		a.Latency.Microseconds(), a.Error, a.Response, n})
}

// jsonArg encodes rows for a dialect.jsonRows parameter.
func jsonArg(rows any) (string, error) {
	b, err := json.Marshal(rows)
	if err != nil {
		return "", fmt.Errorf("encode rows: %w", err)
	}
	return string(b), nil
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
	AttemptNo   int    `json:"attempt_no"`
}

// logAttempts inserts the attempts, in one statement.
func (s *Store) logAttempts(ctx context.Context, tx *Tx, rows []attemptRow) error {
	if len(rows) == 0 {
		return nil
	}
	arg, err := jsonArg(rows)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `WITH j AS MATERIALIZED (SELECT r.value FROM `+s.dialect.jsonRows("$1")+` AS r)
		INSERT INTO delivery_attempts (id, event_id, app_id, event_type, attempted_at, ok, status_code, latency_us, error, response, attempt_no)
		SELECT j.value ->> 'id', j.value ->> 'event_id', j.value ->> 'app_id', j.value ->> 'event_type',
			CAST(j.value ->> 'attempted_at' AS BIGINT), CAST(j.value ->> 'ok' AS BOOLEAN), CAST(j.value ->> 'status_code' AS INTEGER),
			CAST(j.value ->> 'latency_us' AS BIGINT), j.value ->> 'error', j.value ->> 'response', CAST(j.value ->> 'attempt_no' AS INTEGER)
		FROM j`, arg); err != nil {
		return fmt.Errorf("log attempts: %w", err)
	}
	return nil
}

// streamRow is a stream's next state in a JSON parameter.
type streamRow struct {
	AppID      string `json:"app_id"`
	OrgID      string `json:"org_id"`
	Delivered  int64  `json:"delivered"`
	Attempts   int    `json:"attempts"`
	First      *int64 `json:"first"`
	NextAt     int64  `json:"next_at"`
	GiveUp     int64  `json:"give_up"`
	Moved      bool   `json:"moved"`
	Status     int    `json:"status"`
	Error      string `json:"error"`
	LeaseOwner string `json:"lease_owner"`
	LeaseID    string `json:"lease_id"`
	LeaseUntil int64  `json:"lease_until"`
	Lo         int64  `json:"lo"`
	Hi         int64  `json:"hi"`
}

// writeStreams writes the streams that changed, in one statement. A
// stream whose new head was not among the events loaded takes its times
// from the events table.
func (s *Store) writeStreams(ctx context.Context, tx *Tx, r *recording) error {
	var rows []streamRow
	for k, st := range r.streams {
		if !st.changed {
			continue
		}
		var first *int64
		if st.first.Valid {
			first = &st.first.Int64
		}
		rows = append(rows, streamRow{k[0], k[1], st.delivered, st.attempts, first, st.nextAt, st.giveUp, st.moved, st.status, st.errText,
			st.leaseOwner, st.leaseID, st.leaseUntil, st.lo, st.hi})
	}
	if len(rows) == 0 {
		return nil
	}
	arg, err := jsonArg(rows)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `WITH j AS MATERIALIZED (SELECT r.value FROM `+s.dialect.jsonRows("$1")+` AS r),
		v AS (SELECT j.value ->> 'app_id' AS app_id, j.value ->> 'org_id' AS org_id, CAST(j.value ->> 'delivered' AS BIGINT) AS delivered,
			CAST(j.value ->> 'attempts' AS INTEGER) AS attempts, CAST(j.value ->> 'first' AS BIGINT) AS first_at,
			CAST(j.value ->> 'next_at' AS BIGINT) AS next_at, CAST(j.value ->> 'give_up' AS BIGINT) AS give_up,
			CAST(j.value ->> 'moved' AS BOOLEAN) AS moved, CAST(j.value ->> 'status' AS INTEGER) AS status, j.value ->> 'error' AS error,
			j.value ->> 'lease_owner' AS lease_owner, j.value ->> 'lease_id' AS lease_id, CAST(j.value ->> 'lease_until' AS BIGINT) AS lease_until,
			CAST(j.value ->> 'lo' AS BIGINT) AS lo, CAST(j.value ->> 'hi' AS BIGINT) AS hi FROM j),
		w AS (SELECT v.*, h.created_at AS head_created FROM v LEFT JOIN events h
			ON v.moved AND h.app_id = v.app_id AND h.org_id = v.org_id AND h.seq = v.delivered + 1)
		UPDATE event_streams SET delivered_seq = w.delivered, attempts = w.attempts, first_attempt_at = w.first_at,
			next_attempt_at = CASE WHEN w.moved THEN COALESCE(w.head_created, 0) ELSE w.next_at END,
			give_up_at = CASE WHEN w.moved THEN COALESCE(w.head_created + $2, 0) ELSE w.give_up END,
			last_status = w.status, last_error = w.error, lease_owner = w.lease_owner, lease_id = w.lease_id, lease_until = w.lease_until,
			lease_lo = w.lo, lease_hi = w.hi
		FROM w WHERE event_streams.app_id = w.app_id AND event_streams.org_id = w.org_id`, arg, shelf.DeliveryWindow.Microseconds()); err != nil {
		return fmt.Errorf("update streams: %w", err)
	}
	return nil
}

// exceptionRow is a parked or failed event in a JSON parameter.
type exceptionRow struct {
	EventID   string `json:"event_id"`
	AppID     string `json:"app_id"`
	OrgID     string `json:"org_id"`
	Seq       int64  `json:"seq"`
	EventType string `json:"event_type"`
	State     string `json:"state"`
	Attempts  int    `json:"attempts"`
	NextAt    int64  `json:"next_at"`
	GiveUp    int64  `json:"give_up"`
	First     *int64 `json:"first"`
	LeaseID   string `json:"lease_id"`
	Status    int    `json:"status"`
	Error     string `json:"error"`
	Created   int64  `json:"created"`
}

// writeExceptions inserts the events newly parked or failed, updates the
// exceptions attempted again and deletes those delivered, a statement each.
func (s *Store) writeExceptions(ctx context.Context, tx *Tx, r *recording) error {
	var ins, upd []exceptionRow
	var del []string
	for _, x := range r.exceptions {
		switch {
		case !x.changed:
		case x.gone && !x.isNew:
			del = append(del, x.eventID)
		case x.gone:
		default:
			var first *int64
			if x.first.Valid {
				first = &x.first.Int64
			}
			row := exceptionRow{x.eventID, x.ev.appID, x.ev.orgID, x.ev.seq, x.ev.typ, string(x.state), x.attempts, x.nextAt, x.giveUp, first,
				x.leaseID, x.status, x.errText, x.ev.created}
			if x.isNew {
				ins = append(ins, row)
			} else {
				upd = append(upd, row)
			}
		}
	}
	slices.SortFunc(upd, func(a, b exceptionRow) int { return cmp.Compare(a.EventID, b.EventID) })
	fields := `SELECT j.value ->> 'event_id' AS event_id, j.value ->> 'app_id' AS app_id, j.value ->> 'org_id' AS org_id,
		CAST(j.value ->> 'seq' AS BIGINT) AS seq, j.value ->> 'event_type' AS event_type, j.value ->> 'state' AS state,
		CAST(j.value ->> 'attempts' AS INTEGER) AS attempts, CAST(j.value ->> 'next_at' AS BIGINT) AS next_at,
		CAST(j.value ->> 'give_up' AS BIGINT) AS give_up, CAST(j.value ->> 'first' AS BIGINT) AS first_at, j.value ->> 'lease_id' AS lease_id,
		CAST(j.value ->> 'status' AS INTEGER) AS status, j.value ->> 'error' AS error, CAST(j.value ->> 'created' AS BIGINT) AS created FROM j`
	if len(ins) > 0 {
		arg, err := jsonArg(ins)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `WITH j AS MATERIALIZED (SELECT r.value FROM `+s.dialect.jsonRows("$1")+` AS r), v AS (`+fields+`)
			INSERT INTO delivery_exceptions (event_id, app_id, org_id, seq, event_type, state, attempts, next_attempt_at, give_up_at, first_attempt_at,
				last_status, last_error, created_at, updated_at)
			SELECT v.event_id, v.app_id, v.org_id, v.seq, v.event_type, v.state, v.attempts, v.next_at, v.give_up, v.first_at, v.status, v.error, v.created, $2
			FROM v`, arg, r.now); err != nil {
			return fmt.Errorf("park events: %w", err)
		}
	}
	if len(upd) > 0 {
		arg, err := jsonArg(upd)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `WITH j AS MATERIALIZED (SELECT r.value FROM `+s.dialect.jsonRows("$1")+` AS r), v AS (`+fields+`)
			UPDATE delivery_exceptions SET state = v.state, attempts = v.attempts, next_attempt_at = v.next_at, first_attempt_at = v.first_at,
				last_status = v.status, last_error = v.error, lease_id = v.lease_id,
				lease_owner = CASE WHEN v.lease_id = '' THEN '' ELSE delivery_exceptions.lease_owner END,
				lease_until = CASE WHEN v.lease_id = '' THEN 0 ELSE delivery_exceptions.lease_until END, updated_at = $2
			FROM v WHERE delivery_exceptions.event_id = v.event_id`, arg, r.now); err != nil {
			return fmt.Errorf("update parked events: %w", err)
		}
	}
	if len(del) > 0 {
		arg, err := jsonArg(del)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM delivery_exceptions WHERE event_id IN (SELECT j.value FROM `+s.dialect.jsonTexts("$1")+` AS j)`,
			arg); err != nil {
			return fmt.Errorf("settle parked events: %w", err)
		}
	}
	return nil
}
