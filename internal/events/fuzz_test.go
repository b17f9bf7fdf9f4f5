package events

import (
	"net/netip"
	"testing"
)

// FuzzRoutable: no address inside a special-purpose range (ianaSpecial,
// the table test's list) is ever allowed, in any of its forms.
func FuzzRoutable(f *testing.F) {
	for _, s := range []string{"8.8.8.8", "127.0.0.1", "::7f00:1", "::ffff:0:7f00:1", "fec0::1", "2606:4700::1111", "64:ff9b::a9fe:a9fe", "fe80::1%eth0"} {
		f.Add(s)
	}
	prefixes := make([]netip.Prefix, len(ianaSpecial))
	for i, s := range ianaSpecial {
		prefixes[i] = netip.MustParsePrefix(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := netip.ParseAddr(s)
		if err != nil {
			if len(s) != 4 && len(s) != 16 {
				return
			}
			a, _ = netip.AddrFromSlice([]byte(s)) // raw bytes, as a resolver may hand them over
		}
		if !Routable(a) {
			return
		}
		if a.Zone() != "" {
			t.Fatalf("%s: a zoned address allowed", s)
		}
		for _, p := range prefixes {
			if p.Contains(a) || p.Contains(a.Unmap()) {
				t.Fatalf("%s allowed, but it is in %s", a, p)
			}
		}
		if a.Is6() && !a.Is4In6() && !netip.MustParsePrefix("2000::/3").Contains(a) {
			t.Fatalf("%s allowed outside global unicast", a)
		}
	})
}
