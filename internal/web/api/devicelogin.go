package api

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/httpx"
)

// The device authorization grant (RFC 8628) for `shelf login --device`:
// a machine without a browser (a server over SSH, a container) asks for a
// code, the person approves it on /device from any signed-in browser, and
// the machine's poll receives a personal token. Both endpoints are public;
// the device code is the secret.
func (h *Handler) deviceLoginRoutes() []route {
	return []route{
		{"POST", "/api/v1/auth/device", h.startDeviceLogin},
		{"POST", "/api/v1/auth/device/token", h.pollDeviceLogin},
	}
}

// DeviceAuthorization is the answer to a device's start (RFC 8628 §3.2).
type DeviceAuthorization struct {
	DeviceCode              string `json:"device_code"`
	UserCode                string `json:"user_code"`
	VerificationURI         string `json:"verification_uri"`
	VerificationURIComplete string `json:"verification_uri_complete"`
	ExpiresIn               int    `json:"expires_in"`
	Interval                int    `json:"interval"`
}

func (h *Handler) startDeviceLogin(w http.ResponseWriter, r *http.Request) error {
	if !h.limiter.Allow(r) {
		return httpx.ErrRateLimited()
	}
	var req struct {
		ClientName string `json:"client_name"`
	}
	if err := httpx.DecodeJSON(w, r, &req); err != nil {
		return err
	}
	device, d, err := h.Store.CreateDeviceLogin(r.Context(), req.ClientName)
	if err != nil {
		return err
	}
	page := strings.TrimRight(h.BaseURL.String(), "/") + "/device"
	httpx.WriteJSON(w, http.StatusOK, DeviceAuthorization{
		DeviceCode: device, UserCode: d.UserCode, VerificationURI: page,
		VerificationURIComplete: page + "?" + url.Values{"code": {d.UserCode}}.Encode(),
		ExpiresIn:               int(shelf.DeviceLoginTTL.Seconds()), Interval: int(shelf.DeviceLoginInterval.Seconds()),
	})
	return nil
}

// DeviceToken is the personal token a device receives once approved: it
// lives until revoked on the account page, like any personal token.
type DeviceToken struct {
	Token     string      `json:"token"`
	TokenType string      `json:"token_type"`
	User      *shelf.User `json:"user"`
}

// pollDeviceLogin answers the device's poll: the token once approved,
// else a 400 with RFC 8628's code (authorization_pending, slow_down,
// access_denied, expired_token) in the usual error body.
func (h *Handler) pollDeviceLogin(w http.ResponseWriter, r *http.Request) error {
	var req struct {
		DeviceCode string `json:"device_code"`
	}
	if err := httpx.DecodeJSON(w, r, &req); err != nil {
		return err
	}
	if req.DeviceCode == "" {
		return shelf.FieldError("device_code", "required", "device_code is required")
	}
	plain, _, err := h.Store.RedeemDeviceLogin(r.Context(), req.DeviceCode)
	if err != nil {
		return err
	}
	u, err := h.Store.TokenUser(r.Context(), plain)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, DeviceToken{Token: plain, TokenType: "Bearer", User: u})
	return nil
}
