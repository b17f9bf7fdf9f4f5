package web

import (
	"net/http"
	"strings"

	"github.com/shelfhq/shelf/internal/shelf"
)

// queuePage is an operator's review queue and, for platform admins, each
// operator's load.
type queuePage struct {
	Items      []shelf.QueueItem
	Stats      []shelf.OperatorStats
	MaxQueue   int
	Categories map[string]shelf.Category
}

func (s *Server) categoryIndex(r *http.Request) (map[string]shelf.Category, error) {
	cats, err := s.store.Categories(r.Context(), true)
	if err != nil {
		return nil, err
	}
	out := map[string]shelf.Category{}
	for _, c := range cats {
		out[c.ID] = c
	}
	return out, nil
}

func (s *Server) pageQueue(w http.ResponseWriter, r *http.Request) {
	u, err := requireUser(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	var cats []string
	switch {
	case u.HasPlatformRole(shelf.PlatformAdmin):
	case u.HasPlatformRole(shelf.CategoryOperator):
		if cats, err = s.listings.OperatorCategories(r.Context(), u.ID); err != nil {
			s.pageError(w, r, err)
			return
		}
	default:
		s.pageError(w, r, shelf.Forbidden("platform_role_required", "the review queue is for category operators and platform admins"))
		return
	}
	p := &queuePage{}
	if p.Items, err = s.listings.ReviewQueue(r.Context(), shelf.ReviewScope{All: u.HasPlatformRole(shelf.PlatformAdmin), Categories: cats}); err == nil {
		p.Categories, err = s.categoryIndex(r)
	}
	if err == nil && u.HasPlatformRole(shelf.PlatformAdmin) {
		p.Stats, err = s.listings.OperatorStats(r.Context())
		for _, st := range p.Stats {
			p.MaxQueue = max(p.MaxQueue, st.QueueLength)
		}
	}
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.show(w, r, "queue", "review.title", p, nil)
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

func (s *Server) pageReview(w http.ResponseWriter, r *http.Request) { s.showReview(w, r, nil) }

func (s *Server) showReview(w http.ResponseWriter, r *http.Request, formErr error) {
	a, err := s.requireRevision(r)
	if err == nil {
		err = a.needReviewer()
	}
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	ctx := r.Context()
	p := &reviewPage{Rev: a.rev, CanDecide: a.rev.State == shelf.RevisionSubmitted,
		Fields: shelf.RevisionFields()}
	if p.Listing, err = s.listings.Listing(ctx, a.rev.ListingID); err == nil {
		var live *shelf.Revision
		if p.Listing.Live != nil && p.Listing.Live.ID != a.rev.ID {
			live = &p.Listing.Live.Revision
		}
		p.Changes = shelf.Diff(live, &a.rev.Revision)
		p.Findings = shelf.Precheck(&a.rev.Revision)
		p.Org, err = s.store.Org(ctx, a.rev.OrgID)
	}
	if err == nil {
		p.History, err = s.listings.Revisions(ctx, a.rev.ListingID)
	}
	if err == nil {
		var cats map[string]shelf.Category
		if cats, err = s.categoryIndex(r); err == nil {
			p.Category = cats[a.rev.CategoryID]
		}
	}
	if err == nil {
		if st, stErr := s.listings.LatestSelfTest(ctx, a.rev.AppID); stErr == nil {
			p.SelfTest = st
		} else if shelf.ErrorKind(stErr) != shelf.KindNotFound {
			err = stErr
		}
	}
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.show(w, r, "review", "review.revision", p, formErr)
}

// postDecision approves or rejects from the review page. Field remarks come
// as pairs of field_name[] and field_reason[]; empty pairs are ignored.
func (s *Server) postDecision(w http.ResponseWriter, r *http.Request) {
	a, err := s.requireRevision(r)
	if err == nil {
		err = a.needReviewer()
	}
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.pageError(w, r, &shelf.Error{Kind: shelf.KindBadRequest, Code: "bad_form", Message: "the form cannot be read"})
		return
	}
	d := shelf.ReviewDecision{Approve: r.PostFormValue("decision") == "approve", Reason: r.PostFormValue("reason")}
	names, reasons := r.PostForm["field_name"], r.PostForm["field_reason"]
	for i := range names {
		if i < len(reasons) && strings.TrimSpace(reasons[i]) != "" {
			d.FieldReasons = append(d.FieldReasons, shelf.FieldReason{Field: names[i], Reason: reasons[i]})
		}
	}
	if _, err := s.listings.Decide(r.Context(), a.rev.ID, a.user.ID, d); err != nil {
		s.showReview(w, r, err)
		return
	}
	s.emitted()
	flash := "review.rejected"
	if d.Approve {
		flash = "review.approved"
	}
	done(w, r, "/review", flash)
}

// postTakedown takes a listing down from its public page (reviewers).
func (s *Server) postTakedown(w http.ResponseWriter, r *http.Request) {
	u, err := requireUser(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	li, err := s.listings.Listing(r.Context(), r.PathValue("listing"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if ok, err := s.mayReview(r, u, li.CategoryID); err != nil || !ok {
		s.pageError(w, r, shelf.Forbidden("not_your_category", "only the category's operators (or a platform admin) take listings down"))
		return
	}
	if _, err := s.listings.ChangeListing(r.Context(), li.ID, u.ID, shelf.ListingTakedown, r.PostFormValue("reason")); err != nil {
		s.showListing(w, r, err)
		return
	}
	done(w, r, "/listings/"+li.ID, "review.taken_down")
}

// postPartnerListing delists or relists from the app page (partner admins).
func (s *Server) postPartnerListing(w http.ResponseWriter, r *http.Request) {
	app, u, err := s.requirePartnerApp(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	li, err := s.listings.ListingForApp(r.Context(), app.ID)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	action := shelf.ListingRelist
	if r.PostFormValue("action") == "delist" {
		action = shelf.ListingDelist
	}
	if _, err := s.listings.ChangeListing(r.Context(), li.ID, u.ID, action, r.PostFormValue("reason")); err != nil {
		s.showApp(w, r, err)
		return
	}
	done(w, r, "/apps/"+app.ID, "")
}

// auditPage is the platform admin's audit log search.
type auditPage struct {
	Query   string
	Entries []shelf.AuditEntry
}

func (s *Server) pageAudit(w http.ResponseWriter, r *http.Request) {
	if _, err := requirePlatform(r, shelf.PlatformAdmin); err != nil {
		s.pageError(w, r, err)
		return
	}
	q := r.URL.Query().Get("q")
	entries, err := s.listings.AuditLog(r.Context(), shelf.AuditQuery{Text: q, Limit: 200})
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.show(w, r, "audit", "audit.title", &auditPage{Query: q, Entries: entries}, nil)
}
