package ui

import (
	"net/http"
	"strings"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/web/access"
)

// queuePage is an operator's review queue and, for platform admins, each
// operator's load.
type queuePage struct {
	Items      []shelf.QueueItem
	Stats      []shelf.OperatorStats
	MaxQueue   int
	Categories map[string]shelf.Category
}

func (h *Handler) categoryIndex(r *http.Request) (map[string]shelf.Category, error) {
	cats, err := h.Store.Categories(r.Context(), true)
	if err != nil {
		return nil, err
	}
	out := map[string]shelf.Category{}
	for _, c := range cats {
		out[c.ID] = c
	}
	return out, nil
}

func (h *Handler) pageQueue(w http.ResponseWriter, r *http.Request) {
	u, cats, err := h.RequireReviewQueue(r)
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	p := &queuePage{}
	if p.Items, err = h.Listings.ReviewQueue(r.Context(), cats, shelf.PageReq{}); err == nil {
		p.Categories, err = h.categoryIndex(r)
	}
	if err == nil && u.HasPlatformRole(shelf.PlatformAdmin) {
		p.Stats, err = h.Listings.OperatorStats(r.Context(), shelf.PageReq{})
		for _, st := range p.Stats {
			p.MaxQueue = max(p.MaxQueue, st.QueueLength)
		}
	}
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	h.show(w, r, "queue", "review.title", p, nil)
}

// reviewPage shows a revision beside the live one, the self-test report and
// the partner's history, with the decision forms.
type reviewPage struct {
	Rev       *shelf.RevisionInfo
	Listing   *shelf.ListingInfo
	Org       *shelf.Org
	Changes   []shelf.FieldChange
	SelfTest  *shelf.SelfTest
	History   []shelf.RevisionInfo
	Findings  []shelf.Finding
	Category  shelf.Category
	CanDecide bool
	Fields    []string
}

func (h *Handler) pageReview(w http.ResponseWriter, r *http.Request) { h.showReview(w, r, nil) }

func (h *Handler) showReview(w http.ResponseWriter, r *http.Request, formErr error) {
	a, err := h.RequireReviewerRevision(r)
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	ctx := r.Context()
	p := &reviewPage{Rev: a.Rev, CanDecide: a.Rev.State == shelf.RevisionSubmitted,
		Fields: shelf.RevisionFields()}
	if p.Listing, err = h.Listings.Listing(ctx, a.Rev.ListingID); err == nil {
		var live *shelf.Revision
		if p.Listing.Live != nil && p.Listing.Live.ID != a.Rev.ID {
			live = &p.Listing.Live.Revision
		}
		p.Changes = shelf.Diff(live, &a.Rev.Revision)
		p.Findings = shelf.Precheck(&a.Rev.Revision)
		p.Org, err = h.Store.Org(ctx, a.Rev.OrgID)
	}
	if err == nil {
		p.History, err = h.Listings.Revisions(ctx, a.Rev.ListingID)
	}
	if err == nil {
		var cats map[string]shelf.Category
		if cats, err = h.categoryIndex(r); err == nil {
			p.Category = cats[a.Rev.CategoryID]
		}
	}
	if err == nil {
		if st, stErr := h.Listings.LatestSelfTest(ctx, a.Rev.AppID); stErr == nil {
			p.SelfTest = st
		} else if shelf.ErrorKind(stErr) != shelf.KindNotFound {
			err = stErr
		}
	}
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	h.show(w, r, "review", "review.revision", p, formErr)
}

// postDecision approves or rejects from the review page. Field remarks come
// as pairs of field_name[] and field_reason[]; empty pairs are ignored.
func (h *Handler) postDecision(w http.ResponseWriter, r *http.Request) {
	a, err := h.RequireReviewerRevision(r)
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		h.pageError(w, r, &shelf.Error{Kind: shelf.KindBadRequest, Code: "bad_form", Message: "the form cannot be read"})
		return
	}
	d := shelf.ReviewDecision{Approve: r.PostFormValue("decision") == "approve", Reason: r.PostFormValue("reason")}
	names, reasons := r.PostForm["field_name"], r.PostForm["field_reason"]
	for i := range names {
		if i < len(reasons) && strings.TrimSpace(reasons[i]) != "" {
			d.FieldReasons = append(d.FieldReasons, shelf.FieldReason{Field: names[i], Reason: reasons[i]})
		}
	}
	if _, err := h.Listings.Decide(r.Context(), a.Rev.ID, a.User.ID, d); err != nil {
		h.showReview(w, r, err)
		return
	}
	flash := "review.rejected"
	if d.Approve {
		flash = "review.approved"
	}
	done(w, r, "/review", flash)
}

// postTakedown takes a listing down from its public page (reviewers).
func (h *Handler) postTakedown(w http.ResponseWriter, r *http.Request) {
	acc, err := h.RequireTakedown(r)
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	li, u := acc.Listing, acc.User
	if _, err := h.Listings.ChangeListing(r.Context(), li.ID, u.ID, shelf.ListingTakedown, r.PostFormValue("reason")); err != nil {
		h.showListing(w, r, err)
		return
	}
	done(w, r, "/listings/"+li.ID, "review.taken_down")
}

// auditPage is the platform admin's audit log search.
type auditPage struct {
	Query   string
	Entries []shelf.AuditEntry
}

func (h *Handler) pageAudit(w http.ResponseWriter, r *http.Request) {
	if _, err := access.RequirePlatform(r, shelf.PlatformAdmin); err != nil {
		h.pageError(w, r, err)
		return
	}
	q := r.URL.Query().Get("q")
	entries, err := h.Listings.AuditLog(r.Context(), shelf.AuditQuery{Text: q, PageReq: shelf.FirstPage(200)})
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	h.show(w, r, "audit", "audit.title", &auditPage{Query: q, Entries: entries}, nil)
}
