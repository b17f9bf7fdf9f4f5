package webtest

import (
	"context"
	"image/color"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store"
	"github.com/shelfhq/shelf/internal/store/storetest"
	"github.com/shelfhq/shelf/sdk"
)

// Vendor is a vendor's server on loopback for tests: its webhook verifies
// signatures with the app's secrets like a real vendor (401 otherwise) and
// its launch page answers.
type Vendor struct {
	srv      *httptest.Server
	mu       sync.Mutex
	secrets  []string
	accepted []string // event types accepted
	forged   int      // requests refused for their signature
	// Broken accepts everything: a vendor that skips verification.
	Broken bool
	// ClientSecret is the app's client secret, shown once at registration.
	ClientSecret string
}

func newVendor(t *testing.T) *Vendor {
	v := &Vendor{}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /hook", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		v.mu.Lock()
		defer v.mu.Unlock()
		if !v.Broken {
			if err := sdk.VerifyWebhook(v.secrets, r.Header.Get("Shelf-Signature"), body, 0); err != nil {
				v.forged++
				http.Error(w, "bad signature", http.StatusUnauthorized)
				return
			}
		}
		v.accepted = append(v.accepted, r.Header.Get("Shelf-Event-Type"))
	})
	mux.HandleFunc("GET /", func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "<h1>vendor app</h1>") })
	v.srv = httptest.NewServer(mux)
	t.Cleanup(v.srv.Close)
	return v
}

// PartnerApp registers an app of partner org 1 pointing at a new vendor.
func (f *Fixture) PartnerApp(kind shelf.AppKind) (*shelf.App, *Vendor) {
	f.T.Helper()
	v := newVendor(f.T)
	a, creds, err := f.Store.CreateApp(context.Background(), store.NewApp{OrgID: f.World.Partner1.ID, CreatorID: f.World.Users[demo.PartnerEmail].ID,
		Name: Unique("App "), Kind: kind, HomepageURL: v.srv.URL + "/", LaunchURL: v.srv.URL + "/launch", WebhookURL: v.srv.URL + "/hook"})
	if err != nil {
		f.T.Fatal(err)
	}
	v.secrets, v.ClientSecret = []string{creds.WebhookSecret}, creds.ClientSecret
	f.vendors.Store(a.ID, v)
	return a, v
}

// VendorOf returns the vendor of an app PartnerApp (or RevisionIn) made.
func (f *Fixture) VendorOf(appID string) *Vendor {
	f.T.Helper()
	v, ok := f.vendors.Load(appID)
	if !ok {
		f.T.Fatalf("no vendor for %s", appID)
	}
	return v.(*Vendor)
}

// Icon uploads an icon for partner org 1.
func (f *Fixture) Icon() *shelf.Image {
	f.T.Helper()
	img, err := f.Store.SaveMedia(context.Background(), f.World.Partner1.ID, storetest.PNG(f.T, 256, 256, color.RGBA{0, 120, 255, 255}))
	if err != nil {
		f.T.Fatal(err)
	}
	return img
}

// HRLeaf is a leaf category that operator@ reviews.
func (f *Fixture) HRLeaf() string { return f.World.Categories["Attendance & Scheduling"].ID }

// RevisionIn returns a fresh app's revision advanced to state: "draft",
// "submitted", "listed" or "delisted" (the last two name the listing's).
func (f *Fixture) RevisionIn(state string) *shelf.RevisionInfo {
	f.T.Helper()
	ctx := context.Background()
	partner := f.World.Users[demo.PartnerEmail].ID
	app, _ := f.PartnerApp(shelf.AppOrg)
	rev, err := f.Store.CreateRevision(ctx, app.ID, partner, storetest.ValidRevision(f.HRLeaf(), f.Icon()))
	if err != nil {
		f.T.Fatal(err)
	}
	if state == "draft" {
		return rev
	}
	now := f.Clock.Now()
	if err := f.Store.RecordSelfTest(ctx, &shelf.SelfTest{AppID: app.ID, TestOrgID: f.World.TestOrg.ID, StartedBy: partner, ConfigHash: app.ConfigHash(),
		Passed: true, Checks: []shelf.SelfTestCheck{}, StartedAt: now, FinishedAt: now}); err != nil {
		f.T.Fatal(err)
	}
	if rev, err = f.Store.Submit(ctx, rev.ID, partner); err != nil {
		f.T.Fatal(err)
	}
	if state == "submitted" {
		return rev
	}
	if rev, err = f.Store.Decide(ctx, rev.ID, f.World.Users[demo.OperatorEmail].ID, shelf.ReviewDecision{Approve: true}); err != nil {
		f.T.Fatal(err)
	}
	if state == "delisted" {
		if _, err := f.Store.ChangeListing(ctx, rev.ListingID, partner, shelf.ListingDelist, "升级"); err != nil {
			f.T.Fatal(err)
		}
	}
	return rev
}
