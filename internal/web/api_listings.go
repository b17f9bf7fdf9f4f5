package web

import (
	"io"
	"net/http"
	"strconv"

	"github.com/shelfhq/shelf/internal/shelf"
)

func (s *Server) listingRoutes() []route {
	return []route{
		{"POST", "/api/v1/apps/{app}/self-tests", s.apiRunSelfTest},
		{"GET", "/api/v1/apps/{app}/self-tests", s.apiListSelfTests},
		{"POST", "/api/v1/orgs/{org}/media", s.apiUploadMedia},
		{"GET", "/api/v1/orgs/{org}/listings", s.apiPartnerListings},
		{"GET", "/api/v1/apps/{app}/listing", s.apiAppListing},
		{"POST", "/api/v1/apps/{app}/revisions", s.apiCreateRevision},
		{"GET", "/api/v1/revisions/{rev}", s.apiGetRevision},
		{"PUT", "/api/v1/revisions/{rev}", s.apiSaveRevision},
		{"GET", "/api/v1/revisions/{rev}/precheck", s.apiPrecheck},
		{"POST", "/api/v1/revisions/{rev}/submit", s.apiSubmit},
		{"POST", "/api/v1/revisions/{rev}/withdraw", s.apiWithdraw},
		{"GET", "/api/v1/revisions/{rev}/diff", s.apiDiff},
		{"POST", "/api/v1/revisions/{rev}/approve", s.apiApprove},
		{"POST", "/api/v1/revisions/{rev}/reject", s.apiReject},
		{"GET", "/api/v1/review-queue", s.apiReviewQueue},
		{"GET", "/api/v1/listings", s.apiMarket},
		{"GET", "/api/v1/listings/{listing}", s.apiGetListing},
		{"POST", "/api/v1/listings/{listing}/delist", s.apiDelist},
		{"POST", "/api/v1/listings/{listing}/relist", s.apiRelist},
		{"POST", "/api/v1/listings/{listing}/takedown", s.apiTakedown},
		{"GET", "/api/v1/platform/operator-stats", s.apiOperatorStats},
		{"GET", "/api/v1/platform/audit", s.apiAudit},
	}
}

type selfTestRequest struct {
	TestOrgID string `json:"test_org_id"`
}

// apiRunSelfTest runs a self-test of the app in one of the partner's test
// orgs and answers with its checks (201 whether it passed or not: the
// test ran; "passed" says how it went).
func (s *Server) apiRunSelfTest(w http.ResponseWriter, r *http.Request) error {
	app, u, err := s.requirePartnerApp(r)
	if err != nil {
		return err
	}
	var req selfTestRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if req.TestOrgID == "" {
		return shelf.FieldError("test_org_id", "required", "test_org_id is required")
	}
	if s.selfTests == nil {
		return shelf.Errorf(shelf.KindInternal, "internal", "self-tests are not configured")
	}
	st, err := s.selfTests.Run(r.Context(), app.ID, req.TestOrgID, u.ID)
	if err != nil {
		return err
	}
	s.emitted()
	writeJSON(w, http.StatusCreated, st)
	return nil
}

func (s *Server) apiListSelfTests(w http.ResponseWriter, r *http.Request) error {
	app, _, err := s.requirePartnerApp(r)
	if err != nil {
		return err
	}
	list, err := s.listings.SelfTests(r.Context(), app.ID, 20)
	return writeList(w, list, err)
}

// apiUploadMedia takes an icon or screenshot as the raw request body
// (Content-Type image/png, image/jpeg or image/webp), checked to be a real
// image of bounded size.
func (s *Server) apiUploadMedia(w http.ResponseWriter, r *http.Request) error {
	acc, err := s.requirePartnerAdmin(r)
	if err != nil {
		return err
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, shelf.MaxImageBytes+1))
	if err != nil {
		return &shelf.Error{Kind: shelf.KindInvalid, Code: "image_too_large", Field: "file", Message: "an image must be at most 2 MiB"}
	}
	img, err := s.listings.SaveMedia(r.Context(), acc.org.ID, data)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, img)
	return nil
}

func (s *Server) apiPartnerListings(w http.ResponseWriter, r *http.Request) error {
	acc, err := s.requirePartnerAdmin(r)
	if err != nil {
		return err
	}
	list, err := s.listings.PartnerListings(r.Context(), acc.org.ID)
	return writeList(w, list, err)
}

func (s *Server) apiAppListing(w http.ResponseWriter, r *http.Request) error {
	app, _, err := s.requirePartnerApp(r)
	if err != nil {
		return err
	}
	li, err := s.listings.ListingForApp(r.Context(), app.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, li)
	return nil
}

