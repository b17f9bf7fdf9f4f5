package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/shelfhq/shelf/internal/shelf"
)

// Emit writes an event for an app about an org in this transaction: the
// outbox. The event commits or rolls back with the change it reports, so a
// vendor never hears of something that did not happen, nor misses something
// that did. Seq comes from the (app, org) stream row, whose row lock
// serializes concurrent emitters: seqs have no gaps and no repeats.
func (tx *Tx) Emit(ctx context.Context, appID, orgID, typ string, data any) (*shelf.Event, error) {
	raw, err := eventData(data)
	if err != nil {
		return nil, fmt.Errorf("emit %s: %w", typ, err)
	}
	e := &shelf.Event{ID: shelf.NewID("evt"), Type: typ, CreatedAt: tx.Now(), AppID: appID, OrgID: orgID, Data: raw}
	// The stream row carries the delivery state (see deliveries.go): a
	// stream that had delivered everything gets this event as its head,
	// due now. Its lock serializes concurrent emitters, and emitting with
	// recording a delivery of the stream.
	now := micros(tx.Now())
	err = tx.QueryRowContext(ctx, `INSERT INTO event_streams (app_id, org_id, last_seq, next_attempt_at, give_up_at) VALUES ($1, $2, 1, $3, $4)
		ON CONFLICT (app_id, org_id) DO UPDATE SET last_seq = event_streams.last_seq + 1,
			next_attempt_at = CASE WHEN event_streams.delivered_seq = event_streams.last_seq THEN $3 ELSE event_streams.next_attempt_at END,
			give_up_at = CASE WHEN event_streams.delivered_seq = event_streams.last_seq THEN $4 ELSE event_streams.give_up_at END
		RETURNING last_seq`, appID, orgID, now, micros(tx.Now().Add(shelf.DeliveryWindow))).Scan(&e.Seq)
	if isForeignKeyViolation(err) {
		return nil, shelf.NotFound("app or org")
	}
	if err != nil {
		return nil, fmt.Errorf("emit %s: next seq: %w", typ, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO events (id, app_id, org_id, seq, type, data, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		e.ID, appID, orgID, e.Seq, typ, string(raw), now); err != nil {
		return nil, fmt.Errorf("emit %s: %w", typ, err)
	}
	tx.emitted = true
	return e, nil
}

// eventData turns an event's data into its JSON object; nil is {}.
func eventData(data any) (json.RawMessage, error) {
	switch d := data.(type) {
	case nil:
		return json.RawMessage(`{}`), nil
	case json.RawMessage:
		if !json.Valid(d) {
			return nil, errors.New("data is not JSON")
		}
		return d, nil
	}
	b, err := json.Marshal(data)
	if err != nil {
		return nil, fmt.Errorf("encode data: %w", err)
	}
	return b, nil
}

// EmitTestPing sends the app a test.ping event about its own partner org,
// through the normal delivery path.
func (s *Store) EmitTestPing(ctx context.Context, appID, byUserID string) (*shelf.Event, error) {
	var e *shelf.Event
	err := s.Update(ctx, func(tx *Tx) error {
		a, err := appTx(ctx, tx, tx.Now(), `a.id = $2`, appID)
		if err != nil {
			return err
		}
		e, err = tx.Emit(ctx, a.ID, a.OrgID, shelf.EventTestPing, shelf.TestPing{Message: "Hello from Shelf: this is a test event.", RequestedBy: byUserID})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("test ping: %w", err)
	}
	return e, nil
}

// MaxEventPage bounds one page of the pull API.
const MaxEventPage = 500

// VendorEvents returns an app's events for one org with seq > after, oldest
// first, and the stream's last seq. An org the app has no events for is not
// found: the pull API must not confirm which orgs exist.
func (s *Store) VendorEvents(ctx context.Context, appID, orgID string, after int64, limit int) ([]shelf.Event, int64, error) {
	if limit <= 0 || limit > MaxEventPage {
		limit = MaxEventPage
	}
	var last int64
	err := s.read.QueryRowContext(ctx, `SELECT last_seq FROM event_streams WHERE app_id = $1 AND org_id = $2`, appID, orgID).Scan(&last)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, shelf.NotFound("event stream")
	}
	if err != nil {
		return nil, 0, fmt.Errorf("vendor events: %w", err)
	}
	rows, err := s.read.QueryContext(ctx, `SELECT id, type, created_at, app_id, org_id, seq, data FROM events
		WHERE app_id = $1 AND org_id = $2 AND seq > $3 ORDER BY seq LIMIT $4`, appID, orgID, after, limit)
	if err != nil {
		return nil, 0, fmt.Errorf("vendor events: %w", err)
	}
	defer rows.Close()
	out := []shelf.Event{}
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, *e)
	}
	return out, last, rows.Err()
}

// Event returns one of an app's events.
func (s *Store) Event(ctx context.Context, appID, eventID string) (*shelf.Event, error) {
	e, err := scanEvent(s.read.QueryRowContext(ctx, `SELECT id, type, created_at, app_id, org_id, seq, data FROM events
		WHERE id = $1 AND app_id = $2`, eventID, appID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, shelf.NotFound("event")
	}
	return e, err
}

func scanEvent(row interface{ Scan(...any) error }) (*shelf.Event, error) {
	var e shelf.Event
	var created int64
	var data string
	if err := row.Scan(&e.ID, &e.Type, &created, &e.AppID, &e.OrgID, &e.Seq, &data); err != nil {
		return nil, err
	}
	e.CreatedAt, e.Data = fromMicros(created), json.RawMessage(data)
	return &e, nil
}
