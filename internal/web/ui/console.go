package ui

import (
	"errors"
	"io"
	"net/http"
	"sort"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/access"
	"github.com/shelfhq/shelf/internal/web/httpx"
	"github.com/shelfhq/shelf/internal/web/service"
)

// consolePage is the partner console (伙伴自运营平台) of a partner org.
type consolePage struct {
	Org       *shelf.Org
	Installed bool
	IsAdmin   bool
	Apps      []consoleApp
	Notices   []shelf.Notice
	Created   *service.CreatedApp // right after registering: the secrets, shown once
	Tab       string
	Members   []shelf.Membership
}

// consoleApp is an app with the state the partner cares about.
type consoleApp struct {
	shelf.App
	State   string // draft, self_tested, in_review, rejected, listed, delisted, taken_down
	Listing *shelf.ListingInfo
}

// appState sums up where an app stands on its way to the market.
func appState(li *shelf.ListingInfo, st *shelf.SelfTest) string {
	if li != nil {
		switch {
		case li.State == shelf.ListingListed:
			return "listed"
		case li.State == shelf.ListingDelisted:
			return "delisted"
		case li.State == shelf.ListingTakenDown:
			return "taken_down"
		case li.Pending != nil && li.Pending.State == shelf.RevisionSubmitted:
			return "in_review"
		case li.Pending != nil && li.Pending.State == shelf.RevisionRejected:
			return "rejected"
		}
	}
	if st != nil && st.Passed && st.Current {
		return "self_tested"
	}
	return "draft"
}

