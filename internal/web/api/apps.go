package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/httpx"
	"github.com/shelfhq/shelf/internal/web/service"
)

func (h *Handler) appRoutes() []route {
	return []route{
		{"GET", "/api/v1/orgs/{org}/apps", h.listApps},
		{"POST", "/api/v1/orgs/{org}/apps", h.createApp},
		{"GET", "/api/v1/apps/{app}", h.getApp},
		{"PATCH", "/api/v1/apps/{app}", h.updateApp},
		{"POST", "/api/v1/apps/{app}/webhook-secret/rotate", h.rotateSecret},
		{"POST", "/api/v1/apps/{app}/events/test", h.testPing},
		{"GET", "/api/v1/apps/{app}/deliveries", h.listDeliveries},
		{"POST", "/api/v1/apps/{app}/deliveries/{event}/resend", h.resendEvent},
		{"POST", "/api/v1/apps/{app}/deliveries/resend-failed", h.resendFailed},
		{"POST", "/api/v1/apps/{app}/deliveries/replay", h.replayEvents},
		{"GET", "/api/v1/apps/{app}/attempts", h.listAttempts},
		{"GET", "/api/v1/apps/{app}/delivery-stats", h.deliveryStats},
		{"GET", "/api/v1/vendor/events", h.vendorEvents},
	}
}

// requireVendor authenticates an app by its client credentials (HTTP
// Basic), the vendor API's authentication.
func (h *Handler) requireVendor(r *http.Request) (*shelf.App, error) {
	id, secret, ok := r.BasicAuth()
	if !ok {
		return nil, &shelf.Error{Kind: shelf.KindUnauthenticated, Code: "invalid_client", Message: "authenticate with HTTP Basic: client_id and client_secret"}
	}
	return h.Apps.AuthenticateApp(r.Context(), id, secret)
}

type createAppRequest struct {
	Name        string        `json:"name"`
	NameEn      string        `json:"name_en"`
	Kind        shelf.AppKind `json:"kind"`
	HomepageURL string        `json:"homepage_url"`
	LaunchURL   string        `json:"launch_url"`
	WebhookURL  string        `json:"webhook_url"`
}

func (h *Handler) listApps(w http.ResponseWriter, r *http.Request) error {
	acc, err := h.RequireOrg(r, shelf.RoleMember)
	if err != nil {
		return err
	}
	if err := h.RequireConsole(r.Context(), acc.Org.ID); err != nil {
		return err
	}
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	page, limit, err := appsPager.request(r, q)
	if err != nil {
		return err
	}
	apps, err := h.Apps.SearchApps(r.Context(), acc.Org.ID, q, page)
	return appsPager.write(w, r, apps, limit, err, q)
}

var appsPager = pager[shelf.App]{tag: "apps", shape: "ss", key: func(a shelf.App) []any { return []any{a.Name, a.ID} }}

// createApp registers an app; its secrets are in this response only.
func (h *Handler) createApp(w http.ResponseWriter, r *http.Request) error {
	acc, err := h.RequirePartnerAdmin(r)
	if err != nil {
		return err
	}
	var req createAppRequest
	if err := httpx.DecodeJSON(w, r, &req); err != nil {
		return err
	}
	if err := h.CheckWebhookURL(r.Context(), req.WebhookURL); err != nil {
		return err
	}
	a, creds, err := h.Apps.CreateApp(r.Context(), shelf.NewApp{OrgID: acc.Org.ID, CreatorID: acc.User.ID, Name: req.Name, NameEn: req.NameEn, Kind: req.Kind,
		HomepageURL: req.HomepageURL, LaunchURL: req.LaunchURL, WebhookURL: req.WebhookURL})
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, service.CreatedApp{App: *a, AppCredentials: *creds})
	return nil
}

func (h *Handler) getApp(w http.ResponseWriter, r *http.Request) error {
	acc, err := h.RequireApp(r, shelf.RoleMember)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, acc.App)
	return nil
}

