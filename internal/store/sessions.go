package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"

	"github.com/shelfhq/shelf/internal/secret"
	"github.com/shelfhq/shelf/internal/shelf"
)

// Token prefixes make leaked tokens recognisable by secret scanners.
const (
	sessionCookiePrefix = "shelf_sess_"
	apiSessionPrefix    = "shelf_at_"
	personalPrefix      = "shelf_pat_"
)

var errNoSession = &shelf.Error{Kind: shelf.KindUnauthenticated, Code: "unauthenticated", Message: "sign in first"}

// CreateSession starts a web session on a device. It returns the cookie
// value and the session's CSRF token; only the cookie value's hash is
// stored, and of the device only what its owner's account page shows.
func (s *Store) CreateSession(ctx context.Context, userID string, ttl time.Duration, dev shelf.SessionDevice) (token, csrf string, err error) {
	token = secret.NewToken(sessionCookiePrefix)
	csrf = secret.NewToken("")
	dev = dev.Clean()
	err = s.Update(ctx, func(tx *Tx) error {
		// Sweep this user's expired sessions while here.
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1 AND expires_at < $2`, userID, micros(tx.Now())); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at, device_browser, device_os, device_addr)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, secret.HashToken(token), userID, csrf, micros(tx.Now()), micros(tx.Now().Add(ttl)),
			dev.Browser, dev.OS, dev.Addr)
		return err
	})
	if err != nil {
		return "", "", fmt.Errorf("create session: %w", err)
	}
	return token, csrf, nil
}

// SessionUser returns the user and CSRF token of a live web session.
func (s *Store) SessionUser(ctx context.Context, token string) (*shelf.User, string, error) {
	var csrf string
	var expires int64
	u, found, err := s.userWithRoles(ctx, `SELECT s.csrf, s.expires_at, u.id, u.email, u.name, u.created_at, r.role
		FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN platform_roles r ON r.user_id = u.id
		WHERE s.token_hash = $1`, secret.HashToken(token), &csrf, &expires)
	if err != nil {
		return nil, "", fmt.Errorf("session: %w", err)
	}
	if !found || fromMicros(expires).Before(s.clock.Now()) {
		return nil, "", errNoSession
	}
	return u, csrf, nil
}

// userWithRoles runs a credential query whose rows hold the caller's
// columns (dest) and then u.id, u.email, u.name, u.created_at and r.role
// from a LEFT JOIN of platform_roles: the credential, its user and their
// roles in one round trip, on every authenticated request.
func (s *Store) userWithRoles(ctx context.Context, query string, arg any, dest ...any) (*shelf.User, bool, error) {
	rows, err := s.read.QueryContext(ctx, query, arg)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	u := &shelf.User{PlatformRoles: []shelf.PlatformRole{}}
	var created int64
	var role sql.NullString
	found := false
	for rows.Next() {
		if err := rows.Scan(append(dest, &u.ID, &u.Email, &u.Name, &created, &role)...); err != nil {
			return nil, false, err
		}
		found = true
		if role.Valid {
			u.PlatformRoles = append(u.PlatformRoles, shelf.PlatformRole(role.String))
		}
	}
	sort.Slice(u.PlatformRoles, func(i, j int) bool { return u.PlatformRoles[i] < u.PlatformRoles[j] })
	u.CreatedAt = fromMicros(created)
	return u, found, rows.Err()
}

// DeleteSession ends a web session.
func (s *Store) DeleteSession(ctx context.Context, token string) error {
	return s.Update(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, secret.HashToken(token))
		return err
	})
}

// CreateToken issues an API bearer token. kind is shelf.TokenSession (from
// POST /auth/token, expiring) or shelf.TokenPersonal (named, revocable,
// optionally expiring). The plain token is returned once and never stored.
func (s *Store) CreateToken(ctx context.Context, userID, name, kind string, ttl time.Duration) (string, *shelf.Token, error) {
	prefix := personalPrefix
	if kind == shelf.TokenSession {
		prefix = apiSessionPrefix
	} else if kind != shelf.TokenPersonal {
		return "", nil, fmt.Errorf("create token: unknown kind %q", kind)
	}
	name, err := shelf.CleanName("name", name, 100)
	if err != nil {
		return "", nil, err
	}
	var plain string
	var t *shelf.Token
	err = s.Update(ctx, func(tx *Tx) error {
		plain, t, err = insertToken(ctx, tx, userID, name, kind, prefix, ttl)
		return err
	})
	if err != nil {
		return "", nil, fmt.Errorf("create token: %w", err)
	}
	return plain, t, nil
}

// insertToken makes a bearer token of a checked name and kind in tx and
// returns it in plain text, the only time it exists so.
func insertToken(ctx context.Context, tx *Tx, userID, name, kind, prefix string, ttl time.Duration) (string, *shelf.Token, error) {
	plain := secret.NewToken(prefix)
	t := &shelf.Token{ID: shelf.NewID("tok"), UserID: userID, Name: name, Kind: kind, Prefix: plain[:len(prefix)+4], CreatedAt: tx.Now()}
	var expires any
	if ttl > 0 {
		e := tx.Now().Add(ttl)
		t.ExpiresAt = &e
		expires = micros(e)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO api_tokens (id, user_id, name, kind, token_hash, prefix, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, t.ID, userID, name, kind, secret.HashToken(plain), t.Prefix, micros(tx.Now()), expires)
	return plain, t, err
}

// TokenUser returns the user behind a live bearer token and notes its use.
func (s *Store) TokenUser(ctx context.Context, plain string) (*shelf.User, error) {
	var id string
	var expires, lastUsed, revoked sql.NullInt64
	u, found, err := s.userWithRoles(ctx, `SELECT t.id, t.expires_at, t.last_used_at, t.revoked_at, u.id, u.email, u.name, u.created_at, r.role
		FROM api_tokens t JOIN users u ON u.id = t.user_id LEFT JOIN platform_roles r ON r.user_id = u.id
		WHERE t.token_hash = $1`, secret.HashToken(plain), &id, &expires, &lastUsed, &revoked)
	if err != nil {
		return nil, fmt.Errorf("token: %w", err)
	}
	now := s.clock.Now()
	if !found || revoked.Valid || expires.Valid && fromMicros(expires.Int64).Before(now) {
		return nil, &shelf.Error{Kind: shelf.KindUnauthenticated, Code: "invalid_token", Message: "the token is unknown, expired or revoked"}
	}
	// Record last use at most once a minute: a write per request would
	// serialize every API call on SQLite's single writer.
	if !lastUsed.Valid || now.Sub(fromMicros(lastUsed.Int64)) > time.Minute {
		if err := s.Update(ctx, func(tx *Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $1 WHERE id = $2`, micros(tx.Now()), id)
			return err
		}); err != nil {
			return nil, fmt.Errorf("token last use: %w", err)
		}
	}
	return u, nil
}