func (s *Server) apiCreateRevision(w http.ResponseWriter, r *http.Request) error {
	app, u, err := s.requirePartnerApp(r)
	if err != nil {
		return err
	}
	var rev shelf.Revision
	if err := decodeJSON(w, r, &rev); err != nil {
		return err
	}
	info, err := s.listings.CreateRevision(r.Context(), app.ID, u.ID, &rev)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, info)
	return nil
}

// revisionAccess says who the caller is to a revision.
type revisionAccess struct {
	rev      *shelf.RevisionInfo
	user     *shelf.User
	member   bool // in the app's partner org, whatever the role
	partner  bool // an admin of the app's partner org, console installed
	reviewer bool // a platform admin, or an operator of its category
}

// requireRevision loads the revision and decides the caller's standing:
// partner and reviewer are worked out separately. Anyone who is neither
// gets 404: revisions are not public.
func (s *Server) requireRevision(r *http.Request) (*revisionAccess, error) {
	u, err := requireUser(r)
	if err != nil {
		return nil, err
	}
	rev, err := s.listings.Revision(r.Context(), r.PathValue("rev"))
	if err != nil {
		return nil, err
	}
	a := &revisionAccess{rev: rev, user: u}
	role, member, err := s.store.MemberRole(r.Context(), rev.OrgID, u.ID)
	if err != nil {
		return nil, err
	}
	a.member = member
	if member && role == shelf.RoleAdmin {
		if err := s.requireConsole(r.Context(), rev.OrgID); err != nil {
			return nil, err
		}
		a.partner = true
	}
	if a.reviewer, err = s.mayReview(r, u, rev.CategoryID); err != nil {
		return nil, err
	}
	switch {
	case a.partner || a.reviewer:
		return a, nil
	case member:
		return nil, shelf.Forbidden("org_admin_required", "only an admin of the partner org works on its listings")
	}
	return nil, shelf.NotFound("revision")
}

// mayReview: platform admins review everything; category operators the
// categories assigned to them (and their children).
func (s *Server) mayReview(r *http.Request, u *shelf.User, categoryID string) (bool, error) {
	if u.HasPlatformRole(shelf.PlatformAdmin) {
		return true, nil
	}
	if !u.HasPlatformRole(shelf.CategoryOperator) || categoryID == "" {
		return false, nil
	}
	cats, err := s.listings.OperatorCategories(r.Context(), u.ID)
	if err != nil {
		return false, err
	}
	for _, c := range cats {
		if c == categoryID {
			return true, nil
		}
	}
	return false, nil
}

func (a *revisionAccess) needPartner() error {
	if !a.partner {
		return shelf.Forbidden("partner_required", "only the partner that owns the listing may do this")
	}
	return nil
}

// needReviewer also refuses a reviewer who belongs to the partner org:
// nobody decides on their own org's listing.
func (a *revisionAccess) needReviewer() error {
	if !a.reviewer {
		return shelf.Forbidden("not_your_category", "only the category's operators (or a platform admin) decide on this revision")
	}
	if a.member {
		return shelf.Forbidden("own_listing", "you belong to the partner org: another reviewer must decide on its listing")
	}
	return nil
}

func (s *Server) apiGetRevision(w http.ResponseWriter, r *http.Request) error {
	a, err := s.requireRevision(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a.rev)
	return nil
}

func (s *Server) apiSaveRevision(w http.ResponseWriter, r *http.Request) error {
	a, err := s.requireRevision(r)
	if err != nil {
		return err
	}
	if err := a.needPartner(); err != nil {
		return err
	}
	var rev shelf.Revision
	if err := decodeJSON(w, r, &rev); err != nil {
		return err
	}
	info, err := s.listings.SaveRevision(r.Context(), a.rev.ID, a.user.ID, &rev)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, info)
	return nil
}

type precheckResponse struct {
	Blocking bool            `json:"blocking"`
	Findings []shelf.Finding `json:"findings"`
}

// findings runs the pre-submission check: content and images, and the
// links the listing shows (privacy policy, support page, app homepage),
// fetched through the outbound guard.
func (s *Server) findings(r *http.Request, rev *shelf.RevisionInfo) ([]shelf.Finding, error) {
	fs := shelf.Precheck(&rev.Revision)
	if s.links == nil {
		return fs, nil
	}
	links := rev.Links()
	if app, err := s.apps.App(r.Context(), rev.AppID); err != nil {
		return nil, err
	} else if app.HomepageURL != "" {
		links = append(links, shelf.Link{Field: "homepage_url", URL: app.HomepageURL})
	}
	return append(fs, shelf.CheckLinks(r.Context(), s.links, links)...), nil
}