func (h *Handler) loadConsole(r *http.Request) (*consolePage, error) {
	acc, err := h.RequireOrg(r, shelf.RoleMember)
	if err != nil {
		return nil, err
	}
	if !access.IsPartnerOrg(acc.Org) {
		return nil, shelf.NotFound("partner console")
	}
	p := &consolePage{Org: acc.Org, IsAdmin: acc.IsAdmin(), Tab: "console"}
	if p.Members, err = h.Store.Members(r.Context(), acc.Org.ID); err != nil {
		return nil, err
	}
	if p.Installed, err = h.ConsoleInstalled(r.Context(), acc.Org.ID); err != nil || !p.Installed {
		return p, err
	}
	apps, err := h.Apps.Apps(r.Context(), acc.Org.ID)
	if err != nil {
		return nil, err
	}
	listings, err := h.Listings.PartnerListings(r.Context(), acc.Org.ID)
	if err != nil {
		return nil, err
	}
	byApp := map[string]*shelf.ListingInfo{}
	for i := range listings {
		byApp[listings[i].AppID] = &listings[i]
	}
	for _, a := range apps {
		st, err := h.Listings.LatestSelfTest(r.Context(), a.ID)
		if err != nil && shelf.ErrorKind(err) != shelf.KindNotFound {
			return nil, err
		}
		p.Apps = append(p.Apps, consoleApp{App: a, Listing: byApp[a.ID], State: appState(byApp[a.ID], st)})
	}
	sort.SliceStable(p.Apps, func(i, j int) bool { return p.Apps[i].CreatedAt.After(p.Apps[j].CreatedAt) })
	if p.IsAdmin {
		if p.Notices, err = h.Listings.Notices(r.Context(), acc.Org.ID, 10); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func (h *Handler) showConsole(w http.ResponseWriter, r *http.Request, created *service.CreatedApp, formErr error) {
	p, err := h.loadConsole(r)
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	p.Created = created
	h.showIn(w, r, "console", "console.title", p, p.Org, formErr)
}

// showIn renders a page about an org (nil: none) for the switcher, with a
// refused form's messages placed next to its fields.
func (h *Handler) showIn(w http.ResponseWriter, r *http.Request, page, titleKey string, data any, org *shelf.Org, formErr error) {
	h.renderView(w, r, page, translate(language(r), titleKey), data, org, formErr)
}

// renderView builds the view of a page and renders it; a form error sets
// the status and the messages.
func (h *Handler) renderView(w http.ResponseWriter, r *http.Request, page, title string, data any, org *shelf.Org, formErr error) {
	v, err := h.newView(r, title, data)
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	v.Org = org
	status := http.StatusOK
	if formErr != nil {
		var d httpx.ErrorDetail
		status, d = httpx.PublicError(r, formErr)
		v.Error = d.Message
		v.ErrorField = d.Field
		v.FieldErrors = fieldErrors(formErr)
	}
	h.render(w, r, status, page, v)
}

// fieldErrors maps each field of a refused form to its first message.
func fieldErrors(err error) map[string]string {
	out := map[string]string{}
	for _, e := range shelf.AllErrors(err) {
		if _, seen := out[e.Field]; !seen && e.Field != "" {
			out[e.Field] = e.Message
		}
	}
	return out
}

func (h *Handler) pageConsole(w http.ResponseWriter, r *http.Request) { h.showConsole(w, r, nil, nil) }

// postConsoleInstall installs (or uninstalls) the partner console from the
// org's workbench.
func (h *Handler) postConsoleInstall(w http.ResponseWriter, r *http.Request) {
	acc, err := h.RequireOrg(r, shelf.RoleAdmin)
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	if r.PostFormValue("action") == "uninstall" {
		var list []shelf.Installation
		list, err = h.Listings.Installations(r.Context(), acc.Org.ID)
		for _, in := range list {
			if err == nil && in.AppID == shelf.PartnerConsoleID {
				err = h.Listings.Uninstall(r.Context(), in.ID, acc.User.ID)
			}
		}
	} else {
		_, _, err = h.Listings.Install(r.Context(), shelf.NewInstallation{AppID: shelf.PartnerConsoleID, OrgID: acc.Org.ID, ByUserID: acc.User.ID})
	}
	if err != nil {
		h.showConsole(w, r, nil, err)
		return
	}
	done(w, r, "/orgs/"+acc.Org.ID+"/console", "")
}

// postConsoleApp registers an app and shows its secrets once, in the
// response to the POST itself (never in a URL).
func (h *Handler) postConsoleApp(w http.ResponseWriter, r *http.Request) {
	acc, err := h.RequirePartnerAdmin(r)
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	webhook := r.PostFormValue("webhook_url")
	if err := h.CheckWebhookURL(r.Context(), webhook); err != nil {
		h.showConsole(w, r, nil, err)
		return
	}
	a, creds, err := h.Apps.CreateApp(r.Context(), shelf.NewApp{OrgID: acc.Org.ID, CreatorID: acc.User.ID, Name: r.PostFormValue("name"),
		NameEn: r.PostFormValue("name_en"), Kind: shelf.AppKind(r.PostFormValue("kind")), HomepageURL: r.PostFormValue("homepage_url"), LaunchURL: r.PostFormValue("launch_url"), WebhookURL: webhook})
	if err != nil {
		h.showConsole(w, r, nil, err)
		return
	}
	h.showConsole(w, r, &service.CreatedApp{App: *a, AppCredentials: *creds}, nil)
}

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
	if p.TestOrgs, err = h.Store.TestOrgs(ctx, app.OrgID); err != nil {
		return nil, err
	}
	if p.SelfTests, err = h.Listings.SelfTests(ctx, app.ID, 5); err != nil {
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
	if p.Changes, err = h.Listings.AuditLog(ctx, shelf.AuditQuery{Text: app.ID, Limit: 20}); err != nil {
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
	h.Emitted()
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

// serveMedia serves uploaded images. Ids are unguessable and images are
// meant to be shown on the storefront, so no sign-in is needed.
func (h *Handler) serveMedia(w http.ResponseWriter, r *http.Request) {
	b, ct, err := h.Listings.Media(r.Context(), r.PathValue("id"))
	if err != nil {
		if shelf.ErrorKind(err) == shelf.KindNotFound {
			http.NotFound(w, r)
			return
		}
		h.pageError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	_, _ = w.Write(b)
}

// uploadForm reads an image from a multipart form field, if one was sent.
func uploadForm(r *http.Request, field string) ([]byte, error) {
	f, _, err := r.FormFile(field)
	if errors.Is(err, http.ErrMissingFile) {
		return nil, nil
	}
	if err != nil {
		return nil, &shelf.Error{Kind: shelf.KindBadRequest, Code: "bad_upload", Field: field, Message: "the upload cannot be read"}
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, shelf.MaxImageBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) == 0 {
		return nil, nil
	}
	return b, nil
}
