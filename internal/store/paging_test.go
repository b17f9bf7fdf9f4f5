package store_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store"
	"github.com/shelfhq/shelf/internal/store/storetest"
)

// pagingRow is one row of a list as a walk sees it: its id and its key.
type pagingRow struct {
	id  string
	key []any
}

// pagingList reads one page of a generated list.
type pagingList struct {
	kind, prefix string
	read         func(ctx context.Context, s *store.Store, o storetest.PagingOwners, p shelf.PageReq) ([]pagingRow, error)
}

func rowsOf[T any](items []T, err error, row func(T) pagingRow) ([]pagingRow, error) {
	out := make([]pagingRow, len(items))
	for i, it := range items {
		out[i] = row(it)
	}
	return out, err
}

// pagingLists are the generated lists, each read as its API pager reads it.
var pagingLists = []pagingList{
	{"orgs", "org_gen", func(ctx context.Context, s *store.Store, o storetest.PagingOwners, p shelf.PageReq) ([]pagingRow, error) {
		l, err := s.OrgsForUser(ctx, o.UserID, p)
		return rowsOf(l, err, func(x shelf.OrgWithRole) pagingRow { return pagingRow{x.ID, []any{x.JoinedAt.UnixMicro(), x.ID}} })
	}},
	{"members", "usr_gen", func(ctx context.Context, s *store.Store, o storetest.PagingOwners, p shelf.PageReq) ([]pagingRow, error) {
		l, err := s.Members(ctx, o.OrgID, p)
		return rowsOf(l, err, func(x shelf.Membership) pagingRow {
			return pagingRow{x.UserID, []any{x.CreatedAt.UnixMicro(), x.UserID}}
		})
	}},
	{"audit", "aud_gen", func(ctx context.Context, s *store.Store, o storetest.PagingOwners, p shelf.PageReq) ([]pagingRow, error) {
		l, err := s.AuditLog(ctx, shelf.AuditQuery{PageReq: p})
		return rowsOf(l, err, func(x shelf.AuditEntry) pagingRow { return pagingRow{x.ID, []any{x.At.UnixMicro(), x.ID}} })
	}},
	{"notices", "ntc_gen", func(ctx context.Context, s *store.Store, o storetest.PagingOwners, p shelf.PageReq) ([]pagingRow, error) {
		l, err := s.Notices(ctx, o.OrgID, p)
		return rowsOf(l, err, func(x shelf.Notice) pagingRow { return pagingRow{x.ID, []any{x.CreatedAt.UnixMicro(), x.ID}} })
	}},
	{"test-orgs", "org_t_gen", func(ctx context.Context, s *store.Store, o storetest.PagingOwners, p shelf.PageReq) ([]pagingRow, error) {
		l, err := s.TestOrgs(ctx, o.PartnerID, p)
		return rowsOf(l, err, func(x shelf.Org) pagingRow { return pagingRow{x.ID, []any{x.CreatedAt.UnixMicro(), x.ID}} })
	}},
	{"groups", "grp_gen", func(ctx context.Context, s *store.Store, o storetest.PagingOwners, p shelf.PageReq) ([]pagingRow, error) {
		l, err := s.Groups(ctx, o.OrgID, p)
		return rowsOf(l, err, func(x shelf.Group) pagingRow { return pagingRow{x.ID, []any{x.Name, x.ID}} })
	}},
	{"deliveries", "evt_gen", func(ctx context.Context, s *store.Store, o storetest.PagingOwners, p shelf.PageReq) ([]pagingRow, error) {
		l, err := s.Deliveries(ctx, o.AppID, shelf.DeliveryFilter{PageReq: p})
		return rowsOf(l, err, func(x shelf.Delivery) pagingRow {
			return pagingRow{x.EventID, []any{x.CreatedAt.UnixMicro(), x.EventID}}
		})
	}},
	{"attempts", "att_gen", func(ctx context.Context, s *store.Store, o storetest.PagingOwners, p shelf.PageReq) ([]pagingRow, error) {
		l, err := s.DeliveryAttempts(ctx, o.AppID, shelf.AttemptFilter{PageReq: p})
		return rowsOf(l, err, func(x shelf.DeliveryAttempt) pagingRow {
			return pagingRow{x.ID, []any{x.AttemptedAt.UnixMicro(), x.ID}}
		})
	}},
}

