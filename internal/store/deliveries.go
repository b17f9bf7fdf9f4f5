package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
)

// readyDeliveries selects the deliveries a dispatcher may send now: queued
// ones (the head of each (app, org) stream, and parked ones) whose retry
// time has come and whose lease (if any) has run out, of apps with an
// endpoint. Only deliveries rows are locked: locking the app row would make
// other nodes skip every event of that app. "queued = TRUE", not a bare
// "queued": SQLite only uses the deliveries_queue index for a comparison,
// and scans the whole table otherwise.
const readyDeliveries = `FROM deliveries d
	WHERE d.queued = TRUE AND d.next_attempt_at <= $1 AND d.lease_until <= $1
	AND EXISTS (SELECT 1 FROM apps a WHERE a.id = d.app_id AND a.webhook_url <> '')`

// ClaimDeliveries leases up to c.Limit ready deliveries to c.Owner, at most
// c.PerApp in flight per app (counting c.Busy), and returns what is needed
// to send them. On PostgreSQL rows another node is claiming are skipped
// (SKIP LOCKED); a leased row is not ready again until its lease runs out,
// so a node that dies mid-delivery only delays its events.
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
// stream's next event, promoted by its head's outcome, go out in the same
// round. Either both happen or neither: a crash or an error before the
// commit leaves the outcomes unrecorded and their leases in force, so those
// events go again once the leases end (at least once).
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

