package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
)

// PruneDeliveries deletes the delivery log of events settled (delivered, or
// failed for good) before `before`: their attempts and, for failed ones,
// their exception rows; the stream's pruned_seq then hides them from the
// log. It goes through each stream in seq order, up to limit events per app
// and call, one transaction per stream so the dispatcher's transactions get
// their turn, and stops in a stream at the first event that is not settled
// yet or was last attempted at or after `before`. Parked events are never
// touched, however old (they stay in the log, as exceptions); nor are the
// events themselves: the pull API still serves them by seq. It returns how
// many deliveries it deleted; call it again until that is 0.
func (s *Store) PruneDeliveries(ctx context.Context, before time.Time, limit int) (int, error) {
	apps, err := s.appIDs(ctx)
	if err != nil {
		return 0, fmt.Errorf("prune deliveries: %w", err)
	}
	total := 0
	for _, app := range apps {
		n, err := s.pruneApp(ctx, app, before, limit)
		if err != nil {
			return total, fmt.Errorf("prune deliveries of %s: %w", app, err)
		}
		total += n
	}
	return total, nil
}

func (s *Store) appIDs(ctx context.Context) ([]string, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id FROM apps ORDER BY id`)
	if err != nil {
		return nil, err
	}
	return scanIDs(rows)
}

// pruneApp is PruneDeliveries for one app: the streams with settled events
// still in the log, read outside the write transactions.
func (s *Store) pruneApp(ctx context.Context, app string, before time.Time, limit int) (int, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT org_id FROM event_streams WHERE app_id = $1 AND pruned_seq < delivered_seq ORDER BY org_id`, app)
	if err != nil {
		return 0, err
	}
	orgs, err := scanIDs(rows)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, org := range orgs {
		if total >= limit {
			break
		}
		n, err := s.pruneStream(ctx, app, org, before, limit-total)
		if err != nil {
			return total, err
		}
		total += n
	}
	return total, nil
}

// pruneStream prunes one stream in a transaction that locks its row (so no
// resend or recording changes what it reads meanwhile).
func (s *Store) pruneStream(ctx context.Context, app, org string, before time.Time, limit int) (int, error) {
	n := 0
	err := s.Update(ctx, func(tx *Tx) error {
		var pruned, delivered int64
		err := tx.QueryRowContext(ctx, `SELECT pruned_seq, delivered_seq FROM event_streams WHERE app_id = $1 AND org_id = $2`+s.dialect.forUpdate(),
			app, org).Scan(&pruned, &delivered)
		if err != nil {
			return err
		}
		// Parked events do not count against the limit, so read past it.
		rows, err := tx.QueryContext(ctx, `SELECT e.id, e.seq, e.created_at < $3 AND NOT EXISTS (SELECT 1 FROM delivery_attempts a
				WHERE a.event_id = e.id AND a.attempted_at >= $3), COALESCE(x.state, ''), COALESCE(x.updated_at, 0)
			FROM events e LEFT JOIN delivery_exceptions x ON x.event_id = e.id
			WHERE e.app_id = $1 AND e.org_id = $2 AND e.seq > $4 AND e.seq <= $5 ORDER BY e.seq LIMIT $6`,
			app, org, micros(before), pruned, delivered, 2*limit+16)
		if err != nil {
			return err
		}
		defer rows.Close()
		var gone, failed []string
		last := pruned
	walk:
		for rows.Next() && len(gone) < limit {
			var id, state string
			var seq, updated int64
			var old bool
			if err := rows.Scan(&id, &seq, &old, &state, &updated); err != nil {
				return err
			}
			switch {
			case state == string(shelf.DeliveryParked):
			case !old || (state == string(shelf.DeliveryFailed) && updated >= micros(before)):
				break walk
			case state == string(shelf.DeliveryFailed):
				failed = append(failed, id)
				gone = append(gone, id)
			default:
				gone = append(gone, id)
			}
			last = seq
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		if last == pruned {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE event_streams SET pruned_seq = $3 WHERE app_id = $1 AND org_id = $2`, app, org, last); err != nil {
			return err
		}
		n = len(gone)
		for q, ids := range map[string][]string{
			`DELETE FROM delivery_attempts WHERE event_id IN (SELECT j.value FROM ` + s.dialect.jsonTexts("$1") + ` AS j)`:   gone,
			`DELETE FROM delivery_exceptions WHERE event_id IN (SELECT j.value FROM ` + s.dialect.jsonTexts("$1") + ` AS j)`: failed,
		} {
			if len(ids) == 0 {
				continue
			}
			arg, err := jsonArg(ids)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, q, arg); err != nil {
				return err
			}
		}
		return nil
	})
	return n, err
}

// scanIDs reads a one-column result of ids and closes it. The error that
// ends the rows early (a lost connection, a cancelled context) is only in
// rows.Err: without it a partial read would pass for the whole result.
func scanIDs(rows *sql.Rows) ([]string, error) {
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return ids, rows.Close()
}
