package ui

import "net/http"

// commercePageFiles are the customer's commerce pages (see pageFiles).
var commercePageFiles = []string{"shop_buy", "customer_order", "order_receipt", "sandbox", "orgapps", "orgorders", "seats", "workbench", "oidc_signin"}

// mountCommerce adds the customer's side of selling: the listing's
// actions, buying, checkout, the org's apps, orders and seats, the
// workbench and the app sign-in page.
func (h *Handler) mountCommerce(mux *http.ServeMux) {
	mux.HandleFunc("POST /orgs/{org}/shop/{listing}/trial", h.postTrial)
	mux.HandleFunc("POST /orgs/{org}/shop/{listing}/free", h.postFree)
	mux.HandleFunc("POST /orgs/{org}/shop/{listing}/ask", h.postAskSeat)
	mux.HandleFunc("GET /orgs/{org}/shop/{listing}/buy", h.pageBuy)
	mux.HandleFunc("POST /orgs/{org}/shop/{listing}/buy", h.postBuy)
	mux.HandleFunc("GET /orders/{order}", h.pageOrder)
	mux.HandleFunc("GET /orders/{order}/receipt", h.pageReceipt)
	mux.HandleFunc("POST /orders/{order}/pay", h.postPay)
	mux.HandleFunc("POST /orders/{order}/cancel", h.postCancelOrder)
	mux.HandleFunc("GET /pay/sandbox/{order}", h.pageSandbox)
	mux.HandleFunc("POST /pay/sandbox/{order}", h.postSandbox)
	mux.HandleFunc("GET /orgs/{org}/subscriptions", h.pageOrgApps)
	mux.HandleFunc("GET /orgs/{org}/orders", h.pageOrgOrders)
	mux.HandleFunc("GET /orgs/{org}/subscriptions/{app}/seats", h.pageSeats)
	mux.HandleFunc("POST /orgs/{org}/subscriptions/{app}/seats", h.postSeats)
	mux.HandleFunc("GET /workbench", h.pageWorkbench)
	mux.HandleFunc("GET /workbench/launch/{app}", h.launch)
	mux.HandleFunc("GET /signin/oidc", h.pageOIDC)
	mux.HandleFunc("POST /signin/oidc", h.postOIDC)
}
