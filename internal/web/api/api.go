// Package api serves Shelf's JSON API under /api/v1: a file per resource,
// the route table and the OpenAPI document that describes it.
package api

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/access"
	"github.com/shelfhq/shelf/internal/web/auth"
	"github.com/shelfhq/shelf/internal/web/httpx"
	"github.com/shelfhq/shelf/internal/web/service"
)

// Handler serves the API.
type Handler struct {
	*service.Services
	*access.Policy
	sessions *auth.Sessions
	limiter  *httpx.IPLimiter
}

// New returns the API over the shared services and policy; the limiter
// bounds sign-in and sign-up attempts per address.
func New(svc *service.Services, policy *access.Policy, sessions *auth.Sessions, limiter *httpx.IPLimiter) *Handler {
	return &Handler{Services: svc, Policy: policy, sessions: sessions, limiter: limiter}
}

// route is one JSON API endpoint. The table is the single list of the API:
// the mux is built from it and a test checks it against the OpenAPI document.
type route struct {
	method  string
	pattern string
	handle  func(w http.ResponseWriter, r *http.Request) error
}

// Mount adds every endpoint to the mux, and a JSON 404 for the rest of /api/.
func (h *Handler) Mount(mux *http.ServeMux) {
	for _, rt := range h.routes() {
		mux.Handle(rt.method+" "+rt.pattern, serve(withQueryCheck(rt.method, rt.pattern, rt.handle)))
	}
	mux.HandleFunc("GET /api/v1/openapi.json", serveOpenAPI)
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		httpx.WriteError(w, r, &shelf.Error{Kind: shelf.KindNotFound, Code: "no_such_endpoint", Message: r.Method + " " + r.URL.Path + " is not an endpoint"})
	})
}

// serve answers the error a handler returns.
func serve(handle func(w http.ResponseWriter, r *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := handle(w, r); err != nil {
			httpx.WriteError(w, r, err)
		}
	})
}

// routes lists every endpoint under /api/v1.
func (h *Handler) routes() []route {
	return slices.Concat([]route{
		{"POST", "/api/v1/auth/signup", h.signup},
		{"POST", "/api/v1/auth/token", h.token},
		{"DELETE", "/api/v1/auth/token", h.revokeOwnToken},
		{"GET", "/api/v1/me", h.me},
		{"GET", "/api/v1/me/tokens", h.listTokens},
		{"POST", "/api/v1/me/tokens", h.createToken},
		{"DELETE", "/api/v1/me/tokens/{token}", h.deleteToken},
	}, h.orgRoutes(), h.categoryRoutes(), h.appRoutes(), h.installRoutes(), h.revisionRoutes(), h.listingRoutes(), h.commerceRoutes(), h.promoRoutes(), h.selfopRoutes(), h.ratingRoutes(), h.deviceLoginRoutes(), h.featuredRoutes(), h.coolRoutes(), h.leadRoutes(), h.ticketRoutes())
}

func intParam(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// Endpoints lists the API's operations as "METHOD /pattern", in the order
// of the route table.
func Endpoints() []string {
	var out []string
	for _, rt := range (&Handler{}).routes() {
		out = append(out, rt.method+" "+rt.pattern)
	}
	return out
}
