package ui

import (
	"net/http"
	"net/url"

	"github.com/shelfhq/shelf/internal/payment"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/access"
)

// orderPage is an order with its computation, what its org may do with it
// (pay, cancel) and, once paid, its receipt.
type orderPage struct {
	Order    *shelf.Order
	Summary  []string
	AppName  string
	OrgName  string
	Customer bool // the reader administers the org that placed it
	// Manual is the bank-transfer provider when one is configured;
	// ManualFirst when it is the default, so there is no Pay button.
	Manual      *payment.Manual
	ManualFirst bool
}

// FormAction lets the Pay button's answer redirect to a payment
// provider's checkout.
func (*orderPage) FormAction() string { return offSiteForms }

func (h *Handler) loadOrder(r *http.Request, acc access.Order) (*orderPage, error) {
	o := acc.Order
	p := &orderPage{Order: o, Summary: shelf.DescribeQuote(&o.Computation, shelf.Lang(language(r))), Customer: acc.Standing == access.OrderCustomer}
	app, err := h.Apps.App(r.Context(), o.AppID)
	if err != nil {
		return nil, err
	}
	org, err := h.Store.Org(r.Context(), o.OrgID)
	if err != nil {
		return nil, err
	}
	p.AppName, p.OrgName = app.Name, org.Name
	if h.Payments != nil {
		if m, ok := h.Payments.Get("manual"); ok {
			p.Manual, _ = m.(*payment.Manual)
			p.ManualFirst = h.Payments.Default == "manual"
		}
	}
	return p, nil
}

func (h *Handler) pageOrder(w http.ResponseWriter, r *http.Request) {
	h.showOrder(w, r, "customer_order", nil)
}

func (h *Handler) pageReceipt(w http.ResponseWriter, r *http.Request) {
	h.showOrder(w, r, "order_receipt", nil)
}

// showOrder shows an order (or its receipt) to whoever may see it: an
// admin of the org that placed it, of the app's partner org, or a
// platform admin; anyone else gets a not-found page.
func (h *Handler) showOrder(w http.ResponseWriter, r *http.Request, page string, formErr error) {
	acc, err := h.RequireOrder(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if page == "order_receipt" && acc.Order.PaidAt == nil {
		h.fail(w, r, shelf.NotFound("receipt"))
		return
	}
	p, err := h.loadOrder(r, acc)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var org *shelf.Org
	if p.Customer {
		org = &shelf.Org{ID: acc.Order.OrgID, Name: p.OrgName}
	}
	key := "order.title"
	if page == "order_receipt" {
		key = "order.receipt"
	}
	h.showPage(w, r, page, translate(language(r), key)+" "+acc.Order.ID, p, org, formErr)
}

// postPay sends the org admin to the default provider's checkout; a
// provider without a page of its own (bank transfer) shows its
// instructions on the order.
func (h *Handler) postPay(w http.ResponseWriter, r *http.Request) {
	acc, err := h.RequireCustomerOrder(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if acc.Order.State != shelf.OrderCreated {
		h.showOrder(w, r, "customer_order", shelf.Errorf(shelf.KindConflict, "order_not_open", "the order is %s", acc.Order.State))
		return
	}
	p, ok := h.Payments.Get(h.Payments.Default)
	if !ok {
		h.showOrder(w, r, "customer_order", shelf.Errorf(shelf.KindInternal, "provider_unknown", "no default payment provider"))
		return
	}
	to, err := p.Checkout(r.Context(), acc.Order)
	if err != nil {
		h.showOrder(w, r, "customer_order", err)
		return
	}
	if to == "" {
		to = "/orders/" + url.PathEscape(acc.Order.ID)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

func (h *Handler) postCancelOrder(w http.ResponseWriter, r *http.Request) {
	acc, err := h.RequireCustomerOrder(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if _, err := h.Commerce.CancelOrder(r.Context(), acc.Order.ID, acc.User.ID, r.PostFormValue("reason")); err != nil {
		h.showOrder(w, r, "customer_order", err)
		return
	}
	done(w, r, "/orders/"+url.PathEscape(acc.Order.ID), "order.cancelled")
}

// sandboxPage is the sandbox provider's checkout.
type sandboxPage struct {
	Order   *shelf.Order
	AppName string
}

// pageSandbox is the sandbox checkout (the URL payment.Sandbox.Checkout
// returns), for the org admin of the order's org only.
func (h *Handler) pageSandbox(w http.ResponseWriter, r *http.Request) {
	acc, err := h.requireSandboxOrder(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	app, err := h.Apps.App(r.Context(), acc.Order.AppID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.showPage(w, r, "sandbox", translate(language(r), "sandbox.title"), &sandboxPage{Order: acc.Order, AppName: app.Name}, nil, nil)
}

// postSandbox is the customer pressing Pay or Fail: the sandbox makes its
// signed notification and it goes through the same path as a provider's
// callback (verify, then record), so the sandbox proves that path.
func (h *Handler) postSandbox(w http.ResponseWriter, r *http.Request) {
	acc, err := h.requireSandboxOrder(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	paid := r.PostFormValue("result") == "paid"
	body, header := h.Sandbox.Notify(acc.Order, paid)
	provider, ok := h.Payments.Get(h.Sandbox.Name())
	if !ok {
		h.fail(w, r, shelf.NotFound("payment provider"))
		return
	}
	res, err := provider.Verify(body, header)
	if err == nil {
		_, err = h.Commerce.RecordPayment(r.Context(), res, "")
	}
	if err != nil {
		h.showOrder(w, r, "customer_order", err)
		return
	}
	flash := "order.failed"
	if paid {
		flash = "order.paid"
	}
	done(w, r, "/orders/"+url.PathEscape(acc.Order.ID), flash)
}

func (h *Handler) requireSandboxOrder(r *http.Request) (access.Order, error) {
	if h.Sandbox == nil {
		return access.Order{}, shelf.NotFound("page")
	}
	return h.RequireCustomerOrder(r)
}
