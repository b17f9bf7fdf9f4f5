// Package oidc makes Shelf an OpenID Connect provider: members sign in to
// the apps their org installed with their Shelf account. It is built on
// zitadel/oidc's op package (OpenID-certified), which speaks the protocol;
// this package keeps the flow's state in the store (so any node of a
// cluster can finish a flow another began), signs with keys kept in the
// database and rotated on their own, and decides the claims: a pairwise
// subject per app, the org and the user's entitlement.
//
// Every registered app is a confidential client (it has a client secret)
// that must use the authorization code flow with PKCE (S256).
package oidc

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/rs/cors"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"
)

// Apps reads the registered apps as clients.
type Apps interface {
	OIDCClient(ctx context.Context, clientID string) (*shelf.OIDCClient, error)
	AuthenticateApp(ctx context.Context, clientID, clientSecret string) (*shelf.App, error)
	App(ctx context.Context, id string) (*shelf.App, error)
	AppOIDC(ctx context.Context, appID string) (*shelf.AppOIDC, error)
}

// Users reads the people who sign in.
type Users interface {
	User(ctx context.Context, id string) (*shelf.User, error)
}

// Memberships says whether a user belongs to an org.
type Memberships interface {
	MemberRole(ctx context.Context, orgID, userID string) (role shelf.Role, ok bool, err error)
}

// Installations says whether an app is installed (active) in an org.
type Installations interface {
	IsInstalled(ctx context.Context, appID, orgID string) (bool, error)
}

// Grants keeps the flows: authorization requests, their codes and the
// access tokens issued for them.
type Grants interface {
	CreateOIDCAuthRequest(ctx context.Context, r *shelf.OIDCAuthRequest) error
	OIDCAuthRequest(ctx context.Context, id string) (*shelf.OIDCAuthRequest, error)
	CompleteOIDCAuthRequest(ctx context.Context, id, userID, orgID string) error
	SaveOIDCCode(ctx context.Context, authRequestID, code string, ttl time.Duration) error
	OIDCAuthRequestByCode(ctx context.Context, code string) (*shelf.OIDCAuthRequest, error)
	RedeemOIDCCode(ctx context.Context, t *shelf.OIDCToken) error
	OIDCToken(ctx context.Context, id string) (*shelf.OIDCToken, error)
	RevokeOIDCToken(ctx context.Context, id, appID string) error
}

// Keys keeps the signing keys.
type Keys interface {
	OIDCKeys(ctx context.Context) ([]shelf.OIDCKey, error)
	AddOIDCKey(ctx context.Context, k *shelf.OIDCKey) (added bool, err error)
}

// Store is everything the provider reads and keeps; *store.Store
// implements it.
type Store interface {
	Apps
	Users
	Memberships
	Installations
	Grants
	Keys
}

// Entitlements answers whether a user of an org may use an app, for the
// entitlement claim. The commerce store implements it.
type Entitlements interface {
	Entitlements(ctx context.Context, appID, orgID, userID string) (shelf.Entitlement, error)
}

// EntitlementsFunc adapts a function to Entitlements.
type EntitlementsFunc func(ctx context.Context, appID, orgID, userID string) (shelf.Entitlement, error)

// Entitlements calls f.
func (f EntitlementsFunc) Entitlements(ctx context.Context, appID, orgID, userID string) (shelf.Entitlement, error) {
	return f(ctx, appID, orgID, userID)
}

// Config configures a Provider. Zero durations take the defaults below.
type Config struct {
	// Issuer is Shelf's base URL, e.g. https://market.example.com: https,
	// or http on localhost or a loopback address for development.
	Issuer string
	Store  Store
	// Entitlements fills the entitlement claim; nil leaves it out.
	Entitlements Entitlements
	// SecretKey is the server's secret key (the one its secret.Box is made
	// of). Two keys are derived from it with HKDF-SHA256: one for the
	// pairwise subjects, one that encrypts access tokens. Every node must
	// have the same key; changing it changes every subject.
	SecretKey []byte
	// LoginURL is the sign-in page the user is sent to, with ?id=<auth
	// request id>; default Issuer + "/signin/oidc".
	LoginURL string
	// Clock defaults to the system clock.
	Clock shelf.Clock

	RequestLifetime     time.Duration // to sign in after the app sent the user (30 min)
	CodeLifetime        time.Duration // to exchange a code (1 min)
	AccessTokenLifetime time.Duration // 1 h
	IDTokenLifetime     time.Duration // 1 h
	KeyRotation         time.Duration // age at which a new signing key is made (30 days)
}

// The defaults of Config's durations.
const (
	DefaultRequestLifetime     = 30 * time.Minute
	DefaultCodeLifetime        = time.Minute
	DefaultAccessTokenLifetime = time.Hour
	DefaultIDTokenLifetime     = time.Hour
	DefaultKeyRotation         = 30 * 24 * time.Hour
)

