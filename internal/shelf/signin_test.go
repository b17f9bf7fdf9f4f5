package shelf_test

import (
	"testing"

	"github.com/shelfhq/shelf/internal/shelf"
)

func TestSignInAddr(t *testing.T) {
	for in, want := range map[string]string{
		"203.0.113.9":              "203.0.113.9",
		"::ffff:203.0.113.9":       "203.0.113.9",
		"2001:db8:1:2:aaaa::1":     "2001:db8:1:2::/64",
		"2001:db8:1:2:bbbb::9%en0": "2001:db8:1:2::/64",
		"":                         "",
		"not an address":           "not an address",
	} {
		if got := shelf.SignInAddr(in); got != want {
			t.Errorf("SignInAddr(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCheckSignIn(t *testing.T) {
	for _, tc := range []struct {
		addr, account int
		known, ok     bool
	}{
		{0, 0, false, true},
		{shelf.SignInAddrBudget - 1, shelf.SignInAccountBudget - 1, false, true},
		{shelf.SignInAddrBudget, 0, true, false}, // this address guessed too much, known or not
		{0, shelf.SignInAccountBudget, false, false},
		{0, shelf.SignInAccountBudget * 10, true, true}, // the owner's usual address
	} {
		err := shelf.CheckSignIn(tc.addr, tc.account, tc.known)
		if (err == nil) != tc.ok || (err != nil && shelf.ErrorKind(err) != shelf.KindRateLimited) {
			t.Errorf("CheckSignIn(%d, %d, %v) = %v, want ok %v", tc.addr, tc.account, tc.known, err, tc.ok)
		}
	}
}
