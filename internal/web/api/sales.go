package api

import (
	"encoding/csv"
	"net/http"
	"strconv"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/access"
	"github.com/shelfhq/shelf/internal/web/httpx"
)

// platformOrders lists every org's orders for platform admins.
func (h *Handler) platformOrders(w http.ResponseWriter, r *http.Request) error {
	if _, err := access.RequirePlatform(r, shelf.PlatformAdmin); err != nil {
		return err
	}
	orders, err := h.Commerce.Orders(r.Context(), shelf.OrderQuery{State: shelf.OrderState(r.URL.Query().Get("state"))})
	return writeOrders(w, orders, err)
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
	if req.Reference == "" {
		return shelf.FieldError("reference", "required", "the bank transfer's reference is required")
	}
	o, err := h.Commerce.Order(r.Context(), r.PathValue("order"))
	if err != nil {
		return err
	}
	o, err = h.Commerce.RecordPayment(r.Context(), shelf.PaymentResult{OrderID: o.ID, Provider: "manual", Ref: req.Reference,
		Amount: o.Amount, Currency: o.Currency, Paid: true}, u.ID)
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
	if req.Reason == "" {
		return shelf.FieldError("reason", "required", "a refund needs a reason")
	}
	o, err := h.Commerce.Order(r.Context(), r.PathValue("order"))
	if err != nil {
		return err
	}
	if o.State != shelf.OrderPaid && o.State != shelf.OrderFulfilled {
		return shelf.Errorf(shelf.KindConflict, "order_not_refundable", "the order is %s: only a paid order can be refunded", o.State)
	}
	if p, ok := h.Payments.Get(o.Provider); ok {
		if err := p.Refund(r.Context(), o, req.Reason); err != nil {
			return err
		}
	}
	o, err = h.Commerce.Refund(r.Context(), o.ID, u.ID, req.Reason)
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
	orders, err := h.Commerce.Orders(r.Context(), shelf.OrderQuery{AppID: a.App.ID, State: shelf.OrderState(r.URL.Query().Get("state"))})
	if err != nil || r.URL.Query().Get("format") != "csv" {
		return writeOrders(w, orders, err)
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="orders-`+a.App.ID+`.csv"`)
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"order_id", "org_id", "type", "spec_code", "users", "periods", "state", "amount", "currency", "test", "created_at", "paid_at"})
	for _, o := range orders {
		paid := ""
		if o.PaidAt != nil {
			paid = o.PaidAt.Format(time.RFC3339)
		}
		_ = cw.Write([]string{o.ID, o.OrgID, string(o.Type), o.SpecCode, strconv.Itoa(o.Users), strconv.Itoa(o.Periods), string(o.State),
			shelf.DecimalAmount(o.Amount, o.Currency), o.Currency, strconv.FormatBool(o.Test), o.CreatedAt.Format(time.RFC3339), paid})
	}
	cw.Flush()
	return cw.Error()
}

// appSubscriptions lists the orgs subscribed to a partner's app.
func (h *Handler) appSubscriptions(w http.ResponseWriter, r *http.Request) error {
	a, err := h.RequireApp(r, shelf.RoleAdmin)
	if err != nil {
		return err
	}
	subs, err := h.Commerce.AppSubscriptions(r.Context(), a.App.ID)
	return httpx.WriteList(w, subs, err)
}
