package shelf

import (
	"strings"
	"sync"
	"testing"
	"time"
)

func TestPromoChannelCheck(t *testing.T) {
	now := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	past := now.Add(-time.Hour)
	live := &Revision{Trial: &Trial{Days: 15, MaxUsers: 50}, Specs: []Spec{{Code: "free", Free: true}, {Code: "std", Price: 900}}}
	noTrial := &Revision{Specs: live.Specs}
	for _, tc := range []struct {
		name string
		n    NewPromoChannel
		live *Revision
		code string
	}{
		{"listing", NewPromoChannel{Name: "poster"}, live, ""},
		{"trial", NewPromoChannel{Name: "poster", Target: PromoTargetTrial}, live, ""},
		{"buy", NewPromoChannel{Name: "poster", Target: PromoTargetBuy, SpecCode: "std"}, live, ""},
		{"state 128", NewPromoChannel{Name: "p", State: strings.Repeat("状", 128)}, live, ""},
		{"state 129", NewPromoChannel{Name: "p", State: strings.Repeat("s", 129)}, live, "invalid_channel_state"},
		{"state control", NewPromoChannel{Name: "p", State: "a\x00"}, live, "invalid_channel_state"},
		{"no trial", NewPromoChannel{Name: "p", Target: PromoTargetTrial}, noTrial, "trial_not_offered"},
		{"free spec", NewPromoChannel{Name: "p", Target: PromoTargetBuy, SpecCode: "free"}, live, "unknown_spec"},
		{"spec on listing", NewPromoChannel{Name: "p", SpecCode: "std"}, live, "spec_not_allowed"},
		{"not live", NewPromoChannel{Name: "p"}, nil, "listing_not_available"},
		{"past expiry", NewPromoChannel{Name: "p", ExpiresAt: &past}, live, "expiry_in_past"},
	} {
		err := tc.n.Check(tc.live, now)
		got := ""
		if e, ok := AsError(err); ok {
			got = e.Code
		} else if err != nil {
			got = err.Error()
		}
		if got != tc.code {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.code)
		}
	}
}

func TestPromoCode(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		c := NewPromoCode()
		if NormPromoCode(strings.ToLower(c)) != c || seen[c] {
			t.Fatalf("code %q", c)
		}
		seen[c] = true
	}
	for _, bad := range []string{"", "ABCDEFG", "ABCDEFGHJ", "ABCDEFG0", "ABCD-FGH"} {
		if NormPromoCode(bad) != "" {
			t.Errorf("%q read as a code", bad)
		}
	}
}

func TestPromoVisitorRotates(t *testing.T) {
	key := []byte("k")
	a, b := PromoVisitor(key, 1, "192.0.2.1", "UA"), PromoVisitor(key, 2, "192.0.2.1", "UA")
	if a == b || a != PromoVisitor(key, 1, "192.0.2.1", "UA") || strings.Contains(a, "192.0.2.1") {
		t.Fatalf("visitor names %q %q", a, b)
	}
	if PromoVisitor(key, 1, "192.0.2.2", "UA") == a {
		t.Fatal("two addresses, one name")
	}
}

// The node's cached namer names every visitor as the definition does,
// across turning days and from many goroutines at once.
func TestPromoVisitorsMatchDefinition(t *testing.T) {
	key := []byte("node secret")
	names := NewPromoVisitors(key)
	cases := []struct {
		day      int64
		addr, ua string
	}{
		{20000, "192.0.2.1", "Mozilla/5.0"},
		{20000, "192.0.2.1", "Mozilla/5.1"},
		{20000, "2001:db8::1", ""},
		{20001, "192.0.2.1", "Mozilla/5.0"},
		{20000, "192.0.2.1", "Mozilla/5.0"}, // back to a day already passed
		{20001, "", "x\x00y"},
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 50 {
				c := cases[(g+i)%len(cases)]
				if got, want := names.Name(c.day, c.addr, c.ua), PromoVisitor(key, c.day, c.addr, c.ua); got != want {
					t.Errorf("day %d %q %q: %s, the definition %s", c.day, c.addr, c.ua, got, want)
					return
				}
			}
		})
	}
	wg.Wait()
}
