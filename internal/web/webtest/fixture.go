// Package webtest is the test fixture of the web packages: a real server
// on loopback over a real database holding the demo world, with a bearer
// token for each demo account, a cookie-keeping browser, and helpers that
// put apps and listings in a given state. Every API answer it sees is
// checked against the OpenAPI document.
package webtest

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/events"
	"github.com/shelfhq/shelf/internal/selftest"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store"
	"github.com/shelfhq/shelf/internal/store/storetest"
	"github.com/shelfhq/shelf/internal/web"
	"github.com/shelfhq/shelf/internal/web/httpx"
)

// Fixture is a running server and what it was seeded with.
type Fixture struct {
	// T is the test the helpers report to; subtests set their own.
	T      *testing.T
	Store  *store.Store
	Clock  *shelf.ManualClock
	Srv    *httptest.Server
	Server *web.Server
	World  *demo.World
	Tokens map[string]string // email → bearer token
	// vendors holds the *Vendor of each app PartnerApp made, by app id.
	vendors sync.Map

	dsn     string
	countDB *sql.DB // opened by the first Counts, closed with the fixture
}

// New starts a fixture on SQLite.
func New(t *testing.T) *Fixture {
	t.Helper()
	return NewWith(t, storetest.SQLite, nil)
}

// NewWith starts a fixture on the backend; configure, when not nil,
// changes the server's configuration first.
func NewWith(t *testing.T, backend string, configure func(*web.Config)) *Fixture {
	t.Helper()
	clock := shelf.NewManualClock(storetest.Epoch)
	dsn := storetest.DSN(t, backend)
	st := storetest.OpenDSN(t, dsn, clock)
	w, err := demo.Seed(context.Background(), st)
	if err != nil || w == nil {
		t.Fatalf("seed demo: %v", err)
	}
	cfg := web.Config{Store: st, Clock: clock, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Version: "test",
		SelfTests: selfTests(st)}
	if configure != nil {
		configure(&cfg)
	}
	s, err := web.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	f := &Fixture{T: t, Store: st, Clock: clock, Srv: srv, Server: s, World: w, Tokens: map[string]string{}, dsn: dsn}
	t.Cleanup(func() {
		if f.countDB != nil {
			f.countDB.Close()
		}
	})
	for email, u := range w.Users {
		tok, _, err := st.CreateToken(context.Background(), u.ID, "test", shelf.TokenPersonal, 0)
		if err != nil {
			t.Fatal(err)
		}
		f.Tokens[email] = tok
	}
	return f
}

// selfTests is a self-test runner whose outbound client may reach
// loopback, where test vendors run. Signatures carry wall-clock time: the
// vendor checks them against its own clock, not the fixture's.
func selfTests(st *store.Store) *selftest.Runner {
	guard := &events.Guard{AllowPrivate: true}
	return &selftest.Runner{Store: st, Client: guard.Client(5 * time.Second), Clock: shelf.SystemClock{}}
}

// LoopbackWebhooks lets partners register webhooks on loopback, where test
// vendors run (as --allow-private-webhooks does).
func LoopbackWebhooks(c *web.Config) { c.WebhookGuard = &events.Guard{AllowPrivate: true} }

