package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// KeySize is the size of a Box key: AES-256.
const KeySize = 32

// sealedPrefix versions the sealed form, so the key or the cipher can change
// later without guessing what a stored value is.
const sealedPrefix = "v1:"

// Box seals the secrets Shelf must read back (webhook signing secrets) with
// AES-256-GCM. The associated data binds a sealed value to its owner (e.g.
// the app id), so a value copied to another row does not open.
type Box struct {
	aead cipher.AEAD
	// derive keys the keys Derive makes; never the sealing key itself.
	derive []byte
}

// NewBox returns a Box for a KeySize-byte key.
func NewBox(key []byte) (*Box, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("secret key: want %d bytes, got %d", KeySize, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("secret key: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("secret key: %w", err)
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("shelf: derived keys"))
	return &Box{aead: aead, derive: mac.Sum(nil)}, nil
}

// Derive returns a 32-byte key for one purpose (e.g. "payments/sandbox"),
// the same on every node with the same secret key, and unrelated to the
// sealing key and to other purposes' keys (HMAC-SHA256 as a KDF).
func (b *Box) Derive(purpose string) []byte {
	mac := hmac.New(sha256.New, b.derive)
	mac.Write([]byte(purpose))
	return mac.Sum(nil)
}

// Seal encrypts plain for the owner named by aad.
func (b *Box) Seal(plain, aad string) string {
	nonce := make([]byte, b.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		panic("secret: crypto/rand failed: " + err.Error())
	}
	out := b.aead.Seal(nonce, nonce, []byte(plain), []byte(aad))
	return sealedPrefix + base64.RawStdEncoding.EncodeToString(out)
}

// ErrUnseal means a sealed value did not open: wrong key, wrong owner or a
// damaged value. It never says which, nor carries the value.
var ErrUnseal = errors.New("sealed secret does not open with this key")

// Open decrypts a value sealed for aad.
func (b *Box) Open(sealed, aad string) (string, error) {
	raw, ok := strings.CutPrefix(sealed, sealedPrefix)
	if !ok {
		return "", ErrUnseal
	}
	data, err := base64.RawStdEncoding.DecodeString(raw)
	n := b.aead.NonceSize()
	if err != nil || len(data) < n {
		return "", ErrUnseal
	}
	plain, err := b.aead.Open(nil, data[:n], data[n:], []byte(aad))
	if err != nil {
		return "", ErrUnseal
	}
	return string(plain), nil
}

// ParseKey reads a key given by flag or environment: 64 hex digits or
// base64 of KeySize bytes.
func ParseKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if k, err := hex.DecodeString(s); err == nil && len(k) == KeySize {
		return k, nil
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if k, err := enc.DecodeString(s); err == nil && len(k) == KeySize {
			return k, nil
		}
	}
	return nil, fmt.Errorf("secret key: want 64 hex digits or base64 of %d bytes", KeySize)
}

// LoadOrCreateKey reads the key file at path, creating it (mode 0600, hex)
// with a fresh random key when it does not exist. Losing this file makes the
// sealed webhook secrets unreadable: back it up with the database.
func LoadOrCreateKey(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err == nil {
		return ParseKey(string(b))
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("read secret key: %w", err)
	}
	key := make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("new secret key: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("write secret key: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		// Another process created it first: use theirs.
		return LoadOrCreateKey(path)
	}
	if err != nil {
		return nil, fmt.Errorf("write secret key: %w", err)
	}
	_, err = f.WriteString(hex.EncodeToString(key) + "\n")
	if err = errors.Join(err, f.Sync(), f.Close()); err != nil {
		return nil, fmt.Errorf("write secret key: %w", err)
	}
	return key, nil
}
