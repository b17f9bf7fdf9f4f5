package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/events"
	"github.com/shelfhq/shelf/internal/search"
	"github.com/shelfhq/shelf/internal/secret"
	"github.com/shelfhq/shelf/internal/selftest"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store"
	"github.com/shelfhq/shelf/internal/web"
)

// serveGCPercent is the heap growth that starts a collection in serve:
// four times the live heap (measured: CPU per new visit of a channel's
// link 90–103 µs against 107–118 µs at the default 100).
const serveGCPercent = 400

// serveConfig is everything `shelf serve` is told.
type serveConfig struct {
	db        *dbFlags
	addr      string
	baseURL   string
	demo      bool
	logFormat string
	logLevel  string
	metrics   string
	proxies   string
	payments  string
	events    *eventFlags
}

func (m *Main) serve(ctx context.Context, args []string) error {
	fs := m.flagSet("serve [flags]", "Runs the marketplace: web pages, the JSON API under /api/v1, /healthz, /readyz and /metrics.\nMigrations are applied at start.")
	c := serveConfig{db: m.addDBFlags(fs)}
	c.events = m.addEventFlags(fs)
	fs.StringVar(&c.addr, "addr", m.env("ADDR", "127.0.0.1:8080"), "address to listen on (SHELF_ADDR)")
	fs.StringVar(&c.baseURL, "base-url", m.env("BASE_URL", ""), "public URL, e.g. https://market.example.com; https makes cookies Secure (SHELF_BASE_URL; default http://<addr>)")
	fs.BoolVar(&c.demo, "demo", m.envBool("DEMO"), "fill an empty database with demo data (SHELF_DEMO)")
	fs.StringVar(&c.logFormat, "log-format", m.env("LOG_FORMAT", "text"), "log format: text or json (SHELF_LOG_FORMAT)")
	fs.StringVar(&c.logLevel, "log-level", m.env("LOG_LEVEL", "info"), "log level: debug, info, warn, error (SHELF_LOG_LEVEL)")
	fs.StringVar(&c.proxies, "trusted-proxies", m.env("TRUSTED_PROXIES", ""), "comma-separated addresses or CIDRs of reverse proxies whose X-Forwarded-For gives the client's address (SHELF_TRUSTED_PROXIES)")
	fs.StringVar(&c.payments, "payments", m.env("PAYMENTS", "sandbox"), "how customers pay: sandbox (a test checkout, no money moves) or manual (bank transfers a platform admin records) (SHELF_PAYMENTS)")
	fs.StringVar(&c.metrics, "metrics-token", m.env("METRICS_TOKEN", ""), "bearer token /metrics requires; without it, /metrics answers loopback only (SHELF_METRICS_TOKEN)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := m.checkEnv("serve"); err != nil {
		return err
	}
	if os.Getenv("GOGC") == "" {
		// A server's live heap is small and its allocation rate high, so
		// the runtime's default (collect when the heap has doubled) kept
		// collecting: a tenth of a scanned code's CPU. GOGC still decides
		// when it is set.
		debug.SetGCPercent(serveGCPercent)
	}
	if err := errors.Join(c.events.check(), checkBaseURL(c.baseURL), checkPayments(c.payments)); err != nil {
		fmt.Fprintln(m.Stderr, "shelf serve:", err)
		return ErrUsage
	}
	log, err := m.logger(c.logFormat, c.logLevel)
	if err != nil {
		fmt.Fprintln(m.Stderr, "shelf serve:", err)
		return ErrUsage
	}
	proxies, err := parsePrefixes(c.proxies)
	if err != nil {
		fmt.Fprintln(m.Stderr, "shelf serve: --trusted-proxies:", err)
		return ErrUsage
	}
	box, err := c.events.secretBox(c.db.data)
	if err != nil {
		return err
	}
	// Every node signs list cursors alike, so a next page may come from any.
	if !shelf.SignCursors(box.Derive("paging/cursors")) {
		log.Warn("list cursors keep the key set earlier in this process: another node's cursors will be refused")
	}
	st, err := m.openStore(ctx, c.db, log, box)
	if err != nil {
		return err
	}
	defer st.Close()
	var world *demo.World
	if c.demo {
		if world, err = demo.Seed(ctx, st); err != nil {
			return err
		}
		if world == nil {
			log.Info("demo data not added: the database already has accounts")
		}
	}
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", c.addr, err)
	}
	if c.baseURL == "" {
		c.baseURL = "http://" + ln.Addr().String()
	}
	if world != nil {
		// Secrets shown once: kept beside the database, readable by its owner only.
		if err := os.WriteFile(filepath.Join(c.db.data, "demo-vendor.env"), []byte(world.VendorEnv(c.baseURL)), 0o600); err != nil {
			log.Warn("could not write demo-vendor.env", "err", err)
		}
	}
	web.WarnPlainHTTP(log, c.baseURL)
	dctx, stopDispatch := context.WithCancel(ctx)
	defer stopDispatch()
	reg := prometheus.NewRegistry()
	d, dispatcherReady, dispatched := m.startDispatcher(dctx, st, c.events, c.db.data, log, reg)
	// Every committed change that emitted an event wakes the dispatcher,
	// whichever code path made it.
	st.SetOnEmit(d.Wake)
	pruned := m.startPruner(dctx, st, c.events, log.With("component", "webhooks"))
	guard := c.events.guard()
	shop, sold := m.startCommerce(dctx, st, box, c.baseURL, c.payments, log)
	// The market's search index: built at start, then kept current from
	// the change feed of every node.
	market := search.NewMarket(st, log.With("component", "search"))
	indexed := make(chan struct{})
	go func() {
		defer close(indexed)
		market.Run(dctx)
		<-dctx.Done()
	}()
	links, linked := m.startPromoLinks(dctx, st, log)
	srv, err := web.New(web.Config{Store: st, Clock: m.Clock, Logger: log, BaseURL: c.baseURL, Registry: reg, Version: version(),
		WebhookGuard: &guard, Ready: map[string]func() error{"dispatcher": dispatcherReady}, Commerce: st, Entitlements: shop.cache, Payments: shop.payments, Sandbox: shop.sandbox,
		OIDC:      m.startSSO(st, box, c.baseURL, shop.cache, log),
		SelfTests: &selftest.Runner{Store: st, Client: guard.Client(10 * time.Second), Clock: m.Clock},
		Links:     events.NewLinkChecker(&guard), MetricsToken: c.metrics, TrustedProxies: proxies, PromoKey: box.Derive("promo/visitors"),
		Market: market, Promo: links, DemoHint: c.demo})
	if err != nil {
		ln.Close()
		return err
	}
	err = m.runHTTP(ctx, ln, srv, c, log)
	stopDispatch()
	dispatched()
	pruned()
	sold()
	<-indexed
	linked()
	return err
}

