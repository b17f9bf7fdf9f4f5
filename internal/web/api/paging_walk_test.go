package api_test

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/store/storetest"
	"github.com/shelfhq/shelf/internal/web/webtest"
)

// pagingWalkRows is the rows of each kind the HTTP walk generates.
const pagingWalkRows = 10000

// pagingEndpoint is one generated list as a caller reads it.
type pagingEndpoint struct {
	kind, as, pattern, idField, prefix string
	params                             map[string]string
}

// TestPagingHTTPWalk generates 10,000 rows of each kind of list on both
// databases and walks every such endpoint: limit=1 for the first 100 rows
// (the same rows, in the same order, as the largest page shows), then
// limit=200 to the end while rows are inserted between pages: every row
// that was there is seen exactly once. A tampered or foreign cursor is a
// 400 and a limit out of range a 422. (The store's walk, TestPagingWalk,
// goes to the end at limit=1.)
func TestPagingHTTPWalk(t *testing.T) {
	for _, backend := range storetest.Backends(t) {
		t.Run(storetest.Name(backend), func(t *testing.T) {
			f := webtest.NewWith(t, backend, nil)
			o := storetest.PagingOwners{UserID: f.World.Users[demo.CustomerEmail].ID, OrgID: f.World.Customer.ID, PartnerID: f.World.Partner1.ID}
			for _, a := range f.World.Apps {
				if a.OrgID == o.PartnerID && (o.AppID == "" || a.ID < o.AppID) {
					o.AppID = a.ID
				}
			}
			storetest.PagingFill(t, f.DSN(), o, pagingWalkRows, f.Clock.Now().UnixMicro())
			raw := storetest.OpenRaw(t, f.DSN())
			defer raw.Close()
			extra := pagingWalkRows
			insert := func() {
				extra += 2
				storetest.PagingFillRange(t, raw, o, extra-1, extra, f.Clock.Now().UnixMicro()+int64(extra))
			}
			org, app := map[string]string{"org": o.OrgID}, map[string]string{"app": o.AppID}
			for _, e := range []pagingEndpoint{
				{"orgs", demo.CustomerEmail, "/api/v1/orgs", "id", "org", nil},
				{"members", demo.CustomerEmail, "/api/v1/orgs/{org}/members", "user_id", "usr", org},
				{"audit", demo.AdminEmail, "/api/v1/platform/audit", "id", "aud", nil},
				{"notices", demo.CustomerEmail, "/api/v1/orgs/{org}/notices", "id", "ntc", org},
				{"test-orgs", demo.PartnerEmail, "/api/v1/orgs/{org}/test-orgs", "id", "org_t", map[string]string{"org": o.PartnerID}},
				{"groups", demo.CustomerEmail, "/api/v1/orgs/{org}/groups", "id", "grp", org},
				{"deliveries", demo.PartnerEmail, "/api/v1/apps/{app}/deliveries", "event_id", "evt", app},
				{"attempts", demo.PartnerEmail, "/api/v1/apps/{app}/attempts", "id", "att", app},
			} {
				t.Run(e.kind, func(t *testing.T) {
					small := walkHTTP(t, f, e, 1, 100, nil)
					seen := walkHTTP(t, f, e, 200, 0, insert)
					for i, id := range small {
						if seen[i] != id {
							t.Fatalf("row %d at limit=1 is %s, at limit=200 %s", i, id, seen[i])
						}
					}
					count := map[string]int{}
					for _, id := range seen {
						count[id]++
					}
					for i := 1; i <= pagingWalkRows; i++ {
						if id := storetest.GenID(e.prefix, i); count[id] != 1 {
							t.Fatalf("%s seen %d times", id, count[id])
						}
					}
				})
			}
			t.Run("refused", func(t *testing.T) { pagingRefused(t, f, org) })
		})
	}
}

type pagingPage struct {
	Items      []map[string]any `json:"items"`
	NextCursor *string          `json:"next_cursor"`
}

