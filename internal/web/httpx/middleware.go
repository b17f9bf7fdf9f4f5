// Package httpx is the HTTP plumbing the API and the pages share: the
// middleware in front of every request (ids, security headers, body
// limits, panics, logs, metrics), the per-address limiter, and the JSON
// writers with the one mapping of error kinds to statuses.
package httpx

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/shelfhq/shelf/internal/shelf"
)

type ctxKey int

const (
	requestIDKey ctxKey = iota
	routeKey
	loggerKey
)

// routeInfo carries the matched route pattern back out to Observe.
type routeInfo struct{ pattern string }

// RequestID returns the request's id ("" outside a request).
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// Logger returns the server's logger (slog.Default outside a request).
func Logger(ctx context.Context) *slog.Logger {
	if l, ok := ctx.Value(loggerKey).(*slog.Logger); ok {
		return l
	}
	return slog.Default()
}

// RequestLogger returns the server's logger with the request's id.
func RequestLogger(r *http.Request) *slog.Logger {
	return Logger(r.Context()).With("request_id", RequestID(r.Context()))
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

// Metrics are the Prometheus series of the HTTP server.
type Metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

// NewMetrics registers the HTTP series (and, once, the runtime
// collectors: tests build several servers on one registry).
func NewMetrics(reg *prometheus.Registry) *Metrics {
	m := &Metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "shelf_http_requests_total", Help: "HTTP requests by route pattern, method and status.",
		}, []string{"route", "method", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "shelf_http_request_duration_seconds", Help: "HTTP request latency by route pattern.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"route"}),
	}
	reg.MustRegister(m.requests, m.duration)
	_ = reg.Register(collectors.NewGoCollector())
	_ = reg.Register(collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// MetricsHandler serves the registry to the scraper only: with the bearer
// token, or from loopback when there is none.
func MetricsHandler(reg *prometheus.Registry, token string) http.Handler {
	h := promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if token != "" {
			got := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
			if subtle.ConstantTimeCompare([]byte(got), []byte(token)) != 1 {
				WriteError(w, r, &shelf.Error{Kind: shelf.KindUnauthenticated, Code: "unauthenticated", Message: "send the metrics token as a bearer token"})
				return
			}
		} else if host, _, err := net.SplitHostPort(r.RemoteAddr); err != nil || !net.ParseIP(host).IsLoopback() {
			WriteError(w, r, shelf.Forbidden("metrics_loopback_only", "metrics are served to loopback only; set --metrics-token to scrape from elsewhere"))
			return
		}
		h.ServeHTTP(w, r)
	})
}

// Observer is the outermost middleware.
type Observer struct {
	Log     *slog.Logger
	Metrics *Metrics
	// BodyLimit bounds each request's body before anything reads it.
	BodyLimit func(*http.Request) int64
}

// Observe gives every request an id and the security headers, bounds its
// body, recovers panics, logs one line and records metrics labelled by
// route pattern (never by raw path, which would explode the series count).
func (o *Observer) Observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := requestIDOf(r)
		w.Header().Set("X-Request-Id", id)
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Referrer-Policy", "same-origin")
		w.Header().Set("X-Frame-Options", "DENY")
		info := &routeInfo{}
		ctx := context.WithValue(context.WithValue(r.Context(), requestIDKey, id), routeKey, info)
		r = r.WithContext(context.WithValue(ctx, loggerKey, o.Log))
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, o.BodyLimit(r))
		}
		rec := &statusRecorder{ResponseWriter: w}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					// A handler cutting off an answer it had begun (a
					// download that failed halfway): counted, then net/http
					// drops the connection so the client sees it fail.
					rec.status = max(rec.status, http.StatusInternalServerError)
					o.record(r, rec, info.pattern, time.Since(start))
					panic(p)
				}
				o.Log.ErrorContext(r.Context(), "panic", "panic", fmt.Sprint(p), "request_id", id, "stack", string(debug.Stack()))
				if rec.status == 0 {
					WriteError(rec, r, fmt.Errorf("panic: %v", p))
				}
			}
			o.record(r, rec, info.pattern, time.Since(start))
		}()
		next.ServeHTTP(rec, r)
	})
}

// requestIDOf is the caller's X-Request-Id, or a new id: this process's
// random prefix and a counter, unique across nodes without a system call
// per request.
func requestIDOf(r *http.Request) string {
	id := r.Header.Get("X-Request-Id")
	if id == "" || len(id) > 64 {
		id = processID + strconv.FormatUint(requestSeq.Add(1), 16)
	}
	return id
}

var (
	processID  = newProcessID()
	requestSeq atomic.Uint64
)

func newProcessID() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:]) + "-"
}

// quietRoutes are the hot machine-to-machine reads: they log only what
// went wrong or took long (metrics count them all), so a vendor asking
// thousands of times a second does not flood the log.
var quietRoutes = map[string]bool{"GET /api/v1/vendor/entitlements": true}

// slowRequest is when a quiet route's request is logged anyway.
const slowRequest = 250 * time.Millisecond

func (o *Observer) record(r *http.Request, rec *statusRecorder, route string, elapsed time.Duration) {
	if route == "" {
		route = "unmatched"
	}
	o.Metrics.requests.WithLabelValues(route, r.Method, strconv.Itoa(rec.status)).Inc()
	o.Metrics.duration.WithLabelValues(route).Observe(elapsed.Seconds())
	quiet := route == "GET /metrics" || route == "GET /healthz" ||
		quietRoutes[route] && rec.status < 400 && elapsed < slowRequest
	if !quiet {
		o.Log.InfoContext(r.Context(), "request", "request_id", RequestID(r.Context()), "method", r.Method, "path", r.URL.Path,
			"route", route, "status", rec.status, "bytes", rec.bytes, "duration_ms", float64(elapsed.Microseconds())/1000)
	}
}

// Routed serves mux and hands the pattern it matched back to Observe (the
// mux records it on its own copy of the request).
func Routed(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() { // also when the handler panics: the route is still counted
			if info, ok := r.Context().Value(routeKey).(*routeInfo); ok {
				info.pattern = r.Pattern
			}
		}()
		mux.ServeHTTP(w, r)
	})
}
