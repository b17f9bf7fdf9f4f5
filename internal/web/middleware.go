package web

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/shelfhq/shelf/internal/shelf"
	"golang.org/x/time/rate"
)

type ctxKey int

const (
	requestIDKey ctxKey = iota
	actorKey
	routeKey
)

// routeInfo carries the matched route pattern back out to observe.
type routeInfo struct{ pattern string }

// requestID returns the request's id ("" outside a request).
func requestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// statusRecorder remembers the status a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusRecorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusRecorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the real writer.
func (w *statusRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// httpMetrics are the Prometheus series of the HTTP server.
type httpMetrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newHTTPMetrics(reg *prometheus.Registry) *httpMetrics {
	m := &httpMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shelf_http_requests_total", Help: "HTTP requests by route pattern, method and status.",
		}, []string{"route", "method", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "shelf_http_request_duration_seconds", Help: "HTTP request latency by route pattern.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"route"}),
	}
	reg.MustRegister(m.requests, m.duration)
	// The registry may be shared (tests build several servers); register the
	// runtime collectors once.
	_ = reg.Register(collectors.NewGoCollector())
	_ = reg.Register(collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// metricsHandler serves Prometheus metrics to the scraper only: with the
// configured bearer token, or from loopback when there is none. Route
// names and process figures are not for the public.
func (s *Server) metricsHandler() http.Handler {
	h := promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{Registry: s.registry})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.metricsToken != "" {
			got := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
			if subtle.ConstantTimeCompare([]byte(got), []byte(s.metricsToken)) != 1 {
				s.writeError(w, r, &shelf.Error{Kind: shelf.KindUnauthenticated, Code: "unauthenticated", Message: "send the metrics token as a bearer token"})
				return
			}
		} else if host, _, err := net.SplitHostPort(r.RemoteAddr); err != nil || !net.ParseIP(host).IsLoopback() {
			s.writeError(w, r, shelf.Forbidden("metrics_loopback_only", "metrics are served to loopback only; set --metrics-token to scrape from elsewhere"))
			return
		}
		h.ServeHTTP(w, r)
	})
}

// observe gives every request an id, recovers panics, logs one line and
// records metrics labelled by route pattern (never by raw path, which would
// explode the series count).
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-Id")
		if id == "" || len(id) > 64 {
			var b [8]byte
			_, _ = rand.Read(b[:])
			id = hex.EncodeToString(b[:])
		}
		w.Header().Set("X-Request-Id", id)
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Referrer-Policy", "same-origin")
		w.Header().Set("X-Frame-Options", "DENY")
		info := &routeInfo{}
		ctx := context.WithValue(context.WithValue(r.Context(), requestIDKey, id), routeKey, info)
		r = r.WithContext(ctx)
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, bodyLimit(r))
		}
		rec := &statusRecorder{ResponseWriter: w}
		defer func() {
			if p := recover(); p != nil {
				s.log.ErrorContext(r.Context(), "panic", "panic", fmt.Sprint(p), "request_id", id, "stack", string(debug.Stack()))
				if rec.status == 0 {
					s.writeError(rec, r, fmt.Errorf("panic: %v", p))
				}
			}
			route := info.pattern
			if route == "" {
				route = "unmatched"
			}
			elapsed := time.Since(start)
			s.metrics.requests.WithLabelValues(route, r.Method, strconv.Itoa(rec.status)).Inc()
			s.metrics.duration.WithLabelValues(route).Observe(elapsed.Seconds())
			if route != "GET /metrics" && route != "GET /healthz" {
				s.log.InfoContext(r.Context(), "request", "request_id", id, "method", r.Method, "path", r.URL.Path,
					"route", route, "status", rec.status, "bytes", rec.bytes, "duration_ms", float64(elapsed.Microseconds())/1000)
			}
		}()
		next.ServeHTTP(rec, r)
	})
}

// Request body limits: every body is bounded before anything reads it
// (the CSRF check parses forms before the handler's own checks run), so
// nobody can fill memory or disk with one request.
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

// ipLimiter bounds requests per client address on the sign-in and sign-up
// endpoints, in front of the per-email failure budget kept in the database.
// Behind reverse proxies, list them in Config.TrustedProxies so that the
// client's address is taken from X-Forwarded-For.
type ipLimiter struct {
	mu      sync.Mutex
	clock   shelf.Clock
	buckets map[string]*rate.Limiter
	swept   time.Time
	// trusted are the reverse proxies whose X-Forwarded-For is believed.
	trusted []netip.Prefix
}

func newIPLimiter(c shelf.Clock, trusted []netip.Prefix) *ipLimiter {
	return &ipLimiter{clock: c, buckets: map[string]*rate.Limiter{}, trusted: trusted}
}

// clientAddr is the address a request comes from: the connection's, or,
// when that is a trusted proxy, the right-most address in X-Forwarded-For
// that is not itself a trusted proxy (addresses left of it are whatever
// the client wrote).
func (l *ipLimiter) clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if !l.isTrusted(host) {
		return host
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop := strings.TrimSpace(hops[i])
		if hop == "" {
			continue
		}
		if !l.isTrusted(hop) {
			return hop
		}
		host = hop
	}
	return host
}

func (l *ipLimiter) isTrusted(addr string) bool {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return false
	}
	for _, p := range l.trusted {
		if p.Contains(ip.Unmap()) {
			return true
		}
	}
	return false
}

// Per address: 20 at once, then one every 3 s.
const (
	ipBurst = 20
	ipEvery = 3 * time.Second
)

// allow takes one token for the address. Buckets that have refilled are
// dropped now and then: forgetting a full bucket changes nothing, so an
// address never gets a fresh burst it has not earned.
func (l *ipLimiter) allow(r *http.Request) bool {
	host := l.clientAddr(r)
	now := l.clock.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > time.Minute {
		for k, b := range l.buckets {
			if b.TokensAt(now) >= ipBurst {
				delete(l.buckets, k)
			}
		}
		l.swept = now
	}
	b := l.buckets[host]
	if b == nil {
		b = rate.NewLimiter(rate.Every(ipEvery), ipBurst)
		l.buckets[host] = b
	}
	return b.AllowN(now, 1)
}

func (s *Server) rateLimited() error {
	return &shelf.Error{Kind: shelf.KindRateLimited, Code: "too_many_requests", Message: "too many attempts from this address; wait a minute"}
}
