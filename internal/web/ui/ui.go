// Package ui serves Shelf's pages (zh-CN and en): a file per page group,
// the message catalog, and the embedded templates and static files. Forms
// post back and redirect (post/redirect/get); a refused form is shown
// again with its messages.
package ui

import (
	"log/slog"
	"net/http"
	"net/url"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/access"
	"github.com/shelfhq/shelf/internal/web/auth"
	"github.com/shelfhq/shelf/internal/web/httpx"
	"github.com/shelfhq/shelf/internal/web/service"
)

// Handler serves the pages.
type Handler struct {
	*service.Services
	*access.Policy
	sessions *auth.Sessions
	limiter  *httpx.IPLimiter
	pages    *pages
	// searchCache keeps public storefront pages (search_cache.go).
	searchCache *searchPageCache
	// promoSeenVals and promoVisitors spare a scanned code's hot path its
	// key derivations (promo_seen.go).
	promoSeenVals *promoSeenValues
	promoVisitors *shelf.PromoVisitors
	log           *slog.Logger
	version       string
	// DemoHint shows the demo accounts' password on the sign-in page: only
	// on a server started with --demo.
	DemoHint bool
}

// New parses the templates (a broken one fails here, at start) and
// returns the pages over the shared services and policy.
func New(svc *service.Services, policy *access.Policy, sessions *auth.Sessions, limiter *httpx.IPLimiter, log *slog.Logger, version string) (*Handler, error) {
	p, err := loadPages()
	if err != nil {
		return nil, err
	}
	return &Handler{Services: svc, Policy: policy, sessions: sessions, limiter: limiter, pages: p, log: log, version: version,
		searchCache: &searchPageCache{}, promoSeenVals: &promoSeenValues{key: svc.PromoKey},
		promoVisitors: shelf.NewPromoVisitors(svc.PromoKey)}, nil
}

