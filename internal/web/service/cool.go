package service

import (
	"context"

	"github.com/shelfhq/shelf/internal/shelf"
)

// CoolStore is what the partner program, cool-app applications, group
// installs and group cards need from storage; *store.Store implements it.
type CoolStore interface {
	ApplyPartnerProgram(ctx context.Context, orgID, byUserID string, in shelf.PartnerApplicationInput) (*shelf.PartnerApplication, error)
	PartnerApplication(ctx context.Context, id string) (*shelf.PartnerApplication, error)
	PartnerApplications(ctx context.Context, state shelf.PartnerApplicationState, after string, limit int) ([]shelf.PartnerApplication, error)
	DecidePartnerApplication(ctx context.Context, id, adminID string, d shelf.PartnerDecision) (*shelf.PartnerApplication, error)
	PartnerStatus(ctx context.Context, orgID string) (*shelf.PartnerStatus, error)
	SuspendPartner(ctx context.Context, orgID, adminID, reason string) (*shelf.PartnerStatus, error)
	ReinstatePartner(ctx context.Context, orgID, adminID, reason string) (*shelf.PartnerStatus, error)

	SubmitCoolApp(ctx context.Context, appID, byUserID string, m shelf.CoolMaterials) (*shelf.CoolAppApplication, error)
	CoolAppApplication(ctx context.Context, id string) (*shelf.CoolAppApplication, error)
	CoolAppQueue(ctx context.Context, state shelf.CoolAppState, after string, limit int) ([]shelf.CoolAppApplication, error)
	AppCoolApplications(ctx context.Context, appID, after string, limit int) ([]shelf.CoolAppApplication, error)
	DecideCoolApp(ctx context.Context, id, reviewerID string, d shelf.ReviewDecision) (*shelf.CoolAppApplication, error)
	CoolApp(ctx context.Context, appID string) (*shelf.CoolApp, error)

	SetGroupRole(ctx context.Context, groupID, userID, role, byUserID string) error
	RemoveGroupMember(ctx context.Context, groupID, userID, byUserID string) error
	GroupInstallations(ctx context.Context, groupID, after string, limit int) ([]shelf.Installation, error)
	GroupInstallation(ctx context.Context, groupID, appID string) (*shelf.Installation, error)

	PostCard(ctx context.Context, appID, orgID, groupID string, in shelf.CardInput, limit shelf.CardLimit) (*shelf.GroupCard, error)
	UpdateCard(ctx context.Context, appID, orgID, groupID, cardID string, in shelf.CardInput) (*shelf.GroupCard, error)
	DeleteCard(ctx context.Context, appID, orgID, groupID, cardID string) error
	GroupCards(ctx context.Context, groupID, before string, limit int) ([]shelf.GroupCard, error)
}

// CoolFindings runs the cool-app materials' pre-submission check, with the
// links the listing shows fetched as for a listing revision.
func (s *Services) CoolFindings(ctx context.Context, appID string, m *shelf.CoolMaterials) ([]shelf.Finding, error) {
	m.Normalize()
	fs := shelf.CoolPrecheck(m)
	if s.Links == nil {
		return fs, nil
	}
	rev := &shelf.RevisionInfo{Revision: m.Revision, AppID: appID}
	links := rev.Links()
	if app, err := s.Apps.App(ctx, appID); err != nil {
		return nil, err
	} else if app.HomepageURL != "" {
		links = append(links, shelf.Link{Field: "homepage_url", URL: app.HomepageURL})
	}
	return append(fs, shelf.CheckLinks(ctx, s.Links, links)...), nil
}

// GroupCoolApp is a cool app installed in a group as one member sees it:
// its entry points, and whether they may use it (a paid cool app needs a
// seat; the others are told to ask their admin).
type GroupCoolApp struct {
	InstallationID string                 `json:"installation_id"`
	AppID          string                 `json:"app_id"`
	Name           string                 `json:"name"`
	NameEn         string                 `json:"name_en"`
	EntryPoints    []shelf.CoolEntryPoint `json:"entry_points"`
	Usable         bool                   `json:"usable"`
}

