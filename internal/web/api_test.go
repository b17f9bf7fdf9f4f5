package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/shelf"
)

// TestBadInput: each bad request gets a clear 4xx with a code (and field
// where one is to blame) and changes nothing.
func TestBadInput(t *testing.T) {
	f := newFixture(t)
	cust := map[string]string{"org": f.world.Customer.ID}
	cases := []struct {
		name, as, method, pattern string
		params                    map[string]string
		body                      any
		status                    int
		code, field               string
	}{
		{"malformed JSON", demo.CustomerEmail, "POST", "/api/v1/orgs/{org}/members", cust, `{"email": "x@y.z",`, 400, "malformed_json", ""},
		{"empty body", demo.CustomerEmail, "POST", "/api/v1/orgs/{org}/members", cust, ``, 400, "malformed_json", ""},
		{"two objects", demo.CustomerEmail, "POST", "/api/v1/orgs", nil, `{"name":"a","kind":"customer"}{}`, 400, "malformed_json", ""},
		{"unknown field", demo.CustomerEmail, "POST", "/api/v1/orgs", nil, map[string]any{"name": "a", "kind": "customer", "plan": "gold"}, 400, "unknown_field", "plan"},
		{"wrong type", demo.CustomerEmail, "POST", "/api/v1/orgs", nil, map[string]any{"name": 7, "kind": "customer"}, 400, "wrong_type", "name"},
		{"missing org name", demo.CustomerEmail, "POST", "/api/v1/orgs", nil, map[string]any{"kind": "customer"}, 422, "required", "name"},
		{"platform org kind", demo.CustomerEmail, "POST", "/api/v1/orgs", nil, map[string]any{"name": "P", "kind": "platform"}, 422, "invalid_org_kind", "kind"},
		{"missing email", demo.CustomerEmail, "POST", "/api/v1/orgs/{org}/members", cust, map[string]any{"role": "member"}, 422, "required", "email"},
		{"bad email", demo.CustomerEmail, "POST", "/api/v1/orgs/{org}/members", cust, map[string]any{"email": "not-an-email"}, 422, "invalid_email", "email"},
		{"bad role", demo.CustomerEmail, "POST", "/api/v1/orgs/{org}/members", cust, map[string]any{"email": "z@example.com", "role": "owner"}, 422, "invalid_role", "role"},
		{"already a member", demo.CustomerEmail, "POST", "/api/v1/orgs/{org}/members", cust, map[string]any{"email": demo.MemberEmail}, 409, "already_member", "email"},
		{"unknown org", demo.CustomerEmail, "GET", "/api/v1/orgs/{org}", map[string]string{"org": "org_nope"}, nil, 404, "not_found", ""},
		{"duplicate email", "", "POST", "/api/v1/auth/signup", nil, map[string]any{"email": "MEMBER@shelf.test", "name": "X", "password": "password1"}, 409, "email_taken", "email"},
		{"short password", "", "POST", "/api/v1/auth/signup", nil, map[string]any{"email": "new@example.com", "name": "X", "password": "short"}, 422, "password_too_short", "password"},
		{"wrong password", "", "POST", "/api/v1/auth/token", nil, map[string]any{"email": demo.MemberEmail, "password": "wrong-one"}, 401, "invalid_credentials", ""},
		{"unknown account", "", "POST", "/api/v1/auth/token", nil, map[string]any{"email": "ghost@example.com", "password": "whatever1"}, 401, "invalid_credentials", ""},
		{"missing password", "", "POST", "/api/v1/auth/token", nil, map[string]any{"email": demo.MemberEmail}, 422, "required", "password"},
		{"last admin", demo.CustomerEmail, "DELETE", "/api/v1/orgs/{org}/members/{user}", map[string]string{"org": f.world.Customer.ID, "user": f.world.Users[demo.CustomerEmail].ID}, nil, 409, "last_admin", ""},
		{"group member from another org", demo.CustomerEmail, "POST", "/api/v1/orgs/{org}/groups", cust, map[string]any{"name": "g", "member_ids": []string{f.world.Users[demo.PartnerEmail].ID}}, 422, "not_a_member", "user_id"},
		{"category too deep", demo.AdminEmail, "POST", "/api/v1/categories", nil, map[string]any{"name": "x", "name_en": "x", "parent_id": f.world.Categories["Recruiting"].ID}, 422, "too_deep", "parent_id"},
		{"operator without role", demo.AdminEmail, "PUT", "/api/v1/categories/{cat}/operators/{user}", map[string]string{"cat": f.world.Categories["HR"].ID, "user": f.world.Users[demo.MemberEmail].ID}, nil, 422, "not_an_operator", "user_id"},
		{"token expiry out of range", demo.MemberEmail, "POST", "/api/v1/me/tokens", nil, map[string]any{"name": "x", "expires_in_days": 999}, 422, "out_of_range", "expires_in_days"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f.t = t
			before := f.counts()
			r := f.call(c.as, c.method, c.pattern, c.params, c.body)
			code, field := r.errCode(t)
			if r.status != c.status || code != c.code || field != c.field {
				t.Errorf("got %d %s/%s, want %d %s/%s (%s)", r.status, code, field, c.status, c.code, c.field, r.body)
			}
			if after := f.counts(); after != before {
				t.Errorf("a refused request changed data:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
}

func TestUnknownEndpoint(t *testing.T) {
	f := newFixture(t)
	res, err := http.Get(f.srv.URL + "/api/v1/nope")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 404 || !strings.Contains(string(b), `"no_such_endpoint"`) {
		t.Fatalf("got %d %s", res.StatusCode, b)
	}
}

// TestSignInAndTokens walks the token life cycle: sign up, exchange the
// password for a token, create and use a personal token, revoke both.
func TestSignInAndTokens(t *testing.T) {
	f := newFixture(t)
	r := f.call("", "POST", "/api/v1/auth/signup", nil, map[string]any{"email": "Newbie@Example.com", "name": "新人", "password": "password1"})
	if r.status != 201 {
		t.Fatalf("signup = %d %s", r.status, r.body)
	}
	var tok tokenResponse
	r = f.call("", "POST", "/api/v1/auth/token", nil, map[string]any{"email": "newbie@example.com", "password": "password1"})
	r.json(t, &tok)
	if r.status != 201 || !strings.HasPrefix(tok.Token, "shelf_at_") || tok.User.Email != "newbie@example.com" {
		t.Fatalf("token = %d %s", r.status, r.body)
	}
	f.tokens["newbie"] = tok.Token
	var pat createdToken
	r = f.call("newbie", "POST", "/api/v1/me/tokens", nil, map[string]any{"name": "deploy", "expires_in_days": 30})
	r.json(t, &pat)
	f.tokens["pat"] = pat.Secret
	if r := f.call("pat", "GET", "/api/v1/me", nil, nil); r.status != 200 {
		t.Fatalf("PAT refused: %d", r.status)
	}
	var list listOf[shelf.Token]
	f.call("newbie", "GET", "/api/v1/me/tokens", nil, nil).json(t, &list)
	if len(list.Items) != 1 || list.Items[0].Name != "deploy" || strings.Contains(string(f.call("newbie", "GET", "/api/v1/me/tokens", nil, nil).body), pat.Secret) {
		t.Fatalf("tokens = %+v (and the secret must never be listed)", list.Items)
	}
	if r := f.call("newbie", "DELETE", "/api/v1/me/tokens/{token}", map[string]string{"token": pat.Token.ID}, nil); r.status != 204 {
		t.Fatalf("revoke = %d", r.status)
	}
	if r := f.call("pat", "GET", "/api/v1/me", nil, nil); r.status != 401 {
		t.Fatalf("revoked PAT answered %d", r.status)
	}
	if r := f.call("newbie", "DELETE", "/api/v1/auth/token", nil, nil); r.status != 204 {
		t.Fatalf("sign out = %d", r.status)
	}
	if r := f.call("newbie", "GET", "/api/v1/me", nil, nil); r.status != 401 {
		t.Fatalf("signed-out token answered %d", r.status)
	}
	// A session token expires after 24 hours.
	f.call("", "POST", "/api/v1/auth/token", nil, map[string]any{"email": "newbie@example.com", "password": "password1"}).json(t, &tok)
	f.tokens["newbie"] = tok.Token
	f.advance(25 * time.Hour)
	if r := f.call("newbie", "GET", "/api/v1/me", nil, nil); r.status != 401 {
		t.Fatalf("expired token answered %d", r.status)
	}
}

// TestSignInRateLimited: after 10 failures for an email, even the right
// password is refused with 429 until the window passes.
func TestSignInRateLimited(t *testing.T) {
	f := newFixture(t)
	body := func(pw string) any { return map[string]any{"email": demo.MemberEmail, "password": pw} }
	for i := 0; i < 10; i++ {
		if r := f.call("", "POST", "/api/v1/auth/token", nil, body("wrong-pass")); r.status != 401 {
			t.Fatalf("attempt %d = %d", i, r.status)
		}
	}
	r := f.call("", "POST", "/api/v1/auth/token", nil, body(demo.Password))
	if code, _ := r.errCode(t); r.status != 429 || code != "too_many_attempts" || r.header.Get("Retry-After") == "" {
		t.Fatalf("11th attempt = %d %s", r.status, r.body)
	}
	f.advance(16 * time.Minute)
	if r := f.call("", "POST", "/api/v1/auth/token", nil, body(demo.Password)); r.status != 201 {
		t.Fatalf("after the window = %d %s", r.status, r.body)
	}
}

func TestHealthAndMetrics(t *testing.T) {
	f := newFixture(t)
	for _, c := range []struct {
		path, want string
	}{
		{"/healthz", `"status":"ok"`},
		{"/readyz", `"status":"ready"`},
		{"/metrics", `shelf_http_requests_total{code="200",method="GET",route="GET /healthz"} 1`},
	} {
		res, err := http.Get(f.srv.URL + c.path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || !strings.Contains(string(b), c.want) {
			t.Errorf("GET %s = %d, want it to contain %s:\n%.600s", c.path, res.StatusCode, c.want, b)
		}
		if res.Header.Get("X-Request-Id") == "" {
			t.Errorf("GET %s has no request id", c.path)
		}
	}
}

// TestBodyLimit: an oversized body is refused before anything is parsed or
// stored.
func TestBodyLimit(t *testing.T) {
	f := newFixture(t)
	big := strings.Repeat("x", 2<<20)
	r := f.call(demo.CustomerEmail, "POST", "/api/v1/orgs", nil, `{"name":"`+big+`","kind":"customer"}`)
	if code, _ := r.errCode(t); r.status != 400 || code != "body_too_large" {
		t.Fatalf("2 MiB JSON = %d %s", r.status, code)
	}
	b := f.browser()
	b.signIn(demo.CustomerEmail)
	status, _, _ := b.post("/orgs", url.Values{"name": {big}, "kind": {"customer"}})
	if status != http.StatusForbidden && status != http.StatusRequestEntityTooLarge && status != http.StatusBadRequest {
		t.Fatalf("2 MiB form = %d", status)
	}
	orgs, _ := f.st.OrgsForUser(t.Context(), f.world.Users[demo.CustomerEmail].ID)
	for _, o := range orgs {
		if len(o.Name) > 1000 {
			t.Fatal("an oversized form created an org")
		}
	}
}

func TestIPLimiter(t *testing.T) {
	clock := shelf.NewManualClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	l := newIPLimiter(clock, nil)
	r := httptest.NewRequest("POST", "/api/v1/auth/token", nil)
	r.RemoteAddr = "203.0.113.9:5555"
	for i := 0; i < ipBurst; i++ {
		if !l.allow(r) {
			t.Fatalf("attempt %d refused within the burst", i)
		}
	}
	if l.allow(r) {
		t.Fatal("attempt past the burst allowed")
	}
	// Ten minutes on, sweeping must not hand out more than the refill.
	clock.Advance(2 * time.Minute)
	allowed := 0
	for i := 0; i < 2*ipBurst; i++ {
		if l.allow(r) {
			allowed++
		}
	}
	if allowed != ipBurst {
		t.Fatalf("after two minutes %d attempts passed, want a refilled burst of %d", allowed, ipBurst)
	}
	other := httptest.NewRequest("POST", "/api/v1/auth/token", nil)
	other.RemoteAddr = "198.51.100.7:1"
	if !l.allow(other) {
		t.Fatal("another address was limited")
	}
}

func TestMetricsAccess(t *testing.T) {
	f := newFixture(t)
	get := func(remote, auth string) int {
		r := httptest.NewRequest("GET", "/metrics", nil)
		r.RemoteAddr = remote
		if auth != "" {
			r.Header.Set("Authorization", "Bearer "+auth)
		}
		w := httptest.NewRecorder()
		f.server.ServeHTTP(w, r)
		return w.Code
	}
	if got := get("127.0.0.1:9", ""); got != 200 {
		t.Errorf("loopback without a token = %d", got)
	}
	if got := get("203.0.113.5:9", ""); got != 403 {
		t.Errorf("a remote caller without a token = %d", got)
	}
	f.server.metricsToken = "s3cret-scrape"
	for _, c := range []struct {
		remote, auth string
		want         int
	}{{"203.0.113.5:9", "s3cret-scrape", 200}, {"203.0.113.5:9", "wrong", 401}, {"127.0.0.1:9", "", 401}} {
		if got := get(c.remote, c.auth); got != c.want {
			t.Errorf("%s with %q = %d, want %d", c.remote, c.auth, got, c.want)
		}
	}
}

func TestClientAddr(t *testing.T) {
	proxy := netip.MustParsePrefix("10.0.0.0/8")
	l := newIPLimiter(shelf.SystemClock{}, []netip.Prefix{proxy})
	for _, c := range []struct {
		remote, xff, want string
	}{
		{"203.0.113.9:1", "", "203.0.113.9"},
		{"203.0.113.9:1", "198.51.100.1", "203.0.113.9"},         // not from a proxy: header ignored
		{"10.1.2.3:1", "198.51.100.1", "198.51.100.1"},           // the proxy's client
		{"10.1.2.3:1", "6.6.6.6, 198.51.100.1", "198.51.100.1"},  // a forged left part is ignored
		{"10.1.2.3:1", "198.51.100.1, 10.9.9.9", "198.51.100.1"}, // two proxies
		{"10.1.2.3:1", "", "10.1.2.3"},
	} {
		r := httptest.NewRequest("POST", "/signin", nil)
		r.RemoteAddr = c.remote
		if c.xff != "" {
			r.Header.Set("X-Forwarded-For", c.xff)
		}
		if got := l.clientAddr(r); got != c.want {
			t.Errorf("%s via %q = %s, want %s", c.remote, c.xff, got, c.want)
		}
	}
}
