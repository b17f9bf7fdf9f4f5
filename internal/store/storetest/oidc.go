package storetest

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store"
)

var oidcContract = map[string]func(t *testing.T, open Opener){
	"OIDCAppSettings": testOIDCAppSettings,
	"OIDCCodeFlow":    testOIDCCodeFlow,
	"OIDCKeys":        testOIDCKeys,
}

// oidcApp registers an app of a new partner org.
func oidcApp(tb testing.TB, s *store.Store, owner *shelf.User) *shelf.App {
	tb.Helper()
	p := MustOrg(tb, s, "Vendor "+owner.Name, shelf.OrgPartner, owner)
	a, _, err := s.CreateApp(context.Background(), store.NewApp{OrgID: p.ID, CreatorID: owner.ID, Name: "App of " + owner.Name, Kind: shelf.AppOrg})
	if err != nil {
		tb.Fatal(err)
	}
	return a
}

func testOIDCAppSettings(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t, nil)
	dev := MustUser(t, s, "dev@vendor.example")
	app := oidcApp(t, s, dev)
	if got, err := s.AppOIDC(ctx, app.ID); err != nil || len(got.RedirectURIs) != 0 || got.InitiateLoginURI != "" {
		t.Fatalf("new app's settings = %+v, %v", got, err)
	}
	for _, tc := range []struct {
		name     string
		uris     []string
		initiate string
		code     string
	}{
		{"plain http elsewhere than localhost", []string{"http://vendor.example/cb"}, "", "https_required"},
		{"custom scheme", []string{"vendor://cb"}, "", "https_required"},
		{"fragment", []string{"https://vendor.example/cb#x"}, "", "invalid_url"},
		{"credentials", []string{"https://u:p@vendor.example/cb"}, "", "invalid_url"},
		{"relative", []string{"/cb"}, "", "invalid_url"},
		{"empty entry", []string{""}, "", "required"},
		{"http initiate URI", []string{"https://vendor.example/cb"}, "http://vendor.example/go", "https_required"},
	} {
		_, err := s.SetAppOIDC(ctx, app.ID, tc.uris, tc.initiate, dev.ID)
		if e, ok := shelf.AsError(err); !ok || e.Code != tc.code {
			t.Errorf("%s: err = %v, want %s", tc.name, err, tc.code)
		}
	}
	uris := []string{"https://vendor.example/cb", "http://localhost:8080/cb", "http://127.0.0.1/cb", "https://vendor.example/cb"}
	if _, err := s.SetAppOIDC(ctx, app.ID, uris, "https://vendor.example/initiate", dev.ID); err != nil {
		t.Fatal(err)
	}
	c, err := s.OIDCClient(ctx, app.ClientID)
	if err != nil {
		t.Fatal(err)
	}
	if want := uris[:3]; !slices.Equal(c.RedirectURIs, want) || c.InitiateLoginURI != "https://vendor.example/initiate" || c.App.ID != app.ID {
		t.Fatalf("client = %+v, want redirect URIs %v (duplicates dropped)", c, want)
	}
	if _, err := s.OIDCClient(ctx, "cli_nope"); shelf.ErrorKind(err) != shelf.KindNotFound {
		t.Fatalf("unknown client: %v", err)
	}
	if _, err := s.SetAppOIDC(ctx, "app_nope", nil, "", dev.ID); shelf.ErrorKind(err) != shelf.KindNotFound {
		t.Fatalf("unknown app: %v", err)
	}
	log, err := s.AuditLog(ctx, shelf.AuditQuery{Text: app.ID})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(log, func(e shelf.AuditEntry) bool {
		return e.Action == "app.oidc" && e.ObjectID == app.ID && e.ActorID == dev.ID
	}) {
		t.Fatalf("no app.oidc audit entry in %+v", log)
	}
}

