package ui

import (
	"context"
	"net/http"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/service"
)

// salesPages mounts the partner console's pages about selling an app: its
// sales (orders, subscriptions, charts and the CSV export) and its single
// sign-on settings (appsso.go).
func (h *Handler) salesPages(mux *http.ServeMux) {
	mux.HandleFunc("GET /apps/{app}/sales", h.pageSales)
	mux.HandleFunc("GET /apps/{app}/sales/orders.csv", h.salesCSV)
	mux.HandleFunc("GET /apps/{app}/sales/dashboard.csv", h.appDashboardCSV)
	mux.HandleFunc("GET /apps/{app}/sso", h.pageAppSSO)
	mux.HandleFunc("POST /apps/{app}/sso", h.postAppSSO)
	mux.HandleFunc("GET /admin/orders", h.pagePlatformOrders)
	mux.HandleFunc("GET /admin/orders/{order}", h.pagePlatformOrder)
	mux.HandleFunc("POST /admin/orders/{order}/payment", h.postOrderPayment)
	mux.HandleFunc("POST /admin/orders/{order}/refund", h.postOrderRefund)
}

// salesPage is the sales of one app, for the admins of its partner org.
type salesPage struct {
	App       *shelf.App
	Org       *shelf.Org
	Filter    shelf.OrderState
	States    []shelf.OrderState
	Orders    []salesOrderRow
	Subs      []subRow
	Revenue   revenueChart
	Statuses  []statusBar
	MostInOne int
	Usable    int
	// Dashboard is the app's listing's sales dashboard (selfop_dashboard.go).
	Dashboard *selfopDashboard
}

// salesOrderRow is an order as the lists show it.
type salesOrderRow struct {
	shelf.Order
	OrgName string
	AppName string
	Money   string
}

// subRow is a subscription as the sales page lists it.
type subRow struct {
	shelf.Subscription
	OrgName string
}

// names looks up org (and app) names for lists, each once.
type names struct {
	h    *Handler
	ctx  context.Context
	orgs map[string]string
	apps map[string]*shelf.App
}

func (h *Handler) names(ctx context.Context) *names {
	return &names{h: h, ctx: ctx, orgs: map[string]string{}, apps: map[string]*shelf.App{}}
}

func (n *names) org(id string) (string, error) {
	if name, ok := n.orgs[id]; ok {
		return name, nil
	}
	o, err := n.h.Store.Org(n.ctx, id)
	if err != nil {
		return "", err
	}
	n.orgs[id] = o.Name
	return o.Name, nil
}

func (n *names) app(id, lang string) (string, error) {
	a, ok := n.apps[id]
	if !ok {
		var err error
		if a, err = n.h.Apps.App(n.ctx, id); err != nil {
			return "", err
		}
		n.apps[id] = a
	}
	if lang == langEN && a.NameEn != "" {
		return a.NameEn, nil
	}
	return a.Name, nil
}

// orderRows names the orders' orgs (and apps, withApps) for a list.
func (h *Handler) orderRows(r *http.Request, orders []shelf.Order, withApps bool) ([]salesOrderRow, error) {
	n := h.names(r.Context())
	out := make([]salesOrderRow, len(orders))
	for i, o := range orders {
		row := salesOrderRow{Order: o, Money: shelf.FormatMoney(o.Amount, o.Currency)}
		var err error
		if row.OrgName, err = n.org(o.OrgID); err == nil && withApps {
			row.AppName, err = n.app(o.AppID, language(r))
		}
		if err != nil {
			return nil, err
		}
		out[i] = row
	}
	return out, nil
}

// salesApp authorizes a sales page (admins of the app's partner org) and
// reads its state filter; false: the error page was shown.
func (h *Handler) salesApp(w http.ResponseWriter, r *http.Request) (*shelf.App, shelf.OrderState, bool) {
	acc, err := h.RequireApp(r, shelf.RoleAdmin)
	var state shelf.OrderState
	if err == nil {
		state, err = service.OrderState(r.URL.Query().Get("state"))
	}
	if err != nil {
		h.failPage(w, r, err)
		return nil, "", false
	}
	return acc.App, state, true
}

func (h *Handler) pageSales(w http.ResponseWriter, r *http.Request) {
	app, state, ok := h.salesApp(w, r)
	if !ok {
		return
	}
	p, err := h.loadSales(r, app, state)
	if err != nil {
		h.failPage(w, r, err)
		return
	}
	h.showLocal(w, r, "sales", "sales.title", p, p.Org, nil)
}

func (h *Handler) loadSales(r *http.Request, app *shelf.App, state shelf.OrderState) (*salesPage, error) {
	ctx := r.Context()
	p := &salesPage{App: app, Filter: state, States: service.OrderStates}
	var err error
	if p.Org, err = h.Store.Org(ctx, app.OrgID); err != nil {
		return nil, err
	}
	// The chart reads every state's newest orders; the list only the filter's.
	recent, err := h.Commerce.Orders(ctx, shelf.OrderQuery{AppID: app.ID, PageReq: shelf.FirstPage(500)})
	if err != nil {
		return nil, err
	}
	p.Revenue = newRevenueChart(recent, h.Clock.Now())
	orders := recent
	if state != "" || len(orders) > 100 {
		if orders, err = h.Commerce.Orders(ctx, shelf.OrderQuery{AppID: app.ID, State: state}); err != nil {
			return nil, err
		}
	}
	if p.Orders, err = h.orderRows(r, orders, false); err != nil {
		return nil, err
	}
	subs, err := h.Commerce.AppSubscriptions(ctx, app.ID, shelf.PageReq{})
	if err != nil {
		return nil, err
	}
	n := h.names(ctx)
	for _, s := range subs {
		name, err := n.org(s.OrgID)
		if err != nil {
			return nil, err
		}
		p.Subs = append(p.Subs, subRow{Subscription: s, OrgName: name})
		if s.Usable() {
			p.Usable++
		}
	}
	p.Statuses, p.MostInOne = subsByStatus(subs)
	p.Dashboard, err = h.appDashboard(r, app)
	return p, err
}

// salesCSV serves the app's orders as the API's CSV export does, with the
// page session.
func (h *Handler) salesCSV(w http.ResponseWriter, r *http.Request) {
	app, state, ok := h.salesApp(w, r)
	if !ok {
		return
	}
	// Every order, a page at a time; the first page is read before the
	// download starts, so a failure can still answer an error page.
	q := shelf.OrderQuery{AppID: app.ID, State: state, PageReq: shelf.FirstPage(csvBatch)}
	orders, err := h.Commerce.Orders(r.Context(), q)
	if err != nil {
		h.failPage(w, r, err)
		return
	}
	c := service.NewOrdersCSV(w, app.ID)
	for {
		c.Write(orders)
		if len(orders) < csvBatch {
			break
		}
		q.After = ordersList.key(orders[len(orders)-1])
		if orders, err = h.Commerce.Orders(r.Context(), q); err != nil {
			// The 200 and some rows are out: drop the connection, so the
			// download fails instead of ending as if it were whole.
			h.streamFailed(r, "orders csv", err, "app", app.ID)
			panic(http.ErrAbortHandler)
		}
	}
	if err := c.Close(); err != nil {
		h.streamFailed(r, "orders csv", err, "app", app.ID)
	}
}

// csvBatch is the orders an export reads at a time.
const csvBatch = 500