// tokensOrder pages a user's tokens oldest first (index api_tokens_user_created).
var tokensOrder = keyset{cols: []string{"created_at", "id"}}

// Tokens lists one page of a user's live personal tokens, oldest first.
func (s *Store) Tokens(ctx context.Context, userID string, p shelf.PageReq) ([]shelf.Token, error) {
	tail, args, err := tokensOrder.page(p, []any{userID, micros(s.clock.Now())})
	if err != nil {
		return nil, err
	}
	rows, err := s.queryPage(ctx, `SELECT id, user_id, name, kind, prefix, created_at, expires_at, last_used_at FROM api_tokens
		WHERE user_id = $1 AND kind = 'personal' AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2)`+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("tokens: %w", err)
	}
	defer rows.Close()
	out := []shelf.Token{}
	for rows.Next() {
		var t shelf.Token
		var created int64
		var expires, used sql.NullInt64
		if err := rows.Scan(&t.ID, &t.UserID, &t.Name, &t.Kind, &t.Prefix, &created, &expires, &used); err != nil {
			return nil, err
		}
		t.CreatedAt, t.ExpiresAt, t.LastUsedAt = fromMicros(created), nullMicros(expires), nullMicros(used)
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeToken revokes one of the user's tokens.
func (s *Store) RevokeToken(ctx context.Context, userID, tokenID string) error {
	return s.Update(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL`,
			micros(tx.Now()), tokenID, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return shelf.NotFound("token")
		}
		return nil
	})
}

// RevokeBearer revokes the token whose secret is plain (a caller signing
// its own token out).
func (s *Store) RevokeBearer(ctx context.Context, userID, plain string) error {
	return s.Update(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE token_hash = $2 AND user_id = $3 AND revoked_at IS NULL`,
			micros(tx.Now()), secret.HashToken(plain), userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return shelf.NotFound("token")
		}
		return nil
	})
}