// pagingStore is a store with n generated rows of each kind of list named
// (of every kind pagingLists reads, when none is).
func pagingStore(t testing.TB, backend string, n int, kinds ...string) (*store.Store, string, storetest.PagingOwners) {
	t.Helper()
	dsn := storetest.DSN(t, backend)
	s := storetest.OpenDSN(t, dsn, shelf.NewManualClock(storetest.Epoch))
	app, _ := storetest.MustApp(t, s, "")
	u := storetest.MustUser(t, s, "walker@example.com")
	org := storetest.MustOrg(t, s, "Walked", shelf.OrgCustomer, u)
	o := storetest.PagingOwners{UserID: u.ID, OrgID: org.ID, PartnerID: app.OrgID, AppID: app.ID}
	if len(kinds) == 0 {
		kinds = pagingListKinds()
	}
	storetest.PagingFill(t, dsn, o, n, storetest.Epoch.UnixMicro(), kinds...)
	return s, dsn, o
}

// pagingListKinds names the kinds pagingLists reads.
func pagingListKinds() []string {
	kinds := make([]string, len(pagingLists))
	for i, l := range pagingLists {
		kinds[i] = l.kind
	}
	return kinds
}

// pagingN is the rows of each kind the walk generates.
const pagingN = 10000

// TestPagingWalk walks every generated list at the smallest and the
// largest page (1 and 200, read as the API reads them: one row more),
// inserting rows of every kind between pages, some before the walk's
// position and some after: every row that was there when the walk began is
// seen exactly once, and no row twice. The largest page walks to the end;
// the smallest walks the first 1,000 rows (the same rows in the same order)
// unless SHELF_TEST_PAGING_FULL is set: 160,000 one-row pages take minutes
// under -race, past CI's budget, so that walk to the end is run by hand.
func TestPagingWalk(t *testing.T) {
	for _, backend := range storetest.Backends(t) {
		t.Run(storetest.Name(backend), func(t *testing.T) {
			s, dsn, o := pagingStore(t, backend, pagingN)
			raw := storetest.OpenRaw(t, dsn)
			t.Cleanup(func() { raw.Close() })
			var extra atomic.Int64
			extra.Store(pagingN)
			kinds := pagingListKinds()
			insert := func(t *testing.T) { // one row of every kind newer than all, one older
				i := int(extra.Add(2))
				storetest.PagingFillRange(t, raw, o, i-1, i-1, storetest.Epoch.UnixMicro(), kinds...)
				storetest.PagingFillRange(t, raw, o, i, i, storetest.Epoch.UnixMicro()-int64(2*i), kinds...)
			}
			for _, l := range pagingLists {
				for _, limit := range []int{1, 200} {
					t.Run(fmt.Sprintf("%s/limit=%d", l.kind, limit), func(t *testing.T) {
						t.Parallel()
						max := 0
						if limit == 1 && os.Getenv("SHELF_TEST_PAGING_FULL") == "" {
							max = 1000
						}
						seen := walkList(t, s, o, l, limit, max, func() { insert(t) })
						if max > 0 {
							return
						}
						for i := 1; i <= pagingN; i++ {
							if id := storetest.GenID(strings.TrimSuffix(l.prefix, "_gen"), i); seen[id] != 1 {
								t.Fatalf("%s seen %d times", id, seen[id])
							}
						}
					})
				}
			}
		})
	}
}

// walkList reads l page by page to its end (or max rows, when max > 0),
// calling between every 500 rows, and counts the ids seen.
func walkList(t *testing.T, s *store.Store, o storetest.PagingOwners, l pagingList, limit, max int, between func()) map[string]int {
	t.Helper()
	seen := map[string]int{}
	var after []any
	for shown := 0; ; {
		rows, err := l.read(context.Background(), s, o, shelf.PageReq{Limit: limit + 1, After: after})
		if err != nil {
			t.Fatal(err)
		}
		page := rows[:min(limit, len(rows))]
		for _, r := range page {
			if seen[r.id]++; seen[r.id] > 1 {
				t.Fatalf("%s seen twice", r.id)
			}
		}
		if len(rows) <= limit || (max > 0 && len(seen) >= max) {
			return seen
		}
		after = page[len(page)-1].key
		if shown += len(page); shown%500 < len(page) {
			between()
		}
	}
}