// walkHTTP reads e page by page at limit until its end (or until max
// rows, when max > 0), calling between after every fifth page, and returns the
// ids in the order seen; no id may come twice.
func walkHTTP(t *testing.T, f *webtest.Fixture, e pagingEndpoint, limit, max int, between func()) []string {
	t.Helper()
	var ids []string
	dup := map[string]bool{}
	for cursor := ""; ; {
		r := f.CallQuery(e.as, "GET", e.pattern, e.params, fmt.Sprintf("limit=%d&cursor=%s", limit, url.QueryEscape(cursor)), nil)
		if r.Status != 200 {
			t.Fatalf("%s: %d %s", e.pattern, r.Status, r.Body)
		}
		if cursor == "" {
			webtest.CheckOpenAPI(t, "GET", e.pattern, r)
		}
		var p pagingPage
		r.JSON(t, &p)
		if len(p.Items) > limit {
			t.Fatalf("%d items at limit=%d", len(p.Items), limit)
		}
		for _, it := range p.Items {
			id := fmt.Sprint(it[e.idField])
			if dup[id] {
				t.Fatalf("%s seen twice", id)
			}
			dup[id] = true
			ids = append(ids, id)
		}
		if p.NextCursor == nil || (max > 0 && len(ids) >= max) {
			return ids
		}
		cursor = *p.NextCursor
		if between != nil && len(ids)%(5*limit) == 0 {
			between()
		}
	}
}

// pagingRefused: a cursor altered, or made by another list, is a 400
// invalid_cursor; a limit out of range a 422 naming limit.
func pagingRefused(t *testing.T, f *webtest.Fixture, org map[string]string) {
	var p pagingPage
	f.CallQuery(demo.CustomerEmail, "GET", "/api/v1/orgs", nil, "limit=1", nil).JSON(t, &p)
	if p.NextCursor == nil {
		t.Fatal("no next cursor")
	}
	c := *p.NextCursor
	tampered := c[:len(c)-2] + map[bool]string{true: "AA", false: "BB"}[c[len(c)-2:] != "AA"]
	// A cursor of one org's members, on another org's members.
	var mp pagingPage
	f.CallQuery(demo.CustomerEmail, "GET", "/api/v1/orgs/{org}/members", org, "limit=1", nil).JSON(t, &mp)
	var other struct{ ID string }
	f.Call(demo.CustomerEmail, "POST", "/api/v1/orgs", nil, map[string]any{"name": "另一家 Other", "kind": "customer"}).JSON(t, &other)
	if mp.NextCursor == nil || other.ID == "" {
		t.Fatalf("no members cursor (%v) or no second org (%q)", mp.NextCursor, other.ID)
	}
	for _, tc := range []struct {
		name, pattern, query string
		params               map[string]string
		status               int
		code                 string
	}{
		{"tampered", "/api/v1/orgs", "cursor=" + url.QueryEscape(tampered), nil, 400, "invalid_cursor"},
		{"garbage", "/api/v1/orgs", "cursor=%21%21", nil, 400, "invalid_cursor"},
		{"another list's", "/api/v1/orgs/{org}/members", "cursor=" + url.QueryEscape(c), org, 400, "invalid_cursor"},
		// A list its store continues after one string key takes cursors
		// of its own making only, like every other.
		{"another list's, on a key-paged list", "/api/v1/orgs/{org}/tickets", "cursor=" + url.QueryEscape(c), org, 400, "invalid_cursor"},
		{"another key under the old MAC", "/api/v1/orgs/{org}/members", "cursor=" + url.QueryEscape(moved(*mp.NextCursor)), org, 400, "invalid_cursor"},
		{"another org's, on the same list", "/api/v1/orgs/{org}/members", "cursor=" + url.QueryEscape(*mp.NextCursor), map[string]string{"org": other.ID}, 400, "invalid_cursor"},
		{"a bare key, on a key-paged list", "/api/v1/orgs/{org}/tickets", "cursor=" + base64.RawURLEncoding.EncodeToString([]byte("tkt_x")), org, 400, "invalid_cursor"},
		{"limit 0", "/api/v1/orgs", "limit=0", nil, 422, "out_of_range"},
		{"limit 201", "/api/v1/orgs/{org}/members", "limit=201", org, 422, "out_of_range"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := f.CallQuery(demo.CustomerEmail, "GET", tc.pattern, tc.params, tc.query, nil)
			r.WantError(t, tc.status, tc.code)
			if code, field := r.ErrCode(t); code != tc.code || (field != "cursor" && field != "limit") {
				t.Errorf("%s: %s on %q", tc.name, code, field)
			}
		})
	}
}

// moved is c with its key's first digit changed and its MAC kept: still a
// well-formed cursor of the list, but not one the server made.
func moved(c string) string {
	body, sig, _ := strings.Cut(c, ".")
	raw, _ := base64.RawURLEncoding.DecodeString(body)
	start := strings.Index(string(raw), `",`) + 2 // past the tag: the key's time
	i := start + strings.IndexAny(string(raw[start:]), "123456789")
	raw[i] = map[bool]byte{true: '2', false: '1'}[raw[i] == '1']
	return base64.RawURLEncoding.EncodeToString(raw) + "." + sig
}
