package api_test

import (
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/store/storetest"
	"github.com/shelfhq/shelf/internal/web/webtest"
)

// pagingWalkRows is the rows of each kind the HTTP walk generates.
const pagingWalkRows = 10000

// pagingEndpoint is one generated list as a caller reads it: the kind of
// rows it shows (storetest's generated kinds), their id prefix and the
// field of an item that holds the id.
type pagingEndpoint struct {
	kind, prefix, as, pattern, idField string
	params                             map[string]string
}

// pagingEndpoints are every list of the API with the generated rows it
// shows, by area: a list added later adds itself here (TestPagingWalkCovers
// fails until it does).
func pagingEndpoints(o storetest.PagingOwners) []pagingEndpoint {
	return slices.Concat(identityEndpoints(o), listingEndpoints(o), commerceEndpoints(o), coolEndpoints(o), selfopEndpoints(o))
}

func identityEndpoints(o storetest.PagingOwners) []pagingEndpoint {
	org := map[string]string{"org": o.OrgID}
	app := map[string]string{"app": o.AppID}
	return []pagingEndpoint{
		{"orgs", "org", demo.CustomerEmail, "/api/v1/orgs", "id", nil},
		{"members", "usr", demo.CustomerEmail, "/api/v1/orgs/{org}/members", "user_id", org},
		{"audit", "aud", demo.AdminEmail, "/api/v1/platform/audit", "id", nil},
		{"notices", "ntc", demo.CustomerEmail, "/api/v1/orgs/{org}/notices", "id", org},
		{"test-orgs", "org_t", demo.PartnerEmail, "/api/v1/orgs/{org}/test-orgs", "id", map[string]string{"org": o.PartnerID}},
		{"groups", "grp", demo.CustomerEmail, "/api/v1/orgs/{org}/groups", "id", org},
		{"deliveries", "evt", demo.PartnerEmail, "/api/v1/apps/{app}/deliveries", "event_id", app},
		{"attempts", "att", demo.PartnerEmail, "/api/v1/apps/{app}/attempts", "id", app},
		{"tokens", "tok", demo.CustomerEmail, "/api/v1/me/tokens", "id", nil},
		{"invitations", "inv", demo.CustomerEmail, "/api/v1/orgs/{org}/invitations", "id", org},
		{"operators", "usr", demo.AdminEmail, "/api/v1/platform/operators", "id", nil},
		{"operators", "usr", demo.AdminEmail, "/api/v1/platform/operator-stats", "user_id", nil},
		{"rates", "rate", demo.AdminEmail, "/api/v1/platform/commission-rates", "id", nil},
	}
}

func listingEndpoints(o storetest.PagingOwners) []pagingEndpoint {
	partner := map[string]string{"org": o.PartnerID}
	app := map[string]string{"app": o.AppID}
	listing := map[string]string{"listing": o.ListingID}
	return []pagingEndpoint{
		{"apps", "app", demo.PartnerEmail, "/api/v1/orgs/{org}/apps", "id", partner},
		{"listings", "lst", demo.PartnerEmail, "/api/v1/orgs/{org}/listings", "id", partner},
		{"review-queue", "rev", demo.AdminEmail, "/api/v1/review-queue", "revision_id", nil},
		{"self-tests", "stt", demo.PartnerEmail, "/api/v1/apps/{app}/self-tests", "id", app},
		{"installations", "ins", demo.CustomerEmail, "/api/v1/orgs/{org}/installations", "id", map[string]string{"org": o.OrgID}},
		{"app-installations", "ins_a", demo.PartnerEmail, "/api/v1/apps/{app}/installations", "id", app},
		{"channels", "chn", demo.PartnerEmail, "/api/v1/listings/{listing}/channels", "id", listing},
		{"reviews", "rvw", demo.CustomerEmail, "/api/v1/listings/{listing}/reviews", "id", listing},
	}
}

// pagingFixture is a fixture with pagingWalkRows generated rows of every
// kind of list, hung from the demo's customer (customer@ and its org),
// partner 1 and its first app with a live listing.
func pagingFixture(t *testing.T, backend string) (*webtest.Fixture, storetest.PagingOwners) {
	t.Helper()
	f := webtest.NewWith(t, backend, nil)
	o := f.PagingOwners(demo.CustomerEmail)
	storetest.PagingFill(t, f.DSN(), o, pagingWalkRows, f.Clock.Now().UnixMicro())
	return f, o
}

