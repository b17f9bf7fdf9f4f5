package web

import (
	"context"
	"net/http"

	"github.com/shelfhq/shelf/internal/shelf"
)

// ListingStore is what the listing workflow needs from storage;
// *store.Store implements it.
type ListingStore interface {
	Install(ctx context.Context, n shelf.NewInstallation) (*shelf.Installation, bool, error)
	Uninstall(ctx context.Context, installationID, byUserID string) error
	Installation(ctx context.Context, id string) (*shelf.Installation, error)
	Installations(ctx context.Context, orgID string) ([]shelf.Installation, error)
	IsInstalled(ctx context.Context, appID, orgID string) (bool, error)

	LatestSelfTest(ctx context.Context, appID string) (*shelf.SelfTest, error)
	SelfTests(ctx context.Context, appID string, limit int) ([]shelf.SelfTest, error)

	SaveMedia(ctx context.Context, orgID string, data []byte) (*shelf.Image, error)
	Media(ctx context.Context, id string) ([]byte, string, error)

	CreateRevision(ctx context.Context, appID, byUserID string, r *shelf.Revision) (*shelf.RevisionInfo, error)
	SaveRevision(ctx context.Context, revID, byUserID string, r *shelf.Revision) (*shelf.RevisionInfo, error)
	Revision(ctx context.Context, id string) (*shelf.RevisionInfo, error)
	Revisions(ctx context.Context, listingID string) ([]shelf.RevisionInfo, error)
	Submit(ctx context.Context, revID, byUserID string) (*shelf.RevisionInfo, error)
	Withdraw(ctx context.Context, revID, byUserID string) (*shelf.RevisionInfo, error)
	Decide(ctx context.Context, revID, reviewerID string, d shelf.ReviewDecision) (*shelf.RevisionInfo, error)
	ChangeListing(ctx context.Context, listingID, actorID string, action shelf.ListingAction, reason string) (*shelf.ListingInfo, error)
	Listing(ctx context.Context, id string) (*shelf.ListingInfo, error)
	ListingForApp(ctx context.Context, appID string) (*shelf.ListingInfo, error)
	PartnerListings(ctx context.Context, orgID string) ([]shelf.ListingInfo, error)
	MarketListings(ctx context.Context, categoryID string) ([]shelf.ListingInfo, error)
	ReviewQueue(ctx context.Context, scope shelf.ReviewScope) ([]shelf.QueueItem, error)
	OperatorStats(ctx context.Context) ([]shelf.OperatorStats, error)
	OperatorCategories(ctx context.Context, userID string) ([]string, error)
	AuditLog(ctx context.Context, q shelf.AuditQuery) ([]shelf.AuditEntry, error)
	Notices(ctx context.Context, orgID string, limit int) ([]shelf.Notice, error)
}

func (s *Server) installRoutes() []route {
	return []route{
		{"GET", "/api/v1/orgs/{org}/installations", s.apiListInstallations},
		{"POST", "/api/v1/orgs/{org}/installations", s.apiInstall},
		{"DELETE", "/api/v1/orgs/{org}/installations/{installation}", s.apiUninstall},
		{"GET", "/api/v1/orgs/{org}/notices", s.apiNotices},
	}
}

type installRequest struct {
	AppID   string `json:"app_id"`
	GroupID string `json:"group_id"`
}

// apiInstall installs an app into the org: org admins install into the
// org; a group's owner may also install a cool app into that group. The
// same call installs the built-in partner console into a partner org.
func (s *Server) apiInstall(w http.ResponseWriter, r *http.Request) error {
	acc, err := s.requireOrg(r, shelf.RoleMember)
	if err != nil {
		return err
	}
	var req installRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if req.AppID == "" {
		return shelf.FieldError("app_id", "required", "app_id is required")
	}
	if !acc.isAdmin() {
		g, err := s.store.Group(r.Context(), req.GroupID)
		if req.GroupID == "" || err != nil || g.OrgID != acc.org.ID || g.OwnerID != acc.user.ID {
			return shelf.Forbidden("org_admin_required", "only an org admin installs apps (a group's owner may install a cool app into the group)")
		}
	}
	inst, created, err := s.listings.Install(r.Context(), shelf.NewInstallation{AppID: req.AppID, OrgID: acc.org.ID, GroupID: req.GroupID, ByUserID: acc.user.ID})
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
		s.emitted()
	}
	writeJSON(w, status, inst)
	return nil
}

func (s *Server) apiListInstallations(w http.ResponseWriter, r *http.Request) error {
	acc, err := s.requireOrg(r, shelf.RoleMember)
	if err != nil {
		return err
	}
	list, err := s.listings.Installations(r.Context(), acc.org.ID)
	return writeList(w, list, err)
}

// apiUninstall: org admins uninstall anything; a group's owner uninstalls
// what is installed in their group (they may install it, too).
func (s *Server) apiUninstall(w http.ResponseWriter, r *http.Request) error {
	acc, err := s.requireOrg(r, shelf.RoleMember)
	if err != nil {
		return err
	}
	inst, err := s.listings.Installation(r.Context(), r.PathValue("installation"))
	if err != nil || inst.OrgID != acc.org.ID {
		return shelf.NotFound("installation")
	}
	if !acc.isAdmin() {
		g, err := s.store.Group(r.Context(), inst.GroupID)
		if inst.GroupID == "" || err != nil || g.OwnerID != acc.user.ID {
			return shelf.Forbidden("org_admin_required", "only an org admin uninstalls apps (a group's owner may uninstall from the group)")
		}
	}
	if err := s.listings.Uninstall(r.Context(), inst.ID, acc.user.ID); err != nil {
		return err
	}
	s.emitted()
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiNotices(w http.ResponseWriter, r *http.Request) error {
	acc, err := s.requireOrg(r, shelf.RoleAdmin)
	if err != nil {
		return err
	}
	list, err := s.listings.Notices(r.Context(), acc.org.ID, 50)
	return writeList(w, list, err)
}

// emitted wakes the dispatcher after a request wrote events.
func (s *Server) emitted() {
	if s.onEmit != nil {
		s.onEmit()
	}
}

// errConsole is the seed's step 1 as an error: partner work needs the
// partner console installed in the partner org first.
func errConsole() error {
	return shelf.Forbidden("partner_console_not_installed",
		"install the partner console (伙伴自运营平台) in this org first: POST /api/v1/orgs/{org}/installations {\"app_id\": \"%s\"}, or from the org's workbench", shelf.PartnerConsoleID)
}

// requireConsole checks the partner console is installed in the org.
func (s *Server) requireConsole(ctx context.Context, orgID string) error {
	ok, err := s.listings.IsInstalled(ctx, shelf.PartnerConsoleID, orgID)
	if err != nil {
		return err
	}
	if !ok {
		return errConsole()
	}
	return nil
}

// requirePartnerApp loads the app in the path for partner work: the caller
// administers its partner org, where the console is installed.
func (s *Server) requirePartnerApp(r *http.Request) (*shelf.App, *shelf.User, error) {
	return s.requireApp(r, shelf.RoleAdmin) // requireApp checks the console
}
