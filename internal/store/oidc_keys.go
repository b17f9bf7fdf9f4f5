package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/shelfhq/shelf/internal/shelf"
)

// oidcKeyAAD binds a sealed signing key to its row.
func oidcKeyAAD(id string) string { return "oidc_key:" + id }

// OIDCKeys returns the ID token signing keys, newest first, with their
// private keys unsealed.
func (s *Store) OIDCKeys(ctx context.Context) ([]shelf.OIDCKey, error) {
	if s.box == nil {
		return nil, errors.New("oidc keys: no secret key configured")
	}
	rows, err := s.read.QueryContext(ctx, `SELECT id, generation, algorithm, sealed, created_at FROM oidc_keys ORDER BY generation DESC`)
	if err != nil {
		return nil, fmt.Errorf("oidc keys: %w", err)
	}
	defer rows.Close()
	var out []shelf.OIDCKey
	for rows.Next() {
		var k shelf.OIDCKey
		var sealed string
		var created int64
		if err := rows.Scan(&k.ID, &k.Generation, &k.Algorithm, &sealed, &created); err != nil {
			return nil, err
		}
		if k.PrivateKey, err = s.box.Open(sealed, oidcKeyAAD(k.ID)); err != nil {
			return nil, fmt.Errorf("oidc key %s: %w", k.ID, err)
		}
		k.CreatedAt = fromMicros(created)
		out = append(out, k)
	}
	return out, rows.Err()
}

// AddOIDCKey stores a new signing key unless a key of its generation
// exists already: when two nodes rotate at once, the first insert wins and
// added is false for the other, which then reads and uses the winner's key.
// CreatedAt is set from the store's clock.
func (s *Store) AddOIDCKey(ctx context.Context, k *shelf.OIDCKey) (added bool, err error) {
	if s.box == nil {
		return false, errors.New("add oidc key: no secret key configured")
	}
	err = s.Update(ctx, func(tx *Tx) error {
		k.CreatedAt = tx.Now()
		res, err := tx.ExecContext(ctx, `INSERT INTO oidc_keys (id, generation, algorithm, sealed, created_at) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (generation) DO NOTHING`, k.ID, k.Generation, k.Algorithm, s.box.Seal(k.PrivateKey, oidcKeyAAD(k.ID)), micros(tx.Now()))
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		added = n == 1
		return err
	})
	if err != nil {
		return false, fmt.Errorf("add oidc key: %w", err)
	}
	return added, nil
}
