package shelf

import (
	"crypto/rand"
	"strings"
	"time"
)

// DeviceLogin is a sign-in started on a device without a browser (RFC 8628):
// the device polls with its secret device code while a person enters the
// short user code on a page where they are signed in, and approves.
type DeviceLogin struct {
	ID         string
	UserCode   string // "BCDF-GHJK": what the person types
	ClientName string // what asks, shown on the approval page
	State      string // DeviceLoginPending, …
	CreatedAt  time.Time
	ExpiresAt  time.Time
}

// Device login states.
const (
	DeviceLoginPending  = "pending"
	DeviceLoginApproved = "approved"
	DeviceLoginDenied   = "denied"
	DeviceLoginUsed     = "used"
)

// Device login timing: how long a code lives, and how often a device may
// poll (a faster poll is told to slow down).
const (
	DeviceLoginTTL      = 10 * time.Minute
	DeviceLoginInterval = 5 * time.Second
)

// userCodeAlphabet is RFC 8628's base-20 consonant set: no vowels (no
// words), no look-alikes of digits, easy to read aloud and type on a phone.
const userCodeAlphabet = "BCDFGHJKLMNPQRSTVWXZ"

// NewUserCode returns a random user code of eight letters, shown as
// XXXX-XXXX (20^8 ≈ 2.6e10 codes, alive ten minutes). Bytes of 240 and
// above are drawn again, so every letter is equally likely.
func NewUserCode() string {
	out := make([]byte, 0, 9)
	var b [1]byte
	for len(out) < 9 {
		if len(out) == 4 {
			out = append(out, '-')
			continue
		}
		if _, err := rand.Read(b[:]); err != nil {
			panic("shelf: crypto/rand failed: " + err.Error())
		}
		if b[0] < 240 {
			out = append(out, userCodeAlphabet[int(b[0])%len(userCodeAlphabet)])
		}
	}
	return string(out)
}

// NormalizeUserCode reads a user code as typed: case, spaces and dashes do
// not matter. It returns "" when the text cannot be a user code.
func NormalizeUserCode(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == '-' || r == ' ':
		case strings.ContainsRune(userCodeAlphabet, r):
			b.WriteRune(r)
		default:
			return ""
		}
	}
	if b.Len() != 8 {
		return ""
	}
	c := b.String()
	return c[:4] + "-" + c[4:]
}
