package web

import (
	"context"
	"maps"
	"net/http"
	"slices"

	"github.com/shelfhq/shelf/internal/web/httpx"
)

// healthz says the process is up; it touches nothing else so a load
// balancer can call it cheaply.
func healthz(version string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		httpx.WriteJSON(w, http.StatusOK, map[string]string{"status": "ok", "version": version})
	}
}

// readyz says the process can serve: the database answers.
func readyz(db interface{ Ping(context.Context) error }, checks map[string]func() error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := db.Ping(r.Context()); err != nil {
			httpx.RequestLogger(r).Warn("not ready", "err", err)
			httpx.WriteJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "database unavailable"})
			return
		}
		for _, name := range slices.Sorted(maps.Keys(checks)) {
			if err := checks[name](); err != nil {
				httpx.RequestLogger(r).Warn("not ready", "check", name, "err", err)
				httpx.WriteJSON(w, http.StatusServiceUnavailable, map[string]string{"status": name + " not running"})
				return
			}
		}
		httpx.WriteJSON(w, http.StatusOK, map[string]string{"status": "ready"})
	}
}
