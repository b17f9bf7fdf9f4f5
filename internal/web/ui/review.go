package ui

import (
	"context"
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
	MoreStats  bool // more operators than the chart shows: the operators page lists them all
	MaxQueue   int
	Categories map[string]shelf.Category
	Paging     pagingLinks
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

// queueList pages the review queue oldest first, as the API does.
var queueList = pagingList[shelf.QueueItem]{tag: "review-queue", shape: "is", key: func(q shelf.QueueItem) []any { return []any{q.SubmittedAt.UnixMicro(), q.RevisionID} }}

func (h *Handler) pageQueue(w http.ResponseWriter, r *http.Request) {
	u, cats, err := h.RequireReviewQueue(r)
	if err != nil {
		h.pageError(w, r, err)
		return
	}
	p := &queuePage{}
	p.Items, p.Paging, err = queueList.read(r, pagingSize, func(pr shelf.PageReq) ([]shelf.QueueItem, error) {
		return h.Listings.ReviewQueue(r.Context(), cats, pr)
	})
	if err == nil {
		p.Categories, err = h.categoryIndex(r)
	}
	if err == nil && u.HasPlatformRole(shelf.PlatformAdmin) {
		// The chart shows the first operators (a platform has tens); the
		// operators page pages through all of them.
		p.Stats, err = h.Listings.OperatorStats(r.Context(), shelf.FirstPage(operatorChoices+1))
		if p.MoreStats = len(p.Stats) > operatorChoices; p.MoreStats {
			p.Stats = p.Stats[:operatorChoices]
		}
		for _, st := range p.Stats {
			p.MaxQueue = max(p.MaxQueue, st.QueueLength)
		}
	}
	if err != nil {
		h.failPage(w, r, err)
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
	// Rows are Changes as a reviewer reads them (review_rows.go).
	Rows []reviewRow
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
	var live *shelf.Revision
	if p.Listing, err = h.Listings.Listing(ctx, a.Rev.ListingID); err == nil {
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
			p.Rows = reviewRows(language(r), cats, live, &a.Rev.Revision, p.Changes)
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

// auditPage is the platform admin's audit log search: by text, or by a
// person found by email or name; actors shown by name, linked to their
// entries; paged.
type auditPage struct {
	Query, Person string
	Actor         *shelf.User
	People        []shelf.User
	Entries       []shelf.AuditEntry
	Names         map[string]string
	Paging        pagingLinks
}

// auditList pages the log as the API does (its cursors are the API's).
var auditList = pagingList[shelf.AuditEntry]{tag: "audit", shape: "is", key: func(e shelf.AuditEntry) []any { return []any{e.At.UnixMicro(), e.ID} }}

func (h *Handler) pageAudit(w http.ResponseWriter, r *http.Request) {
	if _, err := access.RequirePlatform(r, shelf.PlatformAdmin); err != nil {
		h.pageError(w, r, err)
		return
	}
	ctx, q := r.Context(), r.URL.Query()
	p := &auditPage{Query: q.Get("q"), Person: q.Get("person")}
	var err error
	if id := q.Get("actor"); id != "" {
		p.Actor, err = h.auditActor(ctx, id)
	} else if p.Person != "" {
		if p.People, err = h.Store.FindPeople(ctx, p.Person, 20); err == nil && len(p.People) == 1 {
			p.Actor = &p.People[0]
		}
	}
	if err == nil && (p.Person == "" || p.Actor != nil) {
		aq := shelf.AuditQuery{Text: p.Query}
		if p.Actor != nil {
			aq.Actor = p.Actor.ID
		}
		p.Entries, p.Paging, err = auditList.read(r, pagingSize, func(pr shelf.PageReq) ([]shelf.AuditEntry, error) {
			aq.PageReq = pr
			return h.Listings.AuditLog(ctx, aq)
		})
	}
	if err == nil {
		p.Names, err = h.Store.PeopleNames(ctx, auditIDs(p.Entries))
	}
	if err != nil {
		h.failPage(w, r, err)
		return
	}
	h.show(w, r, "audit", "audit.title", p, nil)
}

// auditActor is the person an ?actor= link names (their name only: the
// page knows no more of them than the log's own ids).
func (h *Handler) auditActor(ctx context.Context, id string) (*shelf.User, error) {
	names, err := h.Store.PeopleNames(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	name, ok := names[id]
	if !ok {
		return nil, shelf.NotFound("user")
	}
	return &shelf.User{ID: id, Name: name}, nil
}

// auditIDs are the actors and objects of entries, to be named.
func auditIDs(es []shelf.AuditEntry) []string {
	ids := make([]string, 0, 2*len(es))
	for _, e := range es {
		ids = append(ids, e.ActorID, e.ObjectID)
	}
	return ids
}
