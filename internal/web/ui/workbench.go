package ui

import (
	"net/http"
	"net/url"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/access"
)

// benchApp is an app installed in one of the member's orgs.
type benchApp struct {
	OrgID, OrgName string
	AppID, Name    string
	ListingID      string // to ask for a seat; "" when not listed
	Trial          bool
	DaysLeft       int // of the trial or term; -1 when it does not end
}

// workbenchPage is what a member may launch, and what is installed for
// which they hold no seat.
type workbenchPage struct {
	Launch []benchApp
	NoSeat []benchApp
}

// pageWorkbench lists the apps installed in the reader's customer orgs:
// those their entitlement lets them launch, then the others.
func (h *Handler) pageWorkbench(w http.ResponseWriter, r *http.Request) {
	u, err := access.RequireUser(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	orgs, err := h.Store.OrgsForUser(r.Context(), u.ID, shelf.PageReq{})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	p := &workbenchPage{}
	now := h.Clock.Now()
	names := appNames{h: h, ctx: r.Context(), names: map[string]string{}}
	for _, o := range orgs {
		if o.Kind != shelf.OrgCustomer {
			continue
		}
		insts, err := h.Listings.Installations(r.Context(), o.ID, shelf.PageReq{})
		if err != nil {
			h.fail(w, r, err)
			return
		}
		for _, in := range insts {
			if in.GroupID != "" {
				continue // a cool app lives in its group chat
			}
			a := benchApp{OrgID: o.ID, OrgName: o.Name, AppID: in.AppID, DaysLeft: -1}
			if a.Name, err = names.of(in.AppID); err != nil {
				h.fail(w, r, err)
				return
			}
			es, err := h.Entitlements.Entitlements(r.Context(), in.AppID, o.ID, []string{u.ID})
			if err != nil {
				h.fail(w, r, err)
				return
			}
			if len(es) == 1 && es[0].Status == shelf.EntValid {
				a.Trial = es[0].Trial
				if e := es[0].EndsAt; e != nil && now.Before(*e) {
					a.DaysLeft = int((e.Sub(now) + 24*time.Hour - 1) / (24 * time.Hour))
				}
				p.Launch = append(p.Launch, a)
				continue
			}
			if li, err := h.Listings.ListingForApp(r.Context(), in.AppID); err == nil && li.State == shelf.ListingListed {
				a.ListingID = li.ID
			}
			p.NoSeat = append(p.NoSeat, a)
		}
	}
	h.showPage(w, r, "workbench", translate(language(r), "workbench.title"), p, nil, nil)
}

// launch opens an app for a member whose entitlement is valid: through
// single sign-on (the app's initiate-login URI) when Shelf is an OpenID
// provider, else at the app's launch URL.
func (h *Handler) launch(w http.ResponseWriter, r *http.Request) {
	u, err := access.RequireUser(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	appID, orgID := r.PathValue("app"), r.URL.Query().Get("org")
	if _, member, err := h.Store.MemberRole(r.Context(), orgID, u.ID); err != nil || !member {
		h.fail(w, r, orNotFound(err, "org"))
		return
	}
	es, err := h.Entitlements.Entitlements(r.Context(), appID, orgID, []string{u.ID})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if len(es) != 1 || es[0].Status != shelf.EntValid {
		h.fail(w, r, shelf.Forbidden("no_active_license", "no seat"))
		return
	}
	var to string
	if h.SSO != nil {
		to, err = h.SSO.LaunchURL(r.Context(), appID, u.ID)
	} else {
		var app *shelf.App
		if app, err = h.Apps.App(r.Context(), appID); err == nil {
			to = app.LaunchURL
		}
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if u, perr := url.Parse(to); perr != nil || (u.Scheme != "https" && u.Scheme != "http") {
		h.fail(w, r, shelf.NotFound("app"))
		return
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// orNotFound is err, or a not-found error of what when err is nil.
func orNotFound(err error, what string) error {
	if err != nil {
		return err
	}
	return shelf.NotFound(what)
}
