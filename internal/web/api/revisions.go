package api

import (
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/httpx"
	"github.com/shelfhq/shelf/internal/web/service"
)

func (h *Handler) revisionRoutes() []route {
	return []route{
		{"POST", "/api/v1/apps/{app}/self-tests", h.runSelfTest},
		{"GET", "/api/v1/apps/{app}/self-tests", h.listSelfTests},
		{"POST", "/api/v1/orgs/{org}/media", h.uploadMedia},
		{"GET", "/api/v1/orgs/{org}/listings", h.partnerListings},
		{"GET", "/api/v1/apps/{app}/listing", h.appListing},
		{"POST", "/api/v1/apps/{app}/revisions", h.createRevision},
		{"GET", "/api/v1/revisions/{rev}", h.getRevision},
		{"PUT", "/api/v1/revisions/{rev}", h.saveRevision},
		{"GET", "/api/v1/revisions/{rev}/precheck", h.precheck},
		{"POST", "/api/v1/revisions/{rev}/submit", h.submit},
		{"POST", "/api/v1/revisions/{rev}/withdraw", h.withdraw},
		{"GET", "/api/v1/revisions/{rev}/diff", h.diff},
		{"POST", "/api/v1/revisions/{rev}/approve", h.approve},
		{"POST", "/api/v1/revisions/{rev}/reject", h.reject},
		{"GET", "/api/v1/review-queue", h.reviewQueue},
	}
}

type selfTestRequest struct {
	TestOrgID string `json:"test_org_id"`
}

// runSelfTest runs a self-test of the app in one of the partner's test
// orgs and answers with its checks (201 whether it passed or not: the
// test ran; "passed" says how it went).
func (h *Handler) runSelfTest(w http.ResponseWriter, r *http.Request) error {
	app, u, err := h.RequirePartnerApp(r)
	if err != nil {
		return err
	}
	var req selfTestRequest
	if err := httpx.DecodeJSON(w, r, &req); err != nil {
		return err
	}
	if req.TestOrgID == "" {
		return shelf.FieldError("test_org_id", "required", "test_org_id is required")
	}
	if h.SelfTests == nil {
		return service.ErrNoSelfTests()
	}
	st, err := h.SelfTests.Run(r.Context(), app.ID, req.TestOrgID, u.ID)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, st)
	return nil
}

func (h *Handler) listSelfTests(w http.ResponseWriter, r *http.Request) error {
	app, _, err := h.RequirePartnerApp(r)
	if err != nil {
		return err
	}
	page, limit, err := selfTestsPager.request(r)
	if err != nil {
		return err
	}
	list, err := h.Listings.SelfTests(r.Context(), app.ID, page)
	return selfTestsPager.write(w, r, list, limit, err)
}

var (
	selfTestsPager       = pager[shelf.SelfTest]{tag: "self-tests", shape: "is", key: func(t shelf.SelfTest) []any { return []any{t.StartedAt.UnixMicro(), t.ID} }}
	partnerListingsPager = pager[shelf.ListingInfo]{tag: "listings", shape: "is", key: func(l shelf.ListingInfo) []any { return []any{l.CreatedAt.UnixMicro(), l.ID} }}
	reviewQueuePager     = pager[shelf.QueueItem]{tag: "review-queue", shape: "is", key: func(q shelf.QueueItem) []any { return []any{q.SubmittedAt.UnixMicro(), q.RevisionID} }}
)

// uploadMedia takes an icon or screenshot as the raw request body
// (Content-Type image/png, image/jpeg or image/webp), checked to be a real
// image of bounded size.
func (h *Handler) uploadMedia(w http.ResponseWriter, r *http.Request) error {
	acc, err := h.RequirePartnerAdmin(r)
	if err != nil {
		return err
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, shelf.MaxImageBytes+1))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return &shelf.Error{Kind: shelf.KindInvalid, Code: "image_too_large", Field: "file", Message: "an image must be at most 2 MiB"}
	case err != nil:
		return fmt.Errorf("read upload: %w", err)
	}
	img, err := h.Listings.SaveMedia(r.Context(), acc.Org.ID, data)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, img)
	return nil
}

func (h *Handler) partnerListings(w http.ResponseWriter, r *http.Request) error {
	acc, err := h.RequirePartnerAdmin(r)
	if err != nil {
		return err
	}
	page, limit, err := partnerListingsPager.request(r)
	if err != nil {
		return err
	}
	list, err := h.Listings.PartnerListings(r.Context(), acc.Org.ID, page)
	return partnerListingsPager.write(w, r, list, limit, err)
}

func (h *Handler) appListing(w http.ResponseWriter, r *http.Request) error {
	app, _, err := h.RequirePartnerApp(r)
	if err != nil {
		return err
	}
	li, err := h.Listings.ListingForApp(r.Context(), app.ID)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, li)
	return nil
}

// revisionReadOnly are the fields of a Revision that a client reads but
// never writes: a body that carries them is refused (unknown_field).
var revisionReadOnly = []string{"id", "listing_id", "state", "created_at", "updated_at"}

