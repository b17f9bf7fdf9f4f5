package ui

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/service"
)

// eventPages mounts an app's events pages: endpoint, secret rotation,
// delivery health and log (the app list is the console's, console.go).
func (h *Handler) eventPages(mux *http.ServeMux) {
	mux.HandleFunc("GET /orgs/{org}/apps", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/orgs/"+r.PathValue("org")+"/console", http.StatusMovedPermanently)
	})
	mux.HandleFunc("GET /apps/{app}/events", h.pageAppEvents)
	mux.HandleFunc("POST /apps/{app}/endpoint", h.postAppEndpoint)
	mux.HandleFunc("POST /apps/{app}/rotate", h.postAppRotate)
	mux.HandleFunc("POST /apps/{app}/test", h.postAppTest)
	mux.HandleFunc("POST /apps/{app}/deliveries/{event}/resend", h.postAppResend)
	mux.HandleFunc("POST /apps/{app}/resend-failed", h.postAppResendFailed)
}

// healthDays is the window of the events page's delivery health.
const healthDays = 14

// eventsPage is one app's events in the partner console.
type eventsPage struct {
	App        *shelf.App
	IsAdmin    bool
	NewSecret  string
	Health     *service.DeliveryHealth
	Chart      healthChart
	Failed     int
	Deliveries []shelf.Delivery
	Attempts   map[string][]shelf.DeliveryAttempt // event id → its latest attempts
	Filter     shelf.DeliveryFilter
	Paging     pagingLinks
	Types      []string
	States     []shelf.DeliveryState
}

func (h *Handler) pageAppEvents(w http.ResponseWriter, r *http.Request) {
	h.showAppEvents(w, r, "", nil)
}

func (h *Handler) showAppEvents(w http.ResponseWriter, r *http.Request, newSecret string, formErr error) {
	acc, err := h.RequireApp(r, shelf.RoleMember)
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	ctx, a := r.Context(), acc.App
	q := r.URL.Query()
	state, err := service.DeliveryState(q.Get("state"))
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	p := &eventsPage{App: a, IsAdmin: acc.IsAdmin(), NewSecret: newSecret, Types: allEventTypes,
		States: []shelf.DeliveryState{shelf.DeliveryPending, shelf.DeliveryParked, shelf.DeliveryDelivered, shelf.DeliveryFailed},
		Filter: shelf.DeliveryFilter{Type: q.Get("type"), State: state}}
	if p.Health, err = h.DeliveryHealth(ctx, a.ID, healthDays); err == nil {
		p.Failed = p.Health.Counts[shelf.DeliveryFailed]
		p.Chart = newHealthChart(p.Health.Days, h.Clock.Now(), healthDays)
		// Paged as the API pages it: the filter is part of the cursor.
		list := pagingList[shelf.Delivery]{tag: strings.Join([]string{"deliveries", p.Filter.Type, string(state)}, "\x1f"), shape: "is",
			key: func(d shelf.Delivery) []any { return []any{d.CreatedAt.UnixMicro(), d.EventID} }}
		p.Deliveries, p.Paging, err = list.read(r, pagingSize, func(pr shelf.PageReq) ([]shelf.Delivery, error) {
			f := p.Filter
			f.PageReq = pr
			return h.Apps.Deliveries(ctx, a.ID, f)
		})
	}
	if err == nil {
		ids := make([]string, len(p.Deliveries))
		for i, d := range p.Deliveries {
			ids[i] = d.EventID
		}
		p.Attempts, err = h.Apps.LatestAttempts(ctx, a.ID, ids, 3)
	}
	if err != nil {
		h.failPage(w, r, err)
		return
	}
	h.show(w, r, "appevents", "apps.app", p, formErr)
}

// appForm authorizes an admin form post on an app.
func (h *Handler) appForm(w http.ResponseWriter, r *http.Request) (*shelf.App, *shelf.User, bool) {
	acc, err := h.RequireApp(r, shelf.RoleAdmin)
	if err != nil {
		h.pageError(w, r, err)
		return nil, nil, false
	}
	return acc.App, acc.User, true
}

func (h *Handler) postAppEndpoint(w http.ResponseWriter, r *http.Request) {
	a, u, ok := h.appForm(w, r)
	if !ok {
		return
	}
	hook := r.PostFormValue("webhook_url")
	if err := h.CheckWebhookURL(r.Context(), hook); err != nil {
		h.showAppEvents(w, r, "", err)
		return
	}
	if _, err := h.Apps.UpdateApp(r.Context(), a.ID, shelf.AppPatch{ByUserID: u.ID, WebhookURL: &hook}); err != nil {
		h.showAppEvents(w, r, "", err)
		return
	}
	done(w, r, "/apps/"+a.ID+"/events", "apps.saved")
}

func (h *Handler) postAppRotate(w http.ResponseWriter, r *http.Request) {
	a, u, ok := h.appForm(w, r)
	if !ok {
		return
	}
	secret, err := h.Apps.RotateWebhookSecret(r.Context(), a.ID, u.ID)
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	h.showAppEvents(w, r, secret, nil)
}

func (h *Handler) postAppTest(w http.ResponseWriter, r *http.Request) {
	a, u, ok := h.appForm(w, r)
	if !ok {
		return
	}
	if _, err := h.Apps.EmitTestPing(r.Context(), a.ID, u.ID); err != nil {
		h.pageError(w, r, err)
		return
	}
	done(w, r, "/apps/"+a.ID+"/events", "apps.test_sent")
}

func (h *Handler) postAppResend(w http.ResponseWriter, r *http.Request) {
	a, _, ok := h.appForm(w, r)
	if !ok {
		return
	}
	if err := h.Apps.ResendEvent(r.Context(), a.ID, r.PathValue("event")); err != nil {
		h.pageError(w, r, err)
		return
	}
	done(w, r, "/apps/"+a.ID+"/events", "apps.resent")
}

// postAppResendFailed resends the failed events of the last N days.
func (h *Handler) postAppResendFailed(w http.ResponseWriter, r *http.Request) {
	a, _, ok := h.appForm(w, r)
	if !ok {
		return
	}
	days, _ := strconv.Atoi(r.PostFormValue("days"))
	if days <= 0 || days > 30 {
		days = 7
	}
	now := h.Clock.Now()
	if _, err := h.Apps.ResendFailed(r.Context(), a.ID, now.Add(-time.Duration(days)*24*time.Hour), now.Add(time.Second)); err != nil {
		h.pageError(w, r, err)
		return
	}
	done(w, r, "/apps/"+a.ID+"/events", "apps.resent")
}
