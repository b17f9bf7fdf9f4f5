package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/shelfhq/shelf/internal/shelf"
)

// SetAppOIDC sets how an app signs its users in with Shelf: its redirect
// URIs and its initiate-login URI, checked by shelf.CheckAppOIDC. The audit
// entry is written in the same transaction.
func (s *Store) SetAppOIDC(ctx context.Context, appID string, redirectURIs []string, initiateLoginURI, byUserID string) (*shelf.AppOIDC, error) {
	in, err := shelf.CheckAppOIDC(shelf.AppOIDC{RedirectURIs: redirectURIs, InitiateLoginURI: initiateLoginURI})
	if err != nil {
		return nil, err
	}
	doc, err := json.Marshal(in.RedirectURIs)
	if err != nil {
		return nil, err
	}
	err = s.Update(ctx, func(tx *Tx) error {
		before, err := appOIDCTx(ctx, tx, appID)
		if err != nil {
			return err
		}
		if err := tx.execOne(ctx, `UPDATE apps SET redirect_uris = $1, initiate_login_uri = $2, updated_at = $3 WHERE id = $4`,
			string(doc), in.InitiateLoginURI, micros(tx.Now()), appID); err != nil {
			return err
		}
		return audit(ctx, tx, byUserID, "app.oidc", "app", appID, before, &in, "")
	})
	if err != nil {
		return nil, fmt.Errorf("set sign-in settings of app %s: %w", appID, err)
	}
	return &in, nil
}

// AppOIDC returns an app's sign-in settings.
func (s *Store) AppOIDC(ctx context.Context, appID string) (*shelf.AppOIDC, error) {
	return appOIDCTx(ctx, s.read, appID)
}

func appOIDCTx(ctx context.Context, q queryer, appID string) (*shelf.AppOIDC, error) {
	var doc string
	var out shelf.AppOIDC
	err := q.QueryRowContext(ctx, `SELECT redirect_uris, initiate_login_uri FROM apps WHERE id = $1`, appID).Scan(&doc, &out.InitiateLoginURI)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, shelf.NotFound("app")
	}
	if err != nil {
		return nil, fmt.Errorf("app sign-in settings: %w", err)
	}
	if err := json.Unmarshal([]byte(doc), &out.RedirectURIs); err != nil {
		return nil, fmt.Errorf("app %s redirect URIs: %w", appID, err)
	}
	return &out, nil
}

// OIDCClient returns the app whose client id is given, with its sign-in
// settings: the OpenID provider's view of a client.
func (s *Store) OIDCClient(ctx context.Context, clientID string) (*shelf.OIDCClient, error) {
	var id string
	err := s.read.QueryRowContext(ctx, `SELECT id FROM apps WHERE client_id = $1`, clientID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, shelf.NotFound("client")
	}
	if err != nil {
		return nil, fmt.Errorf("oidc client: %w", err)
	}
	a, err := s.App(ctx, id)
	if err != nil {
		return nil, err
	}
	o, err := s.AppOIDC(ctx, id)
	if err != nil {
		return nil, err
	}
	return &shelf.OIDCClient{App: *a, AppOIDC: *o}, nil
}