func (h *Handler) createRevision(w http.ResponseWriter, r *http.Request) error {
	app, u, err := h.RequirePartnerApp(r)
	if err != nil {
		return err
	}
	var rev shelf.Revision
	if err := httpx.DecodeJSONWritable(w, r, &rev, revisionReadOnly...); err != nil {
		return err
	}
	info, err := h.Listings.CreateRevision(r.Context(), app.ID, u.ID, &rev)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, info)
	return nil
}

func (h *Handler) getRevision(w http.ResponseWriter, r *http.Request) error {
	a, err := h.RequireRevision(r)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, a.Rev)
	return nil
}

func (h *Handler) saveRevision(w http.ResponseWriter, r *http.Request) error {
	a, err := h.RequirePartnerRevision(r)
	if err != nil {
		return err
	}
	var rev shelf.Revision
	if err := httpx.DecodeJSONWritable(w, r, &rev, revisionReadOnly...); err != nil {
		return err
	}
	info, err := h.Listings.SaveRevision(r.Context(), a.Rev.ID, a.User.ID, &rev)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, info)
	return nil
}

type precheckResponse struct {
	Blocking bool            `json:"blocking"`
	Findings []shelf.Finding `json:"findings"`
}

func (h *Handler) precheck(w http.ResponseWriter, r *http.Request) error {
	a, err := h.RequireRevision(r)
	if err != nil {
		return err
	}
	fs, err := h.Findings(r.Context(), a.Rev)
	if err != nil {
		return err
	}
	if fs == nil {
		fs = []shelf.Finding{}
	}
	httpx.WriteJSON(w, http.StatusOK, precheckResponse{Blocking: shelf.BlocksSubmission(fs), Findings: fs})
	return nil
}

// submit checks the revision as a reviewer would (errors block,
// warnings do not), then puts it in the review queue.
func (h *Handler) submit(w http.ResponseWriter, r *http.Request) error {
	a, err := h.RequirePartnerRevision(r)
	if err != nil {
		return err
	}
	info, err := h.Services.Submit(r.Context(), a.Rev, a.User.ID)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, info)
	return nil
}

func (h *Handler) withdraw(w http.ResponseWriter, r *http.Request) error {
	a, err := h.RequirePartnerRevision(r)
	if err != nil {
		return err
	}
	info, err := h.Listings.Withdraw(r.Context(), a.Rev.ID, a.User.ID)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, info)
	return nil
}

type diffResponse struct {
	LiveRevisionID string              `json:"live_revision_id"`
	Changes        []shelf.FieldChange `json:"changes"`
}

// diff compares the revision with the live one (everything is a change
// for a first listing).
func (h *Handler) diff(w http.ResponseWriter, r *http.Request) error {
	a, err := h.RequireRevision(r)
	if err != nil {
		return err
	}
	li, err := h.Listings.Listing(r.Context(), a.Rev.ListingID)
	if err != nil {
		return err
	}
	var live *shelf.Revision
	resp := diffResponse{}
	if li.Live != nil && li.Live.ID != a.Rev.ID {
		live, resp.LiveRevisionID = &li.Live.Revision, li.Live.ID
	}
	resp.Changes = shelf.Diff(live, &a.Rev.Revision)
	if resp.Changes == nil {
		resp.Changes = []shelf.FieldChange{}
	}
	httpx.WriteJSON(w, http.StatusOK, resp)
	return nil
}

func (h *Handler) approve(w http.ResponseWriter, r *http.Request) error {
	return h.decide(w, r, true)
}

func (h *Handler) reject(w http.ResponseWriter, r *http.Request) error {
	return h.decide(w, r, false)
}

type decisionRequest struct {
	Reason       string              `json:"reason"`
	FieldReasons []shelf.FieldReason `json:"field_reasons"`
}

func (h *Handler) decide(w http.ResponseWriter, r *http.Request, approve bool) error {
	a, err := h.RequireReviewerRevision(r)
	if err != nil {
		return err
	}
	var req decisionRequest
	if r.ContentLength != 0 || !approve {
		if err := httpx.DecodeJSON(w, r, &req); err != nil {
			return err
		}
	}
	info, err := h.Listings.Decide(r.Context(), a.Rev.ID, a.User.ID, shelf.ReviewDecision{Approve: approve, Reason: req.Reason, FieldReasons: req.FieldReasons})
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, info)
	return nil
}

// reviewQueue lists what waits for the caller: an operator's categories,
// or everything for a platform admin.
func (h *Handler) reviewQueue(w http.ResponseWriter, r *http.Request) error {
	_, cats, err := h.RequireReviewQueue(r)
	if err != nil {
		return err
	}
	page, limit, err := reviewQueuePager.request(r)
	if err != nil {
		return err
	}
	q, err := h.Listings.ReviewQueue(r.Context(), cats, page)
	return reviewQueuePager.write(w, r, q, limit, err)
}
