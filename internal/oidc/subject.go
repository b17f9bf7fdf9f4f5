package oidc

import (
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
)

// The HKDF labels of the keys derived from the server's secret key. A new
// label is a new key: never change one without meaning to change every
// subject (or to void every access token).
const (
	subjectKeyInfo = "shelf oidc pairwise subject v1"
	tokenKeyInfo   = "shelf oidc access token encryption v1"
)

// deriveKeys derives the pairwise subject key and the access token key from
// the server's secret key with HKDF-SHA256 (RFC 5869), so neither is the
// key that seals the stored secrets, and no new secret needs keeping.
func deriveKeys(secretKey []byte) (subjectKey []byte, tokenKey [32]byte, err error) {
	if len(secretKey) < 32 {
		return nil, tokenKey, errors.New("oidc: the secret key must have at least 32 bytes")
	}
	if subjectKey, err = hkdf.Key(sha256.New, secretKey, nil, subjectKeyInfo, 32); err != nil {
		return nil, tokenKey, err
	}
	tk, err := hkdf.Key(sha256.New, secretKey, nil, tokenKeyInfo, 32)
	if err != nil {
		return nil, tokenKey, err
	}
	copy(tokenKey[:], tk)
	return subjectKey, tokenKey, nil
}

// Subject is the user's subject identifier for an app: pairwise (OIDC Core
// §8.1), HMAC-SHA256 of the app id and the user id under the subject key,
// base64url. It is stable for a user and an app, differs between apps, and
// reveals neither id, so two vendors cannot join their users by it.
func (p *Provider) Subject(appID, userID string) string {
	m := hmac.New(sha256.New, p.subjectKey)
	m.Write([]byte(appID))
	m.Write([]byte{0})
	m.Write([]byte(userID))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}