type updateAppRequest struct {
	Name        *string `json:"name"`
	NameEn      *string `json:"name_en"`
	HomepageURL *string `json:"homepage_url"`
	LaunchURL   *string `json:"launch_url"`
	WebhookURL  *string `json:"webhook_url"`
}

func (h *Handler) updateApp(w http.ResponseWriter, r *http.Request) error {
	acc, err := h.RequireApp(r, shelf.RoleAdmin)
	if err != nil {
		return err
	}
	var req updateAppRequest
	if err := httpx.DecodeJSON(w, r, &req); err != nil {
		return err
	}
	if req.WebhookURL != nil {
		if err := h.CheckWebhookURL(r.Context(), *req.WebhookURL); err != nil {
			return err
		}
	}
	a, err := h.Apps.UpdateApp(r.Context(), acc.App.ID, shelf.AppPatch{ByUserID: acc.User.ID, Name: req.Name, NameEn: req.NameEn, HomepageURL: req.HomepageURL, LaunchURL: req.LaunchURL, WebhookURL: req.WebhookURL})
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, a)
	return nil
}

// RotatedSecret is the answer to a secret rotation.
type RotatedSecret struct {
	WebhookSecret      string     `json:"webhook_secret"`
	PreviousValidUntil *time.Time `json:"previous_valid_until"`
}

// rotateSecret makes a new signing secret; the old one keeps signing
// for 24 hours alongside it.
func (h *Handler) rotateSecret(w http.ResponseWriter, r *http.Request) error {
	acc, err := h.RequireApp(r, shelf.RoleAdmin)
	if err != nil {
		return err
	}
	secret, err := h.Apps.RotateWebhookSecret(r.Context(), acc.App.ID, acc.User.ID)
	if err != nil {
		return err
	}
	a, err := h.Apps.App(r.Context(), acc.App.ID)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, RotatedSecret{WebhookSecret: secret, PreviousValidUntil: a.SecretRotatingUntil})
	return nil
}

// testPing sends a test.ping; partners' admins and the app itself
// (client credentials) may ask.
func (h *Handler) testPing(w http.ResponseWriter, r *http.Request) error {
	var appID, by string
	if _, _, basic := r.BasicAuth(); basic {
		a, err := h.requireVendor(r)
		if err != nil {
			return err
		}
		if a.ID != r.PathValue("app") {
			return shelf.NotFound("app")
		}
		appID = a.ID
	} else {
		acc, err := h.RequireApp(r, shelf.RoleAdmin)
		if err != nil {
			return err
		}
		appID, by = acc.App.ID, acc.User.ID
	}
	e, err := h.Apps.EmitTestPing(r.Context(), appID, by)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, e)
	return nil
}

func (h *Handler) listDeliveries(w http.ResponseWriter, r *http.Request) error {
	acc, err := h.RequireApp(r, shelf.RoleMember)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	st, err := service.DeliveryState(q.Get("state"))
	if err != nil {
		return err
	}
	scope := []string{q.Get("type"), string(st)}
	page, limit, err := deliveriesPager.request(r, scope...)
	if err != nil {
		return err
	}
	list, err := h.Apps.Deliveries(r.Context(), acc.App.ID, shelf.DeliveryFilter{Type: q.Get("type"), State: st, PageReq: page})
	return deliveriesPager.write(w, r, list, limit, err, scope...)
}

var (
	deliveriesPager = pager[shelf.Delivery]{tag: "deliveries", shape: "is", key: func(d shelf.Delivery) []any { return []any{d.CreatedAt.UnixMicro(), d.EventID} }}
	attemptsPager   = pager[shelf.DeliveryAttempt]{tag: "attempts", shape: "is", key: func(a shelf.DeliveryAttempt) []any { return []any{a.AttemptedAt.UnixMicro(), a.ID} }}
)

