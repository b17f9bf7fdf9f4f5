package api

import (
	"net/http"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/httpx"
	"github.com/shelfhq/shelf/internal/web/service"
)

// coolGroupRoutes are a group's cool apps and its membership as cool apps
// hear of it.
func (h *Handler) coolGroupRoutes() []route {
	return []route{
		{"GET", "/api/v1/orgs/{org}/groups/{group}/apps", h.coolGroupApps},
		{"POST", "/api/v1/orgs/{org}/groups/{group}/apps/{app}/launch", h.coolLaunch},
		{"PATCH", "/api/v1/orgs/{org}/groups/{group}/members/{user}", h.coolSetGroupRole},
		{"DELETE", "/api/v1/orgs/{org}/groups/{group}/members/{user}", h.coolRemoveGroupMember},
	}
}

// coolGroupApps lists the group's cool apps for one of its members, with
// whether the caller may use each. Cursor-paged by installation.
func (h *Handler) coolGroupApps(w http.ResponseWriter, r *http.Request) error {
	acc, g, err := h.RequireGroupMember(r)
	if err != nil {
		return err
	}
	p, limit, err := groupAppsPager.request(r)
	if err != nil {
		return err
	}
	insts, err := h.Cool.GroupInstallations(r.Context(), g.ID, afterKey(p), p.Limit)
	if err != nil {
		return err
	}
	items := make([]service.GroupCoolApp, 0, len(insts))
	for _, in := range insts {
		a, err := h.GroupCoolApp(r.Context(), in, acc.User.ID)
		if err != nil {
			return err
		}
		items = append(items, a)
	}
	return groupAppsPager.write(w, r, items, limit, nil)
}

// groupAppsPager pages a group's cool apps by installation.
var groupAppsPager = keyPager("group-apps", func(a service.GroupCoolApp) string { return a.InstallationID })

type coolLaunchRequest struct {
	Path string `json:"path"`
}

type coolLaunchResponse struct {
	URL string `json:"url"`
}

// coolLaunch opens a cool app of the group for one of its members, signed
// in: 403 seat_required ("ask your admin") for a paid one without a seat.
func (h *Handler) coolLaunch(w http.ResponseWriter, r *http.Request) error {
	acc, g, err := h.RequireGroupMember(r)
	if err != nil {
		return err
	}
	var req coolLaunchRequest
	if r.ContentLength != 0 {
		if err := httpx.DecodeJSON(w, r, &req); err != nil {
			return err
		}
	}
	if err := (&shelf.CardButton{Text: "x", Path: req.Path}).CheckPath("path"); err != nil {
		return err
	}
	in, err := h.Cool.GroupInstallation(r.Context(), g.ID, r.PathValue("app"))
	if err != nil {
		return err
	}
	if ok, err := h.CoolUsable(r.Context(), in.OrgID, in.AppID, acc.User.ID); err != nil {
		return err
	} else if !ok {
		return service.ErrAskYourAdmin()
	}
	to, err := h.CoolLaunchURL(r.Context(), in.AppID, acc.User.ID, req.Path)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, coolLaunchResponse{URL: to})
	return nil
}

type groupRoleRequest struct {
	Role string `json:"role"`
}

// coolSetGroupRole makes a member a group admin (or a member again): the
// org's admins and the group's owner.
func (h *Handler) coolSetGroupRole(w http.ResponseWriter, r *http.Request) error {
	acc, g, err := h.RequireGroupMember(r)
	if err != nil {
		return err
	}
	if !acc.IsAdmin() && g.OwnerID != acc.User.ID {
		return shelf.Forbidden("group_owner_required", "only the group's owner or an org admin names group admins")
	}
	var req groupRoleRequest
	if err := httpx.DecodeJSON(w, r, &req); err != nil {
		return err
	}
	if err := h.Cool.SetGroupRole(r.Context(), g.ID, r.PathValue("user"), req.Role, acc.User.ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// coolRemoveGroupMember: anyone leaves a group; the owner, group admins
// and org admins remove others. The group's cool apps hear of it.
func (h *Handler) coolRemoveGroupMember(w http.ResponseWriter, r *http.Request) error {
	acc, g, err := h.RequireGroupMember(r)
	if err != nil {
		return err
	}
	user := r.PathValue("user")
	if user != acc.User.ID {
		if ok, err := h.ManagesGroupApps(r.Context(), acc, g.ID); err != nil {
			return err
		} else if !ok {
			return shelf.Forbidden("group_admin_required", "only the group's owner or admins remove others from it")
		}
	}
	if err := h.Cool.RemoveGroupMember(r.Context(), g.ID, user, acc.User.ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
