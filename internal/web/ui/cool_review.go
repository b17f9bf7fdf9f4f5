package ui

import (
	"net/http"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/access"
)

// coolReviewFields are the materials an operator may remark on, in the
// form's order.
var coolReviewFields = []string{"name", "subtitle", "description", "icon", "screenshots", "scenarios", "demo_video_url",
	"entry_points", "permissions", "specs", "support_contact", "self_test"}

// coolReviewPage is one application under review.
type coolReviewPage struct {
	A      *shelf.CoolAppApplication
	App    *shelf.App
	Fields []string
}

func (h *Handler) pageCoolQueue(w http.ResponseWriter, r *http.Request) {
	if _, err := access.RequirePlatform(r, shelf.PlatformAdmin); err != nil {
		h.coolFail(w, r, err)
		return
	}
	queue, err := h.Cool.CoolAppQueue(r.Context(), shelf.CoolSubmitted, "", coolAdminPage)
	if err != nil {
		h.coolFail(w, r, err)
		return
	}
	h.showLocal(w, r, "cool_queue", "cool.queue_title", queue, nil, nil)
}

func (h *Handler) pageCoolReview(w http.ResponseWriter, r *http.Request) { h.showCoolReview(w, r, nil) }

func (h *Handler) showCoolReview(w http.ResponseWriter, r *http.Request, formErr error) {
	if _, err := access.RequirePlatform(r, shelf.PlatformAdmin); err != nil {
		h.coolFail(w, r, err)
		return
	}
	a, err := h.Cool.CoolAppApplication(r.Context(), r.PathValue("application"))
	if err != nil {
		h.coolFail(w, r, err)
		return
	}
	app, err := h.Apps.App(r.Context(), a.AppID)
	if err != nil {
		h.coolFail(w, r, err)
		return
	}
	h.showLocal(w, r, "cool_review", "cool.review_title", &coolReviewPage{A: a, App: app, Fields: coolReviewFields}, nil, formErr)
}

// postCoolDecision approves, or rejects with an overall reason and one
// per field the operator filled in.
func (h *Handler) postCoolDecision(w http.ResponseWriter, r *http.Request) {
	u, err := access.RequirePlatform(r, shelf.PlatformAdmin)
	if err != nil {
		h.coolFail(w, r, err)
		return
	}
	d := shelf.ReviewDecision{Approve: r.PostFormValue("decision") == "approve", Reason: r.PostFormValue("reason")}
	for _, f := range coolReviewFields {
		if reason := r.PostFormValue("reason_" + f); reason != "" {
			d.FieldReasons = append(d.FieldReasons, shelf.FieldReason{Field: f, Reason: reason})
		}
	}
	if _, err := h.Cool.DecideCoolApp(r.Context(), r.PathValue("application"), u.ID, d); err != nil {
		h.showCoolReview(w, r, err)
		return
	}
	done(w, r, "/admin/coolapps", "cool.decided")
}
