package ui

import (
	"net/http"

	"github.com/shelfhq/shelf/internal/markdown"
	"github.com/shelfhq/shelf/internal/shelf"
)

// pageReviewPreview shows a revision under review as customers will see
// its listing page (signed out, no reviews yet), so a reviewer judges the
// page and not only the fields. Only those who may review it see it.
func (h *Handler) pageReviewPreview(w http.ResponseWriter, r *http.Request) {
	a, err := h.RequireReviewerRevision(r)
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	li, err := h.Listings.Listing(r.Context(), a.Rev.ListingID)
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	idx, err := h.categoryIndex(r)
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	shown := *li
	shown.Live = a.Rev
	shown.CategoryID = a.Rev.CategoryID
	shown.State = shelf.ListingListed // as customers will see it once approved
	p := &listingPage{Card: cardOf(shown, idx), Description: markdown.Render(a.Rev.Description),
		Shop: &shopBox{ListingID: li.ID}, Ratings: &selfopRatings{ListingID: li.ID}}
	if a.Rev.SubmittedAt != nil {
		p.Updated = *a.Rev.SubmittedAt
	}
	p.Shots = galleryShots(a.Rev.Screenshots)
	if c, ok := idx[idx[shown.CategoryID].ParentID]; ok {
		p.Parent = &c
	}
	if p.Vendor, err = h.Store.Org(r.Context(), li.OrgID); err != nil {
		h.pageError(w, r, err)
		return
	}
	lang := language(r)
	v, err := h.newView(r, translate(lang, "qreview.preview"), p)
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	v.Flash = translate(lang, "qreview.preview_banner")
	w.Header().Set("X-Robots-Tag", "noindex")
	h.render(w, r, http.StatusOK, "listing", v)
}

// galleryShots numbers a revision's screenshots for the listing page's
// gallery, each with its neighbours.
func galleryShots(ims []shelf.Image) []searchShot {
	var out []searchShot
	for i, s := range ims {
		shot := searchShot{ID: s.ID, N: i + 1, Prev: i}
		if i+1 < len(ims) {
			shot.Next = i + 2
		}
		out = append(out, shot)
	}
	return out
}
