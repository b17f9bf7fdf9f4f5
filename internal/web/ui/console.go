package ui

import (
	"net/http"

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
	Search    listSearch  // of the apps, by name
	Paging    pagingLinks // of the apps
}

// consoleAppsList pages a partner's apps by name, as the API does.
var consoleAppsList = pagingList[shelf.App]{tag: "apps", shape: "ss", key: func(a shelf.App) []any { return []any{a.Name, a.ID} }}

// loadConsoleApps reads one page of the partner's apps (by name, narrowed
// by ?q=), with the listing and the latest self-test of each: the
// listings of that page only, however many the partner has.
func (h *Handler) loadConsoleApps(r *http.Request, p *consolePage) error {
	ctx := r.Context()
	r = listRequest(r, "/orgs/"+p.Org.ID+"/console")
	p.Search = searchOf(r, "app-search")
	apps, links, err := consoleAppsList.in(p.Search.Q).read(r, pagingSize, func(pr shelf.PageReq) ([]shelf.App, error) {
		return h.Apps.SearchApps(ctx, p.Org.ID, p.Search.Q, pr)
	})
	if err != nil {
		return err
	}
	p.Paging = links
	ids := make([]string, len(apps))
	for i, a := range apps {
		ids[i] = a.ID
	}
	listings, err := h.Listings.ListingsForApps(ctx, p.Org.ID, ids)
	if err != nil {
		return err
	}
	byApp := map[string]*shelf.ListingInfo{}
	for i := range listings {
		byApp[listings[i].AppID] = &listings[i]
	}
	for _, a := range apps {
		st, err := h.Listings.LatestSelfTest(ctx, a.ID)
		if err != nil && shelf.ErrorKind(err) != shelf.KindNotFound {
			return err
		}
		p.Apps = append(p.Apps, consoleApp{App: a, Listing: byApp[a.ID], State: appState(byApp[a.ID], st)})
	}
	return nil
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
	if err := h.loadConsoleApps(r, p); err != nil {
		return nil, err
	}
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
