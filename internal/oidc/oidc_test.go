package oidc_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/oidc"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store/storetest"
	"golang.org/x/oauth2"
)

// claims are the ID token's and userinfo's claims a vendor reads.
type claims struct {
	Subject     string                 `json:"sub"`
	Nonce       string                 `json:"nonce"`
	Name        string                 `json:"name"`
	Email       string                 `json:"email"`
	OrgID       string                 `json:"org_id"`
	Entitlement *oidc.EntitlementClaim `json:"entitlement"`
}

// run runs a test on every backend.
func run(t *testing.T, test func(t *testing.T, f *fixture)) {
	for _, backend := range storetest.Backends(t) {
		t.Run(storetest.Name(backend), func(t *testing.T) { test(t, newFixture(t, backend)) })
	}
}

func TestOIDCCodeFlow(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		r := f.rp(f.app1)
		var disc struct {
			Issuer     string   `json:"issuer"`
			Methods    []string `json:"code_challenge_methods_supported"`
			AuthMethod []string `json:"token_endpoint_auth_methods_supported"`
			Claims     []string `json:"claims_supported"`
		}
		if err := r.provider.Claims(&disc); err != nil {
			t.Fatal(err)
		}
		if disc.Issuer != f.srv.URL || !slices.Equal(disc.Methods, []string{"S256"}) || !slices.Contains(disc.AuthMethod, "client_secret_post") ||
			!slices.Contains(disc.Claims, "entitlement") {
			t.Fatalf("discovery = %+v", disc)
		}

		code, verifier := f.signIn(r)
		tok, err := r.exchange(code, verifier)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := tok.Extra("id_token").(string)
		idt, err := r.verifier.Verify(ctx, raw)
		if err != nil {
			t.Fatalf("ID token: %v", err)
		}
		var c claims
		if err := idt.Claims(&c); err != nil {
			t.Fatal(err)
		}
		ends := time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC).Unix()
		want := oidc.EntitlementClaim{Status: shelf.EntValid, Spec: "team-10", Users: 10, EndsAt: &ends}
		if c.Subject != f.nodes[0].Subject(f.app1.app.ID, f.ann.ID) || c.Nonce != "nonce-1" || c.Name != "ann" || c.Email != f.ann.Email ||
			c.OrgID != f.org.ID || c.Entitlement == nil || *c.Entitlement.EndsAt != ends || c.Entitlement.Status != want.Status ||
			c.Entitlement.Spec != want.Spec || c.Entitlement.Users != 10 || c.Entitlement.Trial {
			t.Fatalf("ID token claims = %+v, entitlement %+v", c, c.Entitlement)
		}
		if c.Subject == f.ann.ID {
			t.Fatal("the subject is Shelf's user id")
		}

		info, err := r.provider.UserInfo(ctx, oauth2.StaticTokenSource(tok))
		if err != nil {
			t.Fatalf("userinfo: %v", err)
		}
		var ui claims
		if err := info.Claims(&ui); err != nil {
			t.Fatal(err)
		}
		if ui.Subject != c.Subject || ui.Email != f.ann.Email || ui.OrgID != f.org.ID || ui.Entitlement == nil || ui.Entitlement.Spec != "team-10" {
			t.Fatalf("userinfo = %+v", ui)
		}

		// client_secret_post works as well as client_secret_basic.
		post := f.rp(f.app1)
		post.conf.Endpoint.AuthStyle = oauth2.AuthStyleInParams
		code, verifier = f.signIn(post)
		if _, err := post.exchange(code, verifier); err != nil {
			t.Fatalf("client_secret_post: %v", err)
		}
	})
}

