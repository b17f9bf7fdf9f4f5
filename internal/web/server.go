// Package web is the composition root of Shelf's HTTP server: it builds
// the shared services, the access policy and the sessions, and mounts the
// JSON API (package api) and the pages (package ui) on one mux behind the
// middleware chain, with the health checks and metrics.
package web

import (
	"crypto/rand"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/shelfhq/shelf/internal/events"
	"github.com/shelfhq/shelf/internal/oidc"
	"github.com/shelfhq/shelf/internal/payment"
	"github.com/shelfhq/shelf/internal/search"
	"github.com/shelfhq/shelf/internal/selftest"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/access"
	"github.com/shelfhq/shelf/internal/web/api"
	"github.com/shelfhq/shelf/internal/web/auth"
	"github.com/shelfhq/shelf/internal/web/httpx"
	"github.com/shelfhq/shelf/internal/web/service"
	"github.com/shelfhq/shelf/internal/web/ui"
)

// Config configures a Server.
type Config struct {
	// Store is the storage; *store.Store implements it, and AppStore and
	// ListingStore too.
	Store  service.Store
	Clock  shelf.Clock
	Logger *slog.Logger
	// BaseURL is the public address, e.g. https://market.example.com; it
	// decides whether cookies are Secure and how links are written.
	BaseURL string
	// Registry receives the HTTP metrics; nil makes a new one.
	Registry *prometheus.Registry
	// Version is shown in /healthz and the page footer.
	Version string
	// Apps serves the app registry and vendor events; nil uses Store.
	Apps service.AppStore
	// WebhookGuard checks the webhook URLs partners submit (default:
	// public HTTPS endpoints only).
	WebhookGuard service.URLChecker
	// Ready are the checks /readyz runs beside the database ping (the
	// webhook dispatcher's, say); an error makes the node not ready.
	Ready map[string]func() error
	// Listings serves the listing workflow; nil uses Store.
	Listings service.ListingStore
	// SelfTests runs app self-tests in test orgs.
	SelfTests *selftest.Runner
	// Links checks a listing's links before submission (through the
	// outbound guard); nil skips the network checks.
	Links shelf.LinkChecker
	// MetricsToken, when set, is the bearer token /metrics requires;
	// without it /metrics answers loopback callers only.
	MetricsToken string
	// TrustedProxies are the reverse proxies whose X-Forwarded-For gives
	// the client's address (for the sign-in rate limit).
	TrustedProxies []netip.Prefix
	// Commerce sells; nil uses Store.
	Commerce service.CommerceStore
	// Entitlements answers the vendor API from memory (required to serve
	// it; without one every call reads the database through Commerce).
	Entitlements service.Entitlements
	// Payments are the payment providers; Sandbox the built-in test one.
	Payments *payment.Providers
	Sandbox  *payment.Sandbox
	// Selfop serves partner self-operation (settlement); nil uses Store.
	Selfop service.SelfopStore
	// OIDC is Shelf's OpenID provider, mounted at its discovery path and
	// /oidc/; nil: no single sign-on.
	OIDC *oidc.Provider
	// Promo keeps promotion channels; nil uses Store. PromoKey names the
	// visitors of their links (nil: a key of this process's own).
	Promo    service.PromoStore
	PromoKey []byte
	// Market is the market's search index; nil makes one over Store that
	// hears this process's changes only (serve runs one that hears every
	// node's: search.Market.Run).
	Market *search.Market
	// DemoHint shows the demo password on the sign-in page (serve --demo).
	DemoHint bool
}

// Server is the HTTP application.
type Server struct {
	handler http.Handler
}

