// Package web serves Shelf over HTTP: the JSON API under /api/v1, the
// server-rendered pages (zh-CN and en), health checks and metrics. Handlers
// stay thin: parse, authorize, call the store, render.
package web

import (
	"context"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/shelfhq/shelf/internal/events"
	"github.com/shelfhq/shelf/internal/selftest"
	"github.com/shelfhq/shelf/internal/shelf"
)

// Store is what the web layer needs from storage; *store.Store implements it.
type Store interface {
	Ping(ctx context.Context) error

	CreateUser(ctx context.Context, email, name, password string) (*shelf.User, error)
	Authenticate(ctx context.Context, email, password, from string) (*shelf.User, error)
	PlatformUsers(ctx context.Context, role shelf.PlatformRole) ([]shelf.User, error)

	CreateSession(ctx context.Context, userID string, ttl time.Duration) (token, csrf string, err error)
	SessionUser(ctx context.Context, token string) (*shelf.User, string, error)
	DeleteSession(ctx context.Context, token string) error
	CreateToken(ctx context.Context, userID, name, kind string, ttl time.Duration) (string, *shelf.Token, error)
	TokenUser(ctx context.Context, plain string) (*shelf.User, error)
	Tokens(ctx context.Context, userID string) ([]shelf.Token, error)
	RevokeToken(ctx context.Context, userID, tokenID string) error
	RevokeBearer(ctx context.Context, userID, plain string) error

	CreateOrg(ctx context.Context, n shelf.NewOrg) (*shelf.Org, error)
	Org(ctx context.Context, id string) (*shelf.Org, error)
	OrgsForUser(ctx context.Context, userID string) ([]shelf.OrgWithRole, error)
	TestOrgs(ctx context.Context, partnerOrgID string) ([]shelf.Org, error)
	OrgForMember(ctx context.Context, orgID, userID string) (*shelf.Org, shelf.Role, bool, error)
	MemberRole(ctx context.Context, orgID, userID string) (shelf.Role, bool, error)
	Members(ctx context.Context, orgID string) ([]shelf.Membership, error)
	AddMember(ctx context.Context, orgID, email string, role shelf.Role, byUserID string) (*shelf.Membership, *shelf.Invitation, error)
	Invitations(ctx context.Context, orgID string) ([]shelf.Invitation, error)
	InvitationByToken(ctx context.Context, token string) (*shelf.Invitation, error)
	Invite(ctx context.Context, orgID, email string, role shelf.Role, byUserID string) (*shelf.Invitation, error)
	AcceptInvitation(ctx context.Context, token, userID string) (*shelf.Membership, error)
	SetMemberRole(ctx context.Context, orgID, userID string, role shelf.Role, byUserID string) error
	RemoveMember(ctx context.Context, orgID, userID, byUserID string) error

	CreateGroup(ctx context.Context, orgID, name, ownerID string, memberIDs []string) (*shelf.Group, error)
	Group(ctx context.Context, id string) (*shelf.Group, error)
	Groups(ctx context.Context, orgID string) ([]shelf.Group, error)
	AddGroupMember(ctx context.Context, groupID, userID string) error

	CreateCategory(ctx context.Context, n shelf.NewCategory) (*shelf.Category, error)
	UpdateCategory(ctx context.Context, id string, p shelf.CategoryPatch) (*shelf.Category, error)
	Categories(ctx context.Context, withArchived bool) ([]shelf.Category, error)
	AssignOperator(ctx context.Context, categoryID, userID, byUserID string) error
	UnassignOperator(ctx context.Context, categoryID, userID, byUserID string) error
}

