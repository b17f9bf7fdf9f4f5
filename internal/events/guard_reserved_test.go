package events

import (
	"context"
	"net"
	"net/netip"
	"testing"
)

// TestReservedNames: names that can never resolve are refused without a
// DNS query, at registration and at dial time.
func TestReservedNames(t *testing.T) {
	g := &Guard{Resolver: failingResolver{t}}
	for _, host := range []string{"vendor.invalid", "a.b.test", "x.example", "INVALID."} {
		if err := g.CheckURL(context.Background(), "webhook_url", "https://"+host+"/hook"); err == nil {
			t.Errorf("%s accepted", host)
		}
		if _, err := g.dialContext(&net.Dialer{})(context.Background(), "tcp", net.JoinHostPort(host, "443")); err == nil {
			t.Errorf("dial %s succeeded", host)
		}
	}
	if reservedName("example.com") || reservedName("testing.cn") {
		t.Error("a real domain was taken for a reserved one")
	}
}

type failingResolver struct{ t *testing.T }

func (r failingResolver) LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error) {
	r.t.Errorf("DNS asked about %s", host)
	return nil, &net.DNSError{Err: "no", Name: host}
}