// GroupCoolApp describes an installation for the member userID.
func (s *Services) GroupCoolApp(ctx context.Context, in shelf.Installation, userID string) (GroupCoolApp, error) {
	out := GroupCoolApp{InstallationID: in.ID, AppID: in.AppID, EntryPoints: []shelf.CoolEntryPoint{}}
	app, err := s.Apps.App(ctx, in.AppID)
	if err != nil {
		return out, err
	}
	out.Name, out.NameEn = app.Name, app.NameEn
	if li, err := s.Listings.ListingForApp(ctx, in.AppID); err == nil && li.Live != nil {
		out.Name, out.NameEn = li.Live.Name, li.Live.NameEn // as the market shows it
	}
	if c, err := s.Cool.CoolApp(ctx, in.AppID); err == nil {
		out.EntryPoints = c.EntryPoints
	} else if shelf.ErrorKind(err) != shelf.KindNotFound {
		return out, err
	}
	out.Usable, err = s.CoolUsable(ctx, in.OrgID, in.AppID, userID)
	return out, err
}

// CoolUsable reports whether a member may use a cool app of their org, as
// the vendor's entitlement check answers: with a seat of the org's
// subscription (a group install of a free cool app starts one on its free
// spec, seating everyone while the org fits it). A free cool app the org
// holds no licence of at all (installed before group installs licensed
// the org) stays usable by everyone.
func (s *Services) CoolUsable(ctx context.Context, orgID, appID, userID string) (bool, error) {
	li, err := s.Listings.ListingForApp(ctx, appID)
	if err != nil && shelf.ErrorKind(err) != shelf.KindNotFound {
		return false, err
	}
	free := li != nil && li.Live != nil && (li.Live.HasFreeSpec() || len(li.Live.Specs) == 0)
	es, err := s.Entitlements.Entitlements(ctx, appID, orgID, []string{userID})
	if err != nil || len(es) != 1 {
		return false, err
	}
	return es[0].Status == shelf.EntValid || (free && es[0].Status == shelf.EntNoActiveLicense), nil
}

// ErrAskYourAdmin is the answer to a member without a seat of a paid cool app.
func ErrAskYourAdmin() error {
	return shelf.Forbidden("seat_required", "you hold no seat of this cool app: ask your admin for one")
}

// CoolLaunchURL is where a member opens a cool app, signed in through
// Shelf's OpenID provider when there is one (else at its launch URL),
// at path under the launch URL ("" for the launch URL itself).
func (s *Services) CoolLaunchURL(ctx context.Context, appID, userID, path string) (string, error) {
	app, err := s.Apps.App(ctx, appID)
	if err != nil {
		return "", err
	}
	if s.SSO == nil {
		return joinLaunch(app.LaunchURL, path), nil
	}
	to, err := s.SSO.LaunchURL(ctx, appID, userID)
	if err != nil || path == "" {
		return to, err
	}
	return coolTarget(to, app.LaunchURL, path)
}

// CoolMarketApp is a cool app as the cool app market shows it: its listing
// and what it declares to group owners.
type CoolMarketApp struct {
	shelf.CoolApp
	ListingID    string             `json:"listing_id"`
	PartnerBadge bool               `json:"partner_badge"`
	Listing      *shelf.ListingInfo `json:"-"`
}

// CoolAppInMarket returns a cool app live in the cool app market: 404 for
// one that is not (not approved, delisted, its partner suspended).
func (s *Services) CoolAppInMarket(ctx context.Context, appID string) (*CoolMarketApp, error) {
	li, err := s.Listings.ListingForApp(ctx, appID)
	if err != nil || li.AppKind != shelf.AppCool || li.State != shelf.ListingListed || !li.Market || li.PartnerSuspended || li.Live == nil {
		if err != nil && shelf.ErrorKind(err) != shelf.KindNotFound {
			return nil, err
		}
		return nil, shelf.NotFound("cool app")
	}
	c, err := s.Cool.CoolApp(ctx, appID)
	if shelf.ErrorKind(err) == shelf.KindNotFound {
		// Listed through the listing workflow before cool-app applications
		// existed: nothing declared yet.
		c, err = &shelf.CoolApp{AppID: appID, CoolDeclaration: shelf.CoolDeclaration{Scenarios: []string{}, EntryPoints: []shelf.CoolEntryPoint{}, Permissions: []shelf.CoolPermission{}}}, nil
	}
	if err != nil {
		return nil, err
	}
	return &CoolMarketApp{CoolApp: *c, ListingID: li.ID, PartnerBadge: li.PartnerBadge, Listing: li}, nil
}
