package ui

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/service"
)

// promoConsolePages are the partner console's promotion pages of an app:
// its listing's channels (create, pause, resume, expire, download the QR
// codes), a print-ready page per channel, and the funnel with its CSV.
func (h *Handler) promoConsolePages(mux *http.ServeMux) {
	mux.HandleFunc("GET /apps/{app}/channels", h.pagePromoChannels)
	mux.HandleFunc("POST /apps/{app}/channels", h.postPromoChannel)
	mux.HandleFunc("POST /apps/{app}/channels/{code}", h.postPromoChannelStatus)
	mux.HandleFunc("GET /apps/{app}/channels/{code}/print", h.pagePromoPrint)
	mux.HandleFunc("GET /apps/{app}/channels/{code}/{file}", h.promoQRDownload)
	mux.HandleFunc("GET /apps/{app}/funnel.csv", h.promoFunnelCSV)
}

// promoConsole is the channels page of an app's listing.
type promoConsole struct {
	User     *shelf.User
	App      *shelf.App
	Org      *shelf.Org
	Listing  *shelf.ListingInfo
	Channels []service.PromoChannelView
	Form     shelf.NewPromoChannel
	Funnel   *shelf.Funnel
	Code     string // the funnel's channel ("" for the listing)
	Charts   []promoChart
	Steps    []promoStepBar
	Days     int // the attribution window
	// SpecNames names the live specs by code, in the reader's language.
	SpecNames map[string]string
	// QRSizes are the sizes the console offers to download.
	QRSizes []int
	Paging  pagingLinks // of the channels
	// Picker is the funnel's choice of channel: the first 200 channels
	// whatever page of them is shown (a bounded picker, as the org
	// switcher is).
	Picker []shelf.PromoChannel
}

// promoChannelsList pages a listing's channels as the API does.
var promoChannelsList = pagingList[shelf.PromoChannel]{tag: "channels", shape: "is", key: func(c shelf.PromoChannel) []any { return []any{c.CreatedAt.UnixMicro(), c.ID} }}

// promoChart is one of the funnel's day charts.
type promoChart struct {
	Key, ID string
	Chart   revenueChart
}

// promoStepBar is one step of the funnel and its rate from a visit.
type promoStepBar struct {
	Key   string
	Count int
	Rate  string
	Width int
}

// promoListing authorizes the app's partner admin and loads its listing.
func (h *Handler) promoListing(r *http.Request) (*promoConsole, error) {
	acc, err := h.RequireApp(r, shelf.RoleAdmin)
	if err != nil {
		return nil, err
	}
	p := &promoConsole{App: acc.App, User: acc.User}
	if p.Org, err = h.Store.Org(r.Context(), acc.App.OrgID); err != nil {
		return nil, err
	}
	if p.Listing, err = h.Listings.ListingForApp(r.Context(), acc.App.ID); err != nil {
		return nil, err
	}
	return p, nil
}

func (h *Handler) pagePromoChannels(w http.ResponseWriter, r *http.Request) {
	p, err := h.promoListing(r)
	if err != nil {
		h.failPage(w, r, err)
		return
	}
	h.showPromoChannels(w, r, p, nil)
}

func (h *Handler) showPromoChannels(w http.ResponseWriter, r *http.Request, p *promoConsole, formErr error) {
	if err := h.loadPromoConsole(r, p); err != nil {
		h.failPage(w, r, err)
		return
	}
	h.showLocal(w, r, "promo_channels", "promo.title", p, p.Org, formErr)
}

