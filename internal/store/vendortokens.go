package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/shelfhq/shelf/internal/secret"
	"github.com/shelfhq/shelf/internal/shelf"
)

// Lifetimes of the vendor's install codes and org tokens.
const (
	InstallCodeTTL   = 10 * time.Minute
	VendorAccessTTL  = 2 * time.Hour
	VendorRefreshTTL = 30 * 24 * time.Hour
)

// Token prefixes say what a secret is when one turns up in a log.
const (
	installCodePrefix   = "shelf_sic_"
	vendorAccessPrefix  = shelf.VendorAccessPrefix
	vendorRefreshPrefix = "shelf_srt_"
)

// errGrant is RFC 6749's invalid_grant: the code or refresh token is
// unknown, used, expired, revoked or another app's. One answer for all, so
// codes cannot be probed.
var errGrant = &shelf.Error{Kind: shelf.KindBadRequest, Code: "invalid_grant", Message: "the code or refresh token is invalid, expired, revoked or was issued to another client"}

// issueInstallCode makes the one-time code app.installed carries.
func issueInstallCode(ctx context.Context, tx *Tx, appID, orgID string) (string, error) {
	code := secret.NewToken(installCodePrefix)
	if _, err := tx.ExecContext(ctx, `INSERT INTO vendor_codes (code_hash, app_id, org_id, expires_at, created_at) VALUES ($1, $2, $3, $4, $5)`,
		secret.HashToken(code), appID, orgID, micros(tx.Now().Add(InstallCodeTTL)), micros(tx.Now())); err != nil {
		return "", fmt.Errorf("install code: %w", err)
	}
	return code, nil
}

// ExchangeInstallCode trades an install code for an org access token of the
// app it was issued to (the caller has authenticated the app's client
// credentials). A code works once, for ten minutes, while the app stays
// installed; a code presented again revokes the tokens it gave.
func (s *Store) ExchangeInstallCode(ctx context.Context, appID, code string) (*shelf.VendorToken, error) {
	var tok *shelf.VendorToken
	replayed := false
	err := s.Update(ctx, func(tx *Tx) error {
		hash := secret.HashToken(code)
		var codeApp, orgID string
		var expires int64
		var used sql.NullInt64
		err := tx.QueryRowContext(ctx, `SELECT app_id, org_id, expires_at, used_at FROM vendor_codes WHERE code_hash = $1`+tx.s.dialect.forUpdate(),
			hash).Scan(&codeApp, &orgID, &expires, &used)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && codeApp != appID) {
			return errGrant
		}
		if err != nil {
			return err
		}
		if used.Valid {
			replayed = true
			return revokeTokens(ctx, tx, `code_hash = $1`, hash)
		}
		if micros(tx.Now()) >= expires {
			return errGrant
		}
		if err := requireInstalled(ctx, tx, appID, orgID); err != nil {
			return err
		}
		if err := tx.execOne(ctx, `UPDATE vendor_codes SET used_at = $2 WHERE code_hash = $1 AND used_at IS NULL`, hash, micros(tx.Now())); err != nil {
			return err
		}
		tok, err = issueVendorToken(ctx, tx, appID, orgID, hash)
		return err
	})
	if err == nil && replayed {
		err = errGrant
	}
	if err != nil {
		return nil, fmt.Errorf("exchange install code: %w", err)
	}
	return tok, nil
}

func requireInstalled(ctx context.Context, tx *Tx, appID, orgID string) error {
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM installations WHERE app_id = $1 AND org_id = $2 AND status = 'active' LIMIT 1`,
		appID, orgID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return errGrant
	}
	return err
}

func issueVendorToken(ctx context.Context, tx *Tx, appID, orgID, codeHash string) (*shelf.VendorToken, error) {
	t := &shelf.VendorToken{AccessToken: secret.NewToken(vendorAccessPrefix), RefreshToken: secret.NewToken(vendorRefreshPrefix), TokenType: "Bearer",
		ExpiresIn: int64(VendorAccessTTL / time.Second), AppID: appID, OrgID: orgID, TTL: VendorAccessTTL}
	_, err := tx.ExecContext(ctx, `INSERT INTO vendor_tokens (id, app_id, org_id, code_hash, access_hash, refresh_hash, access_expires_at,
		refresh_expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		shelf.NewID("vtk"), appID, orgID, codeHash, secret.HashToken(t.AccessToken), secret.HashToken(t.RefreshToken),
		micros(tx.Now().Add(VendorAccessTTL)), micros(tx.Now().Add(VendorRefreshTTL)), micros(tx.Now()))
	if err != nil {
		return nil, fmt.Errorf("issue vendor token: %w", err)
	}
	return t, nil
}