// Paths the provider serves, relative to the issuer. Mount the Provider at
// DiscoveryPath and at PathPrefix (every path below it).
const (
	DiscoveryPath = "/.well-known/openid-configuration"
	PathPrefix    = "/oidc/"
	// callbackPath is op's own "login done" route. It is closed: a code is
	// handed out only by Complete, to the browser of the user who signed
	// in, never to whoever knows the auth request id.
	callbackPath = "/oidc/authorize/callback"
)

// The claims Shelf adds to the standard ones.
const (
	ClaimOrgID       = "org_id"
	ClaimEntitlement = "entitlement"
)

// Provider is Shelf's OpenID provider: an http.Handler for the protocol's
// endpoints, and the methods the sign-in page calls.
type Provider struct {
	cfg          Config
	store        Store
	entitlements Entitlements
	clock        shelf.Clock
	op           *op.Provider
	keys         *keyring
	subjectKey   []byte
	loginURL     string
}

// New returns a provider.
func New(cfg Config) (*Provider, error) {
	if cfg.Store == nil {
		return nil, errors.New("oidc: no store")
	}
	iss, err := url.Parse(cfg.Issuer)
	if err != nil || iss.Host == "" || iss.RawQuery != "" || iss.Fragment != "" {
		return nil, fmt.Errorf("oidc: issuer %q is not an absolute URL", cfg.Issuer)
	}
	insecure := iss.Scheme == "http" && shelf.IsLoopbackHost(iss.Hostname())
	if iss.Scheme != "https" && !insecure {
		return nil, fmt.Errorf("oidc: issuer %q must be https (http only on localhost)", cfg.Issuer)
	}
	cfg.Issuer = strings.TrimSuffix(cfg.Issuer, "/")
	if cfg.Clock == nil {
		cfg.Clock = shelf.SystemClock{}
	}
	for _, d := range []struct {
		v   *time.Duration
		def time.Duration
	}{{&cfg.RequestLifetime, DefaultRequestLifetime}, {&cfg.CodeLifetime, DefaultCodeLifetime},
		{&cfg.AccessTokenLifetime, DefaultAccessTokenLifetime}, {&cfg.IDTokenLifetime, DefaultIDTokenLifetime}, {&cfg.KeyRotation, DefaultKeyRotation}} {
		if *d.v <= 0 {
			*d.v = d.def
		}
	}
	if cfg.LoginURL == "" {
		cfg.LoginURL = cfg.Issuer + "/signin/oidc"
	}
	subjectKey, tokenKey, err := deriveKeys(cfg.SecretKey)
	if err != nil {
		return nil, err
	}
	p := &Provider{cfg: cfg, store: cfg.Store, entitlements: cfg.Entitlements, clock: cfg.Clock, subjectKey: subjectKey, loginURL: cfg.LoginURL}
	// ID tokens may be verified until they expire: a retired key stays
	// published that long, plus a margin for clocks and caches.
	p.keys = &keyring{store: cfg.Store, clock: cfg.Clock, rotateAfter: cfg.KeyRotation, retain: cfg.IDTokenLifetime + 10*time.Minute}
	opCfg := &op.Config{
		CryptoKey:          tokenKey,
		CryptoKeyId:        "shelf-oidc-1",
		CodeMethodS256:     true,
		AuthMethodPost:     true,
		SupportedUILocales: []language.Tag{language.SimplifiedChinese, language.English},
		SupportedScopes:    []string{"openid", "profile", "email"},
		SupportedClaims: []string{"sub", "aud", "exp", "iat", "iss", "auth_time", "nonce", "c_hash", "at_hash", "azp",
			"name", "email", "email_verified", ClaimOrgID, ClaimEntitlement},
		DefaultLogoutRedirectURI: cfg.Issuer + "/",
	}
	e := func(path string) *op.Endpoint { return op.NewEndpoint(strings.TrimPrefix(PathPrefix, "/") + path) }
	opts := []op.Option{
		op.WithCustomEndpoints(e("authorize"), e("token"), e("userinfo"), e("revoke"), e("end_session"), e("keys")),
		op.WithCustomIntrospectionEndpoint(e("introspect")),
		op.WithCustomDeviceAuthorizationEndpoint(e("device_authorization")),
		// Browsers may read discovery, keys and userinfo from any origin,
		// never with cookies: nothing here is authorized by one.
		op.WithCORSOptions(&cors.Options{AllowOriginFunc: func(string) bool { return true }, AllowedMethods: []string{"GET", "HEAD", "POST"},
			AllowedHeaders: []string{"Accept", "Authorization", "Content-Type"}}),
	}
	if insecure {
		opts = append(opts, op.WithAllowInsecure())
	}
	p.op, err = op.NewProvider(opCfg, &storage{p: p}, op.StaticIssuer(cfg.Issuer), opts...)
	if err != nil {
		return nil, fmt.Errorf("oidc: %w", err)
	}
	return p, nil
}

// Issuer is the provider's issuer identifier.
func (p *Provider) Issuer() string { return p.cfg.Issuer }

// ServeHTTP serves discovery and the endpoints under PathPrefix.
func (p *Provider) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	if path == callbackPath || (path != DiscoveryPath && !strings.HasPrefix(path, PathPrefix)) {
		http.NotFound(w, r)
		return
	}
	p.op.ServeHTTP(w, r)
}
