package ui

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/shelfhq/shelf/internal/oidc"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/access"
	"github.com/shelfhq/shelf/internal/web/auth"
)

// oidcPage is the sign-in page an app's OpenID request lands on: which app
// asks, as whom, for which of the member's orgs where it is installed.
type oidcPage struct {
	Request *oidc.LoginRequest
	Orgs    []shelf.OrgWithRole
}

// loadOIDC reads the sign-in request in ?id= (or the form's id): a
// not-found error once it expired or was answered, or when Shelf is no
// OpenID provider.
func (h *Handler) loadOIDC(r *http.Request) (*oidc.LoginRequest, error) {
	if h.SSO == nil {
		return nil, shelf.NotFound("sign-in request")
	}
	id := r.URL.Query().Get("id")
	if r.Method == http.MethodPost {
		id = r.PostFormValue("id")
	}
	if id == "" {
		return nil, shelf.NotFound("sign-in request")
	}
	return h.SSO.LoginRequest(r.Context(), id)
}

// pageOIDC shows the sign-in page. Someone not signed in signs in first and
// comes back, unless the app asked for no page at all (prompt=none): then
// the app hears login_required.
func (h *Handler) pageOIDC(w http.ResponseWriter, r *http.Request) {
	req, err := h.loadOIDC(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	a := auth.FromContext(r.Context())
	if a == nil {
		if slices.Contains(req.Prompt, "none") {
			h.denyOIDC(w, r, req.ID, "login_required")
			return
		}
		http.Redirect(w, r, "/signin?next="+url.QueryEscape("/signin/oidc?id="+url.QueryEscape(req.ID)), http.StatusSeeOther)
		return
	}
	p := &oidcPage{Request: req}
	orgs, err := h.Store.OrgsForUser(r.Context(), a.User.ID, shelf.PageReq{})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	for _, o := range orgs {
		ok, err := h.Listings.IsInstalled(r.Context(), req.App.ID, o.ID)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		if ok {
			p.Orgs = append(p.Orgs, o)
		}
	}
	if slices.Contains(req.Prompt, "none") {
		// No page may be shown: sign in when there is nothing to choose.
		if len(p.Orgs) != 1 {
			h.denyOIDC(w, r, req.ID, "interaction_required")
			return
		}
		h.completeOIDC(w, r, req.ID, a.User.ID, p.Orgs[0].ID)
		return
	}
	if len(p.Orgs) == 0 {
		h.showOIDC(w, r, p, shelf.Forbidden("app_not_installed", "not installed"))
		return
	}
	h.showOIDC(w, r, p, nil)
}

// FormAction lets the sign-in form's answer redirect to the app: to any
// https address, or http on loopback, as redirect URIs may be (they are
// checked exactly when the app asks, so the page never sends people
// elsewhere).
func (*oidcPage) FormAction() string { return offSiteForms }

// offSiteForms are the addresses a form's redirect may go to when it sends
// people off the site.
const offSiteForms = "https: http://localhost:* http://127.0.0.1:*"

func (h *Handler) showOIDC(w http.ResponseWriter, r *http.Request, p *oidcPage, formErr error) {
	h.showPage(w, r, "oidc_signin", translate(language(r), "oidc.title")+" · "+p.Request.App.Name, p, nil, formErr)
}

// postOIDC answers the request: Continue signs the member in for the
// chosen org, Cancel tells the app access_denied.
func (h *Handler) postOIDC(w http.ResponseWriter, r *http.Request) {
	u, err := access.RequireUser(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	req, err := h.loadOIDC(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if r.PostFormValue("action") == "cancel" {
		h.denyOIDC(w, r, req.ID, "access_denied")
		return
	}
	h.completeOIDC(w, r, req.ID, u.ID, r.PostFormValue("org"))
}

func (h *Handler) completeOIDC(w http.ResponseWriter, r *http.Request, id, userID, orgID string) {
	to, err := h.SSO.Complete(r.Context(), id, userID, orgID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, to, http.StatusFound)
}

func (h *Handler) denyOIDC(w http.ResponseWriter, r *http.Request, id, code string) {
	to, err := h.SSO.Deny(r.Context(), id, code)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	http.Redirect(w, r, to, http.StatusFound)
}
