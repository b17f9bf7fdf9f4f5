package web

import (
	"log/slog"
	"net/netip"
	"net/url"
)

// WarnPlainHTTP logs a warning when the public base URL is plain http on
// an address other than loopback. The session cookie is then sent without
// Secure and without its __Host- prefix, which is safe only for local
// development; behind a TLS proxy, the base URL must be the https one.
func WarnPlainHTTP(log *slog.Logger, baseURL string) {
	u, err := url.Parse(baseURL)
	if err != nil || u.Scheme != "http" || isLoopback(u.Hostname()) {
		return
	}
	log.Warn("the base URL is plain http on a non-loopback address: session cookies are not marked Secure; "+
		"behind a TLS proxy set --base-url (SHELF_BASE_URL) to the https address", "base_url", baseURL)
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}
