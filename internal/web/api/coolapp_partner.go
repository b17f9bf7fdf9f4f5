package api

import (
	"context"
	"net/http"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/access"
	"github.com/shelfhq/shelf/internal/web/httpx"
)

// coolPartnerRoutes are the partner program (the platform's partner
// organization): applications, decisions, standing and suspensions.
func (h *Handler) coolPartnerRoutes() []route {
	return []route{
		{"POST", "/api/v1/partner-program/applications", h.coolApplyPartner},
		{"GET", "/api/v1/partner-program/applications", h.coolPartnerApplications},
		{"GET", "/api/v1/partner-program/applications/{application}", h.coolPartnerApplication},
		{"POST", "/api/v1/partner-program/applications/{application}/decision", h.coolDecidePartner},
		{"GET", "/api/v1/orgs/{org}/partner-program", h.coolPartnerStatus},
		{"POST", "/api/v1/orgs/{org}/partner-program/suspension", h.coolSuspendPartner},
		{"DELETE", "/api/v1/orgs/{org}/partner-program/suspension", h.coolReinstatePartner},
	}
}

type partnerApplyRequest struct {
	OrgID string `json:"org_id"`
	shelf.PartnerApplicationInput
}

// coolApplyPartner files an application for a partner org its admin names.
func (h *Handler) coolApplyPartner(w http.ResponseWriter, r *http.Request) error {
	if _, err := access.RequireUser(r); err != nil {
		return err
	}
	var req partnerApplyRequest
	if err := httpx.DecodeJSON(w, r, &req); err != nil {
		return err
	}
	if req.OrgID == "" {
		return shelf.FieldError("org_id", "required", "org_id is required: the partner org that applies")
	}
	acc, err := h.RequireOrgOf(r, req.OrgID, shelf.RoleAdmin)
	if err != nil {
		return err
	}
	a, err := h.Cool.ApplyPartnerProgram(r.Context(), acc.Org.ID, acc.User.ID, req.PartnerApplicationInput)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, a)
	return nil
}

// coolPartnerApplications is the platform admins' queue, oldest first.
func (h *Handler) coolPartnerApplications(w http.ResponseWriter, r *http.Request) error {
	if _, err := access.RequirePlatform(r, shelf.PlatformAdmin); err != nil {
		return err
	}
	state := r.URL.Query().Get("state")
	p, limit, err := partnerApplicationsPager.request(r, state)
	if err != nil {
		return err
	}
	items, err := h.Cool.PartnerApplications(r.Context(), shelf.PartnerApplicationState(state), afterKey(p), p.Limit)
	return partnerApplicationsPager.write(w, r, items, limit, err, state)
}

// partnerApplicationsPager pages the partner program's applications, oldest first.
var partnerApplicationsPager = keyPager("partner-applications", func(a shelf.PartnerApplication) string { return shelf.TimeKey(a.CreatedAt, a.ID) })

// coolPartnerApplication is read by platform admins and the org's members.
func (h *Handler) coolPartnerApplication(w http.ResponseWriter, r *http.Request) error {
	u, err := access.RequireUser(r)
	if err != nil {
		return err
	}
	a, err := h.Cool.PartnerApplication(r.Context(), r.PathValue("application"))
	if err != nil {
		return err
	}
	if !u.HasPlatformRole(shelf.PlatformAdmin) {
		if _, err := h.RequireOrgOf(r, a.OrgID, shelf.RoleMember); err != nil {
			return shelf.NotFound("partner application")
		}
	}
	httpx.WriteJSON(w, http.StatusOK, a)
	return nil
}

func (h *Handler) coolDecidePartner(w http.ResponseWriter, r *http.Request) error {
	u, err := access.RequirePlatform(r, shelf.PlatformAdmin)
	if err != nil {
		return err
	}
	var d shelf.PartnerDecision
	if err := httpx.DecodeJSON(w, r, &d); err != nil {
		return err
	}
	a, err := h.Cool.DecidePartnerApplication(r.Context(), r.PathValue("application"), u.ID, d)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, a)
	return nil
}

// coolPartnerStatus is the org's standing: its members and platform admins.
func (h *Handler) coolPartnerStatus(w http.ResponseWriter, r *http.Request) error {
	acc, err := h.RequireOrg(r, shelf.RoleMember)
	if err != nil {
		return err
	}
	st, err := h.Cool.PartnerStatus(r.Context(), acc.Org.ID)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, st)
	return nil
}

type partnerReasonRequest struct {
	Reason string `json:"reason"`
}

func (h *Handler) coolSuspendPartner(w http.ResponseWriter, r *http.Request) error {
	return h.coolChangeStanding(w, r, h.Cool.SuspendPartner)
}

func (h *Handler) coolReinstatePartner(w http.ResponseWriter, r *http.Request) error {
	return h.coolChangeStanding(w, r, h.Cool.ReinstatePartner)
}

// coolChangeStanding is for platform admins only, on any org (they are
// not its members): the org is found by id, a missing one is a 404.
func (h *Handler) coolChangeStanding(w http.ResponseWriter, r *http.Request, change func(ctx context.Context, orgID, adminID, reason string) (*shelf.PartnerStatus, error)) error {
	u, err := access.RequirePlatform(r, shelf.PlatformAdmin)
	if err != nil {
		return err
	}
	var req partnerReasonRequest
	if err := httpx.DecodeJSON(w, r, &req); err != nil {
		return err
	}
	st, err := change(r.Context(), r.PathValue("org"), u.ID, req.Reason)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, st)
	return nil
}
