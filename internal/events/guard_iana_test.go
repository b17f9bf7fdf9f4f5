package events

import (
	"context"
	"net/netip"
	"testing"

	"github.com/shelfhq/shelf/internal/shelf"
)

// ianaSpecial is every range of IANA's IPv4 and IPv6 special-purpose
// address registries (2025 editions), written down here independently of
// the library that keeps the guard's list, plus the ranges that are not
// unicast or are deprecated (multicast, site-local, IPv4-compatible).
var ianaSpecial = []string{
	// IPv4 (iana-ipv4-special-registry)
	"0.0.0.0/8", "0.0.0.0/32", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
	"172.16.0.0/12", "192.0.0.0/24", "192.0.0.0/29", "192.0.0.8/32", "192.0.0.9/32",
	"192.0.0.10/32", "192.0.0.170/32", "192.0.0.171/32", "192.0.2.0/24", "192.31.196.0/24",
	"192.52.193.0/24", "192.88.99.0/24", "192.168.0.0/16", "192.175.48.0/24", "198.18.0.0/15",
	"198.51.100.0/24", "203.0.113.0/24", "240.0.0.0/4", "255.255.255.255/32",
	"224.0.0.0/4", // multicast
	// IPv6 (iana-ipv6-special-registry)
	"::1/128", "::/128", "::ffff:0:0/96", "64:ff9b::/96", "64:ff9b:1::/48", "100::/64",
	"100:0:0:1::/64", "2001::/23", "2001::/32", "2001:1::1/128", "2001:1::2/128", "2001:1::3/128",
	"2001:2::/48", "2001:3::/32", "2001:4:112::/48", "2001:20::/28", "2001:30::/28",
	"2001:db8::/32", "2002::/16", "2620:4f:8000::/48", "3fff::/20", "5f00::/16",
	"fc00::/7", "fe80::/10",
	"fec0::/10",           // site-local, deprecated (RFC 3879)
	"ff00::/8",            // multicast
	"::/96",               // IPv4-compatible, deprecated (RFC 4291)
	"::ffff:0:0:0/96",     // IPv4-translated (RFC 2765)
	"168.63.129.16/32",    // Azure's metadata and wire server (public, but not for vendors)
	"2001:0:4136::/48",    // a Teredo server's clients
	"2002:a9fe:a9fe::/48", // 6to4 of 169.254.169.254
}

// TestRoutableRefusesEverySpecialRange checks the first, a middle and the
// last address of every special-purpose range.
func TestRoutableRefusesEverySpecialRange(t *testing.T) {
	for _, s := range ianaSpecial {
		p := netip.MustParsePrefix(s)
		for _, a := range []netip.Addr{p.Addr(), middle(p), last(p)} {
			if Routable(a) {
				t.Errorf("%s (in %s) is allowed", a, p)
			}
		}
	}
}

func TestRoutableIssueAddresses(t *testing.T) {
	for _, s := range []string{"::7f00:1", "::127.0.0.1", "::ffff:0:7f00:1", "fec0::1", "::ffff:127.0.0.1",
		"::ffff:8.8.8.8", "64:ff9b::a9fe:a9fe", "64:ff9b::808:808", "2002:7f00:1::1", "2001:0:4136:e378::1", "fe80::1%eth0",
		"2606:2800:220:1::%eth0"} {
		if Routable(netip.MustParseAddr(s)) {
			t.Errorf("%s is allowed", s)
		}
	}
	for _, s := range []string{"8.8.8.8", "93.184.216.34", "1.1.1.1", "223.255.255.255", "100.63.255.255", "100.128.0.0",
		"2606:2800:220:1::", "2400:cb00::1", "2a00:1450:4001::200e", "2001:4860:4860::8888"} {
		if !Routable(netip.MustParseAddr(s)) {
			t.Errorf("%s is refused", s)
		}
	}
}

// TestGuardRefusesAtSaveAndConnect: the issue's URLs are refused when saved
// and, were DNS to answer them later, when dialed; --allow-private-webhooks
// still lets a developer through.
func TestGuardRefusesAtSaveAndConnect(t *testing.T) {
	strict, dev := &Guard{}, &Guard{AllowPrivate: true}
	for _, host := range []string{"::7f00:1", "::127.0.0.1", "::ffff:0:7f00:1", "fec0::1"} {
		err := strict.CheckURL(context.Background(), "webhook_url", "https://["+host+"]/")
		if e, ok := shelf.AsError(err); !ok || e.Code != "webhook_url_private" {
			t.Errorf("save %s: %v", host, err)
		}
		if err := strict.control("tcp6", "["+host+"]:443", nil); err == nil {
			t.Errorf("connect %s allowed", host)
		}
		if err := dev.CheckURL(context.Background(), "webhook_url", "https://["+host+"]/"); err != nil {
			t.Errorf("dev save %s: %v", host, err)
		}
		if err := dev.control("tcp6", "["+host+"]:443", nil); err != nil {
			t.Errorf("dev connect %s: %v", host, err)
		}
	}
	if err := strict.control("tcp4", "93.184.216.34:8443", nil); err != nil {
		t.Errorf("public address on another port refused: %v", err)
	}
}

func last(p netip.Prefix) netip.Addr {
	b := p.Masked().Addr().AsSlice()
	for i := p.Bits(); i < len(b)*8; i++ {
		b[i/8] |= 1 << (7 - i%8)
	}
	a, _ := netip.AddrFromSlice(b)
	return a
}

func middle(p netip.Prefix) netip.Addr {
	b := p.Masked().Addr().AsSlice()
	if p.Bits() < len(b)*8 {
		i := p.Bits()
		b[i/8] |= 1 << (7 - i%8) // the first host bit: the upper half's first address
	}
	a, _ := netip.AddrFromSlice(b)
	return a
}
