package ui

import (
	"net/http"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/service"
)

// appPage is the partner's page of one app: settings, self-tests, listing.
type appPage struct {
	App       *shelf.App
	Org       *shelf.Org
	State     string
	TestOrgs  []shelf.Org
	SelfTests []shelf.SelfTest
	Latest    *shelf.SelfTest
	Listing   *shelf.ListingInfo
	History   []shelf.RevisionInfo
	Changes   []shelf.AuditEntry // the app's own history: registration and settings
}

func (h *Handler) loadAppPage(r *http.Request) (*appPage, error) {
	app, _, err := h.RequirePartnerApp(r)
	if err != nil {
		return nil, err
	}
	p := &appPage{App: app}
	ctx := r.Context()
	if p.Org, err = h.Store.Org(ctx, app.OrgID); err != nil {
		return nil, err
	}
	if p.TestOrgs, err = h.Store.TestOrgs(ctx, app.OrgID, shelf.PageReq{}); err != nil {
		return nil, err
	}
	if p.SelfTests, err = h.Listings.SelfTests(ctx, app.ID, shelf.FirstPage(5)); err != nil {
		return nil, err
	}
	if len(p.SelfTests) > 0 {
		p.Latest = &p.SelfTests[0]
	}
	li, err := h.Listings.ListingForApp(ctx, app.ID)
	switch {
	case err == nil:
		p.Listing = li
		if p.History, err = h.Listings.Revisions(ctx, li.ID); err != nil {
			return nil, err
		}
	case shelf.ErrorKind(err) != shelf.KindNotFound:
		return nil, err
	}
	p.State = appState(p.Listing, p.Latest)
	if p.Changes, err = h.Listings.AuditLog(ctx, shelf.AuditQuery{Text: app.ID, PageReq: shelf.FirstPage(20)}); err != nil {
		return nil, err
	}
	return p, nil
}

func (h *Handler) showApp(w http.ResponseWriter, r *http.Request, formErr error) {
	p, err := h.loadAppPage(r)
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	h.showIn(w, r, "app", "console.app", p, p.Org, formErr)
}

func (h *Handler) pageApp(w http.ResponseWriter, r *http.Request) { h.showApp(w, r, nil) }

// postSelfTest runs a self-test from the app page.
func (h *Handler) postSelfTest(w http.ResponseWriter, r *http.Request) {
	app, u, err := h.RequirePartnerApp(r)
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	if h.SelfTests == nil {
		h.pageError(w, r, service.ErrNoSelfTests())
		return
	}
	if _, err := h.SelfTests.Run(r.Context(), app.ID, r.PostFormValue("test_org_id"), u.ID); err != nil {
		h.showApp(w, r, err)
		return
	}
	done(w, r, "/apps/"+app.ID+"#self-test", "console.self_test_ran")
}

// postEditListing opens the editor on the listing's revision in progress,
// starting one (a copy of the live revision, or empty) if there is none.
func (h *Handler) postEditListing(w http.ResponseWriter, r *http.Request) {
	app, u, err := h.RequirePartnerApp(r)
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	li, err := h.Listings.ListingForApp(r.Context(), app.ID)
	if err != nil && shelf.ErrorKind(err) != shelf.KindNotFound {
		h.pageError(w, r, err)
		return
	}
	if li != nil && li.Pending != nil {
		done(w, r, "/revisions/"+li.Pending.ID+"/edit", "")
		return
	}
	start := &shelf.Revision{Name: app.Name, PricingRule: shelf.PricingPerUser}
	if li != nil && li.Live != nil {
		start = &li.Live.Revision
	}
	rev, err := h.Listings.CreateRevision(r.Context(), app.ID, u.ID, start)
	if err != nil {
		h.showApp(w, r, err)
		return
	}
	done(w, r, "/revisions/"+rev.ID+"/edit", "")
}

// postPartnerListing delists or relists from the app page (partner admins).
func (h *Handler) postPartnerListing(w http.ResponseWriter, r *http.Request) {
	app, u, err := h.RequirePartnerApp(r)
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	li, err := h.Listings.ListingForApp(r.Context(), app.ID)
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	action := shelf.ListingRelist
	if r.PostFormValue("action") == "delist" {
		action = shelf.ListingDelist
	}
	if _, err := h.Listings.ChangeListing(r.Context(), li.ID, u.ID, action, r.PostFormValue("reason")); err != nil {
		h.showApp(w, r, err)
		return
	}
	done(w, r, "/apps/"+app.ID, "")
}
