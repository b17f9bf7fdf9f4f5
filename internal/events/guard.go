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

	"github.com/shelfhq/shelf/internal/shelf"
)

// Resolver looks up a host's addresses; *net.Resolver is one.
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// Guard decides which webhook URLs and addresses Shelf may reach. Vendors
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

// extraForbidden are ranges that net.IP's predicates miss: shared address
// space (CGNAT, where some clouds put metadata services), "this network",
// IETF protocol assignments, benchmarking, reserved, and the Azure
// metadata address, which is public.
var extraForbidden = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("168.63.129.16/32"),
	netip.MustParsePrefix("64:ff9b:1::/48"),
	// IPv6 forms that carry an IPv4 address: NAT64 (64:ff9b::a9fe:a9fe is
	// 169.254.169.254 on a NAT64 network), 6to4 and Teredo.
	netip.MustParsePrefix("64:ff9b::/96"),
	netip.MustParsePrefix("2002::/16"),
	netip.MustParsePrefix("2001::/32"),
}

// Forbidden reports whether a webhook may not reach addr unless private
// webhooks are allowed: loopback, private, link-local (169.254.169.254, the
// usual metadata address, is one), multicast, unspecified and the ranges
// above.
func Forbidden(addr netip.Addr) bool {
	addr = addr.Unmap()
	if addr.IsLoopback() || addr.IsPrivate() || addr.IsLinkLocalUnicast() || addr.IsLinkLocalMulticast() ||
		addr.IsInterfaceLocalMulticast() || addr.IsMulticast() || addr.IsUnspecified() || !addr.IsValid() {
		return true
	}
	for _, p := range extraForbidden {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// errForbidden is the user-facing refusal.
func errForbidden(field, host string) error {
	return shelf.FieldError(field, "webhook_url_private",
		"%s resolves to a private, loopback, link-local or metadata address; Shelf only calls public endpoints", host)
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
		if Forbidden(a) && !g.AllowPrivate {
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
		return fmt.Errorf("webhook guard: refusing to connect to private address %s", ap.Addr())
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
