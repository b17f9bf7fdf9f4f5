package ui

import (
	"encoding/csv"
	"net/http"
	"strconv"

	"github.com/shelfhq/shelf/internal/shelf"
)

// selfopDashboard is the sales dashboard as the pages show it: the
// figures, a chart of them by month with the exact figures beside it, and
// where its filter form and CSV export go.
type selfopDashboard struct {
	*shelf.SalesDashboard
	Action, CSV string // the page the filter form reloads, the export
	Chart       selfopMonthChart
	Conversion  string // "50%", or "—" without trials
}

// selfopMonthChart is a chart of gross and net per month; net may be
// negative (refunds of earlier months), below the zero line.
type selfopMonthChart struct {
	Width, Height, Zero, LabelY, ViewHeight int
	Bars                                    []selfopBar
	Labels                                  []chartLabel
	Top, Bottom                             string
}

// selfopBar is one column of the chart.
type selfopBar struct {
	X, Y, W, H int
	Class      string
	Title      string
}

const (
	selfopMonthCol = 40
	selfopChartH   = 120
)

// newSelfopDashboard lays the dashboard out for a page.
func newSelfopDashboard(d *shelf.SalesDashboard, action, csvURL string) *selfopDashboard {
	v := &selfopDashboard{SalesDashboard: d, Action: action, CSV: csvURL, Conversion: "—"}
	if d.TrialsStarted > 0 {
		v.Conversion = strconv.Itoa(100*d.TrialsConverted/d.TrialsStarted) + "%"
	}
	var most, least int64
	for _, m := range d.Months {
		most, least = max(most, m.Gross, m.Net), min(least, m.Net)
	}
	top, bottom := niceTop(max(most, 1)), int64(0)
	if least < 0 {
		bottom = niceTop(-least)
	}
	c := &v.Chart
	c.Width, c.Height = max(12, len(d.Months))*selfopMonthCol, selfopChartH // a year wide at least: one month is not a wall
	c.Zero = int(int64(selfopChartH) * top / (top + bottom))
	c.LabelY, c.ViewHeight = selfopChartH+18, selfopChartH+24
	c.Top, c.Bottom = shelf.FormatMoney(top, d.Currency), shelf.FormatMoney(-bottom, d.Currency)
	y := func(amount int64) int { return int(int64(selfopChartH) * (top - amount) / (top + bottom)) }
	for i, m := range d.Months {
		x := i * selfopMonthCol
		for j, b := range []struct {
			v     int64
			class string
		}{{m.Gross, "gross"}, {m.Net, "net"}} {
			y0, y1 := y(max(b.v, 0)), y(min(b.v, 0))
			c.Bars = append(c.Bars, selfopBar{X: x + 4 + j*16, Y: y0, W: 14, H: max(1, y1-y0), Class: b.class,
				Title: m.Month + " · " + b.class + " " + shelf.FormatMoney(b.v, d.Currency)})
		}
		c.Labels = append(c.Labels, chartLabel{X: x + 2, Text: m.Month[2:]})
	}
	return v
}

