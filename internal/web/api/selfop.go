package api

import (
	"net/http"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/access"
	"github.com/shelfhq/shelf/internal/web/httpx"
	"github.com/shelfhq/shelf/internal/web/service"
)

// selfopRoutes are partner self-operation's endpoints: revenue share and
// settlement.
func (h *Handler) selfopRoutes() []route {
	return []route{
		{"GET", "/api/v1/partners/{org}/sales", h.partnerSales},
		{"GET", "/api/v1/partners/{org}/statements", h.partnerStatements},
		{"GET", "/api/v1/partners/{org}/statements/{statement}", h.partnerStatement},
		{"GET", "/api/v1/platform/statements", h.platformStatements},
		{"POST", "/api/v1/platform/statements/{statement}/close", h.closeStatement},
		{"GET", "/api/v1/platform/commission-rates", h.commissionRates},
		{"POST", "/api/v1/platform/commission-rates", h.setCommissionRate},
	}
}

// partnerSales is a partner org's sales dashboard.
func (h *Handler) partnerSales(w http.ResponseWriter, r *http.Request) error {
	acc, err := h.RequirePartnerBooks(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	d, err := h.SalesDashboard(r.Context(), acc.Org.ID, q.Get("from"), q.Get("to"), q.Get("listing"), q.Get("currency"), string(shelf.LangEn))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, d)
	return nil
}

// partnerStatements lists a partner org's monthly statements, newest first.
func (h *Handler) partnerStatements(w http.ResponseWriter, r *http.Request) error {
	acc, err := h.RequirePartnerBooks(r)
	if err != nil {
		return err
	}
	page, limit, err := statementsPager.request(r)
	if err != nil {
		return err
	}
	sts, err := h.Selfop.Statements(r.Context(), acc.Org.ID, "", page)
	return statementsPager.write(w, r, sts, limit, err)
}

// statementView is a statement with its entries.
type statementView struct {
	*shelf.Statement
	Entries []shelf.SettlementEntry `json:"entries"`
}

// partnerStatement is one statement with its entries; ?format=csv exports
// them.
func (h *Handler) partnerStatement(w http.ResponseWriter, r *http.Request) error {
	acc, err := h.RequirePartnerBooks(r)
	if err != nil {
		return err
	}
	st, es, err := h.PartnerStatement(r.Context(), acc.Org.ID, r.PathValue("statement"))
	if err != nil {
		return err
	}
	if r.URL.Query().Get("format") == "csv" {
		return service.ServeStatementCSV(w, st, es)
	}
	httpx.WriteJSON(w, http.StatusOK, statementView{Statement: st, Entries: es})
	return nil
}

// platformStatements lists every partner's statements (of ?month=).
func (h *Handler) platformStatements(w http.ResponseWriter, r *http.Request) error {
	if _, err := access.RequirePlatform(r, shelf.PlatformAdmin); err != nil {
		return err
	}
	month, err := service.StatementMonth(r.URL.Query().Get("month"))
	if err != nil {
		return err
	}
	page, limit, err := statementsPager.request(r, month)
	if err != nil {
		return err
	}
	sts, err := h.Selfop.Statements(r.Context(), "", month, page)
	return statementsPager.write(w, r, sts, limit, err, month)
}

// closeStatement: a platform admin closes a month's statement once the
// month is over; it never changes after.
func (h *Handler) closeStatement(w http.ResponseWriter, r *http.Request) error {
	u, err := access.RequirePlatform(r, shelf.PlatformAdmin)
	if err != nil {
		return err
	}
	st, err := h.Selfop.CloseStatement(r.Context(), r.PathValue("statement"), u.ID)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, st)
	return nil
}

// commissionRates lists the platform's commission rates.
func (h *Handler) commissionRates(w http.ResponseWriter, r *http.Request) error {
	if _, err := access.RequirePlatform(r, shelf.PlatformAdmin); err != nil {
		return err
	}
	page, limit, err := ratesPager.request(r)
	if err != nil {
		return err
	}
	rs, err := h.Selfop.CommissionRates(r.Context(), page)
	return ratesPager.write(w, r, rs, limit, err)
}

// Statements page newest month first, commission rates newest first.
var (
	statementsPager = pager[shelf.Statement]{tag: "statements", shape: "ss", key: func(s shelf.Statement) []any { return []any{s.Month, s.ID} }}
	ratesPager      = pager[shelf.CommissionRate]{tag: "commission-rates", shape: "is", key: func(r shelf.CommissionRate) []any { return []any{r.EffectiveFrom.UnixMicro(), r.ID} }}
)

type rateRequest struct {
	Scope         shelf.CommissionScope `json:"scope"`
	ScopeID       string                `json:"scope_id"`
	RateBP        *int                  `json:"rate_bp"`
	EffectiveFrom *time.Time            `json:"effective_from"`
}

// setCommissionRate adds a rate from a moment on (now if none is given).
func (h *Handler) setCommissionRate(w http.ResponseWriter, r *http.Request) error {
	u, err := access.RequirePlatform(r, shelf.PlatformAdmin)
	if err != nil {
		return err
	}
	var req rateRequest
	if err := httpx.DecodeJSON(w, r, &req); err != nil {
		return err
	}
	if req.RateBP == nil {
		return shelf.FieldError("rate_bp", "required", "rate_bp is required (basis points: 2000 is 20%%)")
	}
	var from time.Time // now
	if req.EffectiveFrom != nil {
		from = *req.EffectiveFrom
	}
	rate, err := h.Selfop.SetCommissionRate(r.Context(), shelf.CommissionRate{Scope: req.Scope, ScopeID: req.ScopeID, RateBP: *req.RateBP,
		EffectiveFrom: from, CreatedBy: u.ID})
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, rate)
	return nil
}
