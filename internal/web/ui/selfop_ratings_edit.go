package ui

import (
	"net/http"
	"strconv"
)

// postSelfopEdit: a member of the review's org edits it.
func (h *Handler) postSelfopEdit(w http.ResponseWriter, r *http.Request) {
	rt, u, err := h.ratingOfListing(r)
	if err == nil {
		stars, _ := strconv.Atoi(r.PostFormValue("rating"))
		_, err = h.Selfop.EditRating(r.Context(), rt.ID, u.ID, stars, r.PostFormValue("text"))
	}
	h.afterRating(w, r, err, "selfop.edited_flash")
}

// postSelfopFlag: a customer reports an abusive review.
func (h *Handler) postSelfopFlag(w http.ResponseWriter, r *http.Request) {
	rt, u, err := h.ratingOfListing(r)
	if err == nil {
		_, err = h.Selfop.FlagRating(r.Context(), rt.ID, u.ID, r.PostFormValue("reason"))
	}
	h.afterRating(w, r, err, "selfop.flagged_flash")
}
