package events

import "testing"

func TestTruncate(t *testing.T) {
	for _, c := range []struct {
		in   string
		n    int
		want string
	}{
		{"ok", 10, "ok"},
		{"hello", 3, "hel"},
		{"héllo", 2, "h"}, // never half a character
		{"a\xffb", 10, "a�b"},
		{"a\x00b", 10, "a�b"}, // PostgreSQL refuses NUL in text
	} {
		if got := truncate([]byte(c.in), c.n); got != c.want {
			t.Errorf("truncate(%q, %d) = %q, want %q", c.in, c.n, got, c.want)
		}
	}
}
