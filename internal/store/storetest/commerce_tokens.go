package storetest

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store"
)

func testVendorTokens(t *testing.T, open Opener) {
	ctx := context.Background()
	clock := shelf.NewManualClock(Epoch)
	sh := NewShop(t, open(t, clock), nil)
	if _, err := sh.S.StartTrial(ctx, sh.Customer.ID, sh.Listing.ID, sh.Admin.ID); err != nil {
		t.Fatal(err)
	}
	code := InstallCode(t, sh.S, sh.App.ID, sh.Customer.ID)
	other, _ := MustApp(t, sh.S, "https://other.example.com/hooks")
	_, err := sh.S.ExchangeInstallCode(ctx, other.ID, code)
	WantCode(t, err, "invalid_grant") // another app's code
	tok, err := sh.S.ExchangeInstallCode(ctx, sh.App.ID, code)
	if err != nil || tok.AccessToken == "" || tok.RefreshToken == "" || tok.TokenType != "Bearer" || tok.OrgID != sh.Customer.ID {
		t.Fatalf("token = %+v, %v", tok, err)
	}
	grant := func(access string) error {
		_, err := sh.S.VendorTokenGrant(ctx, access)
		return err
	}
	if err := grant(tok.AccessToken); err != nil {
		t.Fatal(err)
	}
	// A replayed code fails and revokes what it gave.
	_, err = sh.S.ExchangeInstallCode(ctx, sh.App.ID, code)
	WantCode(t, err, "invalid_grant")
	WantCode(t, grant(tok.AccessToken), "invalid_token")

	// A fresh install code, refreshed: the old refresh token works once.
	insts, err := sh.S.Installations(ctx, sh.Customer.ID, shelf.PageReq{})
	if err != nil {
		t.Fatal(err)
	}
	if err := sh.S.Uninstall(ctx, insts[0].ID, sh.Admin.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := sh.S.Install(ctx, shelf.NewInstallation{AppID: sh.App.ID, OrgID: sh.Customer.ID, ByUserID: sh.Admin.ID}); err != nil {
		t.Fatal(err)
	}
	tok, err = sh.S.ExchangeInstallCode(ctx, sh.App.ID, InstallCode(t, sh.S, sh.App.ID, sh.Customer.ID))
	if err != nil {
		t.Fatal(err)
	}
	next, err := sh.S.RefreshVendorToken(ctx, sh.App.ID, tok.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	WantCode(t, grant(tok.AccessToken), "invalid_token")
	if err := grant(next.AccessToken); err != nil {
		t.Fatal(err)
	}
	_, err = sh.S.RefreshVendorToken(ctx, sh.App.ID, tok.RefreshToken)
	WantCode(t, err, "invalid_grant")
	WantCode(t, grant(next.AccessToken), "invalid_token") // a reused refresh token ends the family

	// Codes expire; access tokens expire; uninstalling revokes.
	if err := sh.S.Uninstall(ctx, insts[0].ID, sh.Admin.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := sh.S.Install(ctx, shelf.NewInstallation{AppID: sh.App.ID, OrgID: sh.Customer.ID, ByUserID: sh.Admin.ID}); err != nil {
		t.Fatal(err)
	}
	code = InstallCode(t, sh.S, sh.App.ID, sh.Customer.ID)
	clock.Advance(store.InstallCodeTTL)
	_, err = sh.S.ExchangeInstallCode(ctx, sh.App.ID, code)
	WantCode(t, err, "invalid_grant")
	if err := sh.S.Uninstall(ctx, insts[0].ID, sh.Admin.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := sh.S.Install(ctx, shelf.NewInstallation{AppID: sh.App.ID, OrgID: sh.Customer.ID, ByUserID: sh.Admin.ID}); err != nil {
		t.Fatal(err)
	}
	tok, err = sh.S.ExchangeInstallCode(ctx, sh.App.ID, InstallCode(t, sh.S, sh.App.ID, sh.Customer.ID))
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(store.VendorAccessTTL)
	WantCode(t, grant(tok.AccessToken), "invalid_token")
	if next, err = sh.S.RefreshVendorToken(ctx, sh.App.ID, tok.RefreshToken); err != nil {
		t.Fatal(err)
	}
	if err := sh.S.Uninstall(ctx, insts[0].ID, sh.Admin.ID); err != nil {
		t.Fatal(err)
	}
	WantCode(t, grant(next.AccessToken), "invalid_token")
	_, err = sh.S.RefreshVendorToken(ctx, sh.App.ID, next.RefreshToken)
	WantCode(t, err, "invalid_grant")
}

// InstallCode returns the install code of the latest app.installed of an
// app in an org, as the vendor's server receives it.
func InstallCode(tb testing.TB, s *store.Store, appID, orgID string) string {
	tb.Helper()
	evs, _, err := s.VendorEvents(context.Background(), appID, orgID, 0, 1000)
	if err != nil {
		tb.Fatal(err)
	}
	code := ""
	for _, e := range evs {
		if e.Type == shelf.EventAppInstalled || e.Type == shelf.EventCoolAppInstalled {
			var d struct {
				AuthCode string `json:"auth_code"`
			}
			if err := json.Unmarshal(e.Data, &d); err != nil {
				tb.Fatal(err)
			}
			code = d.AuthCode
		}
	}
	if code == "" {
		tb.Fatalf("no install code for %s in %s", appID, orgID)
	}
	return code
}
