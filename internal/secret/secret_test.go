package secret

import (
	"strings"
	"testing"
)

func TestPasswordHash(t *testing.T) {
	h, err := HashPassword("correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$") || strings.Contains(h, "correct horse") {
		t.Fatalf("unexpected encoding %q", h)
	}
	h2, _ := HashPassword("correct horse")
	if h == h2 {
		t.Fatal("two hashes of one password are equal: salt missing")
	}
	for _, tc := range []struct {
		pw   string
		want bool
	}{{"correct horse", true}, {"correct horsE", false}, {"", false}} {
		ok, err := CheckPassword(h, tc.pw)
		if err != nil || ok != tc.want {
			t.Errorf("CheckPassword(%q) = %v, %v; want %v", tc.pw, ok, err, tc.want)
		}
	}
	if _, err := CheckPassword("$bcrypt$x", "a"); err == nil {
		t.Error("malformed hash accepted")
	}
}

func TestToken(t *testing.T) {
	a, b := NewToken("shelf_pat_"), NewToken("shelf_pat_")
	if a == b || !strings.HasPrefix(a, "shelf_pat_") || len(a) < 40 {
		t.Fatalf("bad tokens %q %q", a, b)
	}
	if HashToken(a) == HashToken(b) || HashToken(a) != HashToken(a) || len(HashToken(a)) != 64 {
		t.Fatal("token hash not a stable sha256")
	}
}
