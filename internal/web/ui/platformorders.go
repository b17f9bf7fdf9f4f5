package ui

import (
	"net/http"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/access"
	"github.com/shelfhq/shelf/internal/web/service"
)

// ordersPage is every org's orders, for platform admins.
type ordersPage struct {
	Filter shelf.OrderState
	States []shelf.OrderState
	Orders []salesOrderRow
	Paging pagingLinks
}

func (h *Handler) pagePlatformOrders(w http.ResponseWriter, r *http.Request) {
	_, err := access.RequirePlatform(r, shelf.PlatformAdmin)
	p := &ordersPage{States: service.OrderStates}
	if err == nil {
		p.Filter, err = service.OrderState(r.URL.Query().Get("state"))
	}
	var orders []shelf.Order
	if err == nil {
		orders, p.Paging, err = ordersList.in("platform", string(p.Filter)).read(r, pagingSize, func(pr shelf.PageReq) ([]shelf.Order, error) {
			return h.Commerce.Orders(r.Context(), shelf.OrderQuery{State: p.Filter, PageReq: pr})
		})
	}
	if err == nil {
		p.Orders, err = h.orderRows(r, orders, true)
	}
	if err != nil {
		h.failPage(w, r, err)
		return
	}
	h.showLocal(w, r, "orders", "orders.title", p, nil, nil)
}

// platformOrderPage is one order for a platform admin: what was bought, how its
// price was computed, and what may be done with it.
type platformOrderPage struct {
	salesOrderRow
	ListMoney   string
	Computation []string
	CanPay      bool
	CanRefund   bool
	FormRef     string // a refused form's input, shown again
	FormReason  string
}

func (h *Handler) pagePlatformOrder(w http.ResponseWriter, r *http.Request) {
	h.showPlatformOrder(w, r, "", "", nil)
}

func (h *Handler) showPlatformOrder(w http.ResponseWriter, r *http.Request, reference, reason string, formErr error) {
	if _, err := access.RequirePlatform(r, shelf.PlatformAdmin); err != nil {
		h.failPage(w, r, err)
		return
	}
	o, err := h.Commerce.Order(r.Context(), r.PathValue("order"))
	if err != nil {
		h.failPage(w, r, err)
		return
	}
	rows, err := h.orderRows(r, []shelf.Order{*o}, true)
	if err != nil {
		h.failPage(w, r, err)
		return
	}
	p := &platformOrderPage{salesOrderRow: rows[0], ListMoney: shelf.FormatMoney(o.Computation.ListAmount, o.Currency),
		Computation: shelf.DescribeQuote(&o.Computation, shelf.Lang(language(r))),
		CanPay:      o.State == shelf.OrderCreated, CanRefund: o.State == shelf.OrderPaid || o.State == shelf.OrderFulfilled,
		FormRef: reference, FormReason: reason}
	h.showLocal(w, r, "order", "orders.detail", p, nil, formErr)
}

// postOrderPayment records the bank transfer that paid an order.
func (h *Handler) postOrderPayment(w http.ResponseWriter, r *http.Request) {
	u, err := access.RequirePlatform(r, shelf.PlatformAdmin)
	if err != nil {
		h.failPage(w, r, err)
		return
	}
	ref := r.PostFormValue("reference")
	o, err := h.RecordManualPayment(r.Context(), r.PathValue("order"), ref, u.ID)
	if err != nil {
		h.showPlatformOrder(w, r, ref, "", err)
		return
	}
	done(w, r, "/admin/orders/"+o.ID, "orders.paid_flash")
}

// postOrderRefund returns an order's money, with a reason.
func (h *Handler) postOrderRefund(w http.ResponseWriter, r *http.Request) {
	u, err := access.RequirePlatform(r, shelf.PlatformAdmin)
	if err != nil {
		h.failPage(w, r, err)
		return
	}
	reason := r.PostFormValue("reason")
	o, err := h.RefundOrder(r.Context(), r.PathValue("order"), reason, u.ID)
	if err != nil {
		h.showPlatformOrder(w, r, "", reason, err)
		return
	}
	done(w, r, "/admin/orders/"+o.ID, "orders.refund_done")
}
