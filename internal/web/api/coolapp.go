package api

import (
	"net/http"
	"slices"

	"github.com/shelfhq/shelf/internal/web/httpx"
)

// coolRoutes are the cool-app endpoints: the partner program, cool-app
// applications, the cool app market, group installs and group cards.
func (h *Handler) coolRoutes() []route {
	return slices.Concat(h.coolPartnerRoutes(), h.coolApplicationRoutes(), h.coolGroupRoutes(), h.coolCardRoutes(), []route{
		{"GET", "/api/v1/cool-apps/{app}", h.coolAppPublic},
	})
}

// coolAppPublic is a cool app in the cool app market, for anyone: its
// entry points, permissions with reasons and scenarios. An app out of the
// market (not approved, delisted, partner suspended) is 404.
func (h *Handler) coolAppPublic(w http.ResponseWriter, r *http.Request) error {
	page, err := h.CoolAppInMarket(r.Context(), r.PathValue("app"))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, page)
	return nil
}
