package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shelfhq/shelf/internal/secret"
	"github.com/shelfhq/shelf/internal/shelf"
)

// The state of OpenID Connect flows: authorization requests, their one-time
// codes and the access tokens issued for them. Codes and token ids are
// bearer secrets: only their SHA-256 is stored.

// Errors of a code exchange; package oidc answers each with invalid_grant.
var (
	errCodeUnknown = &shelf.Error{Kind: shelf.KindInvalid, Code: "code_unknown", Message: "unknown authorization code"}
	errCodeExpired = &shelf.Error{Kind: shelf.KindInvalid, Code: "code_expired", Message: "the authorization code has expired"}
	errCodeReused  = &shelf.Error{Kind: shelf.KindInvalid, Code: "code_reused", Message: "the authorization code was already used; the tokens issued for it are revoked"}
)

// CreateOIDCAuthRequest stores a new authorization request.
func (s *Store) CreateOIDCAuthRequest(ctx context.Context, r *shelf.OIDCAuthRequest) error {
	err := s.Update(ctx, func(tx *Tx) error {
		r.CreatedAt = tx.Now()
		_, err := tx.ExecContext(ctx, `INSERT INTO oidc_auth_requests (id, app_id, client_id, redirect_uri, scopes, state, nonce, response_type,
			response_mode, code_challenge, code_challenge_method, login_hint, prompt, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
			r.ID, r.AppID, r.ClientID, r.RedirectURI, strings.Join(r.Scopes, " "), r.State, r.Nonce, r.ResponseType,
			r.ResponseMode, r.CodeChallenge, r.CodeChallengeMethod, r.LoginHint, strings.Join(r.Prompt, " "), micros(r.CreatedAt), micros(r.ExpiresAt))
		return err
	})
	if err != nil {
		return fmt.Errorf("create oidc auth request: %w", err)
	}
	return nil
}

const oidcAuthRequestColumns = `id, app_id, client_id, redirect_uri, scopes, state, nonce, response_type, response_mode, code_challenge,
	code_challenge_method, login_hint, prompt, COALESCE(user_id, ''), COALESCE(org_id, ''), auth_time, code_hash IS NOT NULL, created_at, expires_at`

func scanOIDCAuthRequest(row interface{ Scan(...any) error }) (*shelf.OIDCAuthRequest, error) {
	var r shelf.OIDCAuthRequest
	var scopes, prompt string
	var authTime sql.NullInt64
	var created, expires int64
	if err := row.Scan(&r.ID, &r.AppID, &r.ClientID, &r.RedirectURI, &scopes, &r.State, &r.Nonce, &r.ResponseType, &r.ResponseMode,
		&r.CodeChallenge, &r.CodeChallengeMethod, &r.LoginHint, &prompt, &r.UserID, &r.OrgID, &authTime, &r.CodeIssued, &created, &expires); err != nil {
		return nil, err
	}
	r.Scopes, r.Prompt = strings.Fields(scopes), strings.Fields(prompt)
	if authTime.Valid {
		r.AuthTime = fromMicros(authTime.Int64)
	}
	r.CreatedAt, r.ExpiresAt = fromMicros(created), fromMicros(expires)
	return &r, nil
}

// OIDCAuthRequest returns an authorization request that has not expired.
func (s *Store) OIDCAuthRequest(ctx context.Context, id string) (*shelf.OIDCAuthRequest, error) {
	r, err := scanOIDCAuthRequest(s.read.QueryRowContext(ctx, `SELECT `+oidcAuthRequestColumns+` FROM oidc_auth_requests
		WHERE id = $1 AND expires_at > $2`, id, micros(s.clock.Now())))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, shelf.NotFound("sign-in request")
	}
	if err != nil {
		return nil, fmt.Errorf("oidc auth request: %w", err)
	}
	return r, nil
}

// CompleteOIDCAuthRequest records who signed in for an authorization
// request and in which org. It succeeds once: a request already completed,
// or expired, is refused.
func (s *Store) CompleteOIDCAuthRequest(ctx context.Context, id, userID, orgID string) error {
	err := s.Update(ctx, func(tx *Tx) error {
		one, err := changedOne(tx.ExecContext(ctx, `UPDATE oidc_auth_requests SET user_id = $1, org_id = $2, auth_time = $3
			WHERE id = $4 AND user_id IS NULL AND expires_at > $3`, userID, orgID, micros(tx.Now()), id))
		if err != nil {
			return err
		}
		if !one {
			return shelf.NotFound("sign-in request")
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("complete oidc auth request: %w", err)
	}
	return nil
}

// SaveOIDCCode records the code handed out for a completed authorization
// request, valid for ttl. One code per request: a second one is refused.
func (s *Store) SaveOIDCCode(ctx context.Context, authRequestID, code string, ttl time.Duration) error {
	err := s.Update(ctx, func(tx *Tx) error {
		one, err := changedOne(tx.ExecContext(ctx, `UPDATE oidc_auth_requests SET code_hash = $1, code_expires_at = $2
			WHERE id = $3 AND user_id IS NOT NULL AND code_hash IS NULL AND expires_at > $4`,
			secret.HashToken(code), micros(tx.Now().Add(ttl)), authRequestID, micros(tx.Now())))
		if err != nil {
			return err
		}
		if !one {
			return shelf.Errorf(shelf.KindConflict, "code_issued", "a code was already issued for this sign-in request, or it is not complete")
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("save oidc code: %w", err)
	}
	return nil
}

// OIDCAuthRequestByCode returns the completed authorization request a code
// was issued for, while the code is unexpired and unused. A code used
// before is a replay (RFC 6749 §4.1.2): the tokens issued for it are
// revoked and the answer is an error.
func (s *Store) OIDCAuthRequestByCode(ctx context.Context, code string) (*shelf.OIDCAuthRequest, error) {
	var r *shelf.OIDCAuthRequest
	var refused error
	err := s.Update(ctx, func(tx *Tx) error {
		var codeExpires int64
		var redeemed sql.NullInt64
		var err error
		row := tx.QueryRowContext(ctx, `SELECT `+oidcAuthRequestColumns+`, code_expires_at, redeemed_at FROM oidc_auth_requests WHERE code_hash = $1`,
			secret.HashToken(code))
		r, err = scanOIDCAuthRequest(scanTail{row, []any{&codeExpires, &redeemed}})
		switch {
		case errors.Is(err, sql.ErrNoRows):
			refused = errCodeUnknown
			return nil
		case err != nil:
			return err
		case redeemed.Valid:
			refused = errCodeReused
			return revokeOIDCGrant(ctx, tx, r.ID)
		case codeExpires <= micros(tx.Now()):
			refused = errCodeExpired
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("oidc code: %w", err)
	}
	if refused != nil {
		return nil, refused
	}
	return r, nil
}

// changedOne reports whether a statement changed exactly one row.
func changedOne(res sql.Result, err error) (bool, error) {
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// scanTail scans a row into a record's columns followed by extra ones.
type scanTail struct {
	row   interface{ Scan(...any) error }
	extra []any
}

func (t scanTail) Scan(dest ...any) error { return t.row.Scan(append(dest, t.extra...)...) }

func revokeOIDCGrant(ctx context.Context, tx *Tx, authRequestID string) error {
	_, err := tx.ExecContext(ctx, `UPDATE oidc_tokens SET revoked_at = $1 WHERE auth_request_id = $2 AND revoked_at IS NULL`,
		micros(tx.Now()), authRequestID)
	return err
}

// RedeemOIDCCode marks the code of an authorization request used and stores
// the access token issued for it, in one transaction: of two exchanges of
// one code racing, one wins and the other is a replay, which revokes the
// winner's token too.
func (s *Store) RedeemOIDCCode(ctx context.Context, t *shelf.OIDCToken) error {
	var refused error
	err := s.Update(ctx, func(tx *Tx) error {
		now := micros(tx.Now())
		one, err := changedOne(tx.ExecContext(ctx, `UPDATE oidc_auth_requests SET redeemed_at = $1
			WHERE id = $2 AND redeemed_at IS NULL AND code_hash IS NOT NULL AND code_expires_at > $1`, now, t.AuthRequestID))
		if err != nil {
			return err
		}
		if !one {
			var redeemed sql.NullInt64
			if err := tx.QueryRowContext(ctx, `SELECT redeemed_at FROM oidc_auth_requests WHERE id = $1`, t.AuthRequestID).Scan(&redeemed); err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			if !redeemed.Valid {
				refused = errCodeExpired
				return nil
			}
			refused = errCodeReused
			return revokeOIDCGrant(ctx, tx, t.AuthRequestID)
		}
		t.CreatedAt = tx.Now()
		_, err = tx.ExecContext(ctx, `INSERT INTO oidc_tokens (id_hash, auth_request_id, app_id, user_id, org_id, subject, scopes, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, secret.HashToken(t.ID), t.AuthRequestID, t.AppID, t.UserID, t.OrgID, t.Subject,
			strings.Join(t.Scopes, " "), now, micros(t.ExpiresAt))
		return err
	})
	if err != nil {
		return fmt.Errorf("redeem oidc code: %w", err)
	}
	return refused
}

// OIDCToken returns an access token by its id while it is unexpired and
// not revoked.
func (s *Store) OIDCToken(ctx context.Context, id string) (*shelf.OIDCToken, error) {
	t := shelf.OIDCToken{ID: id}
	var scopes string
	var created, expires int64
	err := s.read.QueryRowContext(ctx, `SELECT auth_request_id, app_id, user_id, org_id, subject, scopes, created_at, expires_at FROM oidc_tokens
		WHERE id_hash = $1 AND revoked_at IS NULL AND expires_at > $2`, secret.HashToken(id), micros(s.clock.Now())).
		Scan(&t.AuthRequestID, &t.AppID, &t.UserID, &t.OrgID, &t.Subject, &scopes, &created, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, shelf.NotFound("token")
	}
	if err != nil {
		return nil, fmt.Errorf("oidc token: %w", err)
	}
	t.Scopes, t.CreatedAt, t.ExpiresAt = strings.Fields(scopes), fromMicros(created), fromMicros(expires)
	return &t, nil
}

// RevokeOIDCToken revokes an access token of an app; an unknown token, or
// another app's, is left alone without error (RFC 7009 §2.2).
func (s *Store) RevokeOIDCToken(ctx context.Context, id, appID string) error {
	return s.Update(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE oidc_tokens SET revoked_at = $1 WHERE id_hash = $2 AND app_id = $3 AND revoked_at IS NULL`,
			micros(tx.Now()), secret.HashToken(id), appID)
		return err
	})
}

// PruneOIDC deletes the authorization requests that expired before the
// given time, and the tokens issued for them. Give a time at least the
// access token lifetime in the past (a day is plenty): until then a
// request's row is what recognises a replay of its code. It returns how
// many requests went.
func (s *Store) PruneOIDC(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := s.Update(ctx, func(tx *Tx) error {
		cut := micros(before)
		if _, err := tx.ExecContext(ctx, `DELETE FROM oidc_tokens WHERE auth_request_id IN (SELECT id FROM oidc_auth_requests WHERE expires_at < $1)`, cut); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM oidc_auth_requests WHERE expires_at < $1`, cut)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("prune oidc: %w", err)
	}
	return n, nil
}
