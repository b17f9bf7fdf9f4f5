package api

import (
	"net/http"

	"github.com/shelfhq/shelf/internal/web/auth"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/access"
	"github.com/shelfhq/shelf/internal/web/httpx"
)

func (h *Handler) listingRoutes() []route {
	return []route{
		{"GET", "/api/v1/listings", h.market},
		{"GET", "/api/v1/listings/suggest", h.suggest},
		{"GET", "/api/v1/listings/{listing}", h.getListing},
		{"POST", "/api/v1/listings/{listing}/delist", h.delist},
		{"POST", "/api/v1/listings/{listing}/relist", h.relist},
		{"POST", "/api/v1/listings/{listing}/takedown", h.takedown},
		{"GET", "/api/v1/platform/operator-stats", h.operatorStats},
		{"GET", "/api/v1/platform/audit", h.audit},
	}
}

// PublicListing is what anyone may see of a live listing: the live
// revision, never drafts, reasons or review history.
type PublicListing struct {
	ID         string          `json:"id"`
	AppID      string          `json:"app_id"`
	CategoryID string          `json:"category_id"`
	Live       *shelf.Revision `json:"live"`
}

func publicListings(list []shelf.ListingInfo) []PublicListing {
	out := make([]PublicListing, 0, len(list))
	for _, li := range list {
		out = append(out, PublicListing{ID: li.ID, AppID: li.AppID, CategoryID: li.CategoryID, Live: &li.Live.Revision})
	}
	return out
}

// getListing: the partner and reviewers see everything; anyone else
// sees a listed listing's live revision (own-channel links land here).
func (h *Handler) getListing(w http.ResponseWriter, r *http.Request) error {
	if auth.FromContext(r.Context()) == nil && h.Market != nil {
		// A visitor sees what the market shows, answered from memory.
		if l, ok, err := h.Market.Listing(r.Context(), r.PathValue("listing")); err != nil {
			return err
		} else if ok {
			httpx.WriteJSON(w, http.StatusOK, publicListings([]shelf.ListingInfo{*l.ListingInfo})[0])
			return nil
		}
	}
	li, err := h.Listings.Listing(r.Context(), r.PathValue("listing"))
	if err != nil {
		return err
	}
	if full, err := h.SeesListing(r, li); err != nil {
		return err
	} else if full {
		httpx.WriteJSON(w, http.StatusOK, li)
		return nil
	}
	if li.State != shelf.ListingListed || li.Live == nil {
		return shelf.NotFound("listing")
	}
	httpx.WriteJSON(w, http.StatusOK, publicListings([]shelf.ListingInfo{*li})[0])
	return nil
}

type reasonRequest struct {
	Reason string `json:"reason"`
}

func (h *Handler) delist(w http.ResponseWriter, r *http.Request) error {
	return h.changeListing(w, r, shelf.ListingDelist)
}

func (h *Handler) relist(w http.ResponseWriter, r *http.Request) error {
	return h.changeListing(w, r, shelf.ListingRelist)
}

func (h *Handler) takedown(w http.ResponseWriter, r *http.Request) error {
	return h.changeListing(w, r, shelf.ListingTakedown)
}

// changeListing: the partner delists and relists its own listing; a
// reviewer of its category takes it down.
func (h *Handler) changeListing(w http.ResponseWriter, r *http.Request, action shelf.ListingAction) error {
	check := h.RequireListingPartner
	if action == shelf.ListingTakedown {
		check = h.RequireTakedown
	}
	acc, err := check(r)
	if err != nil {
		return err
	}
	var req reasonRequest
	if action != shelf.ListingRelist || r.ContentLength > 0 {
		if err := httpx.DecodeJSON(w, r, &req); err != nil {
			return err
		}
	}
	out, err := h.Listings.ChangeListing(r.Context(), acc.Listing.ID, acc.User.ID, action, req.Reason)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, out)
	return nil
}

func (h *Handler) operatorStats(w http.ResponseWriter, r *http.Request) error {
	if _, err := access.RequirePlatform(r, shelf.PlatformAdmin); err != nil {
		return err
	}
	page, limit, err := operatorStatsPager.request(r)
	if err != nil {
		return err
	}
	stats, err := h.Listings.OperatorStats(r.Context(), page)
	return operatorStatsPager.write(w, r, stats, limit, err)
}

// operatorStatsPager pages the operators' figures as the operators page.
var operatorStatsPager = pager[shelf.OperatorStats]{tag: "operator-stats", shape: "s", key: func(o shelf.OperatorStats) []any { return []any{o.UserID} }}

// audit searches the audit log (platform admins): ?q= matches an
// action, object id or actor id by prefix, or an object type.
func (h *Handler) audit(w http.ResponseWriter, r *http.Request) error {
	if _, err := access.RequirePlatform(r, shelf.PlatformAdmin); err != nil {
		return err
	}
	q := r.URL.Query().Get("q")
	page, limit, err := auditPager.request(r, q)
	if err != nil {
		return err
	}
	list, err := h.Listings.AuditLog(r.Context(), shelf.AuditQuery{Text: q, PageReq: page})
	return auditPager.write(w, r, list, limit, err, q)
}

var auditPager = pager[shelf.AuditEntry]{tag: "audit", shape: "is", key: func(e shelf.AuditEntry) []any { return []any{e.At.UnixMicro(), e.ID} }}
