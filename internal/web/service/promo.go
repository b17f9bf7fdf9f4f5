package service

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"image"
	_ "image/jpeg" // listing icons may be JPEG
	_ "image/png"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/shelfhq/shelf/internal/promoqr"
	"github.com/shelfhq/shelf/internal/shelf"
)

// PromoStore is what own-channel promotion needs from storage;
// *store.Store implements it.
type PromoStore interface {
	CreatePromoChannel(ctx context.Context, n shelf.NewPromoChannel) (*shelf.PromoChannel, error)
	UpdatePromoChannel(ctx context.Context, listingID, code string, p shelf.PromoPatch, byUserID string) (*shelf.PromoChannel, error)
	PromoChannel(ctx context.Context, code string) (*shelf.PromoChannel, error)
	PromoLink(ctx context.Context, code string) (*shelf.PromoChannel, bool, error)
	PromoChannels(ctx context.Context, listingID string, p shelf.PageReq) ([]shelf.PromoChannel, error)
	SetPromoAttributionDays(ctx context.Context, listingID string, days int, byUserID string) error
	PromoAttributionDays(ctx context.Context, listingID string) (int, error)
	RecordPromoVisit(ctx context.Context, c *shelf.PromoChannel, v shelf.PromoVisit) error
	PromoFunnel(ctx context.Context, q shelf.FunnelQuery) (*shelf.Funnel, error)
}

// PromoLinkCached is a PromoStore whose links (the read of every scanned
// code) are answered by Links, a per-node cache (promolink.Cache).
type PromoLinkCached struct {
	PromoStore
	Links interface {
		PromoLink(ctx context.Context, code string) (*shelf.PromoChannel, bool, error)
	}
}

// PromoLink answers from the cache.
func (p PromoLinkCached) PromoLink(ctx context.Context, code string) (*shelf.PromoChannel, bool, error) {
	return p.Links.PromoLink(ctx, code)
}

// PromoChannelView is a channel as the API and the console show it: its
// status now, its link and where its QR codes are.
type PromoChannelView struct {
	shelf.PromoChannel
	Status shelf.PromoStatus `json:"status"`
	URL    string            `json:"url"`
	QRPNG  string            `json:"qr_png"`
	QRSVG  string            `json:"qr_svg"`
}

// PromoURL is a channel's short link.
func (s *Services) PromoURL(code string) string {
	return strings.TrimRight(s.BaseURL.String(), "/") + "/p/" + code
}

// ViewPromoChannel dresses a channel for showing.
func (s *Services) ViewPromoChannel(c *shelf.PromoChannel) PromoChannelView {
	qr := "/api/v1/listings/" + url.PathEscape(c.ListingID) + "/channels/" + c.Code + "/qr"
	return PromoChannelView{PromoChannel: *c, Status: c.StatusAt(s.Clock.Now()), URL: s.PromoURL(c.Code), QRPNG: qr + ".png", QRSVG: qr + ".svg"}
}

// PromoQROptions reads a QR request: ?size= pixels, ?ec= level, ?icon=1.
type PromoQROptions struct {
	Format string // "png" or "svg"
	Size   int
	Level  promoqr.Level
	Icon   bool
	// Download asks the browser to save the image (?download) rather
	// than show it.
	Download bool
}

// ParsePromoQR reads the QR options of a request's query; a size outside
// the supported range or an unknown level is refused.
func ParsePromoQR(q url.Values, format string) (PromoQROptions, error) {
	o := PromoQROptions{Format: format, Size: promoqr.DefaultSize}
	if v := q.Get("size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < promoqr.MinSize || n > promoqr.MaxSize {
			return o, shelf.FieldError("size", "invalid_size", "size is %d to %d pixels", promoqr.MinSize, promoqr.MaxSize)
		}
		o.Size = n
	}
	l, ok := promoqr.ParseLevel(q.Get("ec"))
	if !ok {
		return o, shelf.FieldError("ec", "invalid_level", "ec (error correction) is L, M, Q or H")
	}
	o.Level = l
	o.Download = q.Has("download")
	switch q.Get("icon") {
	case "", "0", "false":
	case "1", "true":
		o.Icon = true
	default:
		return o, shelf.FieldError("icon", "invalid_icon", "icon is true or false")
	}
	return o, nil
}