func (s *Server) apiPrecheck(w http.ResponseWriter, r *http.Request) error {
	a, err := s.requireRevision(r)
	if err != nil {
		return err
	}
	fs, err := s.findings(r, a.rev)
	if err != nil {
		return err
	}
	if fs == nil {
		fs = []shelf.Finding{}
	}
	writeJSON(w, http.StatusOK, precheckResponse{Blocking: shelf.BlocksSubmission(fs), Findings: fs})
	return nil
}

// apiSubmit checks the revision as a reviewer would (errors block,
// warnings do not), then puts it in the review queue.
func (s *Server) apiSubmit(w http.ResponseWriter, r *http.Request) error {
	a, err := s.requireRevision(r)
	if err != nil {
		return err
	}
	if err := a.needPartner(); err != nil {
		return err
	}
	if a.rev.State == shelf.RevisionDraft {
		fs, err := s.findings(r, a.rev)
		if err != nil {
			return err
		}
		if err := shelf.FirstBlocking(fs); err != nil {
			return err
		}
	}
	info, err := s.listings.Submit(r.Context(), a.rev.ID, a.user.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, info)
	return nil
}

func (s *Server) apiWithdraw(w http.ResponseWriter, r *http.Request) error {
	a, err := s.requireRevision(r)
	if err != nil {
		return err
	}
	if err := a.needPartner(); err != nil {
		return err
	}
	info, err := s.listings.Withdraw(r.Context(), a.rev.ID, a.user.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, info)
	return nil
}

type diffResponse struct {
	LiveRevisionID string              `json:"live_revision_id"`
	Changes        []shelf.FieldChange `json:"changes"`
}

