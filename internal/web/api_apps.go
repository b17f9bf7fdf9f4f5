package web

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
)

// AppStore is what the app and event endpoints need from storage.
type AppStore interface {
	CreateApp(ctx context.Context, n shelf.NewApp) (*shelf.App, *shelf.AppCredentials, error)
	App(ctx context.Context, id string) (*shelf.App, error)
	Apps(ctx context.Context, orgID string) ([]shelf.App, error)
	UpdateApp(ctx context.Context, id string, p shelf.AppPatch) (*shelf.App, error)
	RotateWebhookSecret(ctx context.Context, appID, byUserID string) (string, error)
	AuthenticateApp(ctx context.Context, clientID, clientSecret string) (*shelf.App, error)
	EmitTestPing(ctx context.Context, appID, byUserID string) (*shelf.Event, error)
	VendorEvents(ctx context.Context, appID, orgID string, after int64, limit int) ([]shelf.Event, int64, error)
	Deliveries(ctx context.Context, appID string, f shelf.DeliveryFilter) ([]shelf.Delivery, error)
	DeliveryAttempts(ctx context.Context, appID string, f shelf.AttemptFilter) ([]shelf.DeliveryAttempt, error)
	LatestAttempts(ctx context.Context, appID string, eventIDs []string, perEvent int) (map[string][]shelf.DeliveryAttempt, error)
	DeliveryCounts(ctx context.Context, appID string) (map[shelf.DeliveryState]int, error)
	DeliveryStats(ctx context.Context, appID string, since time.Time) ([]shelf.DayStats, error)
	ResendEvent(ctx context.Context, appID, eventID string) error
	ResendFailed(ctx context.Context, appID string, from, to time.Time) (int, error)
}

// URLChecker decides whether a webhook URL may be used (the events
// package's Guard: public addresses only, unless private ones are allowed).
type URLChecker interface {
	CheckURL(ctx context.Context, field, raw string) error
}

func (s *Server) appRoutes() []route {
	return []route{
		{"GET", "/api/v1/orgs/{org}/apps", s.apiListApps},
		{"POST", "/api/v1/orgs/{org}/apps", s.apiCreateApp},
		{"GET", "/api/v1/apps/{app}", s.apiGetApp},
		{"PATCH", "/api/v1/apps/{app}", s.apiUpdateApp},
		{"POST", "/api/v1/apps/{app}/webhook-secret/rotate", s.apiRotateSecret},
		{"POST", "/api/v1/apps/{app}/events/test", s.apiTestPing},
		{"GET", "/api/v1/apps/{app}/deliveries", s.apiListDeliveries},
		{"POST", "/api/v1/apps/{app}/deliveries/{event}/resend", s.apiResendEvent},
		{"POST", "/api/v1/apps/{app}/deliveries/resend-failed", s.apiResendFailed},
		{"GET", "/api/v1/apps/{app}/attempts", s.apiListAttempts},
		{"GET", "/api/v1/apps/{app}/delivery-stats", s.apiDeliveryStats},
		{"GET", "/api/v1/vendor/events", s.apiVendorEvents},
	}
}

// requireApp loads the app in the path and checks the caller belongs to
// its partner org with at least minRole; others get 404.
func (s *Server) requireApp(r *http.Request, minRole shelf.Role) (*shelf.App, *shelf.User, error) {
	u, err := requireUser(r)
	if err != nil {
		return nil, nil, err
	}
	a, err := s.apps.App(r.Context(), r.PathValue("app"))
	if err != nil {
		return nil, nil, err
	}
	_, role, member, err := s.store.OrgForMember(r.Context(), a.OrgID, u.ID)
	if err != nil {
		return nil, nil, err
	}
	if !member {
		return nil, nil, shelf.NotFound("app")
	}
	if minRole == shelf.RoleAdmin && role != shelf.RoleAdmin {
		return nil, nil, shelf.Forbidden("org_admin_required", "only an admin of the app's org may do this")
	}
	if err := s.requireConsole(r.Context(), a.OrgID); err != nil {
		return nil, nil, err
	}
	return a, u, nil
}

// requireVendor authenticates an app by its client credentials (HTTP
// Basic), the vendor API's authentication.
func (s *Server) requireVendor(r *http.Request) (*shelf.App, error) {
	id, secret, ok := r.BasicAuth()
	if !ok {
		return nil, &shelf.Error{Kind: shelf.KindUnauthenticated, Code: "invalid_client", Message: "authenticate with HTTP Basic: client_id and client_secret"}
	}
	return s.apps.AuthenticateApp(r.Context(), id, secret)
}

