package store

// Claiming deliveries. The delivery state is kept per stream (app, org), in
// its event_streams row (migration 00011): the cursor delivered_seq (every
// event up to it is settled), the head's retry state, and the lease of the
// claim sending the stream, over seqs lease_lo..lease_hi. Events parked or
// failed for good are rows of delivery_exceptions, off their stream's
// order. A claim takes streams whose head is due and not leased, each with
// its next events (a batch), and parked exceptions, each alone.

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
)

// dueStreams selects the streams a dispatcher may send now: a pending head
// (last_seq > delivered_seq: the partial index event_streams_due) whose
// retry time has come and which no lease in force covers, of apps with an
// endpoint. Only stream rows are locked: locking the app row would make
// other nodes skip every stream of that app.
const dueStreams = `FROM event_streams s
	WHERE s.last_seq > s.delivered_seq AND s.next_attempt_at <= $1
	AND (s.lease_until <= $1 OR s.delivered_seq + 1 < s.lease_lo OR s.delivered_seq + 1 > s.lease_hi)
	AND EXISTS (SELECT 1 FROM apps a WHERE a.id = s.app_id AND a.webhook_url <> '')`

// dueExceptions selects the parked events a dispatcher may send now.
const dueExceptions = `FROM delivery_exceptions x
	WHERE x.state = 'parked' AND x.next_attempt_at <= $1 AND x.lease_until <= $1
	AND EXISTS (SELECT 1 FROM apps a WHERE a.id = x.app_id AND a.webhook_url <> '')`

