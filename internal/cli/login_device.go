package cli

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"time"
)

// loginDevice is the sign-in for a machine without a browser (RFC 8628):
// it asks the server for a code, prints the page to open on any device and
// the code to enter there, and polls until the person approved (or denied,
// or the code expired).
func (m *Main) loginDevice(ctx context.Context, r *remote) error {
	c, path, cl, err := m.loginClient(r)
	if err != nil {
		return err
	}
	host, _ := os.Hostname()
	var start struct {
		DeviceCode              string `json:"device_code"`
		UserCode                string `json:"user_code"`
		VerificationURI         string `json:"verification_uri"`
		VerificationURIComplete string `json:"verification_uri_complete"`
		ExpiresIn               int    `json:"expires_in"`
		Interval                int    `json:"interval"`
	}
	if err := cl.sendJSON(ctx, http.MethodPost, "/api/v1/auth/device", map[string]string{"client_name": "shelf CLI on " + firstOf(host, "this machine")}, &start); err != nil {
		return fmt.Errorf("start the device sign-in: %w", err)
	}
	fmt.Fprintf(m.Stderr, "On any device where you can sign in, open\n  %s\nand enter the code  %s\n(or open %s)\nWaiting for the approval…\n",
		start.VerificationURI, start.UserCode, start.VerificationURIComplete)
	every := time.Duration(start.Interval) * time.Second
	deadline := time.Now().Add(time.Duration(start.ExpiresIn) * time.Second)
	for {
		if m.DevicePoll > 0 {
			every = m.DevicePoll
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(every):
		}
		var tok struct{ Token string }
		err := cl.sendJSON(ctx, http.MethodPost, "/api/v1/auth/device/token", map[string]string{"device_code": start.DeviceCode}, &tok)
		switch code := apiCode(err); {
		case err == nil:
			cl.token = tok.Token
			return m.saveLogin(ctx, c, path, r, cl)
		case code == "authorization_pending":
		case code == "slow_down": // RFC 8628 §3.5: five seconds more from now on
			every += 5 * time.Second
		case code == "access_denied":
			return errors.New("the sign-in was denied on the approval page")
		case code == "expired_token":
			return errors.New("the code expired before it was approved: run shelf login --device again")
		default:
			return fmt.Errorf("wait for the approval: %w", err)
		}
		if time.Now().After(deadline) {
			return errors.New("the code expired before it was approved: run shelf login --device again")
		}
	}
}