// Mount adds the pages to the mux; everything no other route claims is a
// page (a 404 page when there is none).
func (h *Handler) Mount(mux *http.ServeMux) {
	mux.Handle("GET /static/", staticFiles())
	mux.HandleFunc("GET /{$}", h.searchCached(h.pageHome))
	mux.HandleFunc("GET /lang", h.pageLang)
	mux.HandleFunc("GET /signin", h.pageSignin)
	mux.HandleFunc("POST /signin", h.postSignin)
	mux.HandleFunc("GET /signup", h.pageSignup)
	mux.HandleFunc("POST /signup", h.postSignup)
	mux.HandleFunc("POST /signout", h.postSignout)
	mux.HandleFunc("GET /switch", h.pageSwitch)
	mux.HandleFunc("GET /orgs", h.pageOrgs)
	mux.HandleFunc("POST /orgs", h.postOrg)
	mux.HandleFunc("GET /orgs/{org}", h.pageOrg)
	mux.HandleFunc("POST /orgs/{org}/members", h.postMember)
	mux.HandleFunc("POST /orgs/{org}/members/{user}/role", h.postMemberRole)
	mux.HandleFunc("POST /orgs/{org}/members/{user}/remove", h.postMemberRemove)
	mux.HandleFunc("GET /orgs/{org}/groups", h.pageGroups)
	mux.HandleFunc("POST /orgs/{org}/groups", h.postGroup)
	mux.HandleFunc("GET /orgs/{org}/test-orgs", h.pageTestOrgs)
	mux.HandleFunc("POST /orgs/{org}/test-orgs", h.postTestOrg)
	mux.HandleFunc("GET /admin/categories", h.pageCategories)
	mux.HandleFunc("POST /admin/categories", h.postCategory)
	mux.HandleFunc("POST /admin/categories/{cat}", h.postCategoryUpdate)
	mux.HandleFunc("POST /admin/categories/{cat}/operators", h.postCategoryOperator)
	mux.HandleFunc("POST /admin/categories/{cat}/operators/{user}/remove", h.postCategoryOperatorRemove)
	mux.HandleFunc("GET /orgs/{org}/console", h.pageConsole)
	mux.HandleFunc("POST /orgs/{org}/console", h.postConsoleInstall)
	mux.HandleFunc("POST /orgs/{org}/console/apps", h.postConsoleApp)
	mux.HandleFunc("GET /apps/{app}", h.pageApp)
	mux.HandleFunc("POST /apps/{app}/self-tests", h.postSelfTest)
	mux.HandleFunc("POST /apps/{app}/listing", h.postEditListing)
	mux.HandleFunc("POST /apps/{app}/listing/state", h.postPartnerListing)
	mux.HandleFunc("GET /revisions/{rev}/edit", h.pageEditor)
	mux.HandleFunc("POST /revisions/{rev}/edit", h.postEditor)
	mux.HandleFunc("POST /revisions/{rev}/withdraw", h.postWithdraw)
	mux.HandleFunc("POST /revisions/{rev}/validate", h.postValidate)
	mux.HandleFunc("GET /review", h.pageQueue)
	mux.HandleFunc("GET /review/{rev}", h.pageReview)
	mux.HandleFunc("GET /review/{rev}/preview", h.pageReviewPreview)
	mux.HandleFunc("POST /review/{rev}", h.postDecision)
	mux.HandleFunc("GET /listings/{listing}", h.searchCached(h.pageListing))
	mux.HandleFunc("GET /partners/{org}", h.pageSearchPartner)
	mux.HandleFunc("GET /sitemap.xml", h.serveSitemap)
	mux.HandleFunc("GET /robots.txt", h.serveRobots)
	mux.HandleFunc("POST /listings/{listing}/takedown", h.postTakedown)
	mux.HandleFunc("GET /admin/audit", h.pageAudit)
	mux.HandleFunc("GET /admin/featured", h.pageSearchFeatured)
	mux.HandleFunc("POST /admin/featured", h.postSearchFeatured)
	mux.HandleFunc("GET /media/{id}", h.serveMedia)
	h.eventPages(mux)
	h.salesPages(mux)
	h.selfopPages(mux)
	h.selfop2Pages(mux)
	h.mountCommerce(mux)
	h.promoPages(mux)
	h.vendorcliPages(mux)
	h.deviceLoginPages(mux)
	h.coolPages(mux)
	mux.HandleFunc("GET /invitations/{token}", h.pageInvitation)
	mux.HandleFunc("POST /invitations/{token}", h.postInvitation)
	mux.HandleFunc("GET /account", h.pageAccount)
	mux.HandleFunc("POST /account/tokens", h.postToken)
	mux.HandleFunc("POST /account/tokens/{token}/revoke", h.postTokenRevoke)
	mux.HandleFunc("POST /account/name", h.postAccountName)
	mux.HandleFunc("POST /account/password", h.postAccountPassword)
	mux.HandleFunc("POST /account/sessions/{key}/end", h.postSessionEnd)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		h.pageError(w, r, shelf.NotFound("page"))
	})
}

// show renders a page after building its view; errors become error pages.
func (h *Handler) show(w http.ResponseWriter, r *http.Request, page, titleKey string, data any, formErr error) {
	h.showIn(w, r, page, titleKey, data, nil, formErr)
}

// done redirects after a successful form with a flash message key.
func done(w http.ResponseWriter, r *http.Request, to, flash string) {
	if flash != "" {
		to += "?flash=" + url.QueryEscape(flash)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// pageLang switches the language and goes back where the user was.
func (h *Handler) pageLang(w http.ResponseWriter, r *http.Request) {
	l := normLang(r.URL.Query().Get("to"))
	if l == "" {
		l = langZH
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: l, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode, Secure: h.sessions.Secure})
	http.Redirect(w, r, safeNext(r.URL.Query().Get("back")), http.StatusSeeOther)
}

func (h *Handler) pageSwitch(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("org")
	if !shelf.HasPrefix(id, "org") {
		http.Redirect(w, r, "/orgs", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/orgs/"+url.PathEscape(id), http.StatusSeeOther)
}
