package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
)

// readyDeliveries selects the deliveries a dispatcher may send now: queued
// ones (the head of each (app, org) stream, and parked ones) whose retry
// time has come and whose lease (if any) has run out, of apps with an
// endpoint. Only deliveries rows are locked: locking the app row would make
// other nodes skip every event of that app.
const readyDeliveries = `FROM deliveries d
	WHERE d.queued AND d.next_attempt_at <= $1 AND d.lease_until <= $1
	AND EXISTS (SELECT 1 FROM apps a WHERE a.id = d.app_id AND a.webhook_url <> '')`

// ClaimDeliveries leases up to c.Limit ready deliveries to c.Owner, at most
// c.PerApp in flight per app (counting c.Busy), and returns what is needed
// to send them. On PostgreSQL rows another node is claiming are skipped
// (SKIP LOCKED); a leased row is not ready again until its lease runs out,
// so a node that dies mid-delivery only delays its events.
func (s *Store) ClaimDeliveries(ctx context.Context, c shelf.DeliveryClaim) ([]shelf.DeliveryJob, error) {
	var jobs []shelf.DeliveryJob
	err := s.Update(ctx, func(tx *Tx) error {
		jobs = nil
		// Apps at their limit are left out in SQL: otherwise one app's many
		// ready rows could fill the candidate window and starve the rest.
		args := []any{micros(c.Now), c.Limit * 4}
		saturated := ""
		for app, n := range c.Busy {
			if c.PerApp > 0 && n >= c.PerApp {
				args = append(args, app)
				saturated += fmt.Sprintf(", $%d", len(args))
			}
		}
		if saturated != "" {
			saturated = " AND d.app_id NOT IN (" + saturated[2:] + ")"
		}
		rows, err := tx.QueryContext(ctx, `SELECT d.event_id, d.app_id `+readyDeliveries+saturated+`
			ORDER BY d.next_attempt_at, d.seq LIMIT $2`+s.dialect.skipLocked(), args...)
		if err != nil {
			return err
		}
		var picked []string
		taken := map[string]int{}
		for rows.Next() {
			var eventID, appID string
			if err := rows.Scan(&eventID, &appID); err != nil {
				rows.Close()
				return err
			}
			if len(picked) < c.Limit && (c.PerApp <= 0 || c.Busy[appID]+taken[appID] < c.PerApp) {
				picked = append(picked, eventID)
				taken[appID]++
			}
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if len(picked) == 0 {
			return nil
		}
		jobs, err = s.leaseDeliveries(ctx, tx, picked, c)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("claim deliveries: %w", err)
	}
	return jobs, nil
}

// leaseDeliveries leases the picked deliveries and loads their events,
// endpoints and signing secrets, a statement each for the whole batch.
func (s *Store) leaseDeliveries(ctx context.Context, tx *Tx, ids []string, c shelf.DeliveryClaim) ([]shelf.DeliveryJob, error) {
	in, args := inList(4, ids)
	if _, err := tx.ExecContext(ctx, `UPDATE deliveries SET lease_owner = $1, lease_until = $2, updated_at = $3 WHERE event_id IN (`+in+`)`,
		append([]any{c.Owner, micros(c.Now.Add(c.Lease)), micros(c.Now)}, args...)...); err != nil {
		return nil, err
	}
	in, args = inList(1, ids)
	rows, err := tx.QueryContext(ctx, `SELECT e.id, e.type, e.created_at, e.app_id, e.org_id, e.seq, e.data, a.webhook_url,
		d.state, d.attempts, d.first_attempt_at, d.give_up_at
		FROM deliveries d JOIN events e ON e.id = d.event_id JOIN apps a ON a.id = d.app_id WHERE d.event_id IN (`+in+`)
		ORDER BY d.next_attempt_at, d.seq`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var jobs []shelf.DeliveryJob
	for rows.Next() {
		job := shelf.DeliveryJob{LeaseOwner: c.Owner}
		var created, giveUp int64
		var first sql.NullInt64
		var data string
		e := &job.Event
		if err := rows.Scan(&e.ID, &e.Type, &created, &e.AppID, &e.OrgID, &e.Seq, &data, &job.URL, &job.State, &job.Attempts, &first, &giveUp); err != nil {
			return nil, fmt.Errorf("load deliveries: %w", err)
		}
		e.CreatedAt, e.Data, job.FirstAttemptAt, job.GiveUpAt = fromMicros(created), []byte(data), nullMicros(first), fromMicros(giveUp)
		jobs = append(jobs, job)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
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

// inList returns "$n, $n+1, …" for the values, and the values as args.
func inList(n int, values []string) (string, []any) {
	var b strings.Builder
	args := make([]any, len(values))
	for i, v := range values {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "$%d", n+i)
		args[i] = v
	}
	return b.String(), args
}

// RecordDeliveries logs attempts and moves their deliveries on, in one
// transaction (group commit: one fsync for a whole round). A delivery whose
// lease was lost to another node keeps that node's state; the attempt is
// still logged, since it happened.
func (s *Store) RecordDeliveries(ctx context.Context, outs []shelf.DeliveryOutcome) error {
	if len(outs) == 0 {
		return nil
	}
	// Streams are locked in one order, so two nodes recording at once
	// cannot deadlock.
	outs = slices.Clone(outs)
	slices.SortFunc(outs, func(a, b shelf.DeliveryOutcome) int {
		return cmp.Or(cmp.Compare(a.AppID, b.AppID), cmp.Compare(a.Attempt.EventID, b.Attempt.EventID))
	})
	err := s.Update(ctx, func(tx *Tx) error {
		ps := newPrepared(ctx, tx)
		defer ps.close()
		if err := logAttempts(ctx, tx, outs); err != nil {
			return err
		}
		for _, o := range outs {
			a := o.Attempt
			var delivered any
			if o.State == shelf.DeliveryDelivered {
				delivered = micros(a.AttemptedAt)
			}
			if s.dialect == postgres {
				if err := lockStream(ps, o.AppID, o.Attempt.EventID); err != nil {
					return err
				}
			}
			queued := o.State == shelf.DeliveryPending || o.State == shelf.DeliveryParked
			if _, err := ps.exec(`UPDATE deliveries SET state = $1, queued = $2, attempts = attempts + 1, next_attempt_at = $3,
				first_attempt_at = COALESCE(first_attempt_at, $4), lease_owner = '', lease_until = 0, last_status = $5, last_error = $6,
				delivered_at = COALESCE($7, delivered_at), updated_at = $8
				WHERE event_id = $9 AND lease_owner = $10`,
				o.State, queued, micros(o.NextAttemptAt), micros(a.AttemptedAt), a.StatusCode, a.Error, delivered, micros(tx.Now()), a.EventID, o.LeaseOwner); err != nil {
				return fmt.Errorf("update delivery %s: %w", a.EventID, err)
			}
			if o.State != shelf.DeliveryPending {
				if err := promoteHead(ps, a.EventID); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("record deliveries: %w", err)
	}
	return nil
}

// NextDeliveryAt returns when the earliest sendable delivery (a stream head
// or a parked one) is or becomes ready (its retry time or the end of its
// lease), so a dispatcher (or a test moving a ManualClock) knows how long
// to wait. ok is false when nothing is waiting.
func (s *Store) NextDeliveryAt(ctx context.Context) (at time.Time, ok bool, err error) {
	var v sql.NullInt64
	err = s.read.QueryRowContext(ctx, `SELECT MIN(CASE WHEN d.lease_until > d.next_attempt_at THEN d.lease_until ELSE d.next_attempt_at END)
		FROM deliveries d WHERE d.queued AND EXISTS (SELECT 1 FROM apps a WHERE a.id = d.app_id AND a.webhook_url <> '')`).Scan(&v)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("next delivery: %w", err)
	}
	if !v.Valid {
		return time.Time{}, false, nil
	}
	return fromMicros(v.Int64), true, nil
}

// logAttempts inserts the attempts, many rows per statement.
func logAttempts(ctx context.Context, tx *Tx, outs []shelf.DeliveryOutcome) error {
	const cols, chunk = 10, 50
	for start := 0; start < len(outs); start += chunk {
		part := outs[start:min(start+chunk, len(outs))]
		var q strings.Builder
		q.WriteString(`INSERT INTO delivery_attempts (id, event_id, app_id, event_type, attempted_at, ok, status_code, latency_us, error, response) VALUES `)
		args := make([]any, 0, len(part)*cols)
		for i, o := range part {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString("(")
			for c := 0; c < cols; c++ {
				if c > 0 {
					q.WriteString(", ")
				}
				fmt.Fprintf(&q, "$%d", i*cols+c+1)
			}
			q.WriteString(")")
			a := o.Attempt
			args = append(args, shelf.NewID("att"), a.EventID, o.AppID, a.EventType, micros(a.AttemptedAt), a.OK, a.StatusCode,
				a.Latency.Microseconds(), a.Error, a.Response)
		}
		if _, err := tx.ExecContext(ctx, q.String(), args...); err != nil {
			return fmt.Errorf("log attempts: %w", err)
		}
	}
	return nil
}

// lockStream locks the (app, org) stream of an event (a no-op update takes
// the row lock on PostgreSQL; SQLite has one writer), so promoting the next
// head cannot interleave with an emit deciding whether it is the head.
func lockStream(ps *prepared, appID, eventID string) error {
	if _, err := ps.exec(`UPDATE event_streams SET last_seq = last_seq
		WHERE app_id = $1 AND org_id = (SELECT org_id FROM events WHERE id = $2)`, appID, eventID); err != nil {
		return fmt.Errorf("lock stream of %s: %w", eventID, err)
	}
	return nil
}

// promoteHead queues the lowest pending event of the event's stream: the
// stream moves on once its head is delivered, parked or failed.
func promoteHead(ps *prepared, eventID string) error {
	if _, err := ps.exec(`UPDATE deliveries SET queued = TRUE WHERE event_id = (
		SELECT h.event_id FROM deliveries h JOIN deliveries e ON e.app_id = h.app_id AND e.org_id = h.org_id
		WHERE e.event_id = $1 AND h.state = 'pending' ORDER BY h.seq LIMIT 1)`, eventID); err != nil {
		return fmt.Errorf("next head after %s: %w", eventID, err)
	}
	return nil
}

// ReleaseLeases ends the leases held by owner: a node restarting under the
// same name takes back at once what it was delivering when it stopped,
// instead of waiting for its old leases to run out.
func (s *Store) ReleaseLeases(ctx context.Context, owner string) (int, error) {
	var n int64
	err := s.Update(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE deliveries SET lease_owner = '', lease_until = 0 WHERE lease_owner = $1`, owner)
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

// prepared caches prepared statements for one transaction: a batch runs
// the same few statements once per event, and preparing is most of a
// statement's cost on SQLite.
type prepared struct {
	ctx context.Context
	tx  *Tx
	m   map[string]*sql.Stmt
}

func newPrepared(ctx context.Context, tx *Tx) *prepared {
	return &prepared{ctx: ctx, tx: tx, m: map[string]*sql.Stmt{}}
}

func (p *prepared) stmt(q string) (*sql.Stmt, error) {
	if st, ok := p.m[q]; ok {
		return st, nil
	}
	st, err := p.tx.PrepareContext(p.ctx, q)
	if err != nil {
		return nil, err
	}
	p.m[q] = st
	return st, nil
}

func (p *prepared) exec(q string, args ...any) (sql.Result, error) {
	st, err := p.stmt(q)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(p.ctx, args...)
}

func (p *prepared) close() {
	for _, st := range p.m {
		st.Close()
	}
}