// checkBaseURL accepts an empty base URL (the listening address is used)
// or an absolute http(s) URL: links in mails and QR codes are built on it.
func checkBaseURL(s string) error {
	if s == "" {
		return nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("--base-url: %q: give the public address as http(s)://host[:port][/path], e.g. https://market.example.com", s)
	}
	return nil
}

// runHTTP serves until ctx ends, then drains requests for up to 10 s.
func (m *Main) runHTTP(ctx context.Context, ln net.Listener, h http.Handler, c serveConfig, log *slog.Logger) error {
	hs := &http.Server{
		Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	m.printWelcome(c)
	if m.Ready != nil {
		m.Ready(ln.Addr().String())
	}
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

func (m *Main) printWelcome(c serveConfig) {
	fmt.Fprintf(m.Stderr, "shelf: listening on %s\n", c.baseURL)
	if !c.demo {
		return
	}
	fmt.Fprintf(m.Stderr, "\nDemo market: %s/  (sign in at %s/signin, password %q)\n", c.baseURL, c.baseURL, demo.Password)
	for _, a := range demo.Accounts {
		fmt.Fprintf(m.Stderr, "  %-22s %s\n", a.Email, a.Role)
	}
	fmt.Fprintf(m.Stderr, "\nThe vendor's side: examples/vendor plays Evergreen CRM (sign-in as member@, entitlements):\n  set -a; . %s; set +a; go run ./examples/vendor -addr 127.0.0.1:9000\n",
		filepath.Join(c.db.data, "demo-vendor.env"))
	fmt.Fprintln(m.Stderr)
}

// openStore opens and migrates the database.
// box seals webhook secrets; commands that never read them pass nil.
func (m *Main) openStore(ctx context.Context, f *dbFlags, log *slog.Logger, box *secret.Box) (*store.Store, error) {
	if !store.IsPostgres(f.dsn()) {
		if err := os.MkdirAll(f.data, 0o700); err != nil {
			return nil, fmt.Errorf("data folder: %w", err)
		}
	}
	st, err := store.Open(ctx, f.dsn(), store.Options{Clock: m.Clock, SecretBox: box})
	if err != nil {
		return nil, err
	}
	applied, err := st.Migrate(ctx)
	if err != nil {
		st.Close()
		return nil, err
	}
	if len(applied) > 0 {
		log.Info("migrated", "db", st.Dialect(), "applied", strings.Join(applied, ", "))
	}
	return st, nil
}

func (m *Main) logger(format, level string) (*slog.Logger, error) {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("bad --log-level %q", level)
	}
	opts := &slog.HandlerOptions{Level: lvl}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(m.Stderr, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(m.Stderr, opts)), nil
	}
	return nil, fmt.Errorf("bad --log-format %q: use text or json", format)
}

// parsePrefixes reads "10.0.0.1, 192.168.0.0/16": addresses or CIDRs.
func parsePrefixes(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, item := range strings.Split(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if strings.Contains(item, "/") {
			p, err := netip.ParsePrefix(item)
			if err != nil {
				return nil, err
			}
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(item)
		if err != nil {
			return nil, err
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}
