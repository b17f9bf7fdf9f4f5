package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store"
	"github.com/shelfhq/shelf/internal/store/storetest"
)

// fixture is a real server on loopback over a real database holding the
// demo world, with a bearer token for each demo account.
type fixture struct {
	t      *testing.T
	st     *store.Store
	clock  *shelf.ManualClock
	srv    *httptest.Server
	server *Server
	world  *demo.World
	tokens map[string]string // email → bearer token
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	return newFixtureOn(t, storetest.SQLite)
}

func newFixtureOn(t *testing.T, backend string) *fixture {
	t.Helper()
	clock := shelf.NewManualClock(storetest.Epoch)
	st := storetest.Open(t, backend, clock)
	w, err := demo.Seed(context.Background(), st)
	if err != nil || w == nil {
		t.Fatalf("seed demo: %v", err)
	}
	s, err := New(Config{Store: st, Clock: clock, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	f := &fixture{t: t, st: st, clock: clock, srv: srv, server: s, world: w, tokens: map[string]string{}}
	f.withSelfTests()
	for email, u := range w.Users {
		tok, _, err := st.CreateToken(context.Background(), u.ID, "test", shelf.TokenPersonal, 0)
		if err != nil {
			t.Fatal(err)
		}
		f.tokens[email] = tok
	}
	return f
}

// response is a decoded API answer.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r *response) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// errCode returns the error envelope's code and field.
func (r *response) errCode(t *testing.T) (code, field string) {
	t.Helper()
	var e errorBody
	r.json(t, &e)
	return e.Error.Code, e.Error.Field
}

// call sends a request as the account with this email ("" = anonymous).
// pattern is the OpenAPI path template; params fill it. body is JSON-encoded
// unless it is a string, sent raw. Every answer is checked against the
// OpenAPI document.
func (f *fixture) call(as, method, pattern string, params map[string]string, body any) *response {
	f.t.Helper()
	path := pattern
	for k, v := range params {
		path = strings.ReplaceAll(path, "{"+k+"}", v)
	}
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		js, err := json.Marshal(b)
		if err != nil {
			f.t.Fatal(err)
		}
		rd = bytes.NewReader(js)
	}
	req, err := http.NewRequest(method, f.srv.URL+path, rd)
	if err != nil {
		f.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if as != "" {
		tok, ok := f.tokens[as]
		if !ok {
			f.t.Fatalf("no token for %s", as)
		}
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	res, err := f.srv.Client().Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	r := &response{status: res.StatusCode, header: res.Header, body: b}
	checkOpenAPI(f.t, method, pattern, r)
	return r
}

// counts snapshots row counts so a refused request can be shown to change
// nothing.
func (f *fixture) counts() string {
	f.t.Helper()
	ctx := context.Background()
	var b strings.Builder
	n, _ := f.st.UserCount(ctx)
	b.WriteString("users=" + itoa(n))
	for _, o := range []*shelf.Org{f.world.Customer, f.world.Partner1} {
		m, _ := f.st.Members(ctx, o.ID)
		inv, _ := f.st.Invitations(ctx, o.ID)
		g, _ := f.st.Groups(ctx, o.ID)
		b.WriteString(" " + o.ID + ":m=" + itoa(len(m)) + ",i=" + itoa(len(inv)) + ",g=" + itoa(len(g)))
	}
	orgs, _ := f.st.OrgsForUser(ctx, f.world.Users[demo.PartnerEmail].ID)
	cats, _ := f.st.Categories(ctx, true)
	b.WriteString(" partnerOrgs=" + itoa(len(orgs)) + " cats=" + itoa(len(cats)))
	return b.String()
}

func itoa(n int) string { return strconv.Itoa(n) }

// advance moves the server's clock.
func (f *fixture) advance(d time.Duration) { f.clock.Advance(d) }
