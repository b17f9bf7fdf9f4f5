package api_test

import (
	"context"
	"strings"
	"testing"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/api"
	"github.com/shelfhq/shelf/internal/web/webtest"
)

// TestDeviceLogin: a device starts, polls while the person has not
// approved (and is told to slow down when hasty), receives a working
// personal token once after the approval, and bad input changes nothing.
func TestDeviceLogin(t *testing.T) {
	f := webtest.New(t)
	var start api.DeviceAuthorization
	r := f.Call("", "POST", "/api/v1/auth/device", nil, map[string]any{"client_name": "shelf CLI on build-box"})
	r.JSON(t, &start)
	if r.Status != 200 || start.Interval != 5 || start.ExpiresIn != 600 || !strings.HasSuffix(start.VerificationURI, "/device") ||
		start.VerificationURIComplete != start.VerificationURI+"?code="+start.UserCode {
		t.Fatalf("start = %d %s", r.Status, r.Body)
	}
	poll := func() *webtest.Response {
		return f.Call("", "POST", "/api/v1/auth/device/token", nil, map[string]any{"device_code": start.DeviceCode})
	}
	poll().WantError(t, 400, "authorization_pending")
	poll().WantError(t, 400, "slow_down")
	f.Advance(shelf.DeviceLoginInterval)

	member := f.World.Users[demo.MemberEmail]
	if _, err := f.Store.DecideDeviceLogin(context.Background(), start.UserCode, member.ID, true); err != nil {
		t.Fatal(err)
	}
	var tok api.DeviceToken
	r = poll()
	r.JSON(t, &tok)
	if r.Status != 200 || !strings.HasPrefix(tok.Token, "shelf_pat_") || tok.User.ID != member.ID {
		t.Fatalf("poll after approval = %d %s", r.Status, r.Body)
	}
	f.Tokens["device"] = tok.Token
	if r := f.Call("device", "GET", "/api/v1/me", nil, nil); r.Status != 200 {
		t.Fatalf("the device's token: %d %s", r.Status, r.Body)
	}
	poll().WantError(t, 400, "expired_token") // handed out once

	for _, c := range []struct {
		name, path string
		body       map[string]any
		status     int
		code       string
	}{
		{"no client name", "/api/v1/auth/device", map[string]any{"client_name": " "}, 422, "required"},
		{"unknown field", "/api/v1/auth/device", map[string]any{"client_name": "x", "scope": "all"}, 400, "unknown_field"},
		{"no device code", "/api/v1/auth/device/token", map[string]any{}, 422, "required"},
		{"unknown device code", "/api/v1/auth/device/token", map[string]any{"device_code": "shelf_dc_forged"}, 400, "invalid_grant"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f.Call("", "POST", c.path, nil, c.body).WantError(t, c.status, c.code)
		})
	}
}
