package ui

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/access"
	"github.com/shelfhq/shelf/internal/web/service"
)

// selfopPageFiles are partner self-operation's pages (see pageFiles).
var selfopPageFiles = []string{"selfop_sales", "selfop_statements", "selfop_statement", "selfop_admin_statements"}

// selfopPages mounts the settlement pages: a partner's statements (list,
// a print-friendly statement and its CSV) and the platform's statements
// and commission rates.
func (h *Handler) selfopPages(mux *http.ServeMux) {
	mux.HandleFunc("GET /orgs/{org}/sales", h.pageSelfopSales)
	mux.HandleFunc("GET /orgs/{org}/sales/csv", h.selfopSalesCSV)
	mux.HandleFunc("GET /orgs/{org}/statements", h.pageSelfopStatements)
	mux.HandleFunc("GET /orgs/{org}/statements/{statement}", h.pageSelfopStatement)
	mux.HandleFunc("GET /orgs/{org}/statements/{statement}/csv", h.selfopStatementCSV)
	mux.HandleFunc("GET /admin/statements", h.pageSelfopAdmin)
	mux.HandleFunc("POST /admin/statements/{statement}/close", h.postSelfopClose)
	mux.HandleFunc("POST /admin/commission-rates", h.postSelfopRate)
	mux.HandleFunc("POST /listings/{listing}/reviews", h.postSelfopRating)
	mux.HandleFunc("POST /listings/{listing}/reviews/{review}/reply", h.postSelfopReply)
	mux.HandleFunc("POST /listings/{listing}/reviews/{review}/hide", h.postSelfopHide)
	mux.HandleFunc("POST /listings/{listing}/reviews/{review}/edit", h.postSelfopEdit)
	mux.HandleFunc("POST /listings/{listing}/reviews/{review}/flag", h.postSelfopFlag)
}

// selfopStatementsPage is a partner org's statements, in the org's tabs.
type selfopStatementsPage struct {
	*orgPage
	Statements []shelf.Statement
}

// partnerBooks authorizes a partner's statement page and loads the org's
// head; false: the error page was shown.
func (h *Handler) partnerBooks(w http.ResponseWriter, r *http.Request) (*orgPage, bool) {
	acc, err := h.RequirePartnerBooks(r)
	p := &orgPage{Tab: "statements"}
	if err == nil {
		p.Org, p.Role, p.IsAdmin = acc.Org, acc.Role, acc.IsAdmin()
		p.Members, err = h.Store.Members(r.Context(), acc.Org.ID, shelf.PageReq{})
	}
	if err != nil {
		h.failPage(w, r, err)
		return nil, false
	}
	return p, true
}

func (h *Handler) pageSelfopStatements(w http.ResponseWriter, r *http.Request) {
	op, ok := h.partnerBooks(w, r)
	if !ok {
		return
	}
	sts, err := h.Selfop.Statements(r.Context(), op.Org.ID, "", shelf.PageReq{})
	if err != nil {
		h.failPage(w, r, err)
		return
	}
	h.showLocal(w, r, "selfop_statements", "selfop.statements", &selfopStatementsPage{orgPage: op, Statements: sts}, op.Org, nil)
}

// selfopStatementPage is one statement, laid out to print.
type selfopStatementPage struct {
	Org       *shelf.Org
	Statement *shelf.Statement
	Entries   []selfopEntryRow
}

// selfopEntryRow is an entry with its customer's and app's names.
type selfopEntryRow struct {
	shelf.SettlementEntry
	OrgName, AppName, Rate string
}

// selfopRateRow is a commission rate as the platform's page lists it.
type selfopRateRow struct {
	shelf.CommissionRate
	Rate, ScopeName string
}

// bpText writes basis points as a percentage: 1250 → "12.5%".
func bpText(bp int) string {
	s := strconv.FormatFloat(float64(bp)/100, 'f', -1, 64)
	return s + "%"
}

func (h *Handler) pageSelfopStatement(w http.ResponseWriter, r *http.Request) {
	op, ok := h.partnerBooks(w, r)
	if !ok {
		return
	}
	st, es, err := h.PartnerStatement(r.Context(), op.Org.ID, r.PathValue("statement"))
	p := &selfopStatementPage{Org: op.Org, Statement: st}
	n := h.names(r.Context())
	for _, e := range es {
		row := selfopEntryRow{SettlementEntry: e, Rate: bpText(e.RateBP)}
		if err == nil {
			row.OrgName, err = n.org(e.OrgID)
		}
		if err == nil {
			row.AppName, err = n.app(e.AppID, language(r))
		}
		p.Entries = append(p.Entries, row)
	}
	if err != nil {
		h.failPage(w, r, err)
		return
	}
	h.showLocal(w, r, "selfop_statement", "selfop.statement", p, op.Org, nil)
}

func (h *Handler) selfopStatementCSV(w http.ResponseWriter, r *http.Request) {
	op, ok := h.partnerBooks(w, r)
	if !ok {
		return
	}
	st, es, err := h.PartnerStatement(r.Context(), op.Org.ID, r.PathValue("statement"))
	if err != nil {
		h.failPage(w, r, err)
		return
	}
	if err := service.ServeStatementCSV(w, st, es); err != nil {
		h.streamFailed(r, "statement csv", err, "statement", st.ID)
	}
}

// selfopAdminPage is every partner's statements of a month, and the
// commission rates, for platform admins.
type selfopAdminPage struct {
	Month      string
	Statements []selfopStatementRow
	Rates      []selfopRateRow
	Categories []shelf.Category
	Form       selfopRateForm // a refused form, shown again
	Now        time.Time
	Paging     pagingLinks // of the statements
}

