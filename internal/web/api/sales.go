package api

import (
	"net/http"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/access"
	"github.com/shelfhq/shelf/internal/web/httpx"
	"github.com/shelfhq/shelf/internal/web/service"
)

// platformOrders lists every org's orders for platform admins.
func (h *Handler) platformOrders(w http.ResponseWriter, r *http.Request) error {
	if _, err := access.RequirePlatform(r, shelf.PlatformAdmin); err != nil {
		return err
	}
	return h.pageOrders(w, r, shelf.OrderQuery{}, nil)
}

type manualPayment struct {
	Reference string `json:"reference"`
}

// recordManualPayment: a platform admin records a bank transfer that
// arrived for an order.
func (h *Handler) recordManualPayment(w http.ResponseWriter, r *http.Request) error {
	u, err := access.RequirePlatform(r, shelf.PlatformAdmin)
	if err != nil {
		return err
	}
	var req manualPayment
	if err := httpx.DecodeJSON(w, r, &req); err != nil {
		return err
	}
	o, err := h.RecordManualPayment(r.Context(), r.PathValue("order"), req.Reference, u.ID)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, viewOrder(o))
	return nil
}

// refundOrder: a platform admin returns an order's money, with a reason,
// through the provider that took it.
func (h *Handler) refundOrder(w http.ResponseWriter, r *http.Request) error {
	u, err := access.RequirePlatform(r, shelf.PlatformAdmin)
	if err != nil {
		return err
	}
	var req reasonRequest
	if err := httpx.DecodeJSON(w, r, &req); err != nil {
		return err
	}
	o, err := h.RefundOrder(r.Context(), r.PathValue("order"), req.Reason, u.ID)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, viewOrder(o))
	return nil
}

// appOrders lists the orders of a partner's app; ?format=csv exports them.
func (h *Handler) appOrders(w http.ResponseWriter, r *http.Request) error {
	a, err := h.RequireApp(r, shelf.RoleAdmin)
	if err != nil {
		return err
	}
	var csv func([]shelf.Order) error
	if r.URL.Query().Get("format") == "csv" {
		csv = func(orders []shelf.Order) error { return service.ServeOrdersCSV(w, a.App.ID, orders) }
	}
	return h.pageOrders(w, r, shelf.OrderQuery{AppID: a.App.ID}, csv)
}

// appSubscriptions lists the orgs subscribed to a partner's app.
func (h *Handler) appSubscriptions(w http.ResponseWriter, r *http.Request) error {
	a, err := h.RequireApp(r, shelf.RoleAdmin)
	if err != nil {
		return err
	}
	page, limit, err := appSubscriptionsPager.request(r)
	if err != nil {
		return err
	}
	subs, err := h.Commerce.AppSubscriptions(r.Context(), a.App.ID, page)
	return appSubscriptionsPager.write(w, r, subs, limit, err)
}
