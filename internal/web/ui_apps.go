package web

import (
	"net/http"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
)

// appPages lists the app pages about events: one app's endpoint, secret
// rotation, delivery health and delivery log (the app list and overview are
// the partner console's, ui_console.go).
func (s *Server) appPages(mux *http.ServeMux) {
	mux.HandleFunc("GET /orgs/{org}/apps", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/orgs/"+r.PathValue("org")+"/console", http.StatusMovedPermanently)
	})
	mux.HandleFunc("GET /apps/{app}/events", s.pageAppEvents)
	mux.HandleFunc("POST /apps/{app}/endpoint", s.postAppEndpoint)
	mux.HandleFunc("POST /apps/{app}/rotate", s.postAppRotate)
	mux.HandleFunc("POST /apps/{app}/test", s.postAppTest)
	mux.HandleFunc("POST /apps/{app}/deliveries/{event}/resend", s.postAppResend)
	mux.HandleFunc("POST /apps/{app}/resend-failed", s.postAppResendFailed)
}

// healthDays is the window of the events page's delivery health.
const healthDays = 14

// eventsPage is one app's events in the partner console.
type eventsPage struct {
	App        *shelf.App
	IsAdmin    bool
	NewSecret  string
	Health     *deliveryHealth
	Chart      healthChart
	Failed     int
	Deliveries []shelf.Delivery
	Attempts   map[string][]shelf.DeliveryAttempt // event id → its latest attempts
	Filter     shelf.DeliveryFilter
	Types      []string
	States     []shelf.DeliveryState
}

func (s *Server) pageAppEvents(w http.ResponseWriter, r *http.Request) {
	s.showAppEvents(w, r, "", nil)
}

func (s *Server) showAppEvents(w http.ResponseWriter, r *http.Request, newSecret string, formErr error) {
	a, u, err := s.requireApp(r, shelf.RoleMember)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	ctx := r.Context()
	_, role, _, err := s.store.OrgForMember(ctx, a.OrgID, u.ID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	q := r.URL.Query()
	state, err := deliveryState(q.Get("state"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	p := &eventsPage{App: a, IsAdmin: role == shelf.RoleAdmin, NewSecret: newSecret, Types: shelf.EventTypes,
		States: []shelf.DeliveryState{shelf.DeliveryPending, shelf.DeliveryParked, shelf.DeliveryDelivered, shelf.DeliveryFailed},
		Filter: shelf.DeliveryFilter{Type: q.Get("type"), State: state, Limit: 50}}
	if p.Health, err = s.deliveryHealth(ctx, a.ID, healthDays); err == nil {
		p.Failed = p.Health.Counts[shelf.DeliveryFailed]
		p.Chart = newHealthChart(p.Health.Days, s.clock.Now(), healthDays)
		p.Deliveries, err = s.apps.Deliveries(ctx, a.ID, p.Filter)
	}
	if err == nil {
		ids := make([]string, len(p.Deliveries))
		for i, d := range p.Deliveries {
			ids[i] = d.EventID
		}
		p.Attempts, err = s.apps.LatestAttempts(ctx, a.ID, ids, 3)
	}
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.show(w, r, "appevents", "apps.app", p, formErr)
}

// appForm authorizes an admin form post on an app.
func (s *Server) appForm(w http.ResponseWriter, r *http.Request) (*shelf.App, bool) {
	a, _, err := s.requireApp(r, shelf.RoleAdmin)
	if err != nil {
		s.pageError(w, r, err)
		return nil, false
	}
	return a, true
}

func (s *Server) postAppEndpoint(w http.ResponseWriter, r *http.Request) {
	a, ok := s.appForm(w, r)
	if !ok {
		return
	}
	hook := r.PostFormValue("webhook_url")
	if err := s.checkWebhookURL(r.Context(), hook); err != nil {
		s.showAppEvents(w, r, "", err)
		return
	}
	if _, err := s.apps.UpdateApp(r.Context(), a.ID, shelf.AppPatch{ByUserID: actorFrom(r.Context()).user.ID, WebhookURL: &hook}); err != nil {
		s.showAppEvents(w, r, "", err)
		return
	}
	done(w, r, "/apps/"+a.ID+"/events", "apps.saved")
}

func (s *Server) postAppRotate(w http.ResponseWriter, r *http.Request) {
	a, ok := s.appForm(w, r)
	if !ok {
		return
	}
	secret, err := s.apps.RotateWebhookSecret(r.Context(), a.ID, actorFrom(r.Context()).user.ID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.showAppEvents(w, r, secret, nil)
}

func (s *Server) postAppTest(w http.ResponseWriter, r *http.Request) {
	a, ok := s.appForm(w, r)
	if !ok {
		return
	}
	if _, err := s.apps.EmitTestPing(r.Context(), a.ID, actorFrom(r.Context()).user.ID); err != nil {
		s.pageError(w, r, err)
		return
	}
	s.emitted()
	done(w, r, "/apps/"+a.ID+"/events", "apps.test_sent")
}

func (s *Server) postAppResend(w http.ResponseWriter, r *http.Request) {
	a, ok := s.appForm(w, r)
	if !ok {
		return
	}
	if err := s.apps.ResendEvent(r.Context(), a.ID, r.PathValue("event")); err != nil {
		s.pageError(w, r, err)
		return
	}
	s.emitted()
	done(w, r, "/apps/"+a.ID+"/events", "apps.resent")
}

// postAppResendFailed resends the failed events of the last N days.
func (s *Server) postAppResendFailed(w http.ResponseWriter, r *http.Request) {
	a, ok := s.appForm(w, r)
	if !ok {
		return
	}
	days := intParam(r.PostFormValue("days"))
	if days <= 0 || days > 30 {
		days = 7
	}
	now := s.clock.Now()
	if _, err := s.apps.ResendFailed(r.Context(), a.ID, now.Add(-time.Duration(days)*24*time.Hour), now.Add(time.Second)); err != nil {
		s.pageError(w, r, err)
		return
	}
	s.emitted()
	done(w, r, "/apps/"+a.ID+"/events", "apps.resent")
}