func testOIDCCodeFlow(t *testing.T, open Opener) {
	ctx := context.Background()
	clock := shelf.NewManualClock(Epoch)
	s := open(t, clock)
	dev := MustUser(t, s, "dev@vendor.example")
	ann := MustUser(t, s, "ann@customer.example")
	org := MustOrg(t, s, "Customer", shelf.OrgCustomer, ann)
	app := oidcApp(t, s, dev)

	newRequest := func() *shelf.OIDCAuthRequest {
		r := &shelf.OIDCAuthRequest{ID: shelf.NewID("oar"), AppID: app.ID, ClientID: app.ClientID, RedirectURI: "https://vendor.example/cb",
			Scopes: []string{"openid", "email"}, State: "st", Nonce: "n", ResponseType: "code", CodeChallenge: "ch", CodeChallengeMethod: "S256",
			Prompt: []string{"login"}, ExpiresAt: clock.Now().Add(30 * time.Minute)}
		if err := s.CreateOIDCAuthRequest(ctx, r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	r := newRequest()
	got, err := s.OIDCAuthRequest(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Scopes, r.Scopes) || got.CodeChallenge != "ch" || got.UserID != "" || got.CodeIssued || !slices.Equal(got.Prompt, []string{"login"}) {
		t.Fatalf("stored request = %+v", got)
	}
	if err := s.SaveOIDCCode(ctx, r.ID, "code-early", time.Minute); shelf.ErrorKind(err) != shelf.KindConflict {
		t.Fatalf("a code for an incomplete request: %v", err)
	}
	if err := s.CompleteOIDCAuthRequest(ctx, r.ID, ann.ID, org.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.CompleteOIDCAuthRequest(ctx, r.ID, dev.ID, org.ID); shelf.ErrorKind(err) != shelf.KindNotFound {
		t.Fatalf("completing twice: %v", err)
	}
	if err := s.SaveOIDCCode(ctx, r.ID, "code-1", time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveOIDCCode(ctx, r.ID, "code-2", time.Minute); shelf.ErrorKind(err) != shelf.KindConflict {
		t.Fatalf("a second code: %v", err)
	}
	byCode, err := s.OIDCAuthRequestByCode(ctx, "code-1")
	if err != nil || byCode.ID != r.ID || byCode.UserID != ann.ID || byCode.OrgID != org.ID || !byCode.AuthTime.Equal(Epoch) {
		t.Fatalf("by code = %+v, %v", byCode, err)
	}
	_, err = s.OIDCAuthRequestByCode(ctx, "code-2")
	WantCode(t, err, "code_unknown")

	tok := &shelf.OIDCToken{ID: "tokid-1", AuthRequestID: r.ID, AppID: app.ID, UserID: ann.ID, OrgID: org.ID, Subject: "sub-1",
		Scopes: r.Scopes, ExpiresAt: clock.Now().Add(time.Hour)}
	if err := s.RedeemOIDCCode(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if got, err := s.OIDCToken(ctx, "tokid-1"); err != nil || got.UserID != ann.ID || got.Subject != "sub-1" || !slices.Equal(got.Scopes, r.Scopes) {
		t.Fatalf("token = %+v, %v", got, err)
	}
	// A replay: refused, and the token issued for the code revoked.
	_, err = s.OIDCAuthRequestByCode(ctx, "code-1")
	WantCode(t, err, "code_reused")
	if _, err := s.OIDCToken(ctx, "tokid-1"); shelf.ErrorKind(err) != shelf.KindNotFound {
		t.Fatalf("token after a replay: %v", err)
	}
	err = s.RedeemOIDCCode(ctx, &shelf.OIDCToken{ID: "tokid-2", AuthRequestID: r.ID, AppID: app.ID, UserID: ann.ID, OrgID: org.ID, ExpiresAt: clock.Now().Add(time.Hour)})
	WantCode(t, err, "code_reused")

	// An expired code.
	r2 := newRequest()
	if err := s.CompleteOIDCAuthRequest(ctx, r2.ID, ann.ID, org.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveOIDCCode(ctx, r2.ID, "code-3", time.Minute); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Minute)
	_, err = s.OIDCAuthRequestByCode(ctx, "code-3")
	WantCode(t, err, "code_expired")
	err = s.RedeemOIDCCode(ctx, &shelf.OIDCToken{ID: "tokid-3", AuthRequestID: r2.ID, AppID: app.ID, UserID: ann.ID, OrgID: org.ID, ExpiresAt: clock.Now().Add(time.Hour)})
	WantCode(t, err, "code_expired")

	// Revocation by the app only; expiry; pruning.
	r3 := newRequest()
	if err := s.CompleteOIDCAuthRequest(ctx, r3.ID, ann.ID, org.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveOIDCCode(ctx, r3.ID, "code-4", time.Minute); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"tokid-4"} {
		if err := s.RedeemOIDCCode(ctx, &shelf.OIDCToken{ID: id, AuthRequestID: r3.ID, AppID: app.ID, UserID: ann.ID, OrgID: org.ID, ExpiresAt: clock.Now().Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	other := oidcApp(t, s, MustUser(t, s, "eve@other.example"))
	if err := s.RevokeOIDCToken(ctx, "tokid-4", other.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.OIDCToken(ctx, "tokid-4"); err != nil {
		t.Fatalf("another app revoked the token: %v", err)
	}
	if err := s.RevokeOIDCToken(ctx, "tokid-4", app.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.OIDCToken(ctx, "tokid-4"); shelf.ErrorKind(err) != shelf.KindNotFound {
		t.Fatalf("revoked token: %v", err)
	}
	clock.Advance(31 * time.Minute)
	if _, err := s.OIDCAuthRequest(ctx, r.ID); shelf.ErrorKind(err) != shelf.KindNotFound {
		t.Fatalf("expired request: %v", err)
	}
	if n, err := s.PruneOIDC(ctx, clock.Now()); err != nil || n != 3 {
		t.Fatalf("PruneOIDC = %d, %v; want 3", n, err)
	}
}

func testOIDCKeys(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t, nil)
	if keys, err := s.OIDCKeys(ctx); err != nil || len(keys) != 0 {
		t.Fatalf("keys of a new database = %v, %v", keys, err)
	}
	// Two nodes add generation 1 at once: one key results.
	var wg sync.WaitGroup
	added := make([]bool, 4)
	for i := range added {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok, err := s.AddOIDCKey(ctx, &shelf.OIDCKey{ID: shelf.NewID("key"), Generation: 1, Algorithm: "RS256", PrivateKey: "private"})
			if err != nil {
				t.Error(err)
			}
			added[i] = ok
		}()
	}
	wg.Wait()
	if n := len(slices.DeleteFunc(added, func(b bool) bool { return !b })); n != 1 {
		t.Fatalf("%d keys of generation 1 added, want 1", n)
	}
	if ok, err := s.AddOIDCKey(ctx, &shelf.OIDCKey{ID: shelf.NewID("key"), Generation: 2, Algorithm: "RS256", PrivateKey: "private 2"}); err != nil || !ok {
		t.Fatalf("generation 2: %v, %v", ok, err)
	}
	keys, err := s.OIDCKeys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 2 || keys[0].Generation != 2 || keys[0].PrivateKey != "private 2" || keys[1].PrivateKey != "private" {
		t.Fatalf("keys = %+v", keys)
	}
}
