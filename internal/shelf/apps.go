package shelf

import (
	"net/url"
	"strings"
	"time"
)

// AppKind says where an app is installed: into an org, or into group chats
// (a cool app).
type AppKind string

// The app kinds.
const (
	AppOrg  AppKind = "org"
	AppCool AppKind = "cool"
)

// AppActive is the registration status of an app that may be used (sign
// in, receive events): every registered app today. Its market state is
// App.State, derived (DeriveAppState).
const AppActive = "active"

// App is a vendor's SaaS registered by a partner org. Its secrets are never
// part of it: they are shown once (AppCredentials) and stored hashed or
// sealed.
type App struct {
	ID     string  `json:"id"`
	OrgID  string  `json:"org_id"`
	Kind   AppKind `json:"kind"`
	Name   string  `json:"name"`
	NameEn string  `json:"name_en"`
	// State is derived from the app's listing, revisions and self-tests
	// (DeriveAppState): draft, self_tested, in_review, listed, ….
	State string `json:"state"`
	// Registration is the stored status (AppActive): whether the app may
	// be used at all.
	Registration string    `json:"-"`
	HomepageURL  string    `json:"homepage_url"`
	LaunchURL    string    `json:"launch_url"`
	WebhookURL   string    `json:"webhook_url"`
	ClientID     string    `json:"client_id"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
	// SecretRotatingUntil is set while a rotated-out signing secret still
	// signs alongside the new one.
	SecretRotatingUntil *time.Time `json:"secret_rotating_until,omitempty"`
}

// NewApp describes an app to register.
type NewApp struct {
	OrgID       string // the partner org
	CreatorID   string
	Name        string
	NameEn      string
	Kind        AppKind
	HomepageURL string
	LaunchURL   string
	WebhookURL  string
}

// AppPatch changes an app's fields; nil leaves a field alone.
type AppPatch struct {
	ByUserID    string // who changes it, for the app's history
	Name        *string
	NameEn      *string
	HomepageURL *string
	LaunchURL   *string
	WebhookURL  *string
}

// AppCredentials are an app's secrets as shown once, at registration (both)
// or at rotation (the webhook secret alone).
type AppCredentials struct {
	ClientSecret  string `json:"client_secret,omitempty"`
	WebhookSecret string `json:"webhook_secret,omitempty"`
}

// SecretOverlap is how long a rotated-out webhook signing secret keeps
// signing, so a vendor can deploy the new one without dropping events.
const SecretOverlap = 24 * time.Hour

// CheckAppKind checks k is an app kind.
func CheckAppKind(field string, k AppKind) error {
	if k != AppOrg && k != AppCool {
		return FieldError(field, "invalid_app_kind", "kind must be %q or %q", AppOrg, AppCool)
	}
	return nil
}

// CheckAppURL checks the syntax of an app URL: absolute http(s) without
// credentials. An empty URL is allowed unless required. Whether a webhook
// URL may be reached (public address, HTTPS) is the dispatcher's guard's
// call: it needs DNS and the operator's settings.
func CheckAppURL(field, raw string, required bool) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		if required {
			return "", FieldError(field, "required", "%s is required", field)
		}
		return "", nil
	}
	if len(raw) > 2000 {
		return "", FieldError(field, "too_long", "%s must have at most 2000 characters", field)
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.Opaque != "" {
		return "", FieldError(field, "invalid_url", "%s must be an absolute http(s) URL", field)
	}
	if u.User != nil {
		return "", FieldError(field, "invalid_url", "%s must not carry credentials", field)
	}
	if u.Fragment != "" {
		return "", FieldError(field, "invalid_url", "%s must not have a fragment", field)
	}
	return u.String(), nil
}
