// Package secret hashes passwords, makes and hashes bearer tokens, and
// encrypts the secrets that Shelf must be able to read back (webhook signing
// keys). Nothing here logs or returns a secret in an error.
package secret

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters (RFC 9106's second recommended option scaled to a
// shared 2-core server: 19 MiB, 2 passes, as OWASP suggests).
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
	saltLen      = 16
)

// argonLimiter bounds the argon2id computations running at once. Each
// takes argonMemory (19 MiB): unbounded, a burst of sign-ins (or of
// guesses) would take memory without limit.
type argonLimiter struct {
	slots   chan struct{}
	waiting atomic.Int64 // callers waiting for a slot
}

func newArgonLimiter(n int) *argonLimiter { return &argonLimiter{slots: make(chan struct{}, n)} }

// run runs fn once a slot is free.
func (l *argonLimiter) run(fn func()) {
	l.waiting.Add(1)
	l.slots <- struct{}{}
	l.waiting.Add(-1)
	defer func() { <-l.slots }()
	fn()
}

// argonSlots is the process's bound: two computations per CPU keep every
// CPU busy (an argon2id pass is CPU-bound) at about 40 MiB per CPU. It is
// process-wide by nature: it bounds the process's memory.
var argonSlots = newArgonLimiter(2 * runtime.GOMAXPROCS(0))

// idKey is argon2.IDKey within the process's bound.
func idKey(p, salt []byte, time, memory uint32, threads uint8, keyLen uint32) []byte {
	var key []byte
	argonSlots.run(func() { key = argon2.IDKey(p, salt, time, memory, threads, keyLen) })
	return key
}

// HashPassword returns an encoded argon2id hash of p:
// $argon2id$v=19$m=…,t=…,p=…$salt$hash.
func HashPassword(p string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	key := idKey([]byte(p), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// ErrMalformedHash means a stored hash cannot be parsed.
var ErrMalformedHash = errors.New("malformed password hash")

// CheckPassword reports whether p matches the encoded hash, in constant time.
func CheckPassword(encoded, p string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, ErrMalformedHash
	}
	var version int
	var m uint32
	var t uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, ErrMalformedHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &threads); err != nil {
		return false, ErrMalformedHash
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return false, ErrMalformedHash
	}
	want, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil {
		return false, ErrMalformedHash
	}
	got := idKey([]byte(p), salt, t, m, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// NewToken returns a new random bearer token with a readable prefix, e.g.
// "shelf_pat_…". 256 random bits, so a fast hash (SHA-256) is enough to
// store it: there is nothing to brute-force.
func NewToken(prefix string) string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("secret: crypto/rand failed: " + err.Error())
	}
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

// HashToken returns the hex SHA-256 of a token, the form in which tokens are
// stored and looked up.
func HashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}