// New builds the server and its routes.
func New(cfg Config) (*Server, error) {
	cfg, base, err := withDefaults(cfg)
	if err != nil {
		return nil, err
	}
	svc := &service.Services{Store: cfg.Store, Apps: cfg.Apps, Listings: cfg.Listings, Clock: cfg.Clock, BaseURL: base,
		WebhookGuard: cfg.WebhookGuard, Links: cfg.Links, SelfTests: cfg.SelfTests,
		Commerce: cfg.Commerce, Entitlements: cfg.Entitlements, Payments: cfg.Payments, Sandbox: cfg.Sandbox,
		Promo: cfg.Promo, PromoKey: cfg.PromoKey, Market: cfg.Market, Selfop: cfg.Selfop}
	svc.Cool, _ = cfg.Store.(service.CoolStore)
	if cfg.OIDC != nil {
		svc.SSO = cfg.OIDC
	}
	policy := access.New(cfg.Store, cfg.Apps, cfg.Listings).WithOrders(cfg.Commerce)
	sessions := &auth.Sessions{Store: cfg.Store, Secure: base.Scheme == "https"}
	limiter := httpx.NewIPLimiter(cfg.Clock, cfg.TrustedProxies)
	pages, err := ui.New(svc, policy, sessions, limiter, cfg.Logger, cfg.Version)
	if err != nil {
		return nil, err
	}
	pages.DemoHint = cfg.DemoHint
	mux := http.NewServeMux()
	api.New(svc, policy, sessions, limiter).Mount(mux)
	if cfg.OIDC != nil {
		// By method: a method-less pattern would clash with the pages' "GET /".
		for _, m := range []string{"GET ", "POST "} {
			mux.Handle(m+oidc.DiscoveryPath, cfg.OIDC)
			mux.Handle(m+oidc.PathPrefix, cfg.OIDC)
		}
	}
	mux.HandleFunc("GET /healthz", healthz(cfg.Version))
	mux.HandleFunc("GET /readyz", readyz(cfg.Store, cfg.Ready))
	mux.Handle("GET /metrics", httpx.MetricsHandler(cfg.Registry, cfg.MetricsToken))
	pages.Mount(mux)

	obs := &httpx.Observer{Log: cfg.Logger, Metrics: httpx.NewMetrics(cfg.Registry), BodyLimit: bodyLimit}
	h := sessions.Middleware(httpx.Routed(mux))
	h = http.NewCrossOriginProtection().Handler(h)
	return &Server{handler: obs.Observe(h)}, nil
}

// withDefaults fills what the config leaves out and parses the base URL.
func withDefaults(cfg Config) (Config, *url.URL, error) {
	if cfg.Clock == nil {
		cfg.Clock = shelf.SystemClock{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Registry == nil {
		cfg.Registry = prometheus.NewRegistry()
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = "http://127.0.0.1:8080"
	}
	if cfg.Apps == nil {
		cfg.Apps, _ = cfg.Store.(service.AppStore)
	}
	if cfg.Listings == nil {
		cfg.Listings, _ = cfg.Store.(service.ListingStore)
	}
	if cfg.WebhookGuard == nil {
		cfg.WebhookGuard = &events.Guard{}
	}
	if cfg.Commerce == nil {
		cfg.Commerce, _ = cfg.Store.(service.CommerceStore)
	}
	if cfg.Selfop == nil {
		cfg.Selfop, _ = cfg.Store.(service.SelfopStore)
	}
	if cfg.Entitlements == nil {
		cfg.Entitlements = service.Uncached{Commerce: cfg.Commerce}
	}
	if cfg.Promo == nil {
		cfg.Promo, _ = cfg.Store.(service.PromoStore)
	}
	if cfg.PromoKey == nil {
		// Visitors are then named alike on this node only: serve derives
		// a shared key from the secret key.
		cfg.PromoKey = make([]byte, 32)
		if _, err := rand.Read(cfg.PromoKey); err != nil {
			return cfg, nil, err
		}
	}
	if cfg.Payments == nil {
		// A key of this process's own: a fixed one would let anyone sign
		// a sandbox payment. serve derives a shared one from the secret key.
		key := make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return cfg, nil, err
		}
		cfg.Sandbox = &payment.Sandbox{Key: key, BaseURL: cfg.BaseURL, Clock: cfg.Clock}
		cfg.Payments = payment.NewProviders(cfg.Sandbox, &payment.Manual{})
	}
	if src, ok := cfg.Store.(search.Source); ok && cfg.Market == nil {
		cfg.Market = search.NewMarket(src, cfg.Logger)
	}
	base, err := url.Parse(cfg.BaseURL)
	return cfg, base, err
}

// ServeHTTP serves a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Request body limits: every body is bounded before anything reads it
// (the CSRF check parses forms before a handler's own checks run).
const (
	defaultBodyLimit = 1 << 20  // forms and JSON
	uploadBodyLimit  = 20 << 20 // the listing editor (icon and six screenshots) and image uploads
)

func bodyLimit(r *http.Request) int64 {
	p := r.URL.Path
	if r.Method == http.MethodPost && (strings.HasPrefix(p, "/revisions/") && strings.HasSuffix(p, "/edit") ||
		strings.HasPrefix(p, "/api/v1/orgs/") && strings.HasSuffix(p, "/media")) {
		return uploadBodyLimit
	}
	return defaultBodyLimit
}
