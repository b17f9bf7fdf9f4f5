package shelf

import (
	"encoding/base64"
	"strings"
	"testing"
)

// A cursor reads back as its key for its own list only; altered in any
// way, even into another well-formed key, it is refused.
func TestCursorSigned(t *testing.T) {
	c := EncodeCursor("members\x1f/api/v1/orgs/org_a/members", []any{int64(1700000000000000), "usr_b"})
	key, err := DecodeCursor(c, "members\x1f/api/v1/orgs/org_a/members", "is")
	if err != nil || len(key) != 2 || key[0] != int64(1700000000000000) || key[1] != "usr_b" {
		t.Fatalf("round trip = %v, %v", key, err)
	}
	body, sig, _ := strings.Cut(c, ".")
	raw, _ := base64.RawURLEncoding.DecodeString(body)
	moved := base64.RawURLEncoding.EncodeToString([]byte(strings.Replace(string(raw), "1700000000000000", "1600000000000000", 1)))
	for name, bad := range map[string]string{
		"another key, the old MAC": moved + "." + sig,
		"no MAC":                   body,
		"another MAC":              body + "." + base64.RawURLEncoding.EncodeToString(make([]byte, 12)),
		"garbage":                  "!!",
		"another list's":           EncodeCursor("members\x1f/api/v1/orgs/org_b/members", []any{int64(1), "usr_b"}),
	} {
		if _, err := DecodeCursor(bad, "members\x1f/api/v1/orgs/org_a/members", "is"); ErrorKind(err) != KindBadRequest {
			t.Errorf("%s: %v, want invalid_cursor", name, err)
		}
	}
}
