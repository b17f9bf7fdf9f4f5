package sdk

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// FuzzVerifyWebhook: a Shelf-Signature header of any shape never panics
// the parser, and is accepted only when it carries the body's true
// signature under the secret.
func FuzzVerifyWebhook(f *testing.F) {
	now := time.Unix(1_800_000_000, 0)
	body := []byte(`{"id":"evt_1","type":"test.ping"}`)
	f.Add(SignatureHeader(now, body, "whsec_a"), body)
	f.Add("t=1800000000,v1=00,v1="+strings.Repeat("0", 64), body)
	f.Add("t=-1,v1=", []byte{})
	f.Add(" t = 1 , v1=zz,,=", []byte("x"))
	f.Fuzz(func(t *testing.T, header string, body []byte) {
		ts, _, err := parseSignature(header)
		if err != nil {
			return
		}
		if VerifyWebhookAt([]string{"whsec_a"}, header, body, time.Hour, time.Unix(ts, 0)) == nil &&
			!strings.Contains(header, "v1="+Sign("whsec_a", ts, body)) && !strings.Contains(strings.ToLower(header), Sign("whsec_a", ts, body)) {
			t.Fatalf("accepted without the signature: %q (t=%s)", header, strconv.FormatInt(ts, 10))
		}
	})
}