// Config configures a Server.
type Config struct {
	Store  Store
	Clock  shelf.Clock
	Logger *slog.Logger
	// BaseURL is the public address, e.g. https://market.example.com; it
	// decides whether cookies are Secure and how links are written.
	BaseURL string
	// Registry receives the HTTP metrics; nil makes a new one.
	Registry *prometheus.Registry
	// Version is shown in /healthz and the page footer.
	Version string
	// Apps serves the app registry and vendor events; nil uses Store when
	// it implements AppStore.
	Apps AppStore
	// WebhookGuard checks webhook URLs partners submit (default: public
	// HTTPS endpoints only).
	WebhookGuard URLChecker
	// OnEmit is called after a request emitted an event (wakes the
	// dispatcher).
	OnEmit func()
	// Listings serves the listing workflow; nil uses Store when it
	// implements ListingStore.
	Listings ListingStore
	// SelfTests runs app self-tests in test orgs.
	SelfTests *selftest.Runner
	// Links checks the links of a listing before submission (through the
	// outbound guard); nil skips the network checks.
	Links shelf.LinkChecker
	// MetricsToken, when set, is the bearer token /metrics requires;
	// without it /metrics answers loopback callers only.
	MetricsToken string
	// TrustedProxies are the reverse proxies whose X-Forwarded-For gives
	// the client's address (for the sign-in rate limit).
	TrustedProxies []netip.Prefix
}

// Server is the HTTP application.
type Server struct {
	store    Store
	clock    shelf.Clock
	log      *slog.Logger
	baseURL  *url.URL
	secure   bool
	version  string
	registry *prometheus.Registry
	metrics  *httpMetrics
	pages    *pages
	limiter  *ipLimiter
	routes   []route
	handler  http.Handler

	apps         AppStore
	webhookGuard URLChecker
	onEmit       func()
	listings     ListingStore
	selfTests    *selftest.Runner
	links        shelf.LinkChecker
	metricsToken string
}

// Session lengths.
const (
	webSessionTTL = 14 * 24 * time.Hour
	apiTokenTTL   = 24 * time.Hour
)

// New builds the server and its routes.
func New(cfg Config) (*Server, error) {
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
	base, err := url.Parse(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	p, err := loadPages()
	if err != nil {
		return nil, err
	}
	s := &Server{
		store: cfg.Store, clock: cfg.Clock, log: cfg.Logger, baseURL: base, secure: base.Scheme == "https",
		version: cfg.Version, registry: cfg.Registry, metrics: newHTTPMetrics(cfg.Registry), pages: p,
		limiter: newIPLimiter(cfg.Clock, cfg.TrustedProxies),
	}
	s.apps, s.webhookGuard, s.onEmit = cfg.Apps, cfg.WebhookGuard, cfg.OnEmit
	if s.apps == nil {
		s.apps, _ = cfg.Store.(AppStore)
	}
	s.listings, s.selfTests, s.links, s.metricsToken = cfg.Listings, cfg.SelfTests, cfg.Links, cfg.MetricsToken
	if s.listings == nil {
		s.listings, _ = cfg.Store.(ListingStore)
	}
	if s.webhookGuard == nil {
		s.webhookGuard = &events.Guard{}
	}
	s.routes = s.apiRoutes()
	s.handler = s.buildHandler()
	return s, nil
}

// ServeHTTP serves a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// buildHandler mounts every route behind the middleware chain.
func (s *Server) buildHandler() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range s.routes {
		mux.Handle(rt.method+" "+rt.pattern, s.api(rt))
	}
	mux.HandleFunc("GET /api/v1/openapi.json", s.serveOpenAPI)
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, &shelf.Error{Kind: shelf.KindNotFound, Code: "no_such_endpoint", Message: r.Method + " " + r.URL.Path + " is not an endpoint"})
	})
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.Handle("GET /metrics", s.metricsHandler())
	s.pageRoutes(mux)
	cop := http.NewCrossOriginProtection()
	var h http.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r)
		// The mux records the matched pattern on the request it was given,
		// a copy of the one observe holds: hand it back for the metrics.
		if info, ok := r.Context().Value(routeKey).(*routeInfo); ok {
			info.pattern = r.Pattern
		}
	})
	h = s.authenticate(h)
	h = cop.Handler(h)
	h = s.observe(h)
	return h
}