// RefreshVendorToken rotates an org token: the refresh token works once and
// the token it belonged to is revoked. A refresh token presented again (a
// sign it leaked) revokes the whole family from its install code.
func (s *Store) RefreshVendorToken(ctx context.Context, appID, refresh string) (*shelf.VendorToken, error) {
	var tok *shelf.VendorToken
	reused := false
	err := s.Update(ctx, func(tx *Tx) error {
		var id, tokApp, orgID, codeHash string
		var expires int64
		var revoked sql.NullInt64
		err := tx.QueryRowContext(ctx, `SELECT id, app_id, org_id, code_hash, refresh_expires_at, revoked_at FROM vendor_tokens
			WHERE refresh_hash = $1`+tx.s.dialect.forUpdate(), secret.HashToken(refresh)).Scan(&id, &tokApp, &orgID, &codeHash, &expires, &revoked)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && tokApp != appID) {
			return errGrant
		}
		if err != nil {
			return err
		}
		if revoked.Valid {
			reused = true
			return revokeTokens(ctx, tx, `code_hash = $1`, codeHash)
		}
		if micros(tx.Now()) >= expires {
			return errGrant
		}
		if err := requireInstalled(ctx, tx, appID, orgID); err != nil {
			return err
		}
		if err := tx.execOne(ctx, `UPDATE vendor_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL`, id, micros(tx.Now())); err != nil {
			return err
		}
		tx.touch(orgID)
		tok, err = issueVendorToken(ctx, tx, appID, orgID, codeHash)
		return err
	})
	if err == nil && reused {
		err = errGrant
	}
	if err != nil {
		return nil, fmt.Errorf("refresh vendor token: %w", err)
	}
	return tok, nil
}

// revokeTokens revokes the live vendor tokens that match where.
func revokeTokens(ctx context.Context, tx *Tx, where string, args ...any) error {
	rows, err := tx.QueryContext(ctx, `UPDATE vendor_tokens SET revoked_at = $`+fmt.Sprint(len(args)+1)+
		` WHERE revoked_at IS NULL AND `+where+` RETURNING org_id`, append(args, micros(tx.Now()))...)
	if err != nil {
		return fmt.Errorf("revoke vendor tokens: %w", err)
	}
	orgs, err := scanStrings(rows)
	if err != nil {
		return fmt.Errorf("revoke vendor tokens: %w", err)
	}
	for _, o := range orgs {
		tx.touch(o)
	}
	return nil
}

// revokeInstallTokens ends every token of an app in an org: the app was
// uninstalled.
func revokeInstallTokens(ctx context.Context, tx *Tx, appID, orgID string) error {
	return revokeTokens(ctx, tx, `app_id = $1 AND org_id = $2`, appID, orgID)
}

// VendorTokenGrant looks an org access token up: what it allows, or
// unauthenticated when it is unknown, expired or revoked.
func (s *Store) VendorTokenGrant(ctx context.Context, access string) (*shelf.TokenGrant, error) {
	var g shelf.TokenGrant
	var expires int64
	var revoked sql.NullInt64
	err := s.read.QueryRowContext(ctx, `SELECT app_id, org_id, access_expires_at, revoked_at FROM vendor_tokens WHERE access_hash = $1`,
		secret.HashToken(access)).Scan(&g.AppID, &g.OrgID, &expires, &revoked)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && (revoked.Valid || micros(s.clock.Now()) >= expires)) {
		return nil, &shelf.Error{Kind: shelf.KindUnauthenticated, Code: "invalid_token", Message: "the access token is unknown, expired or revoked"}
	}
	if err != nil {
		return nil, fmt.Errorf("vendor token: %w", err)
	}
	g.ExpiresAt = fromMicros(expires)
	return &g, nil
}