// apiDiff compares the revision with the live one (everything is a change
// for a first listing).
func (s *Server) apiDiff(w http.ResponseWriter, r *http.Request) error {
	a, err := s.requireRevision(r)
	if err != nil {
		return err
	}
	li, err := s.listings.Listing(r.Context(), a.rev.ListingID)
	if err != nil {
		return err
	}
	var live *shelf.Revision
	resp := diffResponse{}
	if li.Live != nil && li.Live.ID != a.rev.ID {
		live, resp.LiveRevisionID = &li.Live.Revision, li.Live.ID
	}
	resp.Changes = shelf.Diff(live, &a.rev.Revision)
	if resp.Changes == nil {
		resp.Changes = []shelf.FieldChange{}
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

func (s *Server) apiApprove(w http.ResponseWriter, r *http.Request) error {
	return s.decide(w, r, true)
}

func (s *Server) apiReject(w http.ResponseWriter, r *http.Request) error {
	return s.decide(w, r, false)
}

type decisionRequest struct {
	Reason       string              `json:"reason"`
	FieldReasons []shelf.FieldReason `json:"field_reasons"`
}

func (s *Server) decide(w http.ResponseWriter, r *http.Request, approve bool) error {
	a, err := s.requireRevision(r)
	if err != nil {
		return err
	}
	if err := a.needReviewer(); err != nil {
		return err
	}
	var req decisionRequest
	if r.ContentLength != 0 || !approve {
		if err := decodeJSON(w, r, &req); err != nil {
			return err
		}
	}
	info, err := s.listings.Decide(r.Context(), a.rev.ID, a.user.ID, shelf.ReviewDecision{Approve: approve, Reason: req.Reason, FieldReasons: req.FieldReasons})
	if err != nil {
		return err
	}
	s.emitted()
	writeJSON(w, http.StatusOK, info)
	return nil
}

// apiReviewQueue lists what waits for the caller: an operator's categories,
// or everything for a platform admin.
func (s *Server) apiReviewQueue(w http.ResponseWriter, r *http.Request) error {
	u, err := requireUser(r)
	if err != nil {
		return err
	}
	var cats []string
	switch {
	case u.HasPlatformRole(shelf.PlatformAdmin):
	case u.HasPlatformRole(shelf.CategoryOperator):
		if cats, err = s.listings.OperatorCategories(r.Context(), u.ID); err != nil {
			return err
		}
	default:
		return shelf.Forbidden("platform_role_required", "the review queue is for category operators and platform admins")
	}
	q, err := s.listings.ReviewQueue(r.Context(), shelf.ReviewScope{All: u.HasPlatformRole(shelf.PlatformAdmin), Categories: cats})
	return writeList(w, q, err)
}

// apiMarket lists what customers can find: live listings in the market
// promotion mode, optionally in one category. Public.
func (s *Server) apiMarket(w http.ResponseWriter, r *http.Request) error {
	list, err := s.listings.MarketListings(r.Context(), r.URL.Query().Get("category"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, listOf[publicListing]{Items: publicListings(list)})
	return nil
}

// publicListing is what anyone may see of a live listing: the live
// revision, never drafts, reasons or review history.
type publicListing struct {
	ID         string          `json:"id"`
	AppID      string          `json:"app_id"`
	CategoryID string          `json:"category_id"`
	Live       *shelf.Revision `json:"live"`
}

func publicListings(list []shelf.ListingInfo) []publicListing {
	out := make([]publicListing, 0, len(list))
	for _, li := range list {
		out = append(out, publicListing{ID: li.ID, AppID: li.AppID, CategoryID: li.CategoryID, Live: &li.Live.Revision})
	}
	return out
}

// apiGetListing: the partner and reviewers see everything; anyone else
// sees a listed listing's live revision (own-channel links land here).
func (s *Server) apiGetListing(w http.ResponseWriter, r *http.Request) error {
	li, err := s.listings.Listing(r.Context(), r.PathValue("listing"))
	if err != nil {
		return err
	}
	if full, err := s.seesListing(r, li); err != nil {
		return err
	} else if full {
		writeJSON(w, http.StatusOK, li)
		return nil
	}
	if li.State != shelf.ListingListed || li.Live == nil {
		return shelf.NotFound("listing")
	}
	writeJSON(w, http.StatusOK, publicListings([]shelf.ListingInfo{*li})[0])
	return nil
}

// seesListing reports whether the caller is the listing's partner admin or
// one of its reviewers.
func (s *Server) seesListing(r *http.Request, li *shelf.ListingInfo) (bool, error) {
	a := actorFrom(r.Context())
	if a == nil {
		return false, nil
	}
	if role, ok, err := s.store.MemberRole(r.Context(), li.OrgID, a.user.ID); err != nil || ok && role == shelf.RoleAdmin {
		return err == nil, err
	}
	return s.mayReview(r, a.user, li.CategoryID)
}

type reasonRequest struct {
	Reason string `json:"reason"`
}

func (s *Server) apiDelist(w http.ResponseWriter, r *http.Request) error {
	return s.changeListing(w, r, shelf.ListingDelist)
}

func (s *Server) apiRelist(w http.ResponseWriter, r *http.Request) error {
	return s.changeListing(w, r, shelf.ListingRelist)
}

func (s *Server) apiTakedown(w http.ResponseWriter, r *http.Request) error {
	return s.changeListing(w, r, shelf.ListingTakedown)
}

// changeListing: the partner delists and relists its own listing; a
// reviewer of its category takes it down.
func (s *Server) changeListing(w http.ResponseWriter, r *http.Request, action shelf.ListingAction) error {
	u, err := requireUser(r)
	if err != nil {
		return err
	}
	li, err := s.listings.Listing(r.Context(), r.PathValue("listing"))
	if err != nil {
		return err
	}
	if action == shelf.ListingTakedown {
		ok, err := s.mayReview(r, u, li.CategoryID)
		if err != nil {
			return err
		}
		if !ok {
			return shelf.Forbidden("not_your_category", "only the category's operators (or a platform admin) take listings down")
		}
	} else {
		role, member, err := s.store.MemberRole(r.Context(), li.OrgID, u.ID)
		if err != nil {
			return err
		}
		if !member {
			return shelf.NotFound("listing")
		}
		if role != shelf.RoleAdmin {
			return shelf.Forbidden("org_admin_required", "only an admin of the partner org delists or relists")
		}
		if err := s.requireConsole(r.Context(), li.OrgID); err != nil {
			return err
		}
	}
	var req reasonRequest
	if action != shelf.ListingRelist || r.ContentLength > 0 {
		if err := decodeJSON(w, r, &req); err != nil {
			return err
		}
	}
	out, err := s.listings.ChangeListing(r.Context(), li.ID, u.ID, action, req.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiOperatorStats(w http.ResponseWriter, r *http.Request) error {
	if _, err := requirePlatform(r, shelf.PlatformAdmin); err != nil {
		return err
	}
	stats, err := s.listings.OperatorStats(r.Context())
	return writeList(w, stats, err)
}

// apiAudit searches the audit log (platform admins): ?q= matches an
// action, object id or actor id by prefix, or an object type.
func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request) error {
	if _, err := requirePlatform(r, shelf.PlatformAdmin); err != nil {
		return err
	}
	limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	list, err := s.listings.AuditLog(r.Context(), shelf.AuditQuery{Text: r.URL.Query().Get("q"), Limit: limit})
	return writeList(w, list, err)
}
