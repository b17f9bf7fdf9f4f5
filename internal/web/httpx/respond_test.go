package httpx_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/httpx"
)

// sqlStateErr is a driver error with a SQLSTATE, as pgx returns them.
type sqlStateErr string

func (e sqlStateErr) Error() string {
	return "ERROR: canceling statement due to user request (SQLSTATE " + string(e) + ")"
}
func (e sqlStateErr) SQLState() string { return string(e) }

// TestClientGone: a request whose client went away is not a server error:
// logged at info, counted as 499; a real fault still logs at ERROR, and a
// domain answer stays what it is.
func TestClientGone(t *testing.T) {
	cases := []struct {
		name       string
		clientGone bool
		err        error
		status     int
		errorLine  bool
	}{
		{"cancelled begin", true, fmt.Errorf("begin: %w", context.Canceled), 499, false},
		{"cancelled statement", true, fmt.Errorf("list orgs: %w", sqlStateErr("57014")), 499, false},
		{"deadline of the client", true, fmt.Errorf("query: %w", context.DeadlineExceeded), 499, false},
		{"server's own cancel, client waiting", false, fmt.Errorf("begin: %w", context.Canceled), 500, true},
		{"outage while the client left", true, errors.New("dial tcp 127.0.0.1:5432: connection refused"), 500, true},
		{"domain answer", true, shelf.NotFound("org"), 404, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var logs bytes.Buffer
			reg := prometheus.NewRegistry()
			o := &httpx.Observer{Log: slog.New(slog.NewTextHandler(&logs, nil)), Metrics: httpx.NewMetrics(reg),
				BodyLimit: func(*http.Request) int64 { return 1 << 10 }}
			mux := http.NewServeMux()
			mux.HandleFunc("GET /x", func(w http.ResponseWriter, r *http.Request) { httpx.WriteError(w, r, c.err) })
			ctx, cancel := context.WithCancel(context.Background())
			if c.clientGone {
				cancel()
			} else {
				defer cancel()
			}
			rec := httptest.NewRecorder()
			o.Observe(httpx.Routed(mux)).ServeHTTP(rec, httptest.NewRequest("GET", "/x", nil).WithContext(ctx))
			if rec.Code != c.status {
				t.Fatalf("status %d, want %d", rec.Code, c.status)
			}
			if got := counted(t, reg, c.status); got != 1 {
				t.Fatalf("requests counted with code %d: %v", c.status, got)
			}
			if hasError := strings.Contains(logs.String(), "level=ERROR"); hasError != c.errorLine {
				t.Fatalf("ERROR line %v, want %v:\n%s", hasError, c.errorLine, logs.String())
			}
		})
	}
}

// counted returns how many GET /x requests were counted with the status.
func counted(t *testing.T, reg *prometheus.Registry, status int) float64 {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != "shelf_http_requests_total" {
			continue
		}
		for _, m := range f.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			if labels["route"] == "GET /x" && labels["code"] == fmt.Sprint(status) {
				return m.GetCounter().GetValue()
			}
		}
	}
	return 0
}

// TestAbortedAnswer: a handler that cuts off an answer it had begun
// (http.ErrAbortHandler) drops the connection, so the client sees the
// download fail rather than end as if whole; it is counted, and it is not
// logged as a panic.
func TestAbortedAnswer(t *testing.T) {
	var logs bytes.Buffer
	reg := prometheus.NewRegistry()
	o := &httpx.Observer{Log: slog.New(slog.NewTextHandler(&logs, nil)), Metrics: httpx.NewMetrics(reg),
		BodyLimit: func(*http.Request) int64 { return 1 << 10 }}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /x", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/csv")
		w.Write([]byte(strings.Repeat("a,b\n", 10000)))
		panic(http.ErrAbortHandler)
	})
	srv := httptest.NewServer(o.Observe(httpx.Routed(mux)))
	defer srv.Close()
	res, err := http.Get(srv.URL + "/x")
	if err == nil {
		_, err = io.ReadAll(res.Body)
		res.Body.Close()
	}
	if err == nil {
		t.Fatal("the cut-off answer read as whole")
	}
	if got := counted(t, reg, 500); got != 1 {
		t.Errorf("counted as 500: %v", got)
	}
	if strings.Contains(logs.String(), "msg=panic") {
		t.Errorf("an abort was logged as a panic:\n%s", logs.String())
	}
}