type createAppRequest struct {
	Name        string        `json:"name"`
	NameEn      string        `json:"name_en"`
	Kind        shelf.AppKind `json:"kind"`
	HomepageURL string        `json:"homepage_url"`
	LaunchURL   string        `json:"launch_url"`
	WebhookURL  string        `json:"webhook_url"`
}

type createdApp struct {
	shelf.App
	shelf.AppCredentials
}

func (s *Server) apiListApps(w http.ResponseWriter, r *http.Request) error {
	acc, err := s.requireOrg(r, shelf.RoleMember)
	if err != nil {
		return err
	}
	if err := s.requireConsole(r.Context(), acc.org.ID); err != nil {
		return err
	}
	apps, err := s.apps.Apps(r.Context(), acc.org.ID)
	return writeList(w, apps, err)
}

// apiCreateApp registers an app; its secrets are in this response only.
func (s *Server) apiCreateApp(w http.ResponseWriter, r *http.Request) error {
	acc, err := s.requirePartnerAdmin(r)
	if err != nil {
		return err
	}
	var req createAppRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if err := s.checkWebhookURL(r.Context(), req.WebhookURL); err != nil {
		return err
	}
	a, creds, err := s.apps.CreateApp(r.Context(), shelf.NewApp{OrgID: acc.org.ID, CreatorID: acc.user.ID, Name: req.Name, NameEn: req.NameEn, Kind: req.Kind,
		HomepageURL: req.HomepageURL, LaunchURL: req.LaunchURL, WebhookURL: req.WebhookURL})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, createdApp{App: *a, AppCredentials: *creds})
	return nil
}

func (s *Server) checkWebhookURL(ctx context.Context, raw string) error {
	clean, err := shelf.CheckAppURL("webhook_url", raw, false)
	if err != nil || clean == "" {
		return err
	}
	return s.webhookGuard.CheckURL(ctx, "webhook_url", clean)
}

func (s *Server) apiGetApp(w http.ResponseWriter, r *http.Request) error {
	a, _, err := s.requireApp(r, shelf.RoleMember)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}

type updateAppRequest struct {
	Name        *string `json:"name"`
	NameEn      *string `json:"name_en"`
	HomepageURL *string `json:"homepage_url"`
	LaunchURL   *string `json:"launch_url"`
	WebhookURL  *string `json:"webhook_url"`
}

func (s *Server) apiUpdateApp(w http.ResponseWriter, r *http.Request) error {
	a, u, err := s.requireApp(r, shelf.RoleAdmin)
	if err != nil {
		return err
	}
	var req updateAppRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if req.WebhookURL != nil {
		if err := s.checkWebhookURL(r.Context(), *req.WebhookURL); err != nil {
			return err
		}
	}
	a, err = s.apps.UpdateApp(r.Context(), a.ID, shelf.AppPatch{ByUserID: u.ID, Name: req.Name, NameEn: req.NameEn, HomepageURL: req.HomepageURL, LaunchURL: req.LaunchURL, WebhookURL: req.WebhookURL})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}

type rotatedSecret struct {
	WebhookSecret      string     `json:"webhook_secret"`
	PreviousValidUntil *time.Time `json:"previous_valid_until"`
}

// apiRotateSecret makes a new signing secret; the old one keeps signing
// for 24 hours alongside it.
func (s *Server) apiRotateSecret(w http.ResponseWriter, r *http.Request) error {
	a, u, err := s.requireApp(r, shelf.RoleAdmin)
	if err != nil {
		return err
	}
	secret, err := s.apps.RotateWebhookSecret(r.Context(), a.ID, u.ID)
	if err != nil {
		return err
	}
	if a, err = s.apps.App(r.Context(), a.ID); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rotatedSecret{WebhookSecret: secret, PreviousValidUntil: a.SecretRotatingUntil})
	return nil
}

// apiTestPing sends a test.ping; partners' admins and the app itself
// (client credentials) may ask.
func (s *Server) apiTestPing(w http.ResponseWriter, r *http.Request) error {
	var appID, by string
	if _, _, basic := r.BasicAuth(); basic {
		a, err := s.requireVendor(r)
		if err != nil {
			return err
		}
		if a.ID != r.PathValue("app") {
			return shelf.NotFound("app")
		}
		appID = a.ID
	} else {
		a, u, err := s.requireApp(r, shelf.RoleAdmin)
		if err != nil {
			return err
		}
		appID, by = a.ID, u.ID
	}
	e, err := s.apps.EmitTestPing(r.Context(), appID, by)
	if err != nil {
		return err
	}
	s.emitted()
	writeJSON(w, http.StatusCreated, e)
	return nil
}

