package ui

import (
	"net/http"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/auth"
)

// coolPageFiles are the cool-app pages (see pageFiles): the partner
// program, the cool-app application and its review, the cool app market
// and the group pages.
var coolPageFiles = []string{"cool_partner", "cool_partner_admin", "cool_apply", "cool_queue", "cool_review", "cool_market", "cool_app", "cool_group"}

// coolPages mounts the cool-app pages.
func (h *Handler) coolPages(mux *http.ServeMux) {
	mux.HandleFunc("GET /orgs/{org}/partner-program", h.pageCoolPartner)
	mux.HandleFunc("POST /orgs/{org}/partner-program", h.postCoolPartner)
	mux.HandleFunc("GET /admin/partner-program", h.pageCoolPartnerAdmin)
	mux.HandleFunc("POST /admin/partner-program/{application}", h.postCoolPartnerDecision)
	mux.HandleFunc("POST /admin/partner-program/orgs/{org}", h.postCoolPartnerStanding)
	mux.HandleFunc("GET /apps/{app}/coolapp", h.pageCoolApply)
	mux.HandleFunc("POST /apps/{app}/coolapp", h.postCoolApply)
	mux.HandleFunc("POST /apps/{app}/coolapp/validate", h.postCoolValidate)
	mux.HandleFunc("GET /admin/coolapps", h.pageCoolQueue)
	mux.HandleFunc("GET /admin/coolapps/{application}", h.pageCoolReview)
	mux.HandleFunc("POST /admin/coolapps/{application}", h.postCoolDecision)
	mux.HandleFunc("GET /cool", h.searchCached(h.pageCoolMarket)) // anonymous pages rendered once per market version
	mux.HandleFunc("GET /cool/apps/{app}", h.searchCached(h.pageCoolApp))
	mux.HandleFunc("POST /cool/apps/{app}/install", h.postCoolInstall)
	mux.HandleFunc("GET /orgs/{org}/groups/{group}", h.pageCoolGroup)
	mux.HandleFunc("GET /orgs/{org}/groups/{group}/apps/{app}/open", h.pageCoolOpen)
	mux.HandleFunc("POST /orgs/{org}/groups/{group}/installations/{installation}/remove", h.postCoolUninstall)
}

// coolFail shows a refused page in the reader's language.
func (h *Handler) coolFail(w http.ResponseWriter, r *http.Request, err error) {
	if shelf.ErrorKind(err) == shelf.KindUnauthenticated {
		h.pageError(w, r, err)
		return
	}
	h.failPage(w, r, err)
}

// userOf is the signed-in reader, or nil.
func userOf(r *http.Request) *shelf.User {
	if a := auth.FromContext(r.Context()); a != nil {
		return a.User
	}
	return nil
}