func TestOIDCPairwiseSubjects(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		subject := func(c client) (string, *oidc.EntitlementClaim) {
			r := f.rp(c)
			code, verifier := f.signIn(r)
			tok, err := r.exchange(code, verifier)
			if err != nil {
				t.Fatal(err)
			}
			idt, err := r.verifier.Verify(context.Background(), tok.Extra("id_token").(string))
			if err != nil {
				t.Fatal(err)
			}
			var c2 claims
			if err := idt.Claims(&c2); err != nil {
				t.Fatal(err)
			}
			return c2.Subject, c2.Entitlement
		}
		s1, _ := subject(f.app1)
		again, _ := subject(f.app1)
		s2, e2 := subject(f.app2)
		if s1 != again {
			t.Fatalf("one app sees two subjects for one user: %s, %s", s1, again)
		}
		if s1 == s2 {
			t.Fatalf("two apps see one subject for one user: %s", s1)
		}
		if !e2.Trial || e2.Spec != "trial" {
			t.Fatalf("app2's entitlement = %+v", e2)
		}
	})
}

func TestOIDCErrors(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		r := f.rp(f.app1)
		t.Run("wrong redirect URI is refused, not redirected", func(t *testing.T) {
			for _, uri := range []string{"https://evil.example/callback", "http://127.0.0.1:9101/callback/", "http://127.0.0.1:9101/callback?x=1"} {
				bad := *r
				bad.conf.RedirectURL = uri
				res := f.get(bad.conf.AuthCodeURL("s", oauth2.S256ChallengeOption(oauth2.GenerateVerifier())))
				if res.StatusCode != http.StatusBadRequest || res.Header.Get("Location") != "" {
					t.Errorf("%s: %s, Location %q; want 400 and no redirect", uri, res.Status, res.Header.Get("Location"))
				}
			}
		})
		t.Run("no PKCE is refused at the redirect URI", func(t *testing.T) {
			for _, opts := range [][]oauth2.AuthCodeOption{nil, {oauth2.SetAuthURLParam("code_challenge", "abc"), oauth2.SetAuthURLParam("code_challenge_method", "plain")}} {
				q, err := f.authorize(r, opts...)
				if err != nil || q.Get("error") != "invalid_request" || q.Get("state") != "state-123" || q.Get("code") != "" {
					t.Errorf("%v: %v, %v; want error=invalid_request", opts, q, err)
				}
			}
		})
		t.Run("PKCE mismatch", func(t *testing.T) {
			code, _ := f.signIn(r)
			_, err := r.exchange(code, oauth2.GenerateVerifier())
			if got := oauthError(err); got != "invalid_grant" {
				t.Fatalf("error %q (%v), want invalid_grant", got, err)
			}
		})
		t.Run("wrong client secret", func(t *testing.T) {
			code, verifier := f.signIn(r)
			bad := *r
			bad.conf.ClientSecret = "shelf_cs_wrong"
			_, err := bad.exchange(code, verifier)
			if got := oauthError(err); got != "invalid_client" {
				t.Fatalf("error %q (%v), want invalid_client", got, err)
			}
		})
		t.Run("another app's code", func(t *testing.T) {
			code, verifier := f.signIn(r)
			other := f.rp(f.app2)
			other.conf.RedirectURL = r.conf.RedirectURL
			_, err := other.exchange(code, verifier)
			if got := oauthError(err); got != "invalid_grant" {
				t.Fatalf("error %q (%v), want invalid_grant", got, err)
			}
		})
		t.Run("replayed code fails and revokes the first token", func(t *testing.T) {
			code, verifier := f.signIn(r)
			tok, err := r.exchange(code, verifier)
			if err != nil {
				t.Fatal(err)
			}
			_, err = r.exchange(code, verifier)
			if got := oauthError(err); got != "invalid_grant" {
				t.Fatalf("replay: error %q (%v), want invalid_grant", got, err)
			}
			if _, err := r.provider.UserInfo(context.Background(), oauth2.StaticTokenSource(tok)); err == nil {
				t.Fatal("the token of a replayed code still works")
			}
		})
		t.Run("expired code", func(t *testing.T) {
			code, verifier := f.signIn(r)
			f.clock.Advance(oidc.DefaultCodeLifetime)
			_, err := r.exchange(code, verifier)
			if got := oauthError(err); got != "invalid_grant" {
				t.Fatalf("error %q (%v), want invalid_grant", got, err)
			}
		})
	})
}