// serveSelfopCSV answers the dashboard's tables as one CSV: a row per
// month, per order type and per top listing, the table named first.
func serveSelfopCSV(w http.ResponseWriter, d *shelf.SalesDashboard, name string) error {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="sales-`+name+`-`+d.From+`-`+d.To+`.csv"`)
	cw := csv.NewWriter(w)
	dec := func(v int64) string { return shelf.DecimalAmount(v, d.Currency) }
	n := strconv.Itoa
	_ = cw.Write([]string{"table", "key", "orders", "gross", "refunds", "refunded", "commission", "net", "currency"})
	for _, m := range append(d.Months, d.Total) {
		_ = cw.Write([]string{"month", m.Month, n(m.Orders), dec(m.Gross), n(m.Refunds), dec(m.Refunded), dec(m.Commission), dec(m.Net), d.Currency})
	}
	for _, b := range d.ByType {
		_ = cw.Write([]string{"order_type", string(b.Type), n(b.Orders), dec(b.Gross), n(b.Refunds), dec(b.Refunded), "", "", d.Currency})
	}
	for _, l := range d.TopListings {
		_ = cw.Write([]string{"top_listing", l.ListingID + " " + l.Name, n(l.Orders), dec(l.Revenue), "", "", "", dec(l.Net), d.Currency})
	}
	for _, kv := range [][2]string{{"active_subscriptions", n(d.ActiveSubs)}, {"seats", n(d.Seats)}, {"trials", n(d.Trials)},
		{"trials_started", n(d.TrialsStarted)}, {"trials_converted", n(d.TrialsConverted)}, {"churned", n(d.Churned)},
		{"new", n(d.New)}, {"renewed", n(d.Renewed)}, {"paying_orgs", n(d.PayingOrgs)}, {"arpo", dec(d.ARPO)}} {
		_ = cw.Write([]string{"figure", kv[0], kv[1]})
	}
	cw.Flush()
	return cw.Error()
}

// appDashboard is the dashboard of an app's listing (nil if it has none),
// for the dates in the request.
func (h *Handler) appDashboard(r *http.Request, app *shelf.App) (*selfopDashboard, error) {
	li, err := h.Listings.ListingForApp(r.Context(), app.ID)
	if shelf.ErrorKind(err) == shelf.KindNotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	d, err := h.SalesDashboard(r.Context(), app.OrgID, q.Get("from"), q.Get("to"), li.ID, "", language(r))
	if err != nil {
		return nil, err
	}
	base := "/apps/" + app.ID + "/sales"
	return newSelfopDashboard(d, base, base+"/dashboard.csv"), nil
}

// appDashboardCSV exports the app's dashboard.
func (h *Handler) appDashboardCSV(w http.ResponseWriter, r *http.Request) {
	app, _, ok := h.salesApp(w, r)
	if !ok {
		return
	}
	d, err := h.appDashboard(r, app)
	if err == nil && d == nil {
		err = shelf.NotFound("listing")
	}
	if err != nil {
		h.failPage(w, r, err)
		return
	}
	if err := serveSelfopCSV(w, d.SalesDashboard, app.ID); err != nil {
		h.streamFailed(r, "dashboard csv", err, "app", app.ID)
	}
}

// selfopSalesPage is a partner org's dashboard over all its listings.
type selfopSalesPage struct {
	*orgPage
	Dashboard *selfopDashboard
}

func (h *Handler) partnerDashboard(w http.ResponseWriter, r *http.Request) (*orgPage, *shelf.SalesDashboard, bool) {
	op, ok := h.partnerBooks(w, r)
	if !ok {
		return nil, nil, false
	}
	op.Tab = "sales"
	q := r.URL.Query()
	d, err := h.SalesDashboard(r.Context(), op.Org.ID, q.Get("from"), q.Get("to"), q.Get("listing"), "", language(r))
	if err != nil {
		h.failPage(w, r, err)
		return nil, nil, false
	}
	return op, d, true
}

func (h *Handler) pageSelfopSales(w http.ResponseWriter, r *http.Request) {
	op, d, ok := h.partnerDashboard(w, r)
	if !ok {
		return
	}
	base := "/orgs/" + op.Org.ID + "/sales"
	p := &selfopSalesPage{orgPage: op, Dashboard: newSelfopDashboard(d, base, base+"/csv")}
	h.showLocal(w, r, "selfop_sales", "selfop.dashboard", p, op.Org, nil)
}

func (h *Handler) selfopSalesCSV(w http.ResponseWriter, r *http.Request) {
	op, d, ok := h.partnerDashboard(w, r)
	if !ok {
		return
	}
	if err := serveSelfopCSV(w, d, op.Org.ID); err != nil {
		h.streamFailed(r, "dashboard csv", err, "org", op.Org.ID)
	}
}