// claim is ClaimDeliveries in tx; a limit of 0 claims nothing.
func (s *Store) claim(ctx context.Context, tx *Tx, c shelf.DeliveryClaim) ([]shelf.DeliveryJob, error) {
	if c.Limit <= 0 {
		return nil, nil
	}
	// Apps at their limit are left out in SQL: otherwise one app's many
	// ready rows could fill the candidate window and starve the rest. They
	// travel as one JSON parameter, so the SQL text is the same whatever
	// their number (one prepared statement, one plan).
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
	rows, err := tx.QueryContext(ctx, `SELECT d.event_id, d.app_id, d.org_id, d.seq, d.state `+readyDeliveries+`
		AND d.app_id NOT IN (SELECT j.value FROM `+s.dialect.jsonTexts("$3")+` AS j)
		ORDER BY d.next_attempt_at, d.seq LIMIT $2`+s.dialect.skipLocked(), micros(c.Now), c.Limit*4, arg)
	if err != nil {
		return nil, err
	}
	var picked []string
	var heads []streamHead // pending heads, whose batches may grow
	taken := map[string]int{}
	for rows.Next() {
		var h streamHead
		var eventID string
		var state shelf.DeliveryState
		if err := rows.Scan(&eventID, &h.AppID, &h.OrgID, &h.Seq, &state); err != nil {
			rows.Close()
			return nil, err
		}
		if len(picked) < c.Limit && (c.PerApp <= 0 || c.Busy[h.AppID]+taken[h.AppID] < c.PerApp) {
			picked = append(picked, eventID)
			taken[h.AppID]++
			if state == shelf.DeliveryPending {
				heads = append(heads, h)
			}
		}
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(picked) == 0 {
		return nil, nil
	}
	if c.Batch > 1 && len(heads) > 0 {
		if heads, err = s.lockHeadStreams(ctx, tx, heads); err != nil {
			return nil, fmt.Errorf("batch: %w", err)
		}
	}
	if c.Batch > 1 && len(heads) > 0 {
		next, err := s.followers(ctx, tx, heads, c)
		if err != nil {
			return nil, fmt.Errorf("batch: %w", err)
		}
		picked = append(picked, next...)
	}
	return s.leaseDeliveries(ctx, tx, picked, c)
}

// lockHeadStreams locks the stream rows of pending heads whose batches may
// grow, skipping (and returning without) those another transaction holds:
// recording takes a stream's row before its deliveries' rows, so a claim
// must not wait on a stream's later events while holding its head (a late
// outcome of that stream, being recorded, could be waiting on the head: a
// deadlock). A head whose stream is busy still goes out, alone. On SQLite
// the write transaction excludes every other writer, and nothing runs.
func (s *Store) lockHeadStreams(ctx context.Context, tx *Tx, heads []streamHead) ([]streamHead, error) {
	lock := s.dialect.skipLocked()
	if lock == "" {
		return heads, nil
	}
	arg, err := jsonArg(heads)
	if err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT s.app_id, s.org_id FROM event_streams s WHERE EXISTS (
		SELECT 1 FROM `+s.dialect.jsonRows("$1")+` AS r WHERE r.value ->> 'app_id' = s.app_id AND r.value ->> 'org_id' = s.org_id)
		ORDER BY s.app_id, s.org_id`+lock, arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	held := map[[2]string]bool{}
	for rows.Next() {
		var k [2]string
		if err := rows.Scan(&k[0], &k[1]); err != nil {
			return nil, err
		}
		held[k] = true
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return slices.DeleteFunc(heads, func(h streamHead) bool { return !held[[2]string{h.AppID, h.OrgID}] }), nil
}

// streamHead is the head of an (app, org) stream, in a JSON parameter.
type streamHead struct {
	AppID string `json:"app_id"`
	OrgID string `json:"org_id"`
	Seq   int64  `json:"seq"`
}

// followers returns, for each pending head, the stream's next pending
// events that may go out right after it: up to c.Batch-1 of them, in seq
// order, stopping before the first one that is not due or is leased
// (skipping it would break the stream's order). Only pending events with a
// seq within c.Batch of the head can qualify, which bounds the read; events
// in between that are delivered, parked or failed are not in the stream's
// order any more. The heads are locked already, and nothing claims a
// stream's later events but through its head, so no other node is after
// these rows.
func (s *Store) followers(ctx context.Context, tx *Tx, heads []streamHead, c shelf.DeliveryClaim) ([]string, error) {
	arg, err := jsonArg(heads)
	if err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, `WITH h AS MATERIALIZED (SELECT r.value ->> 'app_id' AS app_id, r.value ->> 'org_id' AS org_id,
			CAST(r.value ->> 'seq' AS BIGINT) AS seq FROM `+s.dialect.jsonRows("$1")+` AS r)
		SELECT f.event_id, f.app_id, f.org_id, f.next_attempt_at <= $2 AND f.lease_until <= $2
		FROM h JOIN deliveries f ON f.app_id = h.app_id AND f.org_id = h.org_id AND f.state = 'pending' AND f.seq > h.seq AND f.seq < h.seq + $3
		ORDER BY f.app_id, f.org_id, f.seq`, arg, micros(c.Now), c.Batch)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	stopped := map[[2]string]bool{}
	for rows.Next() {
		var id string
		var stream [2]string
		var ready bool
		if err := rows.Scan(&id, &stream[0], &stream[1], &ready); err != nil {
			return nil, err
		}
		if !ready {
			stopped[stream] = true
		}
		if !stopped[stream] {
			out = append(out, id)
		}
	}
	return out, rows.Err()
}

// leaseDeliveries leases the picked deliveries to a new claim and loads
// their events, endpoints and signing secrets, a statement each for the
// whole batch. What claim read is still true here: on SQLite the write
// transaction excludes every other writer; on PostgreSQL the heads are
// locked by the claim's read, and the followers by their stream's lock,
// which recording takes too (and nothing else leases a follower). The
// lease must take every picked row: skipping one would leave a gap in its
// stream's batch.
func (s *Store) leaseDeliveries(ctx context.Context, tx *Tx, ids []string, c shelf.DeliveryClaim) ([]shelf.DeliveryJob, error) {
	arg, err := jsonArg(ids)
	if err != nil {
		return nil, err
	}
	leaseID := shelf.NewID("lease")
	picked := `SELECT j.value FROM ` + s.dialect.jsonTexts("$1") + ` AS j`
	if _, err := tx.ExecContext(ctx, `UPDATE deliveries SET lease_owner = $2, lease_id = $3, lease_until = $4, updated_at = $5
		WHERE event_id IN (`+picked+`)`,
		arg, c.Owner, leaseID, micros(c.Now.Add(c.Lease)), micros(c.Now)); err != nil {
		return nil, err
	}
	rs, err := tx.QueryContext(ctx, `SELECT e.id, e.type, e.created_at, e.app_id, e.org_id, e.seq, e.data, a.webhook_url,
		d.state, d.attempts, d.first_attempt_at, d.give_up_at
		FROM deliveries d JOIN events e ON e.id = d.event_id JOIN apps a ON a.id = d.app_id WHERE d.event_id IN (`+picked+`) AND d.lease_id = $2
		ORDER BY d.next_attempt_at, d.seq`, arg, leaseID)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	var jobs []shelf.DeliveryJob
	for rs.Next() {
		job := shelf.DeliveryJob{LeaseOwner: c.Owner, LeaseID: leaseID, LeaseUntil: c.Now.Add(c.Lease)}
		var created, giveUp int64
		var first sql.NullInt64
		var data string
		e := &job.Event
		if err := rs.Scan(&e.ID, &e.Type, &created, &e.AppID, &e.OrgID, &e.Seq, &data, &job.URL, &job.State, &job.Attempts, &first, &giveUp); err != nil {
			return nil, fmt.Errorf("load deliveries: %w", err)
		}
		e.CreatedAt, e.Data, job.FirstAttemptAt, job.GiveUpAt = fromMicros(created), []byte(data), nullMicros(first), fromMicros(giveUp)
		jobs = append(jobs, job)
	}
	if err := rs.Err(); err != nil {
		return nil, err
	}
	rs.Close()
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

// NextDeliveryAt returns when the earliest sendable delivery (a stream head
// or a parked one) is or becomes ready (its retry time or the end of its
// lease), so a dispatcher (or a test moving a ManualClock) knows how long
// to wait. ok is false when nothing is waiting.
func (s *Store) NextDeliveryAt(ctx context.Context) (at time.Time, ok bool, err error) {
	var v sql.NullInt64
	err = s.read.QueryRowContext(ctx, `SELECT MIN(CASE WHEN d.lease_until > d.next_attempt_at THEN d.lease_until ELSE d.next_attempt_at END)
		FROM deliveries d WHERE d.queued = TRUE AND EXISTS (SELECT 1 FROM apps a WHERE a.id = d.app_id AND a.webhook_url <> '')`).Scan(&v)
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
// instead of waiting for its old leases to run out.
func (s *Store) ReleaseLeases(ctx context.Context, owner string) (int, error) {
	var n int64
	err := s.Update(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE deliveries SET lease_owner = '', lease_id = '', lease_until = 0 WHERE lease_owner = $1`, owner)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("release leases: %w", err)
	}
	return int(n), nil
}
