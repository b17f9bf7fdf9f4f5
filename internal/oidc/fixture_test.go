package oidc_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"github.com/shelfhq/shelf/internal/oidc"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store"
	"github.com/shelfhq/shelf/internal/store/storetest"
	"golang.org/x/oauth2"
)

// *store.Store is the provider's store.
var _ oidc.Store = (*store.Store)(nil)

// fakeEntitlements is a test double of the entitlement answers, keyed by
// (app, org, user); anything else has no active license. The real
// oidc.Entitlements is the commerce store.
type fakeEntitlements map[[3]string]shelf.Entitlement

func (f fakeEntitlements) Entitlements(_ context.Context, appID, orgID, userID string) (shelf.Entitlement, error) {
	if e, ok := f[[3]string{appID, orgID, userID}]; ok {
		return e, nil
	}
	return shelf.Entitlement{UserID: userID, Status: shelf.EntNoActiveLicense}, nil
}

// secretKey is the servers' secret key in these tests.
var secretKey = []byte("shelf-test-key-32-bytes-long!!!!")

// fixture is Shelf as an OpenID provider on two nodes sharing one
// database behind one address (requests alternate between them, so every
// flow is begun on one node and finished on the other), a customer org
// with two apps of a vendor installed, and a stand-in for the web layer's
// sign-in page that signs in whoever the test says.
type fixture struct {
	t     *testing.T
	clock *shelf.ManualClock
	store *store.Store
	nodes [2]*oidc.Provider
	turn  atomic.Int64
	srv   *httptest.Server
	ents  fakeEntitlements
	ann   *shelf.User // member of org, where both apps are installed
	bob   *shelf.User // member of other only
	org   *shelf.Org
	other *shelf.Org // ann and bob are members; app1 is not installed
	app1  client
	app2  client
	login struct {
		userID, orgID string
		err           error // what Complete last answered
	}
}

// client is a registered app and its credentials.
type client struct {
	app         *shelf.App
	secret      string
	redirectURI string
	initiateURI string
}

func newFixture(t *testing.T, backend string) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{t: t, clock: shelf.NewManualClock(time.Now())}
	dsn := storetest.DSN(t, backend)
	f.store = storetest.OpenDSN(t, dsn, f.clock)
	second := storetest.OpenDSN(t, dsn, f.clock)

	dev := storetest.MustUser(t, f.store, "dev@vendor.example")
	f.ann = storetest.MustUser(t, f.store, "ann@acme.example")
	f.bob = storetest.MustUser(t, f.store, "bob@acme.example")
	vendor := storetest.MustOrg(t, f.store, "Vendor", shelf.OrgPartner, dev)
	// Test orgs of the vendor take its apps before they are listed.
	var err error
	if f.org, err = f.store.CreateOrg(ctx, shelf.NewOrg{Name: "Acme", Kind: shelf.OrgCustomer, CreatorID: f.ann.ID, OwnerOrgID: vendor.ID}); err != nil {
		t.Fatal(err)
	}
	if f.other, err = f.store.CreateOrg(ctx, shelf.NewOrg{Name: "Other", Kind: shelf.OrgCustomer, CreatorID: f.bob.ID, OwnerOrgID: vendor.ID}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.store.AddMember(ctx, f.other.ID, f.ann.Email, shelf.RoleMember, f.bob.ID); err != nil {
		t.Fatal(err)
	}
	f.app1 = f.register(dev, vendor, "Tasks", "http://127.0.0.1:9101/callback", "https://tasks.example/initiate")
	f.app2 = f.register(dev, vendor, "Notes", "https://notes.example/callback", "")
	for _, a := range []client{f.app1, f.app2} {
		if _, _, err := f.store.Install(ctx, shelf.NewInstallation{AppID: a.app.ID, OrgID: f.org.ID, ByUserID: f.ann.ID}); err != nil {
			t.Fatal(err)
		}
	}
	ends := time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC)
	f.ents = fakeEntitlements{
		{f.app1.app.ID, f.org.ID, f.ann.ID}: {UserID: f.ann.ID, Status: shelf.EntValid, Spec: "team-10", Users: 10, EndsAt: &ends},
		{f.app2.app.ID, f.org.ID, f.ann.ID}: {UserID: f.ann.ID, Status: shelf.EntValid, Spec: "trial", Users: 5, Trial: true, EndsAt: &ends},
	}

	mux := http.NewServeMux()
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	for i, s := range []*store.Store{f.store, second} {
		f.nodes[i], err = oidc.New(oidc.Config{Issuer: f.srv.URL, Store: s, Entitlements: f.ents, SecretKey: secretKey, Clock: f.clock})
		if err != nil {
			t.Fatal(err)
		}
	}
	balance := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { f.node().ServeHTTP(w, r) })
	mux.Handle(oidc.DiscoveryPath, balance)
	mux.Handle(oidc.PathPrefix, balance)
	mux.HandleFunc("GET /signin/oidc", func(w http.ResponseWriter, r *http.Request) {
		to, err := f.node().Complete(r.Context(), r.URL.Query().Get("id"), f.login.userID, f.login.orgID)
		if f.login.err = err; err != nil {
			http.Error(w, err.Error(), http.StatusForbidden)
			return
		}
		http.Redirect(w, r, to, http.StatusFound)
	})
	f.login.userID, f.login.orgID = f.ann.ID, f.org.ID
	return f
}