func TestOIDCCompleteRefused(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		r := f.rp(f.app1)
		for _, tc := range []struct {
			name        string
			user, org   string
			code        string
			wantRefusal bool
		}{
			{"a member of another org", f.bob.ID, f.org.ID, "not_a_member", true},
			{"an org without the app", f.ann.ID, f.other.ID, "app_not_installed", true},
			{"a member where the app is installed", f.ann.ID, f.org.ID, "", false},
		} {
			f.login.userID, f.login.orgID = tc.user, tc.org
			q, err := f.authorize(r, oauth2.S256ChallengeOption(oauth2.GenerateVerifier()))
			if !tc.wantRefusal {
				if err != nil || q.Get("code") == "" {
					t.Errorf("%s: %v, %v", tc.name, q, err)
				}
				continue
			}
			if e, ok := shelf.AsError(f.login.err); err == nil || !ok || e.Code != tc.code {
				t.Errorf("%s: Complete = %v, want %s", tc.name, f.login.err, tc.code)
			}
		}
		// An expired request, and one already completed, cannot be.
		f.login.userID, f.login.orgID = f.ann.ID, f.org.ID
		res := f.get(r.conf.AuthCodeURL("s", oauth2.S256ChallengeOption(oauth2.GenerateVerifier())))
		login, _ := res.Location()
		id := login.Query().Get("id")
		lr, err := f.nodes[0].LoginRequest(ctx, id)
		if err != nil || lr.App.ID != f.app1.app.ID || !slices.Contains(lr.Scopes, "email") {
			t.Fatalf("LoginRequest = %+v, %v", lr, err)
		}
		f.clock.Advance(oidc.DefaultRequestLifetime)
		if _, err := f.nodes[1].Complete(ctx, id, f.ann.ID, f.org.ID); shelf.ErrorKind(err) != shelf.KindNotFound {
			t.Fatalf("expired request: %v", err)
		}
		res = f.get(r.conf.AuthCodeURL("s", oauth2.S256ChallengeOption(oauth2.GenerateVerifier())))
		login, _ = res.Location()
		id = login.Query().Get("id")
		if _, err := f.nodes[0].Complete(ctx, id, f.ann.ID, f.org.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.nodes[1].Complete(ctx, id, f.ann.ID, f.org.ID); shelf.ErrorKind(err) != shelf.KindNotFound {
			t.Fatalf("completing twice: %v", err)
		}
		// op's own callback, which would hand a code to whoever knows the
		// request id, is closed.
		if res := f.get(f.srv.URL + "/oidc/authorize/callback?id=" + url.QueryEscape(id)); res.StatusCode != http.StatusNotFound {
			t.Fatalf("callback: %s", res.Status)
		}
		// The user cancels.
		res = f.get(r.conf.AuthCodeURL("s-deny", oauth2.S256ChallengeOption(oauth2.GenerateVerifier())))
		login, _ = res.Location()
		to, err := f.nodes[1].Deny(ctx, login.Query().Get("id"), "access_denied")
		if err != nil {
			t.Fatal(err)
		}
		u, _ := url.Parse(to)
		if q := u.Query(); q.Get("error") != "access_denied" || q.Get("state") != "s-deny" || u.Host != "127.0.0.1:9101" {
			t.Fatalf("Deny = %s", to)
		}
	})
}

