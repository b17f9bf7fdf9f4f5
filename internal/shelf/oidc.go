package shelf

import (
	"net"
	"net/url"
	"strings"
	"time"
)

// AppOIDC is how an app signs its users in with Shelf as their OpenID
// provider: the redirect URIs it may receive codes at (matched exactly) and
// the URI Shelf opens to start a sign-in from the workbench (OIDC Core §4,
// third-party-initiated login).
type AppOIDC struct {
	RedirectURIs     []string `json:"redirect_uris"`
	InitiateLoginURI string   `json:"initiate_login_uri"`
}

// MaxRedirectURIs bounds an app's redirect URIs: a handful of environments,
// not a wildcard by enumeration.
const MaxRedirectURIs = 10

// CheckAppOIDC cleans and checks an app's sign-in settings: every URI is
// absolute, https (or http on localhost or a loopback address, for
// development), without credentials or fragment (RFC 6749 §3.1.2); redirect
// URIs are compared exactly later, so they are kept as given, without
// duplicates.
func CheckAppOIDC(in AppOIDC) (AppOIDC, error) {
	out := AppOIDC{RedirectURIs: []string{}}
	if len(in.RedirectURIs) > MaxRedirectURIs {
		return out, FieldError("redirect_uris", "too_many", "an app has at most %d redirect URIs", MaxRedirectURIs)
	}
	seen := map[string]bool{}
	for _, raw := range in.RedirectURIs {
		u, err := checkOIDCURI("redirect_uris", raw)
		if err != nil {
			return out, err
		}
		if !seen[u] {
			seen[u] = true
			out.RedirectURIs = append(out.RedirectURIs, u)
		}
	}
	if strings.TrimSpace(in.InitiateLoginURI) != "" {
		u, err := checkOIDCURI("initiate_login_uri", in.InitiateLoginURI)
		if err != nil {
			return out, err
		}
		out.InitiateLoginURI = u
	}
	return out, nil
}

// checkOIDCURI checks one URI an app registers for sign-in. It is returned
// exactly as given (trimmed): redirect URIs are matched byte for byte.
func checkOIDCURI(field, raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", FieldError(field, "required", "%s must not be empty", field)
	}
	if len(raw) > 2000 {
		return "", FieldError(field, "too_long", "%s must have at most 2000 characters", field)
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return "", FieldError(field, "invalid_url", "%s must be an absolute https URL", field)
	}
	if u.User != nil || u.Fragment != "" || strings.Contains(raw, "#") {
		return "", FieldError(field, "invalid_url", "%s must have neither credentials nor a fragment", field)
	}
	switch {
	case u.Scheme == "https":
	case u.Scheme == "http" && IsLoopbackHost(u.Hostname()):
	default:
		return "", FieldError(field, "https_required", "%s must use https (http only on localhost or 127.0.0.1, for development)", field)
	}
	return raw, nil
}

// IsLoopbackHost reports whether host is localhost or a loopback address.
func IsLoopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// OIDCClient is an app as an OpenID Connect client: the registered app and
// its sign-in settings.
type OIDCClient struct {
	App App
	AppOIDC
}

// OIDCAuthRequest is an authorization request from an app, kept from the
// moment the app sends the user to Shelf until its code is redeemed, so any
// node can finish a flow another began.
type OIDCAuthRequest struct {
	ID                  string
	AppID               string
	ClientID            string
	RedirectURI         string
	Scopes              []string
	State               string
	Nonce               string
	ResponseType        string
	ResponseMode        string
	CodeChallenge       string
	CodeChallengeMethod string
	LoginHint           string
	Prompt              []string
	// UserID and OrgID are set once the user signed in and chose the org;
	// AuthTime is when.
	UserID   string
	OrgID    string
	AuthTime time.Time
	// CodeIssued is set once a code was handed out for the request.
	CodeIssued bool
	CreatedAt  time.Time
	ExpiresAt  time.Time
}

// OIDCToken is an access token issued to an app for a user in an org. The
// token itself is never stored: ID is what the provider keeps of it, and the
// store keeps only its hash.
type OIDCToken struct {
	ID            string
	AuthRequestID string
	AppID         string
	UserID        string
	OrgID         string
	Subject       string
	Scopes        []string
	CreatedAt     time.Time
	ExpiresAt     time.Time
}

// OIDCKey is a key that signs ID tokens. Generation orders the keys; a new
// key takes the next number, so two nodes rotating at once cannot both add
// one. PrivateKey is PKCS #8 DER, base64: plain here, sealed at rest.
type OIDCKey struct {
	ID         string
	Generation int64
	Algorithm  string
	PrivateKey string
	CreatedAt  time.Time
}
