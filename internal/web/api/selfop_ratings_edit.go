package api

import (
	"net/http"

	"github.com/shelfhq/shelf/internal/web/access"
	"github.com/shelfhq/shelf/internal/web/httpx"
)

type ratingEditRequest struct {
	Rating int    `json:"rating"`
	Text   string `json:"text"`
}

// editRating: a member of the review's org changes it.
func (h *Handler) editRating(w http.ResponseWriter, r *http.Request) error {
	u, err := access.RequireUser(r)
	if err != nil {
		return err
	}
	if _, err := h.Selfop.Rating(r.Context(), r.PathValue("review")); err != nil {
		return err
	}
	var req ratingEditRequest
	if err := httpx.DecodeJSON(w, r, &req); err != nil {
		return err
	}
	rt, err := h.Selfop.EditRating(r.Context(), r.PathValue("review"), u.ID, req.Rating, req.Text)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, rt)
	return nil
}

// flagRating: a customer reports an abusive review to the operators.
func (h *Handler) flagRating(w http.ResponseWriter, r *http.Request) error {
	u, err := access.RequireUser(r)
	if err != nil {
		return err
	}
	if _, err := h.Selfop.Rating(r.Context(), r.PathValue("review")); err != nil {
		return err
	}
	var req reasonRequest
	if err := httpx.DecodeJSON(w, r, &req); err != nil {
		return err
	}
	rt, err := h.Selfop.FlagRating(r.Context(), r.PathValue("review"), u.ID, req.Reason)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, rt)
	return nil
}
