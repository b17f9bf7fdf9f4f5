package web

import (
	"context"
	"image/color"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/events"
	"github.com/shelfhq/shelf/internal/selftest"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store"
	"github.com/shelfhq/shelf/internal/store/storetest"
	"github.com/shelfhq/shelf/sdk"
)

// vendor is a vendor's server on loopback for tests: its webhook verifies
// signatures with the app's secrets like a real vendor (401 otherwise) and
// its launch page answers.
type vendor struct {
	srv      *httptest.Server
	mu       sync.Mutex
	secrets  []string
	accepted []string // event types accepted
	forged   int      // requests refused for their signature
	broken   bool     // accept everything: a vendor that skips verification
}

func newVendor(t *testing.T) *vendor {
	v := &vendor{}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /hook", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		v.mu.Lock()
		defer v.mu.Unlock()
		if !v.broken {
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

// withSelfTests gives the fixture's server a self-test runner whose
// outbound client may reach loopback (the vendor is there).
func (f *fixture) withSelfTests() {
	guard := &events.Guard{AllowPrivate: true}
	// Signatures carry wall-clock time: the vendor checks them against its
	// own clock, not the fixture's.
	runner := &selftest.Runner{Store: f.st, Client: guard.Client(5 * time.Second), Clock: shelf.SystemClock{}}
	f.server.selfTests = runner
}

// allowLoopbackWebhooks lets partners register webhooks on loopback, where
// test vendors run (as --allow-private-webhooks does).
func (f *fixture) allowLoopbackWebhooks() {
	f.server.webhookGuard = &events.Guard{AllowPrivate: true}
}

// partnerApp registers an app of partner org 1 pointing at a new vendor.
func (f *fixture) partnerApp(kind shelf.AppKind) (*shelf.App, *vendor) {
	f.t.Helper()
	v := newVendor(f.t)
	a, creds, err := f.st.CreateApp(context.Background(), store.NewApp{OrgID: f.world.Partner1.ID, CreatorID: f.world.Users[demo.PartnerEmail].ID,
		Name: unique("App "), Kind: kind, HomepageURL: v.srv.URL + "/", LaunchURL: v.srv.URL + "/launch", WebhookURL: v.srv.URL + "/hook"})
	if err != nil {
		f.t.Fatal(err)
	}
	v.secrets = []string{creds.WebhookSecret}
	return a, v
}

// icon uploads an icon for partner org 1.
func (f *fixture) icon() *shelf.Image {
	f.t.Helper()
	img, err := f.st.SaveMedia(context.Background(), f.world.Partner1.ID, storetest.PNG(f.t, 256, 256, color.RGBA{0, 120, 255, 255}))
	if err != nil {
		f.t.Fatal(err)
	}
	return img
}

// hrLeaf is a leaf category that operator@ reviews.
func (f *fixture) hrLeaf() string { return f.world.Categories["Attendance & Scheduling"].ID }

// revisionIn returns a fresh app's revision advanced to state: "draft",
// "submitted", "listed" or "delisted" (the last two name the listing's).
func (f *fixture) revisionIn(state string) *shelf.RevisionInfo {
	f.t.Helper()
	ctx := context.Background()
	partner := f.world.Users[demo.PartnerEmail].ID
	app, _ := f.partnerApp(shelf.AppOrg)
	rev, err := f.st.CreateRevision(ctx, app.ID, partner, storetest.ValidRevision(f.hrLeaf(), f.icon()))
	if err != nil {
		f.t.Fatal(err)
	}
	if state == "draft" {
		return rev
	}
	now := f.clock.Now()
	if err := f.st.RecordSelfTest(ctx, &shelf.SelfTest{AppID: app.ID, TestOrgID: f.world.TestOrg.ID, StartedBy: partner, ConfigHash: app.ConfigHash(),
		Passed: true, Checks: []shelf.SelfTestCheck{}, StartedAt: now, FinishedAt: now}); err != nil {
		f.t.Fatal(err)
	}
	if rev, err = f.st.Submit(ctx, rev.ID, partner); err != nil {
		f.t.Fatal(err)
	}
	if state == "submitted" {
		return rev
	}
	if rev, err = f.st.Decide(ctx, rev.ID, f.world.Users[demo.OperatorEmail].ID, shelf.ReviewDecision{Approve: true}); err != nil {
		f.t.Fatal(err)
	}
	if state == "delisted" {
		if _, err := f.st.ChangeListing(ctx, rev.ListingID, partner, shelf.ListingDelist, "升级"); err != nil {
			f.t.Fatal(err)
		}
	}
	return rev
}
