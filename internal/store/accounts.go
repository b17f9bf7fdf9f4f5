package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/shelfhq/shelf/internal/secret"
	"github.com/shelfhq/shelf/internal/shelf"
)

// UserSessions lists a person's live web sessions, newest first; current
// is the cookie of the asking browser (marked Current; "" marks none).
func (s *Store) UserSessions(ctx context.Context, userID, current string) ([]shelf.UserSession, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT token_hash, created_at, expires_at, device_browser, device_os, device_addr FROM sessions
		WHERE user_id = $1 AND expires_at > $2 ORDER BY created_at DESC, token_hash LIMIT 50`, userID, micros(s.clock.Now()))
	if err != nil {
		return nil, fmt.Errorf("user sessions: %w", err)
	}
	defer rows.Close()
	mine := ""
	if current != "" {
		mine = secret.HashToken(current)
	}
	out := []shelf.UserSession{}
	for rows.Next() {
		var hash string
		var created, expires int64
		var dev shelf.SessionDevice
		if err := rows.Scan(&hash, &created, &expires, &dev.Browser, &dev.OS, &dev.Addr); err != nil {
			return nil, fmt.Errorf("user sessions: %w", err)
		}
		out = append(out, shelf.UserSession{Key: hash[:shelf.SessionKeyLen], CreatedAt: fromMicros(created), ExpiresAt: fromMicros(expires), Current: hash == mine, Device: dev})
	}
	return out, rows.Err()
}

// EndUserSession signs one of a person's browsers out by its key; another
// person's session is not found.
func (s *Store) EndUserSession(ctx context.Context, userID, key string) error {
	if len(key) != shelf.SessionKeyLen || strings.Trim(key, "0123456789abcdef") != "" { // hex only: no LIKE wildcards
		return shelf.NotFound("session")
	}
	return s.Update(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1 AND token_hash LIKE $2`, userID, key+"%")
		if err != nil {
			return fmt.Errorf("end session: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return shelf.NotFound("session")
		}
		return audit(ctx, tx, userID, "user.end_session", "user", userID, nil, nil, "")
	})
}

// ChangeOwnPassword sets a person's new password after they proved the
// old one (the caller checks it through Authenticate, which counts
// failures), and signs every other browser out; keep is the asking
// browser's session cookie, which stays.
func (s *Store) ChangeOwnPassword(ctx context.Context, userID, password, keep string) error {
	if err := shelf.CheckPassword(password); err != nil {
		return err
	}
	hash, err := secret.HashPassword(password)
	if err != nil {
		return fmt.Errorf("change password: %w", err)
	}
	return s.Update(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1 WHERE id = $2`, hash, userID); err != nil {
			return fmt.Errorf("change password: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2`, userID, secret.HashToken(keep)); err != nil {
			return fmt.Errorf("change password: %w", err)
		}
		return audit(ctx, tx, userID, "user.change_password", "user", userID, nil, nil, "")
	})
}

// RenameUser changes a person's display name.
func (s *Store) RenameUser(ctx context.Context, userID, name string) error {
	name, err := shelf.CleanName("name", name, 100)
	if err != nil {
		return err
	}
	if name == "" {
		return shelf.FieldError("name", "required", "name is required")
	}
	return s.Update(ctx, func(tx *Tx) error {
		var before string
		if err := tx.QueryRowContext(ctx, `SELECT name FROM users WHERE id = $1`, userID).Scan(&before); err != nil {
			return fmt.Errorf("rename user: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET name = $1 WHERE id = $2`, name, userID); err != nil {
			return fmt.Errorf("rename user: %w", err)
		}
		return audit(ctx, tx, userID, "user.rename", "user", userID, map[string]string{"name": before}, map[string]string{"name": name}, "")
	})
}