// adminStatementsList pages the month's statements as the store orders them.
var adminStatementsList = pagingList[shelf.Statement]{tag: "statements", shape: "ss", key: func(s shelf.Statement) []any { return []any{s.Month, s.ID} }}

// selfopStatementRow is a statement with its partner's name and whether
// it may be closed now.
type selfopStatementRow struct {
	shelf.Statement
	PartnerName string
	Closable    bool
}

// selfopRateForm is the new-rate form's input.
type selfopRateForm struct {
	Scope, ScopeID, Percent, From string
}

func (h *Handler) pageSelfopAdmin(w http.ResponseWriter, r *http.Request) {
	h.showSelfopAdmin(w, r, selfopRateForm{Scope: string(shelf.ScopeDefault)}, nil)
}

func (h *Handler) showSelfopAdmin(w http.ResponseWriter, r *http.Request, form selfopRateForm, formErr error) {
	if _, err := access.RequirePlatform(r, shelf.PlatformAdmin); err != nil {
		h.failPage(w, r, err)
		return
	}
	ctx := r.Context()
	p := &selfopAdminPage{Form: form, Now: h.Clock.Now()}
	month, err := service.StatementMonth(r.URL.Query().Get("month"))
	p.Month = month
	var sts []shelf.Statement
	if err == nil {
		sts, p.Paging, err = adminStatementsList.in(month).read(listRequest(r, "/admin/statements"), pagingSize, func(pr shelf.PageReq) ([]shelf.Statement, error) {
			return h.Selfop.Statements(ctx, "", month, pr)
		})
	}
	n := h.names(ctx)
	for _, st := range sts {
		row := selfopStatementRow{Statement: st}
		end, _ := shelf.MonthEnd(st.Month)
		row.Closable = st.State == shelf.StatementOpen && !p.Now.Before(end)
		if err == nil {
			row.PartnerName, err = n.org(st.PartnerID)
		}
		p.Statements = append(p.Statements, row)
	}
	var rates []shelf.CommissionRate
	if err == nil {
		rates, err = h.Selfop.CommissionRates(ctx, shelf.PageReq{})
	}
	if err == nil {
		p.Categories, err = h.Store.Categories(ctx, false)
	}
	for _, rt := range rates {
		row := selfopRateRow{CommissionRate: rt, Rate: bpText(rt.RateBP), ScopeName: rt.ScopeID}
		switch rt.Scope {
		case shelf.ScopePartner:
			if err == nil {
				row.ScopeName, err = n.org(rt.ScopeID)
			}
		case shelf.ScopeCategory:
			for _, c := range p.Categories {
				if c.ID == rt.ScopeID {
					row.ScopeName = c.Name
					if language(r) == langEN {
						row.ScopeName = c.NameEn
					}
				}
			}
		}
		p.Rates = append(p.Rates, row)
	}
	if err != nil {
		h.failPage(w, r, err)
		return
	}
	h.showLocal(w, r, "selfop_admin_statements", "selfop.admin_title", p, nil, formErr)
}

// postSelfopClose closes a statement.
func (h *Handler) postSelfopClose(w http.ResponseWriter, r *http.Request) {
	u, err := access.RequirePlatform(r, shelf.PlatformAdmin)
	if err != nil {
		h.failPage(w, r, err)
		return
	}
	if _, err := h.Selfop.CloseStatement(r.Context(), r.PathValue("statement"), u.ID); err != nil {
		h.showSelfopAdmin(w, r, selfopRateForm{Scope: string(shelf.ScopeDefault)}, err)
		return
	}
	done(w, r, "/admin/statements", "selfop.closed_flash")
}

// postSelfopRate adds a commission rate: a percentage with up to two
// decimals, from a date (UTC midnight) or now.
func (h *Handler) postSelfopRate(w http.ResponseWriter, r *http.Request) {
	u, err := access.RequirePlatform(r, shelf.PlatformAdmin)
	if err != nil {
		h.failPage(w, r, err)
		return
	}
	f := selfopRateForm{Scope: r.PostFormValue("scope"), ScopeID: strings.TrimSpace(r.PostFormValue("scope_id")),
		Percent: strings.TrimSpace(r.PostFormValue("percent")), From: r.PostFormValue("from")}
	rate := shelf.CommissionRate{Scope: shelf.CommissionScope(f.Scope), ScopeID: f.ScopeID, CreatedBy: u.ID}
	if rate.Scope == shelf.ScopeDefault {
		rate.ScopeID = ""
	}
	rate.RateBP, err = percentBP(f.Percent)
	if err == nil && f.From != "" {
		if rate.EffectiveFrom, err = time.Parse("2006-01-02", f.From); err != nil {
			err = shelf.FieldError("effective_from", "invalid_date", "the date must look like 2027-01-31")
		}
	}
	if err == nil {
		_, err = h.Selfop.SetCommissionRate(r.Context(), rate)
	}
	if err != nil {
		h.showSelfopAdmin(w, r, f, err)
		return
	}
	done(w, r, "/admin/statements", "selfop.rate_flash")
}

// percentBP reads "12.5" (percent) as basis points (1250).
func percentBP(s string) (int, error) {
	whole, frac, _ := strings.Cut(s, ".")
	if len(frac) > 2 {
		return 0, shelf.FieldError("rate_bp", "out_of_range", "at most two decimals")
	}
	frac += strings.Repeat("0", 2-len(frac))
	w, err1 := strconv.Atoi(whole)
	f, err2 := strconv.Atoi(frac)
	if err1 != nil || err2 != nil || w < 0 || f < 0 || w*100+f > shelf.MaxRateBP {
		return 0, shelf.FieldError("rate_bp", "out_of_range", "a percentage from 0 to 100")
	}
	return w*100 + f, nil
}
