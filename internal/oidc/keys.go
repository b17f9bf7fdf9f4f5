package oidc

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// keyBits is the size of the RSA signing keys. RS256 is the one algorithm
// every relying party must accept (OIDC Core §15.1).
const keyBits = 2048

// keyring signs with the newest key in the database and publishes the keys
// whose tokens may still be unexpired. A key older than rotateAfter is
// replaced by the first node that needs to sign; the store's conditional
// insert makes that one new key however many nodes try at once.
type keyring struct {
	store       Keys
	clock       shelf.Clock
	rotateAfter time.Duration
	retain      time.Duration // how long a replaced key stays published

	mu     sync.Mutex // one rotation at a time on this node
	parsed sync.Map   // key id → *rsa.PrivateKey; keys never change
}

// keys returns the keys newest first, making a new one first when there is
// none or the newest is due for rotation.
func (k *keyring) keys(ctx context.Context) ([]shelf.OIDCKey, error) {
	keys, err := k.store.OIDCKeys(ctx)
	if err != nil {
		return nil, err
	}
	if len(keys) > 0 && k.clock.Now().Sub(keys[0].CreatedAt) < k.rotateAfter {
		return keys, nil
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if keys, err = k.store.OIDCKeys(ctx); err != nil {
		return nil, err
	}
	if len(keys) > 0 && k.clock.Now().Sub(keys[0].CreatedAt) < k.rotateAfter {
		return keys, nil // another goroutine or node rotated meanwhile
	}
	next := int64(1)
	if len(keys) > 0 {
		next = keys[0].Generation + 1
	}
	priv, err := rsa.GenerateKey(rand.Reader, keyBits)
	if err != nil {
		return nil, fmt.Errorf("oidc: new signing key: %w", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, fmt.Errorf("oidc: new signing key: %w", err)
	}
	// Whether this insert or another node's won, the newest key is now
	// fresh: read it back.
	if _, err := k.store.AddOIDCKey(ctx, &shelf.OIDCKey{ID: shelf.NewID("sig"), Generation: next, Algorithm: string(jose.RS256),
		PrivateKey: base64.StdEncoding.EncodeToString(der)}); err != nil {
		return nil, err
	}
	return k.store.OIDCKeys(ctx)
}

func (k *keyring) private(key shelf.OIDCKey) (*rsa.PrivateKey, error) {
	if v, ok := k.parsed.Load(key.ID); ok {
		return v.(*rsa.PrivateKey), nil
	}
	der, err := base64.StdEncoding.DecodeString(key.PrivateKey)
	if err != nil {
		return nil, fmt.Errorf("oidc: signing key %s: %w", key.ID, err)
	}
	parsed, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, fmt.Errorf("oidc: signing key %s: %w", key.ID, err)
	}
	priv, ok := parsed.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("oidc: signing key %s is not an RSA key", key.ID)
	}
	k.parsed.Store(key.ID, priv)
	return priv, nil
}

// signingKey is the key that signs now: the newest.
func (k *keyring) signingKey(ctx context.Context) (op.SigningKey, error) {
	keys, err := k.keys(ctx)
	if err != nil {
		return nil, err
	}
	priv, err := k.private(keys[0])
	if err != nil {
		return nil, err
	}
	return signingKey{id: keys[0].ID, alg: jose.SignatureAlgorithm(keys[0].Algorithm), key: priv}, nil
}

// published are the public keys of the JWKS: the newest, and each older
// one until retain has passed since a newer one replaced it.
func (k *keyring) published(ctx context.Context) ([]op.Key, error) {
	keys, err := k.keys(ctx)
	if err != nil {
		return nil, err
	}
	now := k.clock.Now()
	var out []op.Key
	for i, key := range keys {
		if i > 0 && !now.Before(keys[i-1].CreatedAt.Add(k.retain)) {
			break
		}
		priv, err := k.private(key)
		if err != nil {
			return nil, err
		}
		out = append(out, publicKey{id: key.ID, alg: jose.SignatureAlgorithm(key.Algorithm), key: &priv.PublicKey})
	}
	return out, nil
}

type signingKey struct {
	id  string
	alg jose.SignatureAlgorithm
	key *rsa.PrivateKey
}

func (s signingKey) SignatureAlgorithm() jose.SignatureAlgorithm { return s.alg }
func (s signingKey) Key() any                                    { return s.key }
func (s signingKey) ID() string                                  { return s.id }

type publicKey struct {
	id  string
	alg jose.SignatureAlgorithm
	key *rsa.PublicKey
}

func (p publicKey) ID() string                         { return p.id }
func (p publicKey) Algorithm() jose.SignatureAlgorithm { return p.alg }
func (p publicKey) Use() string                        { return "sig" }
func (p publicKey) Key() any                           { return p.key }