// TestPagingHTTPWalk generates 10,000 rows of each kind of list on both
// databases and walks every list endpoint with the largest limit (200) and
// the smallest (1), while rows are inserted between pages: every row that
// was there is seen exactly once, no row twice, and both walks see the
// generated rows in the same order. The smallest limit walks to the end
// when SHELF_TEST_PAGING_FULL is set (scripts/test.sh sets it, without
// -race: a million one-row pages under -race take most of an hour); the
// -race run walks its first 100 rows. A tampered or foreign cursor is a
// 400 and a limit out of range a 422.
func TestPagingHTTPWalk(t *testing.T) {
	full := os.Getenv("SHELF_TEST_PAGING_FULL") != ""
	for _, backend := range storetest.Backends(t) {
		t.Run(storetest.Name(backend), func(t *testing.T) {
			f, o := pagingFixture(t, backend)
			raw := storetest.OpenRaw(t, f.DSN())
			t.Cleanup(func() { raw.Close() })
			var extra atomic.Int64
			extra.Store(pagingWalkRows)
			insert := func(t *testing.T) { // two more rows of every kind, newer than all
				i := int(extra.Add(2))
				storetest.PagingFillRange(t, raw, o, i-1, i, f.Clock.Now().UnixMicro()+int64(i))
			}
			for _, e := range pagingEndpoints(o) {
				t.Run(strings.TrimPrefix(e.pattern, "/api/v1/"), func(t *testing.T) {
					t.Parallel()
					big := walkHTTP(t, f, e, 200, 0, 5, insert)
					small := walkHTTP(t, f, e, 1, map[bool]int{true: 0, false: 100}[full], 1000, insert)
					for _, w := range [][]string{big, small} {
						if len(w) == len(big) || full {
							checkEveryRow(t, e, w)
						}
					}
					b, s := generated(e, big), generated(e, small)
					if len(s) > len(b) || !slices.Equal(s, b[:len(s)]) {
						t.Fatalf("the generated rows come in another order at limit=1 than at limit=200")
					}
				})
			}
			t.Run("refused", func(t *testing.T) { pagingRefused(t, f, map[string]string{"org": o.OrgID}) })
		})
	}
}

// TestPagingWalkCovers: the walk reads every list endpoint of the API (those
// TestPagingEveryList finds), so a list added later is walked too.
func TestPagingWalkCovers(t *testing.T) {
	walked := map[string]bool{}
	for _, e := range pagingEndpoints(storetest.PagingOwners{}) {
		walked[e.pattern] = true
	}
	for _, l := range pagedLists(t) {
		if _, path, _ := strings.Cut(l.key, " "); !walked[path] {
			t.Errorf("%s is not walked by TestPagingHTTPWalk", l.key)
		}
	}
}

// checkEveryRow: each generated row of e's kind that was there before the
// walk (numbers 1 to pagingWalkRows) is in ids exactly once.
func checkEveryRow(t *testing.T, e pagingEndpoint, ids []string) {
	t.Helper()
	count := map[string]int{}
	for _, id := range ids {
		count[id]++
	}
	for i := 1; i <= pagingWalkRows; i++ {
		if id := storetest.GenID(e.prefix, i); count[id] != 1 {
			t.Fatalf("%s seen %d times in %d rows", id, count[id], len(ids))
		}
	}
}

// generated is ids without the rows not generated before the walk.
func generated(e pagingEndpoint, ids []string) []string {
	var out []string
	for _, id := range ids {
		if n, err := strconv.Atoi(strings.TrimPrefix(id, e.prefix+"_gen")); err == nil && strings.HasPrefix(id, e.prefix+"_gen") && n <= pagingWalkRows {
			out = append(out, id)
		}
	}
	return out
}

type pagingPage struct {
	Items      []map[string]any `json:"items"`
	NextCursor *string          `json:"next_cursor"`
}

// walkHTTP reads e page by page at limit until its end (or until max rows,
// when max > 0), calling between after every every-th page, and returns the
// ids in the order seen; no id may come twice. The first page is checked
// against the OpenAPI document; the others, many thousands, only for their
// envelope (checking each is most of the walk's time).
func walkHTTP(t *testing.T, f *webtest.Fixture, e pagingEndpoint, limit, max, every int, between func(*testing.T)) []string {
	t.Helper()
	path := e.pattern
	for k, v := range e.params {
		path = strings.ReplaceAll(path, "{"+k+"}", v)
	}
	var ids []string
	dup := map[string]bool{}
	for cursor, pages := "", 1; ; pages++ {
		r := pagingGet(t, f, e.as, fmt.Sprintf("%s?limit=%d&cursor=%s", path, limit, url.QueryEscape(cursor)))
		if cursor == "" {
			webtest.CheckOpenAPI(t, "GET", e.pattern, r)
		}
		var p pagingPage
		r.JSON(t, &p)
		if len(p.Items) > limit || len(p.Items) == 0 && p.NextCursor != nil {
			t.Fatalf("%d items at limit=%d, next %v", len(p.Items), limit, p.NextCursor)
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
		if pages%every == 0 {
			between(t)
		}
	}
}

// pagingGet is one GET as the user with that email: a 200 or the test fails.
func pagingGet(t *testing.T, f *webtest.Fixture, as, path string) *webtest.Response {
	t.Helper()
	req, err := http.NewRequest("GET", f.Srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+f.Tokens[as])
	res, err := f.Srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", path, res.StatusCode, b)
	}
	return &webtest.Response{Status: res.StatusCode, Header: res.Header, Body: b}
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
