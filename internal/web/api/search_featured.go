package api

import (
	"net/http"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/access"
	"github.com/shelfhq/shelf/internal/web/httpx"
)

// featuredRoutes: platform admins pick and order the listings the
// storefront's home shows first.
func (h *Handler) featuredRoutes() []route {
	return []route{
		{"GET", "/api/v1/platform/featured", h.listFeatured},
		{"PUT", "/api/v1/platform/featured", h.setFeatured},
	}
}

// featuredRequest is the whole new list, in order.
type featuredRequest struct {
	ListingIDs []string `json:"listing_ids"`
}

func (h *Handler) listFeatured(w http.ResponseWriter, r *http.Request) error {
	if _, err := access.RequirePlatform(r, shelf.PlatformAdmin); err != nil {
		return err
	}
	fs, err := h.Featured()
	if err != nil {
		return err
	}
	list, err := fs.FeaturedListings(r.Context())
	return httpx.WriteList(w, list, err)
}

func (h *Handler) setFeatured(w http.ResponseWriter, r *http.Request) error {
	u, err := access.RequirePlatform(r, shelf.PlatformAdmin)
	if err != nil {
		return err
	}
	var req featuredRequest
	if err := httpx.DecodeJSON(w, r, &req); err != nil {
		return err
	}
	fs, err := h.Featured()
	if err != nil {
		return err
	}
	list, err := fs.SetFeaturedListings(r.Context(), u.ID, req.ListingIDs)
	return httpx.WriteList(w, list, err)
}
