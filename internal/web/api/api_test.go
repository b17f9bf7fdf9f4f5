package api_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/api"
	"github.com/shelfhq/shelf/internal/web/httpx"
	"github.com/shelfhq/shelf/internal/web/webtest"
)

// TestBadInput: each bad request gets a clear 4xx with a code (and field
// where one is to blame) and changes nothing.
func TestBadInput(t *testing.T) {
	f := webtest.New(t)
	cust := map[string]string{"org": f.World.Customer.ID}
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
		{"body of the wrong JSON type", demo.CustomerEmail, "POST", "/api/v1/orgs", nil, `["a"]`, 400, "wrong_type", ""},
		{"invalid UTF-8", demo.CustomerEmail, "POST", "/api/v1/orgs", nil, "{\"name\":\"a\xffb\",\"kind\":\"customer\"}", 400, "invalid_utf8", ""},
		{"unpaired surrogate", demo.CustomerEmail, "POST", "/api/v1/orgs", nil, `{"name":"a\ud800b","kind":"customer"}`, 400, "invalid_utf8", ""},
		{"org name with BEL", demo.CustomerEmail, "POST", "/api/v1/orgs", nil, map[string]any{"name": "Acme\a", "kind": "customer"}, 422, "invalid_character", "name"},
		{"org name with tab", demo.CustomerEmail, "POST", "/api/v1/orgs", nil, map[string]any{"name": "Ac\tme", "kind": "customer"}, 422, "invalid_character", "name"},
		{"org name with NEL", demo.CustomerEmail, "POST", "/api/v1/orgs", nil, map[string]any{"name": "Acme\u0085", "kind": "customer"}, 422, "invalid_character", "name"},
		{"org name with U+2028", demo.CustomerEmail, "POST", "/api/v1/orgs", nil, map[string]any{"name": "Ac\u2028me", "kind": "customer"}, 422, "invalid_character", "name"},
		{"org name with RLO", demo.CustomerEmail, "POST", "/api/v1/orgs", nil, map[string]any{"name": "Acme\u202Egpj.exe", "kind": "customer"}, 422, "invalid_character", "name"},
		{"org name of zero-width characters", demo.CustomerEmail, "POST", "/api/v1/orgs", nil, map[string]any{"name": "\u200b\u200d\u2060", "kind": "customer"}, 422, "required", "name"},
		{"app name with RLO", demo.PartnerEmail, "POST", "/api/v1/orgs/{org}/apps", map[string]string{"org": f.World.Partner1.ID}, map[string]any{"name": "\u202Eppa", "kind": "org"}, 422, "invalid_character", "name"},
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
		{"last admin", demo.CustomerEmail, "DELETE", "/api/v1/orgs/{org}/members/{user}", map[string]string{"org": f.World.Customer.ID, "user": f.World.Users[demo.CustomerEmail].ID}, nil, 409, "last_admin", ""},
		{"group member from another org", demo.CustomerEmail, "POST", "/api/v1/orgs/{org}/groups", cust, map[string]any{"name": "g", "member_ids": []string{f.World.Users[demo.PartnerEmail].ID}}, 422, "not_a_member", "user_id"},
		{"category too deep", demo.AdminEmail, "POST", "/api/v1/categories", nil, map[string]any{"name": "x", "name_en": "x", "parent_id": f.World.Categories["Recruiting"].ID}, 422, "too_deep", "parent_id"},
		{"operator without role", demo.AdminEmail, "PUT", "/api/v1/categories/{cat}/operators/{user}", map[string]string{"cat": f.World.Categories["HR"].ID, "user": f.World.Users[demo.MemberEmail].ID}, nil, 422, "not_an_operator", "user_id"},
		{"token expiry out of range", demo.MemberEmail, "POST", "/api/v1/me/tokens", nil, map[string]any{"name": "x", "expires_in_days": 999}, 422, "out_of_range", "expires_in_days"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f.T = t
			before := f.Counts()
			r := f.Call(c.as, c.method, c.pattern, c.params, c.body)
			code, field := r.ErrCode(t)
			if r.Status != c.status || code != c.code || field != c.field {
				t.Errorf("got %d %s/%s, want %d %s/%s (%s)", r.Status, code, field, c.status, c.code, c.field, r.Body)
			}
			// A failed sign-in is counted on purpose: the per-email budget.
			if changed := before.Changed(f.Counts(), "login_failures"); len(changed) > 0 {
				t.Errorf("a refused request changed data: %v", changed)
			}
		})
	}
}

