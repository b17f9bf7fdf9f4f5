package storetest

import (
	"context"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/shelfhq/shelf/internal/shelf"
)

// testDeviceLogin walks RFC 8628's states: pending (and slow_down for a
// hasty device), approved once, a token handed out once even to two polls
// at once, denied, expired, unknown codes.
func testDeviceLogin(t *testing.T, open Opener) {
	ctx := context.Background()
	clock := shelf.NewManualClock(Epoch)
	s := open(t, clock)
	u := MustUser(t, s, "device@example.com")
	redeem := func(device string) (string, error) {
		plain, _, err := s.RedeemDeviceLogin(ctx, device)
		return plain, err
	}

	device, d, err := s.CreateDeviceLogin(ctx, "shelf CLI on build-box")
	if err != nil || !regexp.MustCompile(`^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$`).MatchString(d.UserCode) || !strings.HasPrefix(device, "shelf_dc_") {
		t.Fatalf("CreateDeviceLogin = %q %+v %v", device, d, err)
	}
	typed := strings.ToLower(strings.ReplaceAll(d.UserCode, "-", " "))
	if got, err := s.DeviceLogin(ctx, typed); err != nil || got.ID != d.ID || got.ClientName != "shelf CLI on build-box" {
		t.Fatalf("DeviceLogin(%q) = %+v %v", typed, got, err)
	}
	_, err = redeem(device)
	WantCode(t, err, "authorization_pending")
	_, err = redeem(device)
	WantCode(t, err, "slow_down")
	clock.Advance(shelf.DeviceLoginInterval)
	_, err = redeem(device)
	WantCode(t, err, "authorization_pending")

	if _, err := s.DecideDeviceLogin(ctx, typed, u.ID, true); err != nil {
		t.Fatal(err)
	}
	_, err = s.DecideDeviceLogin(ctx, d.UserCode, u.ID, false)
	WantCode(t, err, "device_login_decided")
	_, err = s.DeviceLogin(ctx, d.UserCode)
	WantCode(t, err, "device_login_decided")

	// Two polls at once after the approval: one token, one expired_token.
	var mu sync.Mutex
	var tokens []string
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			plain, err := redeem(device)
			mu.Lock()
			defer mu.Unlock()
			if err == nil {
				tokens = append(tokens, plain)
			} else if e, ok := shelf.AsError(err); !ok || e.Code != "expired_token" {
				t.Errorf("second poll: %v", err)
			}
		}()
	}
	wg.Wait()
	if len(tokens) != 1 {
		t.Fatalf("tokens handed out: %d; want 1", len(tokens))
	}
	if who, err := s.TokenUser(ctx, tokens[0]); err != nil || who.ID != u.ID {
		t.Fatalf("the token's user = %+v %v", who, err)
	}
	if list, _ := s.Tokens(ctx, u.ID, shelf.PageReq{}); len(list) != 1 || list[0].Name != "shelf CLI on build-box" || list[0].Kind != shelf.TokenPersonal {
		t.Fatalf("tokens = %+v", list)
	}

	// Denied.
	device2, d2, _ := s.CreateDeviceLogin(ctx, "x")
	if _, err := s.DecideDeviceLogin(ctx, d2.UserCode, u.ID, false); err != nil {
		t.Fatal(err)
	}
	_, err = redeem(device2)
	WantCode(t, err, "access_denied")

	// Expired: neither approved nor redeemed.
	device3, d3, _ := s.CreateDeviceLogin(ctx, "y")
	clock.Advance(shelf.DeviceLoginTTL)
	_, err = s.DeviceLogin(ctx, d3.UserCode)
	WantCode(t, err, "device_login_expired")
	_, err = s.DecideDeviceLogin(ctx, d3.UserCode, u.ID, true)
	WantCode(t, err, "device_login_expired")
	_, err = redeem(device3)
	WantCode(t, err, "expired_token")

	// Unknown codes; a bad name changes nothing.
	_, err = redeem("shelf_dc_nothing")
	WantCode(t, err, "invalid_grant")
	_, err = s.DeviceLogin(ctx, "BBBB-BBBB")
	WantCode(t, err, "not_found")
	_, err = s.DeviceLogin(ctx, "AEIO-0000")
	WantCode(t, err, "not_found")
	_, _, err = s.CreateDeviceLogin(ctx, " ")
	WantCode(t, err, "required")
}