// node is the next node in turn.
func (f *fixture) node() *oidc.Provider { return f.nodes[f.turn.Add(1)%2] }

func (f *fixture) register(dev *shelf.User, vendor *shelf.Org, name, redirectURI, initiateURI string) client {
	f.t.Helper()
	ctx := context.Background()
	app, creds, err := f.store.CreateApp(ctx, store.NewApp{OrgID: vendor.ID, CreatorID: dev.ID, Name: name, Kind: shelf.AppOrg,
		LaunchURL: "https://" + name + ".example/app"})
	if err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.store.SetAppOIDC(ctx, app.ID, []string{redirectURI}, initiateURI, dev.ID); err != nil {
		f.t.Fatal(err)
	}
	return client{app: app, secret: creds.ClientSecret, redirectURI: redirectURI, initiateURI: initiateURI}
}

// rp is a relying party built as a vendor builds one: go-oidc for
// discovery and ID token verification, x/oauth2 for the code exchange.
type rp struct {
	provider *gooidc.Provider
	verifier *gooidc.IDTokenVerifier
	conf     oauth2.Config
}

func (f *fixture) rp(c client) *rp {
	f.t.Helper()
	p, err := gooidc.NewProvider(context.Background(), f.srv.URL)
	if err != nil {
		f.t.Fatalf("discovery: %v", err)
	}
	return &rp{provider: p, verifier: p.Verifier(&gooidc.Config{ClientID: c.app.ClientID}), conf: oauth2.Config{
		ClientID: c.app.ClientID, ClientSecret: c.secret, Endpoint: p.Endpoint(), RedirectURL: c.redirectURI,
		Scopes: []string{gooidc.ScopeOpenID, "profile", "email"},
	}}
}

// noFollow steps through redirects one at a time.
var noFollow = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// get fetches u without following a redirect.
func (f *fixture) get(u string) *http.Response {
	f.t.Helper()
	res, err := noFollow.Get(u)
	if err != nil {
		f.t.Fatal(err)
	}
	res.Body.Close()
	return res
}

// authorize sends the browser to the authorization endpoint and follows it
// through Shelf's sign-in page; it returns the query the app's redirect
// URI receives, or an error when the browser never gets there.
func (f *fixture) authorize(r *rp, opts ...oauth2.AuthCodeOption) (url.Values, error) {
	f.t.Helper()
	next := r.conf.AuthCodeURL("state-123", opts...)
	for range 3 {
		res := f.get(next)
		if res.StatusCode != http.StatusFound {
			return nil, errors.New(res.Status)
		}
		loc, err := res.Location()
		if err != nil {
			return nil, err
		}
		if loc.Scheme+"://"+loc.Host+loc.Path == r.conf.RedirectURL {
			return loc.Query(), nil
		}
		next = loc.String()
	}
	return nil, errors.New("too many redirects")
}

// signIn runs the flow up to the code: it returns the code and the PKCE
// verifier.
func (f *fixture) signIn(r *rp) (code, verifier string) {
	f.t.Helper()
	verifier = oauth2.GenerateVerifier()
	q, err := f.authorize(r, oauth2.S256ChallengeOption(verifier), gooidc.Nonce("nonce-1"))
	if err != nil {
		f.t.Fatalf("authorize: %v (sign-in page: %v)", err, f.login.err)
	}
	if q.Get("code") == "" || q.Get("state") != "state-123" {
		f.t.Fatalf("redirect query = %v", q)
	}
	return q.Get("code"), verifier
}

// exchange trades a code for tokens.
func (r *rp) exchange(code, verifier string) (*oauth2.Token, error) {
	return r.conf.Exchange(context.Background(), code, oauth2.VerifierOption(verifier))
}

// oauthError is the error code of a token endpoint refusal.
func oauthError(err error) string {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		return re.ErrorCode
	}
	return ""
}

// headerKid is the key id in a JWT's header.
func headerKid(t *testing.T, raw string) string {
	t.Helper()
	head, _, _ := strings.Cut(raw, ".")
	b, err := base64.RawURLEncoding.DecodeString(head)
	if err != nil {
		t.Fatal(err)
	}
	var h struct {
		Kid string `json:"kid"`
	}
	if err := json.Unmarshal(b, &h); err != nil {
		t.Fatal(err)
	}
	return h.Kid
}

// jwks lists the key ids the provider publishes.
func (f *fixture) jwks() []string {
	f.t.Helper()
	res, err := http.Get(f.srv.URL + "/oidc/keys")
	if err != nil {
		f.t.Fatal(err)
	}
	defer res.Body.Close()
	var set struct {
		Keys []struct {
			Kid string `json:"kid"`
		} `json:"keys"`
	}
	if err := json.NewDecoder(res.Body).Decode(&set); err != nil {
		f.t.Fatal(err)
	}
	var out []string
	for _, k := range set.Keys {
		out = append(out, k.Kid)
	}
	return out
}
