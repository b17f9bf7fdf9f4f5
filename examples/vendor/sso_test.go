package main

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/shelfhq/shelf/internal/oidc"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store"
	"github.com/shelfhq/shelf/internal/store/storetest"
)

// TestOIDCVendorSignIn runs the vendor app against Shelf's real provider:
// a member signs in from the app's /login, and from the workbench's launch
// link (/initiate).
func TestOIDCVendorSignIn(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t, storetest.SQLite, nil)
	dev := storetest.MustUser(t, st, "dev@vendor.example")
	ann := storetest.MustUser(t, st, "ann@acme.example")
	vendorOrg := storetest.MustOrg(t, st, "Vendor", shelf.OrgPartner, dev)
	org, err := st.CreateOrg(ctx, shelf.NewOrg{Name: "Acme", Kind: shelf.OrgCustomer, CreatorID: ann.ID, OwnerOrgID: vendorOrg.ID})
	if err != nil {
		t.Fatal(err)
	}

	shelfMux, vendorMux := http.NewServeMux(), http.NewServeMux()
	shelfSrv, vendorSrv := httptest.NewServer(shelfMux), httptest.NewServer(vendorMux)
	t.Cleanup(shelfSrv.Close)
	t.Cleanup(vendorSrv.Close)

	app, creds, err := st.CreateApp(ctx, store.NewApp{OrgID: vendorOrg.ID, CreatorID: dev.ID, Name: "Tasks", Kind: shelf.AppOrg, LaunchURL: vendorSrv.URL + "/app"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.SetAppOIDC(ctx, app.ID, []string{vendorSrv.URL + "/callback"}, vendorSrv.URL+"/initiate", dev.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.Install(ctx, shelf.NewInstallation{AppID: app.ID, OrgID: org.ID, ByUserID: ann.ID}); err != nil {
		t.Fatal(err)
	}
	licensed := true
	ents := oidc.EntitlementsFunc(func(_ context.Context, appID, orgID, userID string) (shelf.Entitlement, error) {
		if licensed {
			return shelf.Entitlement{UserID: userID, Status: shelf.EntValid, Spec: "team-10", Users: 10}, nil
		}
		return shelf.Entitlement{UserID: userID, Status: shelf.EntNoActiveLicense}, nil
	})
	p, err := oidc.New(oidc.Config{Issuer: shelfSrv.URL, Store: st, Entitlements: ents, SecretKey: []byte("shelf-test-key-32-bytes-long!!!!")})
	if err != nil {
		t.Fatal(err)
	}
	shelfMux.Handle(oidc.DiscoveryPath, p)
	shelfMux.Handle(oidc.PathPrefix, p)
	// The web layer's sign-in page, here signing Ann in to Acme at once.
	shelfMux.HandleFunc("GET /signin/oidc", func(w http.ResponseWriter, r *http.Request) {
		to, err := p.Complete(r.Context(), r.URL.Query().Get("id"), ann.ID, org.ID)
		if err != nil {
			http.Error(w, err.Error(), http.StatusForbidden)
			return
		}
		http.Redirect(w, r, to, http.StatusFound)
	})

	sso, err := NewSSO(ctx, shelfSrv.URL, app.ClientID, creds.ClientSecret, vendorSrv.URL)
	if err != nil {
		t.Fatal(err)
	}
	sso.Register(vendorMux)

	browse := func(u string) (int, string) {
		t.Helper()
		jar, _ := cookiejar.New(nil)
		res, err := (&http.Client{Jar: jar}).Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	sub := p.Subject(app.ID, ann.ID)
	code, page := browse(vendorSrv.URL + "/login")
	if code != http.StatusOK || !strings.Contains(page, sub) || !strings.Contains(page, "valid team-10 (10 users)") || !strings.Contains(page, org.ID) {
		t.Fatalf("/login: %d %s", code, page)
	}

	launch, err := p.LaunchURL(ctx, app.ID, ann.ID)
	if err != nil {
		t.Fatal(err)
	}
	code, page = browse(launch)
	if code != http.StatusOK || !strings.Contains(page, sub) || !strings.Contains(page, `href="/app"`) {
		t.Fatalf("launch %s: %d %s", launch, code, page)
	}

	if code, _ := browse(vendorSrv.URL + "/initiate?iss=https%3A%2F%2Fevil.example"); code != http.StatusBadRequest {
		t.Fatalf("/initiate from another issuer: %d", code)
	}
	licensed = false
	if code, page := browse(vendorSrv.URL + "/login"); code != http.StatusForbidden || !strings.Contains(page, "no_active_license") {
		t.Fatalf("unlicensed: %d %s", code, page)
	}
}