func (h *Handler) loadPromoConsole(r *http.Request, p *promoConsole) error {
	ctx := r.Context()
	list, links, err := promoChannelsList.read(listRequest(r, "/apps/"+p.App.ID+"/channels"), pagingSize, func(pr shelf.PageReq) ([]shelf.PromoChannel, error) {
		return h.Promo.PromoChannels(ctx, p.Listing.ID, pr)
	})
	if err != nil {
		return err
	}
	p.Paging, p.QRSizes = links, []int{256, 512, 1024, 2048}
	if p.Picker, err = h.Promo.PromoChannels(ctx, p.Listing.ID, shelf.PageReq{}); err != nil {
		return err
	}
	for i := range list {
		p.Channels = append(p.Channels, h.ViewPromoChannel(&list[i]))
	}
	p.SpecNames = map[string]string{}
	if p.Listing.Live != nil {
		for _, sp := range p.Listing.Live.Specs {
			p.SpecNames[sp.Code] = sp.Name
		}
	}
	if p.Days, err = h.Promo.PromoAttributionDays(ctx, p.Listing.ID); err != nil {
		return err
	}
	q, err := h.PromoFunnelQuery(p.Listing.ID, url.Values{"channel": {r.URL.Query().Get("channel")}})
	if err != nil {
		return err
	}
	if q.Code != "" && !h.ownChannel(r.Context(), p, q.Code) {
		q.Code = ""
	}
	if p.Funnel, err = h.Promo.PromoFunnel(ctx, q); err != nil {
		return err
	}
	p.Code = p.Funnel.Code
	visits, revenue := map[int]int64{}, map[int]int64{}
	for i, d := range p.Funnel.Days {
		visits[i], revenue[i] = int64(d.Visits), d.Revenue
	}
	cur, n := p.Funnel.Currency, len(p.Funnel.Days)
	col := max(revenueCol, revenueDays*revenueCol/n) // as wide as the sales page's chart
	p.Charts = []promoChart{
		{"promo.visits_chart", "visits-chart", dayChart(q.From, n, col, visits, func(v int64) string { return strconv.FormatInt(v, 10) })},
		{"promo.revenue_chart", "revenue-chart", dayChart(q.From, n, col, revenue, func(v int64) string { return shelf.FormatMoney(v, cur) })},
	}
	t := p.Funnel.Total
	for _, s := range []struct {
		key string
		n   int
	}{{"promo.visits", t.Visits}, {"promo.installs", t.Installs}, {"promo.trials", t.Trials}, {"promo.paid", t.Orders}} {
		b := promoStepBar{Key: s.key, Count: s.n, Width: 100 * s.n / max(1, t.Visits)}
		if t.Visits > 0 {
			b.Rate = strconv.FormatFloat(100*float64(s.n)/float64(t.Visits), 'f', 1, 64) + "%"
		}
		p.Steps = append(p.Steps, b)
	}
	return nil
}

func (h *Handler) ownChannel(ctx context.Context, p *promoConsole, code string) bool {
	c, err := h.Promo.PromoChannel(ctx, code)
	return err == nil && c.ListingID == p.Listing.ID
}

// postPromoChannel creates a channel from the console's form.
func (h *Handler) postPromoChannel(w http.ResponseWriter, r *http.Request) {
	p, err := h.promoListing(r)
	if err != nil {
		h.failPage(w, r, err)
		return
	}
	p.Form = shelf.NewPromoChannel{ListingID: p.Listing.ID, ByUserID: p.User.ID, Name: r.PostFormValue("name"), Note: r.PostFormValue("note"),
		Target: shelf.PromoTarget(r.PostFormValue("target")), SpecCode: r.PostFormValue("spec_code"), State: r.PostFormValue("state")}
	if p.Form.Target != shelf.PromoTargetBuy {
		p.Form.SpecCode = ""
	}
	if v := r.PostFormValue("expires"); v != "" {
		d, err := time.Parse("2006-01-02", v)
		if err != nil {
			h.showPromoChannels(w, r, p, shelf.FieldError("expires_at", "invalid_date", "the expiry is a date"))
			return
		}
		end := d.Add(24 * time.Hour) // to the end of that day (UTC)
		p.Form.ExpiresAt = &end
	}
	c, err := h.Promo.CreatePromoChannel(r.Context(), p.Form)
	if err != nil {
		h.showPromoChannels(w, r, p, err)
		return
	}
	done(w, r, "/apps/"+url.PathEscape(p.App.ID)+"/channels#ch-"+c.Code, "")
}

