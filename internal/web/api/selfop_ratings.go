package api

import (
	"net/http"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/access"
	"github.com/shelfhq/shelf/internal/web/httpx"
)

// ratingRoutes are the customer reviews' endpoints.
func (h *Handler) ratingRoutes() []route {
	return []route{
		{"GET", "/api/v1/listings/{listing}/reviews", h.listRatings},
		{"POST", "/api/v1/listings/{listing}/reviews", h.createRating},
		{"POST", "/api/v1/reviews/{review}/reply", h.replyRating},
		{"POST", "/api/v1/reviews/{review}/hide", h.hideRating},
		{"PATCH", "/api/v1/reviews/{review}", h.editRating},
		{"POST", "/api/v1/reviews/{review}/flag", h.flagRating},
	}
}

// liveListing loads the listing in the path if the caller may see it.
func (h *Handler) liveListing(r *http.Request) (*shelf.ListingInfo, error) {
	li, err := h.Listings.Listing(r.Context(), r.PathValue("listing"))
	if err != nil {
		return nil, err
	}
	insider, err := h.SeesListing(r, li)
	if err != nil {
		return nil, err
	}
	if li.Live == nil || li.State != shelf.ListingListed && !insider {
		return nil, shelf.NotFound("listing")
	}
	return li, nil
}

// ratingsPager pages a listing's visible reviews newest first; the cursor
// names the listing.
var ratingsPager = pager[shelf.Rating]{tag: "reviews", shape: "is", key: func(r shelf.Rating) []any { return []any{r.CreatedAt.UnixMicro(), r.ID} }}

// listRatings is public: one page of a listing's visible reviews, with
// the summary of all of them.
func (h *Handler) listRatings(w http.ResponseWriter, r *http.Request) error {
	li, err := h.liveListing(r)
	if err != nil {
		return err
	}
	page, limit, err := ratingsPager.request(r)
	if err != nil {
		return err
	}
	sum, err := h.Selfop.RatingSummary(r.Context(), li.ID)
	if err != nil {
		return err
	}
	items, err := h.Selfop.RatingsPage(r.Context(), li.ID, false, page)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, struct {
		Summary shelf.RatingSummary `json:"summary"`
		CursorPage[shelf.Rating]
	}{sum, ratingsPager.page(r, items, limit)})
	return nil
}

type ratingRequest struct {
	OrgID  string `json:"org_id"`
	Rating int    `json:"rating"`
	Text   string `json:"text"`
}

// createRating: a member of an org that has had the app installed reviews
// it, once per org.
func (h *Handler) createRating(w http.ResponseWriter, r *http.Request) error {
	var req ratingRequest
	u, li, err := listingOrgRequest(h, w, r, &req, func(q *ratingRequest) string { return q.OrgID })
	if err != nil {
		return err
	}
	rt, err := h.Selfop.CreateRating(r.Context(), shelf.NewRating{ListingID: li.ID, OrgID: req.OrgID, ByUserID: u.ID, Stars: req.Rating, Text: req.Text})
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, rt)
	return nil
}

type textRequest struct {
	Text string `json:"text"`
}

// replyRating: the listing's partner answers a review publicly, once.
func (h *Handler) replyRating(w http.ResponseWriter, r *http.Request) error {
	if _, err := access.RequireUser(r); err != nil {
		return err
	}
	rt, err := h.Selfop.Rating(r.Context(), r.PathValue("review"))
	if err != nil {
		return err
	}
	li, err := h.Listings.Listing(r.Context(), rt.ListingID)
	if err != nil {
		return err
	}
	u, err := h.RequireRatingPartner(r, li)
	if err != nil {
		return err
	}
	var req textRequest
	if err := httpx.DecodeJSON(w, r, &req); err != nil {
		return err
	}
	if rt, err = h.Selfop.ReplyRating(r.Context(), rt.ID, u.ID, req.Text); err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, rt)
	return nil
}

// hideRating: an operator hides an abusive review with a reason.
func (h *Handler) hideRating(w http.ResponseWriter, r *http.Request) error {
	u, err := access.RequireModerator(r)
	if err != nil {
		return err
	}
	var req reasonRequest
	if err := httpx.DecodeJSON(w, r, &req); err != nil {
		return err
	}
	if _, err := h.Selfop.Rating(r.Context(), r.PathValue("review")); err != nil {
		return err
	}
	rt, err := h.Selfop.HideRating(r.Context(), r.PathValue("review"), u.ID, req.Reason)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, rt)
	return nil
}