func (h *Handler) listAttempts(w http.ResponseWriter, r *http.Request) error {
	acc, err := h.RequireApp(r, shelf.RoleMember)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := shelf.AttemptFilter{Type: q.Get("type"), EventID: q.Get("event_id")}
	switch q.Get("status") {
	case "":
	case "ok", "failed":
		ok := q.Get("status") == "ok"
		f.OK = &ok
	default:
		return shelf.FieldError("status", "invalid_status", "status must be ok or failed")
	}
	scope := []string{q.Get("type"), q.Get("event_id"), q.Get("status")}
	page, limit, err := attemptsPager.request(r, scope...)
	if err != nil {
		return err
	}
	f.PageReq = page
	list, err := h.Apps.DeliveryAttempts(r.Context(), acc.App.ID, f)
	return attemptsPager.write(w, r, list, limit, err, scope...)
}

func (h *Handler) resendEvent(w http.ResponseWriter, r *http.Request) error {
	acc, err := h.RequireApp(r, shelf.RoleAdmin)
	if err != nil {
		return err
	}
	if err := h.Apps.ResendEvent(r.Context(), acc.App.ID, r.PathValue("event")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusAccepted)
	return nil
}

type resendFailedRequest struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
}

// eventRange reads the {"from", "to"} of a resend or replay (to defaults
// to now) for an admin of the app.
func (h *Handler) eventRange(w http.ResponseWriter, r *http.Request) (appID string, req resendFailedRequest, err error) {
	acc, err := h.RequireApp(r, shelf.RoleAdmin)
	if err != nil {
		return "", req, err
	}
	if err := httpx.DecodeJSON(w, r, &req); err != nil {
		return "", req, err
	}
	if req.To.IsZero() {
		req.To = h.Clock.Now().Add(time.Second)
	}
	if !req.From.Before(req.To) {
		return "", req, shelf.FieldError("from", "invalid_period", "from must be before to")
	}
	return acc.App.ID, req, nil
}

func (h *Handler) resendFailed(w http.ResponseWriter, r *http.Request) error {
	appID, req, err := h.eventRange(w, r)
	if err != nil {
		return err
	}
	n, err := h.Apps.ResendFailed(r.Context(), appID, req.From, req.To)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]int{"resent": n})
	return nil
}

// maxReplay bounds one replay: a larger range is refused (narrow it).
const maxReplay = 10000

// replayEvents delivers again every settled event of the range, delivered
// ones included: for a vendor rebuilding its state after a bug of its own.
func (h *Handler) replayEvents(w http.ResponseWriter, r *http.Request) error {
	appID, req, err := h.eventRange(w, r)
	if err != nil {
		return err
	}
	n, err := h.Apps.ReplayEvents(r.Context(), appID, req.From, req.To, maxReplay)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]int{"replayed": n})
	return nil
}

func (h *Handler) deliveryStats(w http.ResponseWriter, r *http.Request) error {
	acc, err := h.RequireApp(r, shelf.RoleMember)
	if err != nil {
		return err
	}
	health, err := h.DeliveryHealth(r.Context(), acc.App.ID, intParam(r.URL.Query().Get("days")))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, health)
	return nil
}

type eventPage struct {
	Events    []shelf.Event `json:"events"`
	NextAfter int64         `json:"next_after"`
	LastSeq   int64         `json:"last_seq"`
}

// vendorEvents is the pull API: an app reads its events for one org
// after a seq, the fallback when webhooks did not arrive.
func (h *Handler) vendorEvents(w http.ResponseWriter, r *http.Request) error {
	a, err := h.requireVendor(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	if q.Get("org_id") == "" {
		return shelf.FieldError("org_id", "required", "org_id is required")
	}
	after, err := strconv.ParseInt(defaultStr(q.Get("after"), "0"), 10, 64)
	if err != nil || after < 0 {
		return shelf.FieldError("after", "invalid_after", "after must be a seq (an integer ≥ 0)")
	}
	list, last, err := h.Apps.VendorEvents(r.Context(), a.ID, q.Get("org_id"), after, intParam(q.Get("limit")))
	if err != nil {
		return err
	}
	next := after
	if len(list) > 0 {
		next = list[len(list)-1].Seq
	}
	httpx.WriteJSON(w, http.StatusOK, eventPage{Events: list, NextAfter: next, LastSeq: last})
	return nil
}

func defaultStr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