// ServePromoQR draws a channel's QR code (its short link) as asked, with
// the listing's icon in the middle when asked and the listing has one.
func (s *Services) ServePromoQR(w http.ResponseWriter, r *http.Request, c *shelf.PromoChannel, o PromoQROptions) error {
	opt := promoqr.Options{Size: o.Size, Level: o.Level}
	if o.Icon {
		img, err := s.promoIcon(r.Context(), c.ListingID)
		if err != nil {
			return err
		}
		opt.Icon = img
	}
	var b bytes.Buffer
	draw, ct := promoqr.PNG, "image/png"
	if o.Format == "svg" {
		draw, ct = promoqr.SVG, "image/svg+xml"
	}
	if err := draw(&b, s.PromoURL(c.Code), opt); err != nil {
		return err
	}
	w.Header().Set("Content-Type", ct)
	disposition := "inline"
	if o.Download {
		disposition = "attachment"
	}
	w.Header().Set("Content-Disposition", fmt.Sprintf(`%s; filename="shelf-%s-%d.%s"`, disposition, c.Code, o.Size, o.Format))
	w.Header().Set("Cache-Control", "private, max-age=300")
	_, err := w.Write(b.Bytes())
	return err
}

// promoIcon is the live listing's icon, nil if it has none.
func (s *Services) promoIcon(ctx context.Context, listingID string) (image.Image, error) {
	li, err := s.Listings.Listing(ctx, listingID)
	if err != nil || li.Live == nil || li.Live.Icon == nil {
		return nil, err
	}
	data, _, err := s.Listings.Media(ctx, li.Live.Icon.ID)
	if err != nil {
		return nil, err
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("decode icon of %s: %w", listingID, err)
	}
	return img, nil
}

// PromoFunnelQuery reads ?from=&to= (YYYY-MM-DD, UTC; the last 30 days by
// default, at most 366 days) and ?channel=.
func (s *Services) PromoFunnelQuery(listingID string, q url.Values) (shelf.FunnelQuery, error) {
	today := s.Clock.Now().UTC().Truncate(24 * time.Hour)
	f := shelf.FunnelQuery{ListingID: listingID, Code: q.Get("channel"), From: today.AddDate(0, 0, -29), To: today}
	for _, p := range []struct {
		name string
		dst  *time.Time
	}{{"from", &f.From}, {"to", &f.To}} {
		if v := q.Get(p.name); v != "" {
			d, err := time.Parse("2006-01-02", v)
			if err != nil {
				return f, shelf.FieldError(p.name, "invalid_date", "%s is a date YYYY-MM-DD", p.name)
			}
			*p.dst = d
		}
	}
	if f.To.Before(f.From) || f.To.Sub(f.From) > 366*24*time.Hour {
		return f, shelf.FieldError("to", "invalid_range", "to is on or after from, at most 366 days later")
	}
	return f, nil
}

// ServePromoFunnelCSV answers a funnel as CSV: a row per day, then the
// total, with the conversion rates from visits.
func ServePromoFunnelCSV(w http.ResponseWriter, f *shelf.Funnel) error {
	name := f.ListingID
	if f.Code != "" {
		name += "-" + f.Code
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="funnel-`+name+`.csv"`)
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"day", "visits", "installs", "trials", "paid_orders", "revenue", "currency", "install_rate", "trial_rate", "paid_rate",
		"refunds", "refunded"})
	rate := func(v float64) string { return strconv.FormatFloat(v, 'f', 4, 64) }
	row := func(day string, d shelf.FunnelDay) {
		r := d.Rates()
		_ = cw.Write([]string{day, strconv.Itoa(d.Visits), strconv.Itoa(d.Installs), strconv.Itoa(d.Trials), strconv.Itoa(d.Orders),
			shelf.DecimalAmount(d.Revenue, f.Currency), f.Currency, rate(r.Install), rate(r.Trial), rate(r.Paid),
			strconv.Itoa(d.Refunds), shelf.DecimalAmount(d.Refunded, f.Currency)})
	}
	for _, d := range f.Days {
		row(d.Day, d)
	}
	row("total", f.Total)
	cw.Flush()
	return cw.Error()
}
