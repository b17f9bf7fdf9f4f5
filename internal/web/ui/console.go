package ui

import (
	"net/http"
	"sort"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/access"
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
	var f shelf.AppFacts
	if li != nil {
		f.Listing = li.State
		if li.Pending != nil {
			f.Revision = li.Pending.State
		}
	}
	if st != nil {
		f.SelfTestPassed, f.SelfTestCurrent = st.Passed, st.Current
	}
	return shelf.DeriveAppState(f)
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
	if p.Members, err = h.Store.Members(r.Context(), acc.Org.ID, shelf.PageReq{}); err != nil {
		return nil, err
	}
	if p.Installed, err = h.ConsoleInstalled(r.Context(), acc.Org.ID); err != nil {
		return nil, err
	}
	if !p.Installed {
		return p, nil
	}
	apps, err := h.Apps.Apps(r.Context(), acc.Org.ID, shelf.PageReq{})
	if err != nil {
		return nil, err
	}
	listings, err := h.Listings.PartnerListings(r.Context(), acc.Org.ID, shelf.PageReq{})
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
		if p.Notices, err = h.Listings.Notices(r.Context(), acc.Org.ID, shelf.FirstPage(10)); err != nil {
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
		list, err = h.Listings.Installations(r.Context(), acc.Org.ID, shelf.PageReq{})
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
