package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
)

// readyDeliveries selects the deliveries a dispatcher may send now: the
// head (lowest pending seq) of each (app, org) stream, and parked ones,
// whose retry time has come and whose lease (if any) has run out, of apps
// with an endpoint. Only deliveries rows are locked: locking the app row
// would make other nodes skip every event of that app.
const readyDeliveries = `FROM deliveries d
	WHERE d.next_attempt_at <= $1 AND d.lease_until <= $1
	AND (d.state = 'parked' OR (d.state = 'pending' AND NOT EXISTS (
		SELECT 1 FROM deliveries p WHERE p.app_id = d.app_id AND p.org_id = d.org_id AND p.state = 'pending' AND p.seq < d.seq)))
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
		secrets := map[string][]string{}
		for _, id := range picked {
			job, err := s.leaseDelivery(ctx, tx, id, c, secrets)
			if err != nil {
				return err
			}
			jobs = append(jobs, *job)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("claim deliveries: %w", err)
	}
	return jobs, nil
}

// leaseDelivery leases one picked delivery and loads its event, endpoint
// and signing secrets (cached per app in secrets).
func (s *Store) leaseDelivery(ctx context.Context, tx *Tx, eventID string, c shelf.DeliveryClaim, secrets map[string][]string) (*shelf.DeliveryJob, error) {
	if _, err := tx.ExecContext(ctx, `UPDATE deliveries SET lease_owner = $1, lease_until = $2, updated_at = $3 WHERE event_id = $4`,
		c.Owner, micros(c.Now.Add(c.Lease)), micros(c.Now), eventID); err != nil {
		return nil, err
	}
	job := shelf.DeliveryJob{LeaseOwner: c.Owner}
	var created, giveUp int64
	var first sql.NullInt64
	var data string
	e := &job.Event
	err := tx.QueryRowContext(ctx, `SELECT e.id, e.type, e.created_at, e.app_id, e.org_id, e.seq, e.data, a.webhook_url,
		d.state, d.attempts, d.first_attempt_at, d.give_up_at
		FROM deliveries d JOIN events e ON e.id = d.event_id JOIN apps a ON a.id = d.app_id WHERE d.event_id = $1`, eventID).
		Scan(&e.ID, &e.Type, &created, &e.AppID, &e.OrgID, &e.Seq, &data, &job.URL, &job.State, &job.Attempts, &first, &giveUp)
	if err != nil {
		return nil, fmt.Errorf("load delivery %s: %w", eventID, err)
	}
	e.CreatedAt, e.Data, job.FirstAttemptAt, job.GiveUpAt = fromMicros(created), []byte(data), nullMicros(first), fromMicros(giveUp)
	if _, ok := secrets[e.AppID]; !ok {
		if secrets[e.AppID], err = s.signingSecrets(ctx, tx, e.AppID, c.Now); err != nil {
			return nil, err
		}
	}
	job.Secrets = secrets[e.AppID]
	return &job, nil
}

// RecordDeliveries logs attempts and moves their deliveries on, in one
// transaction (group commit: one fsync for a whole round). A delivery whose
// lease was lost to another node keeps that node's state; the attempt is
// still logged, since it happened.
func (s *Store) RecordDeliveries(ctx context.Context, outs []shelf.DeliveryOutcome) error {
	if len(outs) == 0 {
		return nil
	}
	err := s.Update(ctx, func(tx *Tx) error {
		for _, o := range outs {
			a := o.Attempt
			if _, err := tx.ExecContext(ctx, `INSERT INTO delivery_attempts (id, event_id, app_id, event_type, attempted_at, ok, status_code, latency_us, error, response)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
				shelf.NewID("att"), a.EventID, o.AppID, a.EventType, micros(a.AttemptedAt), a.OK, a.StatusCode, a.Latency.Microseconds(), a.Error, a.Response); err != nil {
				return fmt.Errorf("log attempt of %s: %w", a.EventID, err)
			}
			var delivered any
			if o.State == shelf.DeliveryDelivered {
				delivered = micros(a.AttemptedAt)
			}
			if _, err := tx.ExecContext(ctx, `UPDATE deliveries SET state = $1, attempts = attempts + 1, next_attempt_at = $2,
				first_attempt_at = COALESCE(first_attempt_at, $3), lease_owner = '', lease_until = 0, last_status = $4, last_error = $5,
				delivered_at = COALESCE($6, delivered_at), updated_at = $7
				WHERE event_id = $8 AND lease_owner = $9`,
				o.State, micros(o.NextAttemptAt), micros(a.AttemptedAt), a.StatusCode, a.Error, delivered, micros(tx.Now()), a.EventID, o.LeaseOwner); err != nil {
				return fmt.Errorf("update delivery %s: %w", a.EventID, err)
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
// or a parked one) is or becomes ready (its retry time or the end of its lease), so a dispatcher
// (or a test moving a ManualClock) knows how long to wait. ok is false when
// nothing is waiting.
func (s *Store) NextDeliveryAt(ctx context.Context) (at time.Time, ok bool, err error) {
	var v sql.NullInt64
	err = s.read.QueryRowContext(ctx, `SELECT MIN(CASE WHEN d.lease_until > d.next_attempt_at THEN d.lease_until ELSE d.next_attempt_at END)
		FROM deliveries d WHERE (d.state = 'parked' OR (d.state = 'pending' AND NOT EXISTS (
			SELECT 1 FROM deliveries p WHERE p.app_id = d.app_id AND p.org_id = d.org_id AND p.state = 'pending' AND p.seq < d.seq)))
		AND EXISTS (SELECT 1 FROM apps a WHERE a.id = d.app_id AND a.webhook_url <> '')`).Scan(&v)
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