func TestOIDCKeyRotation(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		r := f.rp(f.app1)
		idToken := func() (raw, kid string) {
			code, verifier := f.signIn(r)
			tok, err := r.exchange(code, verifier)
			if err != nil {
				t.Fatal(err)
			}
			raw = tok.Extra("id_token").(string)
			return raw, headerKid(t, raw)
		}
		old, oldKid := idToken()
		f.clock.Advance(oidc.DefaultKeyRotation)
		fresh, newKid := idToken()
		if oldKid == newKid {
			t.Fatalf("still signing with %s after %v", oldKid, oidc.DefaultKeyRotation)
		}
		for _, raw := range []string{old, fresh} {
			if _, err := r.verifier.Verify(ctx, raw); err != nil {
				t.Fatalf("verify: %v", err)
			}
		}
		if got := f.jwks(); !slices.Equal(got, []string{newKid, oldKid}) {
			t.Fatalf("JWKS = %v, want the new and the old key", got)
		}
		f.clock.Advance(oidc.DefaultIDTokenLifetime + 11*time.Minute)
		if got := f.jwks(); !slices.Equal(got, []string{newKid}) {
			t.Fatalf("JWKS after the old key's tokens expired = %v, want %s only", got, newKid)
		}
	})
}

func TestOIDCLaunchURL(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		got, err := f.nodes[0].LaunchURL(ctx, f.app1.app.ID, f.ann.ID)
		if err != nil {
			t.Fatal(err)
		}
		u, _ := url.Parse(got)
		q := u.Query()
		if u.Host != "tasks.example" || q.Get("iss") != f.srv.URL || q.Get("login_hint") != f.nodes[1].Subject(f.app1.app.ID, f.ann.ID) ||
			q.Get("target_link_uri") != f.app1.app.LaunchURL {
			t.Fatalf("LaunchURL = %s", got)
		}
		if got, err := f.nodes[0].LaunchURL(ctx, f.app2.app.ID, f.ann.ID); err != nil || got != f.app2.app.LaunchURL {
			t.Fatalf("without an initiate-login URI: %s, %v; want the launch URL", got, err)
		}
	})
}

func TestOIDCInitiateLoginURL(t *testing.T) {
	for _, tc := range []struct {
		uri, hint, target string
		want              string
	}{
		{"https://v.example/initiate", "sub1", "https://v.example/app", "https://v.example/initiate?iss=https%3A%2F%2Fshelf.example&login_hint=sub1&target_link_uri=https%3A%2F%2Fv.example%2Fapp"},
		{"https://v.example/initiate?tenant=a", "", "", "https://v.example/initiate?iss=https%3A%2F%2Fshelf.example&tenant=a"},
		{"https://v.example/initiate?iss=forged", "", "", "https://v.example/initiate?iss=https%3A%2F%2Fshelf.example"},
	} {
		got, err := oidc.InitiateLoginURL(tc.uri, "https://shelf.example", tc.hint, tc.target)
		if err != nil || got != tc.want {
			t.Errorf("InitiateLoginURL(%s) = %s, %v; want %s", tc.uri, got, err, tc.want)
		}
	}
	if _, err := oidc.InitiateLoginURL("/relative", "https://shelf.example", "", ""); err == nil {
		t.Error("a relative initiate-login URI was accepted")
	}
}

// TestOIDCFirstKeyOnTwoNodes: nodes that need the first key at the same
// moment make one between them.
func TestOIDCFirstKeyOnTwoNodes(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		var wg sync.WaitGroup
		got := make([][]string, 4)
		for i := range got {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got[i] = f.jwks()
			}()
		}
		wg.Wait()
		for _, kids := range got {
			if len(kids) != 1 || kids[0] != got[0][0] {
				t.Fatalf("JWKS answers %v, want one key, the same", got)
			}
		}
		if keys, err := f.store.OIDCKeys(context.Background()); err != nil || len(keys) != 1 {
			t.Fatalf("%d keys stored (%v), want 1", len(keys), err)
		}
	})
}

func TestOIDCUnknownClient(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		r := f.rp(f.app1)
		r.conf.ClientID = "cli_unknown"
		res := f.get(r.conf.AuthCodeURL("s", oauth2.S256ChallengeOption(oauth2.GenerateVerifier())))
		if res.StatusCode != http.StatusBadRequest || res.Header.Get("Location") != "" {
			t.Fatalf("%s, Location %q; want 400 and no redirect", res.Status, res.Header.Get("Location"))
		}
	})
}
