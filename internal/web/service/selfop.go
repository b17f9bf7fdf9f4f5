package service

import (
	"context"
	"encoding/csv"
	"net/http"
	"strconv"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
)

// SelfopStore is what partner self-operation needs from storage (revenue
// share and settlement); *store.Store implements it.
type SelfopStore interface {
	SetCommissionRate(ctx context.Context, r shelf.CommissionRate) (*shelf.CommissionRate, error)
	CommissionRates(ctx context.Context, p shelf.PageReq) ([]shelf.CommissionRate, error)
	Statement(ctx context.Context, id string) (*shelf.Statement, error)
	Statements(ctx context.Context, partnerID, month string, p shelf.PageReq) ([]shelf.Statement, error)
	StatementEntries(ctx context.Context, id string) ([]shelf.SettlementEntry, error)
	CloseStatement(ctx context.Context, id, byUserID string) (*shelf.Statement, error)
	SalesDashboard(ctx context.Context, q shelf.SalesQuery) (*shelf.SalesDashboard, error)

	CreateRating(ctx context.Context, n shelf.NewRating) (*shelf.Rating, error)
	Rating(ctx context.Context, id string) (*shelf.Rating, error)
	Ratings(ctx context.Context, listingID string) ([]shelf.Rating, error)
	RatingsPage(ctx context.Context, listingID string, withHidden bool, p shelf.PageReq) ([]shelf.Rating, error)
	RatingSummary(ctx context.Context, listingID string) (shelf.RatingSummary, error)
	ReplyRating(ctx context.Context, id, byUserID, text string) (*shelf.Rating, error)
	HideRating(ctx context.Context, id, byUserID, reason string) (*shelf.Rating, error)
	EditRating(ctx context.Context, id, byUserID string, stars int, text string) (*shelf.Rating, error)
	FlagRating(ctx context.Context, id, byUserID, reason string) (*shelf.Rating, error)

	LeadStore
	TicketStore
}

// SalesDashboard reads a partner's dashboard for the dates from–to
// ("2027-01-31", both included; by default the last twelve months to
// today), of one listing or all, in a currency (CNY by default), and
// names its top listings in lang.
func (s *Services) SalesDashboard(ctx context.Context, partnerID, from, to, listingID, currency, lang string) (*shelf.SalesDashboard, error) {
	now := s.Clock.Now().UTC()
	q := shelf.SalesQuery{PartnerID: partnerID, ListingID: listingID, Currency: currency, Now: now,
		To: now.Truncate(24 * time.Hour), From: time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -11, 0)}
	for _, p := range []struct {
		field, v string
		t        *time.Time
	}{{"from", from, &q.From}, {"to", to, &q.To}} {
		if p.v == "" {
			continue
		}
		d, err := time.Parse(time.DateOnly, p.v)
		if err != nil {
			return nil, shelf.FieldError(p.field, "invalid_date", "%s must be a date like 2027-01-31", p.field)
		}
		*p.t = d
	}
	d, err := s.Selfop.SalesDashboard(ctx, q)
	if err != nil {
		return nil, err
	}
	for i, l := range d.TopListings {
		li, err := s.Listings.Listing(ctx, l.ListingID)
		if err != nil {
			return nil, err
		}
		d.TopListings[i].Name = li.AppName
		if li.Live != nil && lang == string(shelf.LangEn) && li.Live.NameEn != "" {
			d.TopListings[i].Name = li.Live.NameEn
		}
	}
	return d, nil
}

// PartnerStatement reads a statement of a partner org with its entries;
// another partner's is not found.
func (s *Services) PartnerStatement(ctx context.Context, orgID, id string) (*shelf.Statement, []shelf.SettlementEntry, error) {
	st, err := s.Selfop.Statement(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if st.PartnerID != orgID {
		return nil, nil, shelf.NotFound("statement")
	}
	es, err := s.Selfop.StatementEntries(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	return st, es, nil
}

// StatementMonth reads a month filter ("2027-01", or "" for all).
func StatementMonth(v string) (string, error) {
	if v == "" {
		return "", nil
	}
	if _, ok := shelf.MonthEnd(v); !ok || len(v) != 7 {
		return "", shelf.FieldError("month", "invalid_month", "month must look like 2027-01")
	}
	return v, nil
}

// ServeStatementCSV answers a statement's entries as a CSV download, a
// header row first and the statement's totals last: the API and the
// statement page serve the same file.
func ServeStatementCSV(w http.ResponseWriter, st *shelf.Statement, es []shelf.SettlementEntry) error {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="statement-`+st.Month+`-`+st.Currency+`.csv"`)
	cw := csv.NewWriter(w)
	dec := func(v int64) string { return shelf.DecimalAmount(v, st.Currency) }
	_ = cw.Write([]string{"at", "kind", "order_id", "org_id", "app_id", "order_type", "amount", "rate_bp", "commission", "net", "currency"})
	for _, e := range es {
		_ = cw.Write([]string{e.At.Format(time.RFC3339), string(e.Kind), e.OrderID, e.OrgID, e.AppID, string(e.OrderType), dec(e.Amount),
			strconv.Itoa(e.RateBP), dec(e.Commission), dec(e.Net), e.Currency})
	}
	_ = cw.Write([]string{st.Month, "total", "", "", "", "", dec(st.Gross - st.Refunded), "", dec(st.Commission), dec(st.Net), st.Currency})
	_ = cw.Write([]string{st.Month, "carried_in", "", "", "", "", "", "", "", dec(st.CarriedIn), st.Currency})
	_ = cw.Write([]string{st.Month, "payout", "", "", "", "", "", "", "", dec(st.Payout), st.Currency})
	_ = cw.Write([]string{st.Month, "carried_out", "", "", "", "", "", "", "", dec(st.CarriedOut), st.Currency})
	cw.Flush()
	return cw.Error()
}
