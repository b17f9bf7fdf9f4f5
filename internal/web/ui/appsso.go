package ui

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/shelfhq/shelf/internal/oidc"
	"github.com/shelfhq/shelf/internal/shelf"
)

// ssoDocs is the single sign-on guide for vendors (docs/oidc.md).
const ssoDocs = "https://github.com/shelfhq/shelf/blob/main/docs/oidc.md"

// ssoPage is an app's single sign-on settings, for the admins of its
// partner org.
type ssoPage struct {
	App          *shelf.App
	Org          *shelf.Org
	RedirectURIs string // one per line, as the form shows them
	InitiateURI  string
	Issuer       string
	Discovery    string
	Docs         string
	On           bool // whether this installation runs the OpenID provider
}

func (h *Handler) pageAppSSO(w http.ResponseWriter, r *http.Request) {
	acc, err := h.RequireApp(r, shelf.RoleAdmin)
	if err != nil {
		h.failPage(w, r, err)
		return
	}
	settings, err := h.Apps.AppOIDC(r.Context(), acc.App.ID)
	if err != nil {
		h.failPage(w, r, err)
		return
	}
	h.showSSO(w, r, acc.App, strings.Join(settings.RedirectURIs, "\n"), settings.InitiateLoginURI, nil)
}

// showSSO shows the settings page; formErr is already in the reader's
// language.
func (h *Handler) showSSO(w http.ResponseWriter, r *http.Request, app *shelf.App, redirects, initiate string, formErr error) {
	org, err := h.Store.Org(r.Context(), app.OrgID)
	if err != nil {
		h.failPage(w, r, err)
		return
	}
	issuer := strings.TrimRight(h.BaseURL.String(), "/")
	p := &ssoPage{App: app, Org: org, RedirectURIs: redirects, InitiateURI: initiate, Issuer: issuer,
		Discovery: issuer + oidc.DiscoveryPath, Docs: ssoDocs, On: h.SSO != nil}
	h.showIn(w, r, "appsso", "sso.title", p, org, formErr)
}

// postAppSSO saves the redirect URIs (one per line, blank lines skipped)
// and the initiate-login URI; a refused form comes back as typed, the
// message next to its field.
func (h *Handler) postAppSSO(w http.ResponseWriter, r *http.Request) {
	a, u, ok := h.appForm(w, r)
	if !ok {
		return
	}
	redirects, initiate := r.PostFormValue("redirect_uris"), r.PostFormValue("initiate_login_uri")
	var uris []string
	for _, line := range strings.Split(redirects, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			uris = append(uris, line)
		}
	}
	if _, err := h.Apps.SetAppOIDC(r.Context(), a.ID, uris, initiate, u.ID); err != nil {
		h.showSSO(w, r, a, redirects, initiate, badLine(language(r), uris, err))
		return
	}
	done(w, r, "/apps/"+a.ID+"/sso", "sso.saved")
}

// badLine puts a refusal in the reader's language and says which line of
// the redirect URIs it is about: the store's check names the field, not
// the line.
func badLine(lang string, uris []string, err error) error {
	err = localError(lang, err)
	e, ok := shelf.AsError(err)
	if !ok || e.Field != "redirect_uris" || e.Code == "too_many" {
		return err
	}
	for i, u := range uris {
		if _, lineErr := shelf.CheckAppOIDC(shelf.AppOIDC{RedirectURIs: []string{u}}); lineErr != nil {
			e.Message = fmt.Sprintf(translate(lang, "sso.line"), i+1) + e.Message
			break
		}
	}
	return err
}
