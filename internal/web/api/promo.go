package api

import (
	"net/http"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/httpx"
	"github.com/shelfhq/shelf/internal/web/service"
)

// promoRoutes: own-channel promotion, the partner's (admins of the
// listing's partner org; anyone else gets 404 for the listing).
func (h *Handler) promoRoutes() []route {
	return []route{
		{"POST", "/api/v1/listings/{listing}/channels", h.createPromoChannel},
		{"GET", "/api/v1/listings/{listing}/channels", h.listPromoChannels},
		{"PATCH", "/api/v1/listings/{listing}/channels/{code}", h.updatePromoChannel},
		{"GET", "/api/v1/listings/{listing}/channels/{code}/qr.png", h.promoQRPNG},
		{"GET", "/api/v1/listings/{listing}/channels/{code}/qr.svg", h.promoQRSVG},
		{"GET", "/api/v1/listings/{listing}/funnel", h.promoFunnel},
		{"GET", "/api/v1/listings/{listing}/channel-settings", h.promoSettings},
		{"PUT", "/api/v1/listings/{listing}/channel-settings", h.putPromoSettings},
	}
}

func (h *Handler) createPromoChannel(w http.ResponseWriter, r *http.Request) error {
	acc, err := h.RequireListingPartner(r)
	if err != nil {
		return err
	}
	var n shelf.NewPromoChannel
	if err := httpx.DecodeJSON(w, r, &n); err != nil {
		return err
	}
	n.ListingID, n.ByUserID = acc.Listing.ID, acc.User.ID
	c, err := h.Promo.CreatePromoChannel(r.Context(), n)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, h.ViewPromoChannel(c))
	return nil
}

func (h *Handler) listPromoChannels(w http.ResponseWriter, r *http.Request) error {
	acc, err := h.RequireListingPartner(r)
	if err != nil {
		return err
	}
	page, limit, err := promoChannelsPager.request(r)
	if err != nil {
		return err
	}
	list, err := h.Promo.PromoChannels(r.Context(), acc.Listing.ID, page)
	views := make([]service.PromoChannelView, 0, len(list))
	for i := range list {
		views = append(views, h.ViewPromoChannel(&list[i]))
	}
	return promoChannelsPager.write(w, r, views, limit, err)
}

// promoChannelsPager pages a listing's channels newest first.
var promoChannelsPager = pager[service.PromoChannelView]{tag: "channels", shape: "is", key: func(c service.PromoChannelView) []any { return []any{c.CreatedAt.UnixMicro(), c.ID} }}

func (h *Handler) updatePromoChannel(w http.ResponseWriter, r *http.Request) error {
	acc, err := h.RequireListingPartner(r)
	if err != nil {
		return err
	}
	var p shelf.PromoPatch
	if err := httpx.DecodeJSON(w, r, &p); err != nil {
		return err
	}
	c, err := h.Promo.UpdatePromoChannel(r.Context(), acc.Listing.ID, r.PathValue("code"), p, acc.User.ID)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, h.ViewPromoChannel(c))
	return nil
}

func (h *Handler) promoQRPNG(w http.ResponseWriter, r *http.Request) error {
	return h.promoQR(w, r, "png")
}
func (h *Handler) promoQRSVG(w http.ResponseWriter, r *http.Request) error {
	return h.promoQR(w, r, "svg")
}

// promoQR draws a channel's QR code: ?size= (128–2048 px), ?ec=L|M|Q|H,
// ?icon=true for the app's icon in the middle (then level H).
func (h *Handler) promoQR(w http.ResponseWriter, r *http.Request, format string) error {
	c, err := h.partnerPromoChannel(r)
	if err != nil {
		return err
	}
	o, err := service.ParsePromoQR(r.URL.Query(), format)
	if err != nil {
		return err
	}
	return h.ServePromoQR(w, r, c, o)
}

// partnerPromoChannel is the channel in the path, of the listing in the
// path, for its partner.
func (h *Handler) partnerPromoChannel(r *http.Request) (*shelf.PromoChannel, error) {
	acc, err := h.RequireListingPartner(r)
	if err != nil {
		return nil, err
	}
	c, err := h.Promo.PromoChannel(r.Context(), r.PathValue("code"))
	if err != nil {
		return nil, err
	}
	if c.ListingID != acc.Listing.ID {
		return nil, shelf.NotFound("channel")
	}
	return c, nil
}

// promoFunnel: visits → installs → trials → paid orders → revenue, by
// day and in total; ?format=csv exports it.
func (h *Handler) promoFunnel(w http.ResponseWriter, r *http.Request) error {
	acc, err := h.RequireListingPartner(r)
	if err != nil {
		return err
	}
	q, err := h.PromoFunnelQuery(acc.Listing.ID, r.URL.Query())
	if err != nil {
		return err
	}
	if q.Code != "" {
		if c, err := h.Promo.PromoChannel(r.Context(), q.Code); err != nil || c.ListingID != acc.Listing.ID {
			return shelf.FieldError("channel", "unknown_channel", "no channel %q of this listing", q.Code)
		}
	}
	f, err := h.Promo.PromoFunnel(r.Context(), q)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("format") == "csv" {
		return service.ServePromoFunnelCSV(w, f)
	}
	httpx.WriteJSON(w, http.StatusOK, f)
	return nil
}

// promoSettingsBody is a listing's promotion settings.
type promoSettingsBody struct {
	AttributionDays int `json:"attribution_days"`
}

func (h *Handler) promoSettings(w http.ResponseWriter, r *http.Request) error {
	acc, err := h.RequireListingPartner(r)
	if err != nil {
		return err
	}
	days, err := h.Promo.PromoAttributionDays(r.Context(), acc.Listing.ID)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, promoSettingsBody{AttributionDays: days})
	return nil
}

func (h *Handler) putPromoSettings(w http.ResponseWriter, r *http.Request) error {
	acc, err := h.RequireListingPartner(r)
	if err != nil {
		return err
	}
	var b promoSettingsBody
	if err := httpx.DecodeJSON(w, r, &b); err != nil {
		return err
	}
	if err := h.Promo.SetPromoAttributionDays(r.Context(), acc.Listing.ID, b.AttributionDays, acc.User.ID); err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, b)
	return nil
}
