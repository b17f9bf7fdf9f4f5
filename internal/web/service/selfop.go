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
	CommissionRates(ctx context.Context) ([]shelf.CommissionRate, error)
	Statement(ctx context.Context, id string) (*shelf.Statement, error)
	Statements(ctx context.Context, partnerID, month string) ([]shelf.Statement, error)
	StatementEntries(ctx context.Context, id string) ([]shelf.SettlementEntry, error)
	CloseStatement(ctx context.Context, id, byUserID string) (*shelf.Statement, error)
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
