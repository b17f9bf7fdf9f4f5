package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
)

// audit records a decision in the same transaction as the decision.
// before and after are marshalled to JSON (nil stays empty).
func audit(ctx context.Context, tx *Tx, actorID, action, objType, objID string, before, after any, reason string) error {
	doc := func(v any) (string, error) {
		if v == nil {
			return "", nil
		}
		b, err := json.Marshal(v)
		return string(b), err
	}
	b, err := doc(before)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	a, err := doc(after)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	row := auditRow{ID: tx.s.auditID(tx.Now()), Actor: actorID, Action: action, ObjType: objType, ObjID: objID, Before: b, After: a, Reason: reason}
	if tx.group != nil { // written with the group's other entries, before it commits
		tx.group.audits = append(tx.group.audits, row)
		return nil
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO audit_log (id, actor_id, action, object_type, object_id, before_doc, after_doc, reason, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, row.ID, actorID, action, objType, objID, b, a, reason, micros(tx.Now()))
	if err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

// auditRow is an audit entry waiting to be written with others.
type auditRow struct {
	ID      string `json:"id"`
	Actor   string `json:"actor"`
	Action  string `json:"action"`
	ObjType string `json:"type"`
	ObjID   string `json:"object"`
	Before  string `json:"before"`
	After   string `json:"after"`
	Reason  string `json:"reason"`
}

// auditID is a new audit entry's id: its time and then the store's count
// of entries, in fixed-width hex, so that the log's order (at, then id)
// is the order of writing even among entries of one instant (a
// transaction's, or a clock that did not move); a random tail keeps ids
// of nodes writing at the same instant apart.
func (s *Store) auditID(at time.Time) string {
	return fmt.Sprintf("aud_%016x%010x%s", micros(at), s.auditSeq.Add(1), shelf.NewID("")[1:9])
}

// auditOrder pages the audit log newest first (index audit_log_at_id; of
// one person, audit_log_actor).
var auditOrder = keyset{cols: []string{"at", "id"}, desc: true}

// AuditLog returns one page of entries, newest first.
func (s *Store) AuditLog(ctx context.Context, q shelf.AuditQuery) ([]shelf.AuditEntry, error) {
	where, args := `TRUE`, []any{}
	if t := strings.TrimSpace(q.Text); t != "" {
		where += ` AND (action LIKE $1 ESCAPE '\' OR object_id LIKE $1 ESCAPE '\' OR actor_id LIKE $1 ESCAPE '\' OR object_type = $2)`
		args = append(args, likeEscape(t)+"%", t)
	}
	if q.Actor != "" {
		args = append(args, q.Actor)
		where += ` AND actor_id = $` + strconv.Itoa(len(args))
	}
	tail, args, err := auditOrder.page(q.PageReq, args)
	if err != nil {
		return nil, err
	}
	rows, err := s.queryPage(ctx, `SELECT id, actor_id, action, object_type, object_id, before_doc, after_doc, reason, at
		FROM audit_log WHERE `+where+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	defer rows.Close()
	out := []shelf.AuditEntry{}
	for rows.Next() {
		var e shelf.AuditEntry
		var at int64
		if err := rows.Scan(&e.ID, &e.ActorID, &e.Action, &e.ObjectType, &e.ObjectID, &e.Before, &e.After, &e.Reason, &at); err != nil {
			return nil, err
		}
		e.At = fromMicros(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// notify leaves a notice in an org's console, in the caller's transaction.
func notify(ctx context.Context, tx *Tx, orgID, kind, objectID, message string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO notices (id, org_id, kind, object_id, message, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		shelf.NewID("ntc"), orgID, kind, objectID, message, micros(tx.Now()))
	if err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	return nil
}

// noticesOrder pages an org's notices newest first (index notices_org_created_id).
var noticesOrder = keyset{cols: []string{"created_at", "id"}, desc: true}

// Notices lists one page of an org's notices, newest first.
func (s *Store) Notices(ctx context.Context, orgID string, p shelf.PageReq) ([]shelf.Notice, error) {
	tail, args, err := noticesOrder.page(p, []any{orgID})
	if err != nil {
		return nil, err
	}
	rows, err := s.queryPage(ctx, `SELECT id, org_id, kind, object_id, message, created_at, read_at FROM notices
		WHERE org_id = $1`+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("notices: %w", err)
	}
	defer rows.Close()
	out := []shelf.Notice{}
	for rows.Next() {
		var n shelf.Notice
		var created int64
		var readAt sql.NullInt64
		if err := rows.Scan(&n.ID, &n.OrgID, &n.Kind, &n.ObjectID, &n.Message, &created, &readAt); err != nil {
			return nil, err
		}
		n.CreatedAt, n.ReadAt = fromMicros(created), nullMicros(readAt)
		out = append(out, n)
	}
	return out, rows.Err()
}
