// Package sdk is Shelf's public Go client for vendors: it verifies the
// signed webhooks Shelf sends, decodes their typed events, and calls
// Shelf's vendor API (pull events, test ping).
package sdk

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"
)

// Webhook headers set on every delivery.
const (
	HeaderEventID   = "Shelf-Event-Id"
	HeaderEventType = "Shelf-Event-Type"
	HeaderSignature = "Shelf-Signature"
)

// DefaultTolerance is how far a signature's timestamp may be from now
// before VerifyWebhook refuses it as a possible replay.
const DefaultTolerance = 5 * time.Minute

// Errors VerifyWebhook returns. Answer 401 to all of them.
var (
	ErrNoSignature  = errors.New("shelf: missing or malformed Shelf-Signature header")
	ErrBadSignature = errors.New("shelf: no signature matches the body")
	ErrTooOld       = errors.New("shelf: signature timestamp outside the tolerance")
	ErrNoSecret     = errors.New("shelf: no webhook secret configured")
)

// Sign returns the hex HMAC-SHA256 of "t.body" under secret: one v1 value.
func Sign(secret string, t int64, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(strconv.FormatInt(t, 10)))
	mac.Write([]byte{'.'})
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

// SignatureHeader builds a Shelf-Signature value, "t=<unix>,v1=<hex>", with
// one v1 per secret: during a rotation both the old and the new secret sign.
func SignatureHeader(t time.Time, body []byte, secrets ...string) string {
	ts := t.Unix()
	var b strings.Builder
	b.WriteString("t=")
	b.WriteString(strconv.FormatInt(ts, 10))
	for _, s := range secrets {
		b.WriteString(",v1=")
		b.WriteString(Sign(s, ts, body))
	}
	return b.String()
}

// VerifyWebhook checks a Shelf-Signature header against the raw request body
// with any of secrets (pass the old and the new one while rotating) and
// refuses timestamps more than tolerance away from now (0 means
// DefaultTolerance). Comparisons are constant-time.
func VerifyWebhook(secrets []string, header string, body []byte, tolerance time.Duration) error {
	return VerifyWebhookAt(secrets, header, body, tolerance, time.Now())
}

// VerifyWebhookAt is VerifyWebhook with the current time given, for tests
// and for servers with their own clock.
func VerifyWebhookAt(secrets []string, header string, body []byte, tolerance time.Duration, now time.Time) error {
	_, err := MatchWebhookAt(secrets, header, body, tolerance, now)
	return err
}

// MatchWebhook is VerifyWebhook that also says which of secrets matched:
// its index, or -1 with the error. During a rotation pass the new secret
// first and the old one second: Shelf signs with both until the app's
// secret_rotating_until, so 0 means the new secret is verifying. A delivery
// that matches only the old one (index 1) means your servers do not all
// hold the new secret yet; see docs/events.md for when to drop the old.
func MatchWebhook(secrets []string, header string, body []byte, tolerance time.Duration) (int, error) {
	return MatchWebhookAt(secrets, header, body, tolerance, time.Now())
}

// MatchWebhookAt is MatchWebhook with the current time given.
func MatchWebhookAt(secrets []string, header string, body []byte, tolerance time.Duration, now time.Time) (int, error) {
	if tolerance <= 0 {
		tolerance = DefaultTolerance
	}
	ts, sigs, err := parseSignature(header)
	if err != nil {
		return -1, err
	}
	found := false
	for i, s := range secrets {
		if s == "" {
			continue
		}
		found = true
		want, _ := hex.DecodeString(Sign(s, ts, body))
		for _, got := range sigs {
			if hmac.Equal(want, got) {
				if d := now.Sub(time.Unix(ts, 0)); d > tolerance || d < -tolerance {
					return -1, ErrTooOld
				}
				return i, nil
			}
		}
	}
	if !found {
		return -1, ErrNoSecret
	}
	return -1, ErrBadSignature
}

// parseSignature splits "t=…,v1=…,v1=…"; unknown schemes are ignored so
// Shelf can add one later without breaking verifiers.
func parseSignature(header string) (int64, [][]byte, error) {
	var ts int64 = -1
	var sigs [][]byte
	for _, part := range strings.Split(header, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			continue
		}
		switch k {
		case "t":
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return 0, nil, ErrNoSignature
			}
			ts = n
		case "v1":
			b, err := hex.DecodeString(v)
			if err == nil && len(b) == sha256.Size {
				sigs = append(sigs, b)
			}
		}
	}
	if ts < 0 || len(sigs) == 0 {
		return 0, nil, ErrNoSignature
	}
	return ts, sigs, nil
}
