package web

import (
	"errors"
	"io"
	"net/http"
	"sort"

	"github.com/shelfhq/shelf/internal/shelf"
)

// consolePage is the partner console (伙伴自运营平台) of a partner org.
type consolePage struct {
	Org       *shelf.Org
	Installed bool
	IsAdmin   bool
	Apps      []consoleApp
	Notices   []shelf.Notice
	Created   *createdApp // right after registering: the secrets, shown once
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

func (s *Server) loadConsole(r *http.Request) (*consolePage, error) {
	acc, err := s.requireOrg(r, shelf.RoleMember)
	if err != nil {
		return nil, err
	}
	if acc.org.Kind != shelf.OrgPartner || acc.org.Test {
		return nil, shelf.NotFound("partner console")
	}
	p := &consolePage{Org: acc.org, IsAdmin: acc.isAdmin(), Tab: "console"}
	if p.Members, err = s.store.Members(r.Context(), acc.org.ID); err != nil {
		return nil, err
	}
	if p.Installed, err = s.listings.IsInstalled(r.Context(), shelf.PartnerConsoleID, acc.org.ID); err != nil || !p.Installed {
		return p, err
	}
	apps, err := s.apps.Apps(r.Context(), acc.org.ID)
	if err != nil {
		return nil, err
	}
	listings, err := s.listings.PartnerListings(r.Context(), acc.org.ID)
	if err != nil {
		return nil, err
	}
	byApp := map[string]*shelf.ListingInfo{}
	for i := range listings {
		byApp[listings[i].AppID] = &listings[i]
	}
	for _, a := range apps {
		st, err := s.listings.LatestSelfTest(r.Context(), a.ID)
		if err != nil && shelf.ErrorKind(err) != shelf.KindNotFound {
			return nil, err
		}
		p.Apps = append(p.Apps, consoleApp{App: a, Listing: byApp[a.ID], State: appState(byApp[a.ID], st)})
	}
	sort.SliceStable(p.Apps, func(i, j int) bool { return p.Apps[i].CreatedAt.After(p.Apps[j].CreatedAt) })
	if p.IsAdmin {
		if p.Notices, err = s.listings.Notices(r.Context(), acc.org.ID, 10); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func (s *Server) showConsole(w http.ResponseWriter, r *http.Request, created *createdApp, formErr error) {
	p, err := s.loadConsole(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	p.Created = created
	s.showIn(w, r, "console", "console.title", p, p.Org, formErr)
}

// showIn renders a page about an org (nil: none) for the switcher, with a
// refused form's messages placed next to its fields.
func (s *Server) showIn(w http.ResponseWriter, r *http.Request, page, titleKey string, data any, org *shelf.Org, formErr error) {
	s.renderView(w, r, page, translate(language(r), titleKey), data, org, formErr)
}

// renderView builds the view of a page and renders it; a form error sets
// the status and the messages.
func (s *Server) renderView(w http.ResponseWriter, r *http.Request, page, title string, data any, org *shelf.Org, formErr error) {
	v, err := s.newView(r, title, data)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	v.Org = org
	status := http.StatusOK
	if formErr != nil {
		var d errorDetail
		status, d = s.publicError(r, formErr)
		v.Error = d.Message
		v.ErrorField = d.Field
		v.FieldErrors = fieldErrors(formErr)
	}
	s.render(w, r, status, page, v)
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

func (s *Server) pageConsole(w http.ResponseWriter, r *http.Request) { s.showConsole(w, r, nil, nil) }

// postConsoleInstall installs (or uninstalls) the partner console from the
// org's workbench.
func (s *Server) postConsoleInstall(w http.ResponseWriter, r *http.Request) {
	acc, err := s.requireOrg(r, shelf.RoleAdmin)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if r.PostFormValue("action") == "uninstall" {
		var list []shelf.Installation
		list, err = s.listings.Installations(r.Context(), acc.org.ID)
		for _, in := range list {
			if err == nil && in.AppID == shelf.PartnerConsoleID {
				err = s.listings.Uninstall(r.Context(), in.ID, acc.user.ID)
			}
		}
	} else {
		_, _, err = s.listings.Install(r.Context(), shelf.NewInstallation{AppID: shelf.PartnerConsoleID, OrgID: acc.org.ID, ByUserID: acc.user.ID})
	}
	if err != nil {
		s.showConsole(w, r, nil, err)
		return
	}
	done(w, r, "/orgs/"+acc.org.ID+"/console", "")
}

// postConsoleApp registers an app and shows its secrets once, in the
// response to the POST itself (never in a URL).
func (s *Server) postConsoleApp(w http.ResponseWriter, r *http.Request) {
	acc, err := s.requirePartnerAdmin(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	webhook := r.PostFormValue("webhook_url")
	if err := s.checkWebhookURL(r.Context(), webhook); err != nil {
		s.showConsole(w, r, nil, err)
		return
	}
	a, creds, err := s.apps.CreateApp(r.Context(), shelf.NewApp{OrgID: acc.org.ID, CreatorID: acc.user.ID, Name: r.PostFormValue("name"),
		NameEn: r.PostFormValue("name_en"), Kind: shelf.AppKind(r.PostFormValue("kind")), HomepageURL: r.PostFormValue("homepage_url"), LaunchURL: r.PostFormValue("launch_url"), WebhookURL: webhook})
	if err != nil {
		s.showConsole(w, r, nil, err)
		return
	}
	s.showConsole(w, r, &createdApp{App: *a, AppCredentials: *creds}, nil)
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

func (s *Server) loadAppPage(r *http.Request) (*appPage, error) {
	app, _, err := s.requirePartnerApp(r)
	if err != nil {
		return nil, err
	}
	p := &appPage{App: app}
	ctx := r.Context()
	if p.Org, err = s.store.Org(ctx, app.OrgID); err != nil {
		return nil, err
	}
	if p.TestOrgs, err = s.store.TestOrgs(ctx, app.OrgID); err != nil {
		return nil, err
	}
	if p.SelfTests, err = s.listings.SelfTests(ctx, app.ID, 5); err != nil {
		return nil, err
	}
	if len(p.SelfTests) > 0 {
		p.Latest = &p.SelfTests[0]
	}
	li, err := s.listings.ListingForApp(ctx, app.ID)
	switch {
	case err == nil:
		p.Listing = li
		if p.History, err = s.listings.Revisions(ctx, li.ID); err != nil {
			return nil, err
		}
	case shelf.ErrorKind(err) != shelf.KindNotFound:
		return nil, err
	}
	p.State = appState(p.Listing, p.Latest)
	if p.Changes, err = s.listings.AuditLog(ctx, shelf.AuditQuery{Text: app.ID, Limit: 20}); err != nil {
		return nil, err
	}
	return p, nil
}

func (s *Server) showApp(w http.ResponseWriter, r *http.Request, formErr error) {
	p, err := s.loadAppPage(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.showIn(w, r, "app", "console.app", p, p.Org, formErr)
}

func (s *Server) pageApp(w http.ResponseWriter, r *http.Request) { s.showApp(w, r, nil) }

// postSelfTest runs a self-test from the app page.
func (s *Server) postSelfTest(w http.ResponseWriter, r *http.Request) {
	app, u, err := s.requirePartnerApp(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if s.selfTests == nil {
		s.pageError(w, r, shelf.Errorf(shelf.KindInternal, "internal", "self-tests are not configured"))
		return
	}
	if _, err := s.selfTests.Run(r.Context(), app.ID, r.PostFormValue("test_org_id"), u.ID); err != nil {
		s.showApp(w, r, err)
		return
	}
	s.emitted()
	done(w, r, "/apps/"+app.ID+"#self-test", "console.self_test_ran")
}

// postEditListing opens the editor on the listing's revision in progress,
// starting one (a copy of the live revision, or empty) if there is none.
func (s *Server) postEditListing(w http.ResponseWriter, r *http.Request) {
	app, u, err := s.requirePartnerApp(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	li, err := s.listings.ListingForApp(r.Context(), app.ID)
	if err != nil && shelf.ErrorKind(err) != shelf.KindNotFound {
		s.pageError(w, r, err)
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
	rev, err := s.listings.CreateRevision(r.Context(), app.ID, u.ID, start)
	if err != nil {
		s.showApp(w, r, err)
		return
	}
	done(w, r, "/revisions/"+rev.ID+"/edit", "")
}

// serveMedia serves uploaded images. Ids are unguessable and images are
// meant to be shown on the storefront, so no sign-in is needed.
func (s *Server) serveMedia(w http.ResponseWriter, r *http.Request) {
	b, ct, err := s.listings.Media(r.Context(), r.PathValue("id"))
	if err != nil {
		if shelf.ErrorKind(err) == shelf.KindNotFound {
			http.NotFound(w, r)
			return
		}
		s.pageError(w, r, err)
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
