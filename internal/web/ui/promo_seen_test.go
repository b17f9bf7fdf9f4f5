package ui

import (
	"fmt"
	"testing"
)

// The node's kept cookie values are the values the definition gives, for
// any channel and day, and the kept map stays bounded.
func TestPromoSeenValuesKept(t *testing.T) {
	key := []byte("node key")
	s := &promoSeenValues{key: key}
	for _, c := range []struct {
		code string
		day  int64
	}{{"AB12CD", 20000}, {"AB12CD", 20000}, {"XY34ZW", 20000}, {"AB12CD", 20001}, {"AB12CD", 20000}} {
		if got, want := s.value(c.code, c.day), promoSeenValue(key, c.code, c.day); got != want {
			t.Errorf("%s on day %d: %s, want %s", c.code, c.day, got, want)
		}
	}
	if promoSeenValue(key, "AB12CD", 20000) == promoSeenValue(key, "AB12CD", 20001) {
		t.Error("one value for two days")
	}
	for i := range promoSeenMax + 10 {
		code := fmt.Sprintf("C%05d", i)
		if s.value(code, 20002) != promoSeenValue(key, code, 20002) {
			t.Fatalf("%s: a wrong value", code)
		}
	}
	if n := len(s.vals); n > promoSeenMax {
		t.Errorf("%d values kept, at most %d", n, promoSeenMax)
	}
}
