package api

import (
	"net/http"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/access"
	"github.com/shelfhq/shelf/internal/web/httpx"
)

// coolApplicationRoutes are the cool-app listing applications (酷应用上架
// 申请): filed by partner admins, reviewed by platform operators.
func (h *Handler) coolApplicationRoutes() []route {
	return []route{
		{"POST", "/api/v1/coolapp-applications", h.coolSubmit},
		{"POST", "/api/v1/coolapp-applications/precheck", h.coolPrecheck},
		{"GET", "/api/v1/coolapp-applications", h.coolQueue},
		{"GET", "/api/v1/coolapp-applications/{application}", h.coolApplication},
		{"POST", "/api/v1/coolapp-applications/{application}/decision", h.coolDecide},
		{"GET", "/api/v1/apps/{app}/coolapp-applications", h.coolHistory},
	}
}

type coolSubmitRequest struct {
	AppID string `json:"app_id"`
	shelf.CoolMaterials
}

// coolPartnerApp decodes a request naming an app and checks the caller is
// in the app's partner org with at least role; another org's app is 404.
func (h *Handler) coolPartnerApp(w http.ResponseWriter, r *http.Request, role shelf.Role) (*coolSubmitRequest, access.Org, error) {
	if _, err := access.RequireUser(r); err != nil {
		return nil, access.Org{}, err
	}
	var req coolSubmitRequest
	if err := httpx.DecodeJSON(w, r, &req); err != nil {
		return nil, access.Org{}, err
	}
	if req.AppID == "" {
		return nil, access.Org{}, shelf.FieldError("app_id", "required", "app_id is required")
	}
	app, err := h.Apps.App(r.Context(), req.AppID)
	if err != nil {
		return nil, access.Org{}, err
	}
	acc, err := h.RequireOrgOf(r, app.OrgID, role)
	if e, ok := shelf.AsError(err); ok && e.Code == "org_member_required" {
		err = shelf.NotFound("app") // a platform admin outside the partner org
	}
	return &req, acc, err
}

func (h *Handler) coolSubmit(w http.ResponseWriter, r *http.Request) error {
	req, acc, err := h.coolPartnerApp(w, r, shelf.RoleAdmin)
	if err != nil {
		return err
	}
	a, err := h.Cool.SubmitCoolApp(r.Context(), req.AppID, acc.User.ID, req.CoolMaterials)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, a)
	return nil
}

// coolPrecheck is the editor's live check: what submitting would refuse,
// and the reviewers' usual advice. It changes nothing.
func (h *Handler) coolPrecheck(w http.ResponseWriter, r *http.Request) error {
	req, _, err := h.coolPartnerApp(w, r, shelf.RoleMember)
	if err != nil {
		return err
	}
	fs, err := h.CoolFindings(r.Context(), req.AppID, &req.CoolMaterials)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, precheckResponse{Blocking: shelf.BlocksSubmission(fs), Findings: fs})
	return nil
}

// coolQueue is the platform operators' queue, oldest first.
func (h *Handler) coolQueue(w http.ResponseWriter, r *http.Request) error {
	if _, err := access.RequirePlatform(r, shelf.PlatformAdmin); err != nil {
		return err
	}
	state := r.URL.Query().Get("state")
	p, limit, err := coolQueuePager.request(r, state)
	if err != nil {
		return err
	}
	items, err := h.Cool.CoolAppQueue(r.Context(), shelf.CoolAppState(state), afterKey(p), p.Limit)
	return coolQueuePager.write(w, r, items, limit, err, state)
}

// The cool-app applications' lists, oldest first.
var (
	coolQueuePager   = keyPager("coolapp-queue", coolAppKey)
	coolHistoryPager = keyPager("coolapp-history", coolAppKey)
)

func coolAppKey(a shelf.CoolAppApplication) string { return shelf.TimeKey(a.CreatedAt, a.ID) }

// coolApplication is read by platform admins and the partner org's members.
func (h *Handler) coolApplication(w http.ResponseWriter, r *http.Request) error {
	u, err := access.RequireUser(r)
	if err != nil {
		return err
	}
	a, err := h.Cool.CoolAppApplication(r.Context(), r.PathValue("application"))
	if err != nil {
		return err
	}
	if !u.HasPlatformRole(shelf.PlatformAdmin) {
		if _, err := h.RequireOrgOf(r, a.OrgID, shelf.RoleMember); err != nil {
			return shelf.NotFound("cool-app application")
		}
	}
	httpx.WriteJSON(w, http.StatusOK, a)
	return nil
}

func (h *Handler) coolDecide(w http.ResponseWriter, r *http.Request) error {
	u, err := access.RequirePlatform(r, shelf.PlatformAdmin)
	if err != nil {
		return err
	}
	var d shelf.ReviewDecision
	if err := httpx.DecodeJSON(w, r, &d); err != nil {
		return err
	}
	a, err := h.Cool.DecideCoolApp(r.Context(), r.PathValue("application"), u.ID, d)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, a)
	return nil
}

// coolHistory is an app's applications, oldest first, for its partner.
func (h *Handler) coolHistory(w http.ResponseWriter, r *http.Request) error {
	acc, err := h.RequireApp(r, shelf.RoleMember)
	if err != nil {
		return err
	}
	p, limit, err := coolHistoryPager.request(r)
	if err != nil {
		return err
	}
	items, err := h.Cool.AppCoolApplications(r.Context(), acc.App.ID, afterKey(p), p.Limit)
	return coolHistoryPager.write(w, r, items, limit, err)
}