// Response is an API answer.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into v.
func (r *Response) JSON(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// ErrCode returns the error envelope's code and field.
func (r *Response) ErrCode(t *testing.T) (code, field string) {
	t.Helper()
	var e httpx.ErrorBody
	r.JSON(t, &e)
	return e.Error.Code, e.Error.Field
}

// WantError fails the test unless the answer is an error of this status
// and code: a refusal for another reason must not pass for this one.
func (r *Response) WantError(t *testing.T, status int, code string) {
	t.Helper()
	var e httpx.ErrorBody
	if err := json.Unmarshal(r.Body, &e); err != nil || r.Status != status || e.Error.Code != code {
		t.Fatalf("got %d %s, want %d %s", r.Status, r.Body, status, code)
	}
}

// Call sends a request as the account with this email ("" = anonymous).
// pattern is the OpenAPI path template; params fill it. body is JSON-encoded
// unless it is a string, sent raw. Every answer is checked against the
// OpenAPI document.
func (f *Fixture) Call(as, method, pattern string, params map[string]string, body any) *Response {
	f.T.Helper()
	return f.CallQuery(as, method, pattern, params, "", body)
}

// CallQuery is Call with a query string.
func (f *Fixture) CallQuery(as, method, pattern string, params map[string]string, query string, body any) *Response {
	f.T.Helper()
	return f.CallHeader(as, method, pattern, params, query, body, nil)
}

// CallHeader is CallQuery with extra request headers.
func (f *Fixture) CallHeader(as, method, pattern string, params map[string]string, query string, body any, header http.Header) *Response {
	f.T.Helper()
	path := pattern
	for k, v := range params {
		path = strings.ReplaceAll(path, "{"+k+"}", v)
	}
	if query != "" {
		path += "?" + query
	}
	req, err := http.NewRequest(method, f.Srv.URL+path, f.bodyOf(body))
	if err != nil {
		f.T.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if as != "" {
		tok, ok := f.Tokens[as]
		if !ok {
			f.T.Fatalf("no token for %s", as)
		}
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	res, err := f.Srv.Client().Do(req)
	if err != nil {
		f.T.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	r := &Response{Status: res.StatusCode, Header: res.Header, Body: b}
	CheckOpenAPI(f.T, method, pattern, r)
	return r
}

func (f *Fixture) bodyOf(body any) io.Reader {
	switch b := body.(type) {
	case nil:
		return nil
	case string:
		return strings.NewReader(b)
	default:
		js, err := json.Marshal(b)
		if err != nil {
			f.T.Fatal(err)
		}
		return bytes.NewReader(js)
	}
}

// Counts is the number of rows in each table of the database.
type Counts map[string]int64

// Counts snapshots the row count of every table, so a refused request can
// be shown to change nothing. The tables are listed from the database's
// own catalog, so a table added by a migration is counted without editing
// this; any error fails the test.
func (f *Fixture) Counts() Counts {
	f.T.Helper()
	ctx := context.Background()
	db := f.countingDB()
	list := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`
	if f.Store.Dialect() == storetest.Postgres {
		list = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`
	}
	rows, err := db.QueryContext(ctx, list)
	if err != nil {
		f.T.Fatalf("list tables: %v", err)
	}
	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			f.T.Fatalf("list tables: %v", err)
		}
		tables = append(tables, name)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		f.T.Fatalf("list tables: %v", err)
	}
	if len(tables) == 0 {
		f.T.Fatal("the catalog lists no tables")
	}
	out := Counts{}
	for _, name := range tables {
		var n int64
		q := `SELECT COUNT(*) FROM "` + strings.ReplaceAll(name, `"`, `""`) + `"`
		if err := db.QueryRowContext(ctx, q).Scan(&n); err != nil {
			f.T.Fatalf("count %s: %v", name, err)
		}
		out[name] = n
	}
	return out
}

// Changed lists, as "table: before → after", the tables whose row count
// differs in after, leaving out the tables named in except.
func (before Counts) Changed(after Counts, except ...string) []string {
	var out []string
	for name := range joinKeys(before, after) {
		if slices.Contains(except, name) {
			continue
		}
		if b, a := before[name], after[name]; b != a {
			out = append(out, fmt.Sprintf("%s: %d → %d", name, b, a))
		}
	}
	slices.Sort(out)
	return out
}

func joinKeys(a, b Counts) map[string]bool {
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	return keys
}

// countingDB is a second, read-only connection to the fixture's database
// for Counts, opened on first use.
func (f *Fixture) countingDB() *sql.DB {
	f.T.Helper()
	if f.countDB != nil {
		return f.countDB
	}
	driver, dsn := "sqlite", "file:"+f.dsn+"?_pragma=query_only(1)&_pragma=busy_timeout(10000)"
	if store.IsPostgres(f.dsn) {
		driver, dsn = "pgx", f.dsn
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		f.T.Fatalf("open %s for counting: %v", driver, err)
	}
	f.countDB = db
	return db
}

// Advance moves the server's clock.
func (f *Fixture) Advance(d time.Duration) { f.Clock.Advance(d) }

var uniq atomic.Int64

// Unique returns prefix with a number no other call returned.
func Unique(prefix string) string { return fmt.Sprintf("%s%d", prefix, uniq.Add(1)) }

// DSN is where the fixture's database is, for tests that fill it in bulk.
func (f *Fixture) DSN() string { return f.dsn }
