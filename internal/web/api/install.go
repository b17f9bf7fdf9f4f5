package api

import (
	"net/http"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/httpx"
)

func (h *Handler) installRoutes() []route {
	return []route{
		{"GET", "/api/v1/orgs/{org}/installations", h.listInstallations},
		{"POST", "/api/v1/orgs/{org}/installations", h.install},
		{"DELETE", "/api/v1/orgs/{org}/installations/{installation}", h.uninstall},
		{"GET", "/api/v1/orgs/{org}/notices", h.notices},
		{"GET", "/api/v1/apps/{app}/installations", h.appInstallations},
	}
}

// appInstallations lists the orgs that have the app, for its partner's
// members: the orgs whose events a vendor pulls. Cursor-paged.
func (h *Handler) appInstallations(w http.ResponseWriter, r *http.Request) error {
	acc, err := h.RequireApp(r, shelf.RoleMember)
	if err != nil {
		return err
	}
	p, limit, err := appInstallationsPager.request(r)
	if err != nil {
		return err
	}
	items, err := h.Listings.AppInstallations(r.Context(), acc.App.ID, afterKey(p), p.Limit)
	return appInstallationsPager.write(w, r, items, limit, err)
}

// appInstallationsPager pages an app's installations by id.
var appInstallationsPager = keyPager("app-installations", func(i shelf.AppInstallation) string { return i.ID })

type installRequest struct {
	AppID   string `json:"app_id"`
	GroupID string `json:"group_id"`
}

// install installs an app into the org: org admins install into the
// org; a group's owner may also install a cool app into that group. The
// same call installs the built-in partner console into a partner org.
func (h *Handler) install(w http.ResponseWriter, r *http.Request) error {
	acc, err := h.RequireOrg(r, shelf.RoleMember)
	if err != nil {
		return err
	}
	var req installRequest
	if err := httpx.DecodeJSON(w, r, &req); err != nil {
		return err
	}
	if req.AppID == "" {
		return shelf.FieldError("app_id", "required", "app_id is required")
	}
	if ok, err := h.ManagesGroupApps(r.Context(), acc, req.GroupID); err != nil {
		return err
	} else if !ok {
		return shelf.Forbidden("org_admin_required", "only an org admin installs apps (a group's owner may install a cool app into the group)")
	}
	inst, created, err := h.Listings.Install(r.Context(), shelf.NewInstallation{AppID: req.AppID, OrgID: acc.Org.ID, GroupID: req.GroupID, ByUserID: acc.User.ID})
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	httpx.WriteJSON(w, status, inst)
	return nil
}

func (h *Handler) listInstallations(w http.ResponseWriter, r *http.Request) error {
	acc, err := h.RequireOrg(r, shelf.RoleMember)
	if err != nil {
		return err
	}
	page, limit, err := installationsPager.request(r)
	if err != nil {
		return err
	}
	list, err := h.Listings.Installations(r.Context(), acc.Org.ID, page)
	return installationsPager.write(w, r, list, limit, err)
}

var (
	installationsPager = pager[shelf.Installation]{tag: "installations", shape: "is", key: func(i shelf.Installation) []any { return []any{i.CreatedAt.UnixMicro(), i.ID} }}
	noticesPager       = pager[shelf.Notice]{tag: "notices", shape: "is", key: func(n shelf.Notice) []any { return []any{n.CreatedAt.UnixMicro(), n.ID} }}
)

// uninstall: org admins uninstall anything; a group's owner uninstalls
// what is installed in their group (they may install it, too).
func (h *Handler) uninstall(w http.ResponseWriter, r *http.Request) error {
	acc, err := h.RequireOrg(r, shelf.RoleMember)
	if err != nil {
		return err
	}
	inst, err := h.Listings.Installation(r.Context(), r.PathValue("installation"))
	if err != nil {
		return err
	}
	if inst.OrgID != acc.Org.ID {
		return shelf.NotFound("installation")
	}
	if ok, err := h.ManagesGroupApps(r.Context(), acc, inst.GroupID); err != nil {
		return err
	} else if !ok {
		return shelf.Forbidden("org_admin_required", "only an org admin uninstalls apps (a group's owner may uninstall from the group)")
	}
	if err := h.Listings.Uninstall(r.Context(), inst.ID, acc.User.ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (h *Handler) notices(w http.ResponseWriter, r *http.Request) error {
	acc, err := h.RequireOrg(r, shelf.RoleAdmin)
	if err != nil {
		return err
	}
	page, limit, err := noticesPager.request(r)
	if err != nil {
		return err
	}
	list, err := h.Listings.Notices(r.Context(), acc.Org.ID, page)
	return noticesPager.write(w, r, list, limit, err)
}
