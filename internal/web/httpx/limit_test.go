package httpx

import (
	"net/http/httptest"
	"net/netip"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
)

func TestIPLimiter(t *testing.T) {
	clock := shelf.NewManualClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	l := NewIPLimiter(clock, nil)
	r := httptest.NewRequest("POST", "/api/v1/auth/token", nil)
	r.RemoteAddr = "203.0.113.9:5555"
	for i := 0; i < ipBurst; i++ {
		if !l.Allow(r) {
			t.Fatalf("attempt %d refused within the burst", i)
		}
	}
	if l.Allow(r) {
		t.Fatal("attempt past the burst allowed")
	}
	// Ten minutes on, sweeping must not hand out more than the refill.
	clock.Advance(2 * time.Minute)
	allowed := 0
	for i := 0; i < 2*ipBurst; i++ {
		if l.Allow(r) {
			allowed++
		}
	}
	if allowed != ipBurst {
		t.Fatalf("after two minutes %d attempts passed, want a refilled burst of %d", allowed, ipBurst)
	}
	other := httptest.NewRequest("POST", "/api/v1/auth/token", nil)
	other.RemoteAddr = "198.51.100.7:1"
	if !l.Allow(other) {
		t.Fatal("another address was limited")
	}
}

func TestClientAddr(t *testing.T) {
	proxy := netip.MustParsePrefix("10.0.0.0/8")
	l := NewIPLimiter(shelf.SystemClock{}, []netip.Prefix{proxy})
	for _, c := range []struct {
		remote, xff, want string
	}{
		{"203.0.113.9:1", "", "203.0.113.9"},
		{"203.0.113.9:1", "198.51.100.1", "203.0.113.9"},         // not from a proxy: header ignored
		{"10.1.2.3:1", "198.51.100.1", "198.51.100.1"},           // the proxy's client
		{"10.1.2.3:1", "6.6.6.6, 198.51.100.1", "198.51.100.1"},  // a forged left part is ignored
		{"10.1.2.3:1", "198.51.100.1, 10.9.9.9", "198.51.100.1"}, // two proxies
		{"10.1.2.3:1", "", "10.1.2.3"},
	} {
		r := httptest.NewRequest("POST", "/signin", nil)
		r.RemoteAddr = c.remote
		if c.xff != "" {
			r.Header.Set("X-Forwarded-For", c.xff)
		}
		if got := l.ClientAddr(r); got != c.want {
			t.Errorf("%s via %q = %s, want %s", c.remote, c.xff, got, c.want)
		}
	}
}
