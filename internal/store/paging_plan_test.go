package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store"
	"github.com/shelfhq/shelf/internal/store/storetest"
)

// planLists read the first page of every paged list of the store; the
// plan test sees their queries through queryPage.
func planLists(ctx context.Context, s *store.Store, o storetest.PagingOwners) []error {
	p := shelf.FirstPage(51)
	var errs []error
	keep := func(_ any, err error) { errs = append(errs, err) }
	for _, l := range pagingLists {
		keep(l.read(ctx, s, o, p))
	}
	keep(s.Invitations(ctx, o.OrgID, p))
	keep(s.Tokens(ctx, o.UserID, p))
	keep(s.Apps(ctx, o.PartnerID, p))
	keep(s.Installations(ctx, o.OrgID, p))
	keep(s.SelfTests(ctx, o.AppID, p))
	keep(s.PartnerListings(ctx, o.PartnerID, p))
	keep(s.PartnerMarketListings(ctx, o.PartnerID, p))
	keep(s.ReviewQueue(ctx, shelf.ReviewScope{All: true}, p))
	keep(s.AuditLog(ctx, shelf.AuditQuery{Actor: o.UserID, PageReq: p}))
	keep(s.Orders(ctx, shelf.OrderQuery{OrgID: o.OrgID, PageReq: p}))
	keep(s.Orders(ctx, shelf.OrderQuery{AppID: o.AppID, PageReq: p}))
	keep(s.Orders(ctx, shelf.OrderQuery{PageReq: p}))
	keep(s.Orders(ctx, shelf.OrderQuery{State: shelf.OrderPaid, PageReq: p}))
	keep(s.Subscriptions(ctx, o.OrgID, p))
	keep(s.AppSubscriptions(ctx, o.AppID, p))
	keep(s.Seats(ctx, o.OrgID, o.AppID, p))
	keep(s.PlatformUsers(ctx, shelf.CategoryOperator, p))
	keep(s.Statements(ctx, o.PartnerID, "", p))
	keep(s.Statements(ctx, "", "2027-01", p))
	keep(s.CommissionRates(ctx, p))
	keep(s.AppInstallations(ctx, o.AppID, "", 51))
	keep(s.AppInstallations(ctx, o.AppID, "ins_x", 51))
	keep(s.GroupInstallations(ctx, "grp_x", "ins_x", 51))
	keep(s.GroupCards(ctx, "grp_x", shelf.TimeKey(time.Unix(1, 0), "crd_x"), 51))
	keep(s.CoolAppQueue(ctx, "", "", 51))
	keep(s.CoolAppQueue(ctx, shelf.CoolSubmitted, shelf.TimeKey(time.Unix(1, 0), "cap_x"), 51))
	keep(s.AppCoolApplications(ctx, o.AppID, "", 51))
	keep(s.PartnerApplications(ctx, "", "", 51))
	keep(s.PartnerApplications(ctx, shelf.PartnerPending, shelf.TimeKey(time.Unix(1, 0), "pap_x"), 51))
	keep(s.OrgContactRequests(ctx, o.OrgID, p))
	keep(s.TicketHealth(ctx, "", 51))
	keep(s.TicketHealth(ctx, "org_x", 51))
	keep(s.Leads(ctx, shelf.LeadFilter{PartnerID: o.PartnerID, Limit: 51}))
	keep(s.Leads(ctx, shelf.LeadFilter{PartnerID: o.PartnerID, After: "1:lead_x", Limit: 51}))
	keep(s.Tickets(ctx, shelf.TicketFilter{PartnerID: o.PartnerID, Limit: 51}))
	keep(s.Tickets(ctx, shelf.TicketFilter{OrgID: o.OrgID, After: "1:tkt_x", Limit: 51}))
	keep(s.SearchOrgsForUser(ctx, o.UserID, "gen", p))
	keep(s.SearchApps(ctx, o.PartnerID, "app", p))
	keep(s.RatingsPage(ctx, "lst_none", false, p))
	keep(s.RatingsPage(ctx, "lst_none", true, p))
	return errs
}

// badPlan finds a full scan of a table, or a sort, in a plan: the page is
// then not read through an index of its filter and order.
var badPlan = map[bool]*regexp.Regexp{
	false: regexp.MustCompile(`(?m)^SCAN \w+$|USE TEMP B-TREE FOR (RIGHT PART OF )?ORDER BY`),
	true:  regexp.MustCompile(`Seq Scan on \w+|Sort\b`),
}

// TestListIndexes explains the first page of every paged list on generated
// data: each is read through an index that serves its filter and its order
// — no full scan of a table, no sort — on both engines. PostgreSQL is
// asked with sequential scans and sorts priced out (as on a big table), so
// a plan that still needs one has no index to use.
func TestListIndexes(t *testing.T) {
	for _, backend := range storetest.Backends(t) {
		t.Run(storetest.Name(backend), func(t *testing.T) {
			ctx := context.Background()
			s, _, o := pagingStore(t, backend, 2000)
			type query struct {
				text string
				args []any
			}
			var seen []query
			s.SeePageQueries(func(q string, args []any) { seen = append(seen, query{q, args}) })
			for _, err := range planLists(ctx, s, o) {
				if err != nil {
					t.Fatal(err)
				}
			}
			s.SeePageQueries(nil)
			conn, err := s.ReadDB().Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			explain := "EXPLAIN QUERY PLAN "
			if s.IsPostgres() {
				explain = "EXPLAIN "
				if _, err := conn.ExecContext(ctx, `SET enable_seqscan = off`); err != nil {
					t.Fatal(err)
				}
				if _, err := conn.ExecContext(ctx, `SET enable_sort = off`); err != nil {
					t.Fatal(err)
				}
			}
			for _, q := range seen {
				// The page's own steps come first; PostgreSQL lists a
				// column's subquery (one row of it per row shown) after.
				plan, _, _ := strings.Cut(planOf(t, ctx, conn, explain, q.text, q.args), "SubPlan")
				if bad := planFault(plan, s.IsPostgres()); bad != "" {
					t.Errorf("%s\nneeds %q:\n%s", q.text, bad, plan)
				}
			}
			if len(seen) < 25 {
				t.Fatalf("saw %d list queries; queryPage is not seeing them", len(seen))
			}
		})
	}
}

// planFault is the first step of plan that badPlan finds, but for SQLite's
// scan of a subquery it runs as a co-routine: that reads the subquery's
// rows (a page of them), not a table.
func planFault(plan string, postgres bool) string {
	for _, bad := range badPlan[postgres].FindAllString(plan, -1) {
		if name, ok := strings.CutPrefix(bad, "SCAN "); ok && strings.Contains(plan, "CO-ROUTINE "+name+"\n") {
			continue
		}
		return bad
	}
	return ""
}

// planOf is the plan of a query, one line per step (the last column of
// each row: SQLite's detail, PostgreSQL's text).
func planOf(t *testing.T, ctx context.Context, conn *sql.Conn, explain, q string, args []any) string {
	t.Helper()
	rows, err := conn.QueryContext(ctx, explain+q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var lines []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, strings.TrimSpace(fmt.Sprint(vals[len(vals)-1])))
	}
	return strings.Join(lines, "\n")
}