// ClaimDeliveries leases up to c.Limit ready deliveries to c.Owner, at most
// c.PerApp in flight per app (counting c.Busy), and returns what is needed
// to send them. On PostgreSQL streams another node is claiming are skipped
// (SKIP LOCKED); a leased stream is not ready again until its lease runs
// out, so a node that dies mid-delivery only delays its events.
func (s *Store) ClaimDeliveries(ctx context.Context, c shelf.DeliveryClaim) ([]shelf.DeliveryJob, error) {
	var jobs []shelf.DeliveryJob
	err := s.Update(ctx, func(tx *Tx) error {
		var err error
		jobs, err = s.claim(ctx, tx, c)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("claim deliveries: %w", err)
	}
	return jobs, nil
}

// RecordAndClaim records outs as RecordDeliveries does and then, in the
// same transaction, claims as ClaimDeliveries does: one commit (one fsync
// on SQLite) per round instead of two. Claiming after recording lets a
// stream whose head was just settled go on in the same round. Either both
// happen or neither: a crash or an error before the commit leaves the
// outcomes unrecorded and their leases in force, so those events go again
// once the leases end (at least once).
func (s *Store) RecordAndClaim(ctx context.Context, outs []shelf.DeliveryOutcome, c shelf.DeliveryClaim) ([]shelf.DeliveryJob, error) {
	var jobs []shelf.DeliveryJob
	err := s.Update(ctx, func(tx *Tx) error {
		if err := s.record(ctx, tx, outs); err != nil {
			return fmt.Errorf("record deliveries: %w", err)
		}
		var err error
		if jobs, err = s.claim(ctx, tx, c); err != nil {
			return fmt.Errorf("claim deliveries: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return jobs, nil
}

// candidate is a due stream (its head) or a due parked event.
type candidate struct {
	stream  bool
	appID   string
	orgID   string
	seq     int64
	eventID string // parked events
	nextAt  int64
	// a stream's head retry state and the lease it may still be under
	// (beyond the head: a claim that reported on part of its batch)
	attempts   int
	first      sql.NullInt64
	giveUp     int64
	leaseUntil int64
	leaseLo    int64
	leaseHi    int64
}

// claim is ClaimDeliveries in tx; a limit of 0 claims nothing.
func (s *Store) claim(ctx context.Context, tx *Tx, c shelf.DeliveryClaim) ([]shelf.DeliveryJob, error) {
	if c.Limit <= 0 {
		return nil, nil
	}
	// Apps at their limit are left out in SQL: otherwise one app's many
	// ready streams could fill the candidate window and starve the rest.
	// They travel as one JSON parameter, so the SQL text is the same
	// whatever their number (one prepared statement, one plan).
	saturated := []string{}
	for app, n := range c.Busy {
		if c.PerApp > 0 && n >= c.PerApp {
			saturated = append(saturated, app)
		}
	}
	arg, err := jsonArg(saturated)
	if err != nil {
		return nil, err
	}
	now := micros(c.Now)
	cands, err := s.due(ctx, tx, now, c.Limit*4, arg)
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(cands, func(a, b candidate) int { return cmp.Or(cmp.Compare(a.nextAt, b.nextAt), cmp.Compare(a.seq, b.seq)) })
	var picked []candidate
	taken := map[string]int{}
	for _, cd := range cands {
		if len(picked) < c.Limit && (c.PerApp <= 0 || c.Busy[cd.appID]+taken[cd.appID] < c.PerApp) {
			picked = append(picked, cd)
			taken[cd.appID]++
		}
	}
	if len(picked) == 0 {
		return nil, nil
	}
	return s.leaseDeliveries(ctx, tx, picked, c)
}

// due reads (and on PostgreSQL locks, skipping those another transaction
// holds) up to limit due streams and up to limit due parked events, in one
// statement: PostgreSQL takes row locks in a WITH query, not in a UNION.
func (s *Store) due(ctx context.Context, tx *Tx, now int64, limit int, saturated string) ([]candidate, error) {
	rows, err := tx.QueryContext(ctx, `WITH st AS (SELECT s.app_id, s.org_id, s.delivered_seq + 1 AS seq, s.next_attempt_at, s.attempts,
			s.first_attempt_at, s.give_up_at, s.lease_until, s.lease_lo, s.lease_hi `+dueStreams+`
			AND s.app_id NOT IN (SELECT j.value FROM `+s.dialect.jsonTexts("$3")+` AS j)
			ORDER BY s.next_attempt_at, s.delivered_seq LIMIT $2`+s.dialect.skipLocked()+`),
		px AS (SELECT x.event_id, x.app_id, x.org_id, x.seq, x.next_attempt_at `+dueExceptions+`
			AND x.app_id NOT IN (SELECT j.value FROM `+s.dialect.jsonTexts("$3")+` AS j)
			ORDER BY x.next_attempt_at, x.seq LIMIT $2`+s.dialect.skipLocked()+`)
		SELECT TRUE, '', app_id, org_id, seq, next_attempt_at, attempts, first_attempt_at, give_up_at, lease_until, lease_lo, lease_hi FROM st
		UNION ALL
		SELECT FALSE, event_id, app_id, org_id, seq, next_attempt_at, 0, NULL, 0, 0, 0, 0 FROM px`, now, limit, saturated)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []candidate
	for rows.Next() {
		var cd candidate
		if err := rows.Scan(&cd.stream, &cd.eventID, &cd.appID, &cd.orgID, &cd.seq, &cd.nextAt, &cd.attempts, &cd.first, &cd.giveUp,
			&cd.leaseUntil, &cd.leaseLo, &cd.leaseHi); err != nil {
			return nil, err
		}
		out = append(out, cd)
	}
	return out, rows.Err()
}

// streamRange is a stream's seqs [seq, stop) to load, in a JSON parameter.
type streamRange struct {
	AppID string `json:"app_id"`
	OrgID string `json:"org_id"`
	Seq   int64  `json:"seq"`
	Stop  int64  `json:"stop"`
}

// streamLease is a stream's new lease, in a JSON parameter.
type streamLease struct {
	AppID string `json:"app_id"`
	OrgID string `json:"org_id"`
	Lo    int64  `json:"lo"`
	Hi    int64  `json:"hi"`
	Until int64  `json:"until"`
}

// leaseDeliveries loads the picked streams' next events (up to c.Batch
// from the head, in seq order, stopping before one created after c.Now or
// still under an older lease: skipping it would break the order) and the
// picked parked events, leases them to a new claim, and adds the signing
// secrets. What claim read is still true here: on SQLite the write
// transaction excludes every other writer; on PostgreSQL the picked rows
// are locked by the claim's read.
func (s *Store) leaseDeliveries(ctx context.Context, tx *Tx, picked []candidate, c shelf.DeliveryClaim) ([]shelf.DeliveryJob, error) {
	now := micros(c.Now)
	until := micros(c.Now.Add(c.Lease))
	leaseID := shelf.NewID("lease")
	batch := int64(max(c.Batch, 1))
	var ranges []streamRange
	var parkedIDs []string
	for _, cd := range picked {
		if !cd.stream {
			parkedIDs = append(parkedIDs, cd.eventID)
			continue
		}
		stop := cd.seq + batch
		if cd.leaseUntil > now && cd.leaseLo > cd.seq {
			stop = min(stop, cd.leaseLo)
		}
		ranges = append(ranges, streamRange{cd.appID, cd.orgID, cd.seq, stop})
	}
	events, err := s.streamEvents(ctx, tx, ranges)
	if err != nil {
		return nil, fmt.Errorf("load deliveries: %w", err)
	}
	parked, err := s.parkedJobs(ctx, tx, parkedIDs)
	if err != nil {
		return nil, fmt.Errorf("load deliveries: %w", err)
	}
	var jobs []shelf.DeliveryJob
	var leases []streamLease
	lease := func(j shelf.DeliveryJob) shelf.DeliveryJob {
		j.LeaseOwner, j.LeaseID, j.LeaseUntil = c.Owner, leaseID, c.Now.Add(c.Lease)
		return j
	}
	for _, cd := range picked {
		if !cd.stream {
			if j, ok := parked[cd.eventID]; ok {
				jobs = append(jobs, lease(j))
			}
			continue
		}
		key := [2]string{cd.appID, cd.orgID}
		var last int64
		for i, j := range events[key] {
			if j.Event.Seq != cd.seq+int64(i) || (i > 0 && micros(j.Event.CreatedAt) > now) {
				break // a gap cannot happen (seqs are dense); a future event is not due
			}
			if i == 0 {
				j.Attempts, j.FirstAttemptAt, j.GiveUpAt = cd.attempts, nullMicros(cd.first), fromMicros(cd.giveUp)
			}
			jobs = append(jobs, lease(j))
			last = j.Event.Seq
		}
		if last == 0 {
			continue
		}
		// A lease in force beyond the batch (a claim that has not reported
		// on all its events) is kept, under this claim: those events are
		// not claimed again until it ends.
		l := streamLease{cd.appID, cd.orgID, cd.seq, last, until}
		if cd.leaseUntil > now && cd.leaseHi > last {
			l.Hi, l.Until = cd.leaseHi, max(until, cd.leaseUntil)
		}
		leases = append(leases, l)
	}
	if err := s.leaseStreams(ctx, tx, leases, c.Owner, leaseID); err != nil {
		return nil, err
	}
	if len(parkedIDs) > 0 {
		arg, err := jsonArg(parkedIDs)
		if err != nil {
			return nil, err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE delivery_exceptions SET lease_owner = $2, lease_id = $3, lease_until = $4
			WHERE event_id IN (SELECT j.value FROM `+s.dialect.jsonTexts("$1")+` AS j)`, arg, c.Owner, leaseID, until); err != nil {
			return nil, fmt.Errorf("lease parked events: %w", err)
		}
	}
	secrets := map[string][]string{}
	for i := range jobs {
		app := jobs[i].Event.AppID
		if _, ok := secrets[app]; !ok {
			if secrets[app], err = s.signingSecrets(ctx, tx, app, c.Now); err != nil {
				return nil, err
			}
		}
		jobs[i].Secrets = secrets[app]
	}
	return jobs, nil
}

// streamEvents loads the events of the ranges, by stream, in seq order, as
// pending jobs not yet attempted (a follower's window runs from its
// creation), with their app's endpoint.
func (s *Store) streamEvents(ctx context.Context, tx *Tx, ranges []streamRange) (map[[2]string][]shelf.DeliveryJob, error) {
	out := map[[2]string][]shelf.DeliveryJob{}
	if len(ranges) == 0 {
		return out, nil
	}
	arg, err := jsonArg(ranges)
	if err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, `WITH h AS MATERIALIZED (SELECT r.value ->> 'app_id' AS app_id, r.value ->> 'org_id' AS org_id,
			CAST(r.value ->> 'seq' AS BIGINT) AS seq, CAST(r.value ->> 'stop' AS BIGINT) AS stop FROM `+s.dialect.jsonRows("$1")+` AS r)
		SELECT e.id, e.type, e.created_at, e.app_id, e.org_id, e.seq, e.data, a.webhook_url
		FROM h JOIN events e ON e.app_id = h.app_id AND e.org_id = h.org_id AND e.seq >= h.seq AND e.seq < h.stop JOIN apps a ON a.id = e.app_id
		ORDER BY e.app_id, e.org_id, e.seq`, arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		j := shelf.DeliveryJob{State: shelf.DeliveryPending}
		var created int64
		var data string
		e := &j.Event
		if err := rows.Scan(&e.ID, &e.Type, &created, &e.AppID, &e.OrgID, &e.Seq, &data, &j.URL); err != nil {
			return nil, err
		}
		e.CreatedAt, e.Data = fromMicros(created), []byte(data)
		j.GiveUpAt = e.CreatedAt.Add(shelf.DeliveryWindow)
		key := [2]string{e.AppID, e.OrgID}
		out[key] = append(out[key], j)
	}
	return out, rows.Err()
}

// parkedJobs loads the parked events named, by event id.
func (s *Store) parkedJobs(ctx context.Context, tx *Tx, ids []string) (map[string]shelf.DeliveryJob, error) {
	out := map[string]shelf.DeliveryJob{}
	if len(ids) == 0 {
		return out, nil
	}
	arg, err := jsonArg(ids)
	if err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT e.id, e.type, e.created_at, e.app_id, e.org_id, e.seq, e.data, a.webhook_url,
		x.attempts, x.first_attempt_at, x.give_up_at
		FROM delivery_exceptions x JOIN events e ON e.id = x.event_id JOIN apps a ON a.id = x.app_id
		WHERE x.event_id IN (SELECT j.value FROM `+s.dialect.jsonTexts("$1")+` AS j)`, arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		j := shelf.DeliveryJob{State: shelf.DeliveryParked}
		var created, giveUp int64
		var first sql.NullInt64
		var data string
		e := &j.Event
		if err := rows.Scan(&e.ID, &e.Type, &created, &e.AppID, &e.OrgID, &e.Seq, &data, &j.URL, &j.Attempts, &first, &giveUp); err != nil {
			return nil, err
		}
		e.CreatedAt, e.Data, j.FirstAttemptAt, j.GiveUpAt = fromMicros(created), []byte(data), nullMicros(first), fromMicros(giveUp)
		out[e.ID] = j
	}
	return out, rows.Err()
}

// leaseStreams gives the streams their new lease, in one statement.
func (s *Store) leaseStreams(ctx context.Context, tx *Tx, leases []streamLease, owner, leaseID string) error {
	if len(leases) == 0 {
		return nil
	}
	arg, err := jsonArg(leases)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `WITH j AS MATERIALIZED (SELECT r.value FROM `+s.dialect.jsonRows("$1")+` AS r),
		v AS (SELECT j.value ->> 'app_id' AS app_id, j.value ->> 'org_id' AS org_id, CAST(j.value ->> 'lo' AS BIGINT) AS lo,
			CAST(j.value ->> 'hi' AS BIGINT) AS hi, CAST(j.value ->> 'until' AS BIGINT) AS until FROM j)
		UPDATE event_streams SET lease_owner = $2, lease_id = $3, lease_until = v.until, lease_lo = v.lo, lease_hi = v.hi
		FROM v WHERE event_streams.app_id = v.app_id AND event_streams.org_id = v.org_id`, arg, owner, leaseID); err != nil {
		return fmt.Errorf("lease streams: %w", err)
	}
	return nil
}

// NextDeliveryAt returns when the earliest sendable delivery (a stream's
// head or a parked event) is or becomes ready (its retry time or the end of
// the lease on it), so a dispatcher (or a test moving a ManualClock) knows
// how long to wait. ok is false when nothing is waiting.
func (s *Store) NextDeliveryAt(ctx context.Context) (at time.Time, ok bool, err error) {
	var v sql.NullInt64
	err = s.read.QueryRowContext(ctx, `SELECT MIN(w.at) FROM (
		SELECT CASE WHEN s.lease_until > s.next_attempt_at AND s.delivered_seq + 1 BETWEEN s.lease_lo AND s.lease_hi
			THEN s.lease_until ELSE s.next_attempt_at END AS at
		FROM event_streams s WHERE s.last_seq > s.delivered_seq AND EXISTS (SELECT 1 FROM apps a WHERE a.id = s.app_id AND a.webhook_url <> '')
		UNION ALL
		SELECT CASE WHEN x.lease_until > x.next_attempt_at THEN x.lease_until ELSE x.next_attempt_at END
		FROM delivery_exceptions x WHERE x.state = 'parked' AND EXISTS (SELECT 1 FROM apps a WHERE a.id = x.app_id AND a.webhook_url <> '')) w`).Scan(&v)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("next delivery: %w", err)
	}
	if !v.Valid {
		return time.Time{}, false, nil
	}
	return fromMicros(v.Int64), true, nil
}

// ReleaseLeases ends the leases held by owner: a node restarting under the
// same name takes back at once what it was delivering when it stopped,
// instead of waiting for its old leases to run out. It returns how many
// streams and parked events it freed.
func (s *Store) ReleaseLeases(ctx context.Context, owner string) (int, error) {
	var n int64
	err := s.Update(ctx, func(tx *Tx) error {
		for _, q := range []string{
			`UPDATE event_streams SET lease_owner = '', lease_id = '', lease_until = 0, lease_lo = 0, lease_hi = 0 WHERE lease_owner = $1`,
			`UPDATE delivery_exceptions SET lease_owner = '', lease_id = '', lease_until = 0 WHERE lease_owner = $1`,
		} {
			res, err := tx.ExecContext(ctx, q, owner)
			if err != nil {
				return err
			}
			k, err := res.RowsAffected()
			if err != nil {
				return err
			}
			n += k
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("release leases: %w", err)
	}
	return int(n), nil
}