func TestUnknownEndpoint(t *testing.T) {
	f := webtest.New(t)
	res, err := http.Get(f.Srv.URL + "/api/v1/nope")
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	(&webtest.Response{Status: res.StatusCode, Body: b}).WantError(t, 404, "no_such_endpoint")
}

// TestSignInAndTokens walks the token life cycle: sign up, exchange the
// password for a token, create and use a personal token, revoke both.
func TestSignInAndTokens(t *testing.T) {
	f := webtest.New(t)
	r := f.Call("", "POST", "/api/v1/auth/signup", nil, map[string]any{"email": "Newbie@Example.com", "name": "新人", "password": "password1"})
	if r.Status != 201 {
		t.Fatalf("signup = %d %s", r.Status, r.Body)
	}
	var tok api.TokenResponse
	r = f.Call("", "POST", "/api/v1/auth/token", nil, map[string]any{"email": "newbie@example.com", "password": "password1"})
	r.JSON(t, &tok)
	if r.Status != 201 || !strings.HasPrefix(tok.Token, "shelf_at_") || tok.User.Email != "newbie@example.com" {
		t.Fatalf("token = %d %s", r.Status, r.Body)
	}
	f.Tokens["newbie"] = tok.Token
	var pat api.CreatedToken
	r = f.Call("newbie", "POST", "/api/v1/me/tokens", nil, map[string]any{"name": "deploy", "expires_in_days": 30})
	if r.Status != 201 {
		t.Fatalf("create token = %d %s", r.Status, r.Body)
	}
	r.JSON(t, &pat)
	f.Tokens["pat"] = pat.Secret
	if r := f.Call("pat", "GET", "/api/v1/me", nil, nil); r.Status != 200 {
		t.Fatalf("PAT refused: %d", r.Status)
	}
	var list httpx.List[shelf.Token]
	r = f.Call("newbie", "GET", "/api/v1/me/tokens", nil, nil)
	if r.Status != 200 {
		t.Fatalf("list tokens = %d %s", r.Status, r.Body)
	}
	r.JSON(t, &list)
	if len(list.Items) != 1 || list.Items[0].Name != "deploy" || strings.Contains(string(r.Body), pat.Secret) {
		t.Fatalf("tokens = %s (and the secret must never be listed)", r.Body)
	}
	if r := f.Call("newbie", "DELETE", "/api/v1/me/tokens/{token}", map[string]string{"token": pat.Token.ID}, nil); r.Status != 204 {
		t.Fatalf("revoke = %d", r.Status)
	}
	f.Call("pat", "GET", "/api/v1/me", nil, nil).WantError(t, 401, "invalid_token") // revoked
	if r := f.Call("newbie", "DELETE", "/api/v1/auth/token", nil, nil); r.Status != 204 {
		t.Fatalf("sign out = %d", r.Status)
	}
	f.Call("newbie", "GET", "/api/v1/me", nil, nil).WantError(t, 401, "invalid_token") // signed out
	// A session token expires after 24 hours.
	r = f.Call("", "POST", "/api/v1/auth/token", nil, map[string]any{"email": "newbie@example.com", "password": "password1"})
	if r.Status != 201 {
		t.Fatalf("token again = %d %s", r.Status, r.Body)
	}
	r.JSON(t, &tok)
	f.Tokens["newbie"] = tok.Token
	if r := f.Call("newbie", "GET", "/api/v1/me", nil, nil); r.Status != 200 {
		t.Fatalf("new token = %d %s", r.Status, r.Body)
	}
	f.Advance(25 * time.Hour)
	f.Call("newbie", "GET", "/api/v1/me", nil, nil).WantError(t, 401, "invalid_token") // expired
}

// TestSignInRateLimited: after 10 failures for an email, even the right
// password is refused with 429 until the window passes.
func TestSignInRateLimited(t *testing.T) {
	f := webtest.New(t)
	body := func(pw string) any { return map[string]any{"email": demo.MemberEmail, "password": pw} }
	for i := 0; i < 10; i++ {
		f.Call("", "POST", "/api/v1/auth/token", nil, body("wrong-pass")).WantError(t, 401, "invalid_credentials")
	}
	r := f.Call("", "POST", "/api/v1/auth/token", nil, body(demo.Password))
	if code, _ := r.ErrCode(t); r.Status != 429 || code != "too_many_attempts" || r.Header.Get("Retry-After") == "" {
		t.Fatalf("11th attempt = %d %s", r.Status, r.Body)
	}
	f.Advance(16 * time.Minute)
	if r := f.Call("", "POST", "/api/v1/auth/token", nil, body(demo.Password)); r.Status != 201 {
		t.Fatalf("after the window = %d %s", r.Status, r.Body)
	}
}