func (s *Server) apiListDeliveries(w http.ResponseWriter, r *http.Request) error {
	a, _, err := s.requireApp(r, shelf.RoleMember)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	st, err := deliveryState(q.Get("state"))
	if err != nil {
		return err
	}
	list, err := s.apps.Deliveries(r.Context(), a.ID, shelf.DeliveryFilter{Type: q.Get("type"), State: st, Limit: intParam(q.Get("limit"))})
	return writeList(w, list, err)
}

func (s *Server) apiListAttempts(w http.ResponseWriter, r *http.Request) error {
	a, _, err := s.requireApp(r, shelf.RoleMember)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := shelf.AttemptFilter{Type: q.Get("type"), EventID: q.Get("event_id"), Limit: intParam(q.Get("limit"))}
	switch q.Get("status") {
	case "":
	case "ok", "failed":
		ok := q.Get("status") == "ok"
		f.OK = &ok
	default:
		return shelf.FieldError("status", "invalid_status", "status must be ok or failed")
	}
	list, err := s.apps.DeliveryAttempts(r.Context(), a.ID, f)
	return writeList(w, list, err)
}

func (s *Server) apiResendEvent(w http.ResponseWriter, r *http.Request) error {
	a, _, err := s.requireApp(r, shelf.RoleAdmin)
	if err != nil {
		return err
	}
	if err := s.apps.ResendEvent(r.Context(), a.ID, r.PathValue("event")); err != nil {
		return err
	}
	s.emitted()
	w.WriteHeader(http.StatusAccepted)
	return nil
}

type resendFailedRequest struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
}

func (s *Server) apiResendFailed(w http.ResponseWriter, r *http.Request) error {
	a, _, err := s.requireApp(r, shelf.RoleAdmin)
	if err != nil {
		return err
	}
	var req resendFailedRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if req.To.IsZero() {
		req.To = s.clock.Now().Add(time.Second)
	}
	if !req.From.Before(req.To) {
		return shelf.FieldError("from", "invalid_period", "from must be before to")
	}
	n, err := s.apps.ResendFailed(r.Context(), a.ID, req.From, req.To)
	if err != nil {
		return err
	}
	s.emitted()
	writeJSON(w, http.StatusOK, map[string]int{"resent": n})
	return nil
}

type deliveryHealth struct {
	Counts map[shelf.DeliveryState]int `json:"counts"`
	Days   []shelf.DayStats            `json:"days"`
}

func (s *Server) apiDeliveryStats(w http.ResponseWriter, r *http.Request) error {
	a, _, err := s.requireApp(r, shelf.RoleMember)
	if err != nil {
		return err
	}
	h, err := s.deliveryHealth(r.Context(), a.ID, intParam(r.URL.Query().Get("days")))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, h)
	return nil
}

func (s *Server) deliveryHealth(ctx context.Context, appID string, days int) (*deliveryHealth, error) {
	if days <= 0 || days > 90 {
		days = 14
	}
	since := s.clock.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 1-days)
	counts, err := s.apps.DeliveryCounts(ctx, appID)
	if err != nil {
		return nil, err
	}
	stats, err := s.apps.DeliveryStats(ctx, appID, since)
	if err != nil {
		return nil, err
	}
	if stats == nil {
		stats = []shelf.DayStats{}
	}
	return &deliveryHealth{Counts: counts, Days: stats}, nil
}

type eventPage struct {
	Events    []shelf.Event `json:"events"`
	NextAfter int64         `json:"next_after"`
	LastSeq   int64         `json:"last_seq"`
}

// apiVendorEvents is the pull API: an app reads its events for one org
// after a seq, the fallback when webhooks did not arrive.
func (s *Server) apiVendorEvents(w http.ResponseWriter, r *http.Request) error {
	a, err := s.requireVendor(r)
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
	list, last, err := s.apps.VendorEvents(r.Context(), a.ID, q.Get("org_id"), after, intParam(q.Get("limit")))
	if err != nil {
		return err
	}
	next := after
	if len(list) > 0 {
		next = list[len(list)-1].Seq
	}
	writeJSON(w, http.StatusOK, eventPage{Events: list, NextAfter: next, LastSeq: last})
	return nil
}

func intParam(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func defaultStr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// deliveryState reads a delivery-log state filter ("" for all).
func deliveryState(v string) (shelf.DeliveryState, error) {
	switch st := shelf.DeliveryState(v); st {
	case "", shelf.DeliveryPending, shelf.DeliveryParked, shelf.DeliveryDelivered, shelf.DeliveryFailed:
		return st, nil
	}
	return "", shelf.FieldError("state", "invalid_state", "state must be pending, parked, delivered or failed")
}
