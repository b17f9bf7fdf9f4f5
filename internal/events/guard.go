package events

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"

	"code.dny.dev/ssrf"
	"github.com/shelfhq/shelf/internal/shelf"
)

// Resolver looks up a host's addresses; *net.Resolver is one.
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// Guard decides which vendor URLs and addresses Shelf may reach (webhooks,
// self-tests, link checks, any fetch of a vendor's URL). Vendors
// choose the URL, so without it a webhook could probe the operator's
// private network or a cloud metadata service (SSRF). It checks the URL at
// registration and every address at connection time, so a DNS answer that
// changes after the check (rebinding) is caught too.
type Guard struct {
	// AllowPrivate (--allow-private-webhooks) lets webhooks reach private
	// and loopback addresses, and plain HTTP on loopback: for development.
	AllowPrivate bool
	// Resolver defaults to net.DefaultResolver.
	Resolver Resolver
}

// routable is the allow list's engine: code.dny.dev/ssrf keeps IANA's
// special-purpose registries for IPv4 and IPv6 (regenerated from them), and
// allows IPv6 only inside global unicast (2000::/3). Shelf chooses ports and
// networks itself, so the library checks addresses only.
var routable = ssrf.New(ssrf.WithAnyPort(), ssrf.WithAnyNetwork(),
	// Azure's wire server and metadata address is public but answers only
	// inside Azure, where it must not be reachable by a vendor's URL.
	ssrf.WithDeniedV4Prefixes(netip.MustParsePrefix("168.63.129.16/32")))

// Routable reports whether Shelf may reach addr on a vendor's behalf: a
// globally routable unicast address, outside every range of IANA's IPv4 and
// IPv6 special-purpose registries. It is an allow list: an IPv6 address
// outside 2000::/3 is refused whatever it embeds, so IPv4-compatible
// (::7f00:1), IPv4-mapped (::ffff:a.b.c.d written in a URL; the dialer
// dials IPv4 as IPv4, and CheckURL unmaps a resolver's answers first),
// IPv4-translated (::ffff:0:a.b.c.d),
// site-local (fec0::/10), unique-local, link-local, multicast and NAT64
// (64:ff9b::/96, whose embedded address Shelf cannot check for the
// network's translator) are all refused, as are 6to4 (2002::/16) and Teredo
// (2001::/32), which embed an IPv4 address too. A zoned address is refused.
func Routable(addr netip.Addr) bool {
	if !addr.IsValid() || addr.Zone() != "" {
		return false
	}
	return routable.SafeAddr(addr) == nil
}

// Forbidden reports whether a vendor URL may not reach addr unless private
// webhooks are allowed: every address that is not Routable.
func Forbidden(addr netip.Addr) bool { return !Routable(addr) }

// errForbidden is the user-facing refusal.
func errForbidden(field, host string) error {
	return shelf.FieldError(field, "webhook_url_private",
		"%s resolves to an address that is not globally routable (private, loopback, link-local, metadata or another special-purpose range); Shelf only calls public endpoints", host)
}

// CheckURL checks a webhook URL a partner submits: HTTPS (HTTP only for
// loopback when private webhooks are allowed) to a host whose every address
// is public.
func (g *Guard) CheckURL(ctx context.Context, field, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return shelf.FieldError(field, "invalid_url", "%s must be an absolute https URL", field)
	}
	if err := g.checkScheme(field, u); err != nil {
		return err
	}
	host := u.Hostname()
	if reservedName(host) {
		return shelf.FieldError(field, "webhook_url_unresolvable", "the host %s is a reserved name that never resolves", host)
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		if Forbidden(ip) && !g.AllowPrivate {
			return errForbidden(field, host)
		}
		return nil
	}
	r := g.Resolver
	if r == nil {
		r = net.DefaultResolver
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	addrs, err := r.LookupNetIP(ctx, "ip", host)
	if err != nil || len(addrs) == 0 {
		return shelf.FieldError(field, "webhook_url_unresolvable", "the host %s cannot be resolved", host)
	}
	for _, a := range addrs {
		// The resolver may hand an A record over as an IPv4-mapped IPv6
		// address; it is the IPv4 address the dialer will use.
		if Forbidden(a.Unmap()) && !g.AllowPrivate {
			return errForbidden(field, host)
		}
	}
	return nil
}

func (g *Guard) checkScheme(field string, u *url.URL) error {
	switch {
	case u.Scheme == "https":
		return nil
	case u.Scheme == "http" && g.AllowPrivate && isLoopbackHost(u.Hostname()):
		return nil
	}
	return shelf.FieldError(field, "webhook_url_insecure", "%s must use https (plain http only reaches loopback, and only with --allow-private-webhooks)", field)
}

func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Unmap().IsLoopback()
}

// reservedName reports a host under a top-level domain reserved never to
// resolve (RFC 2606, RFC 6761): Shelf does not even ask DNS about it. The
// demo's vendors live there.
func reservedName(host string) bool {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	for _, tld := range []string{"invalid", "test", "example"} {
		if host == tld || strings.HasSuffix(host, "."+tld) {
			return true
		}
	}
	return false
}

// dialContext wraps a dialer so that reserved names fail at once, without
// a DNS query; the dialer's Control func checks every address it connects to.
func (g *Guard) dialContext(d *net.Dialer) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, _, err := net.SplitHostPort(addr)
		if err == nil && reservedName(host) {
			return nil, fmt.Errorf("webhook guard: %s is a reserved name that never resolves", host)
		}
		return d.DialContext(ctx, network, addr)
	}
}

// control is a net.Dialer Control func: it runs after DNS resolution, on
// the very address about to be connected, so no later DNS answer can slip a
// private address past the check.
func (g *Guard) control(network, address string, _ syscall.RawConn) error {
	if g.AllowPrivate {
		return nil
	}
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("webhook guard: %s: %w", address, err)
	}
	if Forbidden(ap.Addr()) {
		return fmt.Errorf("webhook guard: refusing to connect to %s, which is not globally routable", ap.Addr())
	}
	return nil
}

func parseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return nil, errors.New("the webhook URL is not an absolute URL")
	}
	return u, nil
}
