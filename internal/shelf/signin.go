package shelf

import (
	"net/netip"
	"time"
)

// Sign-in throttling. A lockout per account would let anyone lock anyone
// out (an admin included) by failing on purpose, so failures count per
// account and client address instead:
//
//   - SignInAddrBudget failures for one account from one address within
//     SignInWindow refuse that address for that account until the window
//     moves on: a guesser locks out only itself, never the owner elsewhere.
//   - Guessing spread over many addresses is bounded by the account's
//     budget: past SignInAccountBudget failures from all addresses within
//     the window, only addresses the account signed in from before
//     (within SignInKnownFor) may try, and are still checked. The owner at
//     home or at work is never locked out; a new address waits out the
//     window during such an attack, which is the price of bounding it.
//
// IPv6 addresses count by their /64, which one client usually holds whole.
// Refused attempts are not counted and do not check the password, so they
// cannot confirm a guess either.
const (
	SignInAddrBudget    = 10
	SignInAccountBudget = 50
	SignInWindow        = 15 * time.Minute
	SignInKnownFor      = 90 * 24 * time.Hour
)

// SignInAddr is the form a client address is counted under: an IPv4
// address as it is, an IPv6 one as its /64; anything else (no address, as
// from the command line) as it was given.
func SignInAddr(addr string) string {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return addr
	}
	a = a.Unmap().WithZone("")
	if a.Is4() {
		return a.String()
	}
	p, _ := a.Prefix(64)
	return p.String()
}

// CheckSignIn decides whether a sign-in attempt may check its password,
// from the failures within SignInWindow for the account from this address
// and from every address, and whether the account signed in from this
// address before.
func CheckSignIn(addrFailures, accountFailures int, knownAddr bool) error {
	if addrFailures >= SignInAddrBudget || (accountFailures >= SignInAccountBudget && !knownAddr) {
		return &Error{Kind: KindRateLimited, Code: "too_many_attempts", Message: "too many failed sign-ins; try again in 15 minutes"}
	}
	return nil
}