// postPromoChannelStatus pauses, resumes or expires a channel.
func (h *Handler) postPromoChannelStatus(w http.ResponseWriter, r *http.Request) {
	p, err := h.promoListing(r)
	if err != nil {
		h.failPage(w, r, err)
		return
	}
	st := shelf.PromoStatus(r.PostFormValue("status"))
	if _, err := h.Promo.UpdatePromoChannel(r.Context(), p.Listing.ID, r.PathValue("code"), shelf.PromoPatch{Status: &st}, p.User.ID); err != nil {
		h.showPromoChannels(w, r, p, err)
		return
	}
	done(w, r, "/apps/"+url.PathEscape(p.App.ID)+"/channels", "promo.saved")
}

// promoQRDownload serves a channel's QR code from the console (the API's
// drawing, behind the page's access check).
func (h *Handler) promoQRDownload(w http.ResponseWriter, r *http.Request) {
	_, c, err := h.promoConsoleChannel(r)
	// qr.png and qr.svg as the API names them; qr?format= for the
	// console's form that chooses the format with the size.
	format := map[string]string{"qr.png": "png", "qr.svg": "svg"}[r.PathValue("file")]
	if f := r.URL.Query().Get("format"); r.PathValue("file") == "qr" && (f == "png" || f == "svg") {
		format = f
	}
	if err == nil && format == "" {
		err = shelf.NotFound("page")
	}
	var o service.PromoQROptions
	if err == nil {
		o, err = service.ParsePromoQR(r.URL.Query(), format)
	}
	if err == nil {
		err = h.ServePromoQR(w, r, c, o)
	}
	if err != nil {
		h.failPage(w, r, err)
	}
}

// promoPrint is the print-ready page of a channel: an A4 poster or a
// table card with the code, the app's name and icon and a line of text.
type promoPrint struct {
	App     *shelf.App
	Listing *shelf.ListingInfo
	Channel service.PromoChannelView
	Card    bool
	Line    string
}

func (h *Handler) pagePromoPrint(w http.ResponseWriter, r *http.Request) {
	p, c, err := h.promoConsoleChannel(r)
	if err != nil {
		h.failPage(w, r, err)
		return
	}
	pp := &promoPrint{App: p.App, Listing: p.Listing, Channel: h.ViewPromoChannel(c), Card: r.URL.Query().Get("format") == "card", Line: c.Note}
	if pp.Line == "" {
		pp.Line = translate(language(r), "promo.print_line")
	}
	h.showLocal(w, r, "promo_print", "promo.print_title", pp, p.Org, nil)
}

func (h *Handler) promoConsoleChannel(r *http.Request) (*promoConsole, *shelf.PromoChannel, error) {
	p, err := h.promoListing(r)
	if err != nil {
		return nil, nil, err
	}
	c, err := h.Promo.PromoChannel(r.Context(), r.PathValue("code"))
	if err == nil && c.ListingID != p.Listing.ID {
		err = shelf.NotFound("channel")
	}
	return p, c, err
}

// promoFunnelCSV exports the funnel the page shows.
func (h *Handler) promoFunnelCSV(w http.ResponseWriter, r *http.Request) {
	p, err := h.promoListing(r)
	var q shelf.FunnelQuery
	if err == nil {
		q, err = h.PromoFunnelQuery(p.Listing.ID, r.URL.Query())
	}
	if err == nil && q.Code != "" && !h.ownChannel(r.Context(), p, q.Code) {
		err = shelf.NotFound("channel")
	}
	var f *shelf.Funnel
	if err == nil {
		f, err = h.Promo.PromoFunnel(r.Context(), q)
	}
	if err != nil {
		h.failPage(w, r, err)
		return
	}
	_ = service.ServePromoFunnelCSV(w, f)
}
