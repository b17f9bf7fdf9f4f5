package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// SSO signs Shelf's members in to the vendor's app with OpenID Connect:
// /login sends the browser to Shelf, /callback takes the code back (with
// PKCE), verifies the ID token and shows who signed in and their
// entitlement, /initiate starts a sign-in when Shelf's workbench launches
// the app (third-party-initiated login, OIDC Core §4).
type SSO struct {
	Issuer   string
	Verifier *oidc.IDTokenVerifier
	Config   oauth2.Config
	// AppURL is the app's own address: a target_link_uri elsewhere is
	// ignored, so /initiate cannot be made to redirect anywhere.
	AppURL string

	mu    sync.Mutex
	flows map[string]flow // by state; a real app keeps them in its session store
}

// flow is a sign-in under way.
type flow struct {
	verifier, nonce, target string
	expires                 time.Time
}

// NewSSO discovers Shelf's endpoints and keys at issuer.
func NewSSO(ctx context.Context, issuer, clientID, clientSecret, appURL string) (*SSO, error) {
	p, err := oidc.NewProvider(ctx, issuer)
	if err != nil {
		return nil, fmt.Errorf("discover %s: %w", issuer, err)
	}
	appURL = strings.TrimSuffix(appURL, "/")
	return &SSO{Issuer: issuer, AppURL: appURL, Verifier: p.Verifier(&oidc.Config{ClientID: clientID}), Config: oauth2.Config{
		ClientID: clientID, ClientSecret: clientSecret, Endpoint: p.Endpoint(), RedirectURL: appURL + "/callback",
		Scopes: []string{oidc.ScopeOpenID, "profile", "email"},
	}}, nil
}

// Register adds the sign-in routes to mux.
func (s *SSO) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /login", func(w http.ResponseWriter, r *http.Request) { s.start(w, r, "", "/") })
	mux.HandleFunc("GET /initiate", s.initiate)
	mux.HandleFunc("GET /callback", s.callback)
}

const stateCookie = "vendor_sso_state"

// start sends the browser to Shelf with a new state, nonce and PKCE
// verifier; the state also goes in a cookie, so the callback is known to
// come back to the browser that started it.
func (s *SSO) start(w http.ResponseWriter, r *http.Request, loginHint, target string) {
	f := flow{verifier: oauth2.GenerateVerifier(), nonce: random(), target: target, expires: time.Now().Add(10 * time.Minute)}
	state := random()
	s.mu.Lock()
	if s.flows == nil {
		s.flows = map[string]flow{}
	}
	for k, old := range s.flows {
		if time.Now().After(old.expires) {
			delete(s.flows, k)
		}
	}
	s.flows[state] = f
	s.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: stateCookie, Value: state, Path: "/", MaxAge: 600, HttpOnly: true,
		Secure: strings.HasPrefix(s.AppURL, "https://"), SameSite: http.SameSiteLaxMode})
	opts := []oauth2.AuthCodeOption{oauth2.S256ChallengeOption(f.verifier), oidc.Nonce(f.nonce)}
	if loginHint != "" {
		opts = append(opts, oauth2.SetAuthURLParam("login_hint", loginHint))
	}
	http.Redirect(w, r, s.Config.AuthCodeURL(state, opts...), http.StatusFound)
}

// initiate is the app's initiate_login_uri: Shelf sends a member here with
// iss, login_hint and target_link_uri.
func (s *SSO) initiate(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("iss") != s.Issuer {
		http.Error(w, "unknown issuer", http.StatusBadRequest)
		return
	}
	target := "/"
	if t := q.Get("target_link_uri"); t == s.AppURL || strings.HasPrefix(t, s.AppURL+"/") {
		target = strings.TrimPrefix(t, s.AppURL)
	}
	if target == "" {
		target = "/"
	}
	s.start(w, r, q.Get("login_hint"), target)
}

// Claims are the ID token's claims the app reads.
type Claims struct {
	Subject     string `json:"sub"`
	Name        string `json:"name"`
	Email       string `json:"email"`
	OrgID       string `json:"org_id"`
	Entitlement struct {
		Status string `json:"status"`
		Spec   string `json:"spec"`
		Users  int    `json:"users"`
		Trial  bool   `json:"trial"`
		EndsAt *int64 `json:"ends_at"`
	} `json:"entitlement"`
}

// Licensed reports whether the entitlement lets the user in.
func (c *Claims) Licensed() bool { return c.Entitlement.Status == "valid" }

func (s *SSO) callback(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if e := q.Get("error"); e != "" {
		http.Error(w, "Shelf did not sign you in: "+e+" "+q.Get("error_description"), http.StatusForbidden)
		return
	}
	c, err := r.Cookie(stateCookie)
	if err != nil || c.Value != q.Get("state") {
		http.Error(w, "this sign-in was not started in this browser", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	f, ok := s.flows[c.Value]
	delete(s.flows, c.Value)
	s.mu.Unlock()
	if !ok || time.Now().After(f.expires) {
		http.Error(w, "this sign-in expired; start again", http.StatusBadRequest)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: stateCookie, Path: "/", MaxAge: -1})
	tok, err := s.Config.Exchange(r.Context(), q.Get("code"), oauth2.VerifierOption(f.verifier))
	if err != nil {
		http.Error(w, "code exchange failed: "+err.Error(), http.StatusBadGateway)
		return
	}
	raw, _ := tok.Extra("id_token").(string)
	idt, err := s.Verifier.Verify(r.Context(), raw)
	if err != nil || idt.Nonce != f.nonce {
		http.Error(w, "invalid ID token", http.StatusBadGateway)
		return
	}
	var cl Claims
	if err := idt.Claims(&cl); err != nil {
		http.Error(w, "invalid ID token claims", http.StatusBadGateway)
		return
	}
	// A real app now starts its session for (iss, sub) and opens f.target.
	status := http.StatusOK
	if !cl.Licensed() {
		status = http.StatusForbidden
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_ = signedIn.Execute(w, map[string]any{"C": &cl, "Target": f.target})
}

var signedIn = template.Must(template.New("").Parse(`<!doctype html><title>Signed in</title>
<h1>{{if .C.Licensed}}Welcome, {{.C.Name}}{{else}}No licence for {{.C.Name}}{{end}}</h1>
<dl><dt>subject</dt><dd id="sub">{{.C.Subject}}</dd><dt>email</dt><dd>{{.C.Email}}</dd><dt>org</dt><dd id="org">{{.C.OrgID}}</dd>
<dt>entitlement</dt><dd id="entitlement">{{.C.Entitlement.Status}} {{.C.Entitlement.Spec}} ({{.C.Entitlement.Users}} users{{if .C.Entitlement.Trial}}, trial{{end}})</dd></dl>
<p><a href="{{.Target}}">Continue</a></p>`))

// random is a value to guess for nobody: a state or a nonce.
func random() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// parseAppURL checks the app's public address.
func parseAppURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("-public-url %q: give the app's address, e.g. https://app.vendor.example", s)
	}
	return nil
}
