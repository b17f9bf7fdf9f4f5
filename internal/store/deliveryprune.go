package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// PruneDeliveries deletes the delivery log of events settled (delivered, or
// failed for good) before `before`, that is, whose delivery last changed
// then: their deliveries rows and attempts, up to limit events per app and call, one transaction per app
// so the dispatcher's transactions get their turn. The events themselves
// stay: the pull API still serves them by seq. Events still to send
// (pending, parked, leased) are never touched, however old. It returns how
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

// pruneApp is PruneDeliveries for one app. The candidates are read outside
// the write transaction, through the (app, created) index (a delivery last
// changed before `before` was created before it too). The delete goes by
// their ids and checks them again, since a resend may have brought one
// back meanwhile; on PostgreSQL it skips rows another transaction holds,
// so nodes pruning at once neither wait on each other nor deadlock. The
// attempts go only with the deliveries actually deleted.
func (s *Store) pruneApp(ctx context.Context, app string, before time.Time, limit int) (int, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT event_id FROM deliveries WHERE app_id = $1 AND created_at < $2
		AND state IN ('delivered', 'failed') AND updated_at < $2 ORDER BY created_at LIMIT $3`, app, micros(before), limit)
	if err != nil {
		return 0, err
	}
	ids, err := scanIDs(rows)
	if err != nil {
		return 0, err
	}
	if len(ids) == 0 {
		return 0, nil
	}
	arg, err := jsonArg(ids)
	if err != nil {
		return 0, err
	}
	n := 0
	err = s.Update(ctx, func(tx *Tx) error {
		gone, err := tx.QueryContext(ctx, `DELETE FROM deliveries WHERE event_id IN (SELECT d.event_id FROM deliveries d
			WHERE d.event_id IN (SELECT j.value FROM `+s.dialect.jsonTexts("$1")+` AS j) AND d.state IN ('delivered', 'failed') AND d.updated_at < $2
			ORDER BY d.event_id`+s.dialect.skipLocked()+`) RETURNING event_id`, arg, micros(before))
		if err != nil {
			return err
		}
		deleted, err := scanIDs(gone)
		if err != nil {
			return err
		}
		if n = len(deleted); n == 0 {
			return nil
		}
		arg, err := jsonArg(deleted)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM delivery_attempts WHERE event_id IN (SELECT j.value FROM `+s.dialect.jsonTexts("$1")+` AS j)`, arg)
		return err
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
