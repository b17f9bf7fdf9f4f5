package httpx

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
	"golang.org/x/time/rate"
)

// IPLimiter bounds requests per client address on the sign-in and sign-up
// endpoints, in front of the per-email failure budget kept in the database.
type IPLimiter struct {
	mu      sync.Mutex
	clock   shelf.Clock
	buckets map[string]*rate.Limiter
	swept   time.Time
	// trusted are the reverse proxies whose X-Forwarded-For is believed.
	trusted []netip.Prefix
}

// NewIPLimiter returns a limiter that believes X-Forwarded-For from the
// trusted proxies only.
func NewIPLimiter(c shelf.Clock, trusted []netip.Prefix) *IPLimiter {
	return &IPLimiter{clock: c, buckets: map[string]*rate.Limiter{}, trusted: trusted}
}

// ClientAddr is the address a request comes from: the connection's, or,
// when that is a trusted proxy, the right-most address in X-Forwarded-For
// that is not itself a trusted proxy (addresses left of it are whatever
// the client wrote).
func (l *IPLimiter) ClientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if !l.isTrusted(host) {
		return host
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop := strings.TrimSpace(hops[i])
		if hop == "" {
			continue
		}
		if !l.isTrusted(hop) {
			return hop
		}
		host = hop
	}
	return host
}

func (l *IPLimiter) isTrusted(addr string) bool {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return false
	}
	for _, p := range l.trusted {
		if p.Contains(ip.Unmap()) {
			return true
		}
	}
	return false
}

// Per address: 20 at once, then one every 3 s.
const (
	ipBurst = 20
	ipEvery = 3 * time.Second
)

// Allow takes one token for the address. Full buckets are dropped now and
// then: forgetting one changes nothing, so no address gets a burst it has
// not earned.
func (l *IPLimiter) Allow(r *http.Request) bool {
	host := l.ClientAddr(r)
	now := l.clock.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > time.Minute {
		for k, b := range l.buckets {
			if b.TokensAt(now) >= ipBurst {
				delete(l.buckets, k)
			}
		}
		l.swept = now
	}
	b := l.buckets[host]
	if b == nil {
		b = rate.NewLimiter(rate.Every(ipEvery), ipBurst)
		l.buckets[host] = b
	}
	return b.AllowN(now, 1)
}

// ErrRateLimited is the answer to an address over its budget.
func ErrRateLimited() error {
	return &shelf.Error{Kind: shelf.KindRateLimited, Code: "too_many_requests", Message: "too many attempts from this address; wait a minute"}
}
