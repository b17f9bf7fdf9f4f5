// Package service is what the API and the pages share besides the access
// policy: the storage the web layer depends on, and the few operations
// both call (webhook URL checks, delivery health, the pre-submission
// findings, waking the dispatcher).
package service

import (
	"context"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
)

// Store is what the web layer needs from storage; *store.Store implements it.
type Store interface {
	Ping(ctx context.Context) error

	CreateUser(ctx context.Context, email, name, password string) (*shelf.User, error)
	Authenticate(ctx context.Context, email, password, from string) (*shelf.User, error)
	PlatformUsers(ctx context.Context, role shelf.PlatformRole, p shelf.PageReq) ([]shelf.User, error)
	FindPeople(ctx context.Context, text string, limit int) ([]shelf.User, error)
	PeopleNames(ctx context.Context, ids []string) (map[string]string, error)

	CreateSession(ctx context.Context, userID string, ttl time.Duration, dev shelf.SessionDevice) (token, csrf string, err error)
	SessionUser(ctx context.Context, token string) (*shelf.User, string, error)
	DeleteSession(ctx context.Context, token string) error
	CreateToken(ctx context.Context, userID, name, kind string, ttl time.Duration) (string, *shelf.Token, error)
	TokenUser(ctx context.Context, plain string) (*shelf.User, error)
	Tokens(ctx context.Context, userID string, p shelf.PageReq) ([]shelf.Token, error)
	RevokeToken(ctx context.Context, userID, tokenID string) error
	RevokeBearer(ctx context.Context, userID, plain string) error
	CreateDeviceLogin(ctx context.Context, clientName string) (string, *shelf.DeviceLogin, error)
	DeviceLogin(ctx context.Context, userCode string) (*shelf.DeviceLogin, error)
	DecideDeviceLogin(ctx context.Context, userCode, userID string, approve bool) (*shelf.DeviceLogin, error)
	RedeemDeviceLogin(ctx context.Context, deviceCode string) (string, *shelf.Token, error)
	// A person's own account (the account page): sessions, password, name.
	UserSessions(ctx context.Context, userID, current string) ([]shelf.UserSession, error)
	EndUserSession(ctx context.Context, userID, key string) error
	ChangeOwnPassword(ctx context.Context, userID, password, keep string) error
	RenameUser(ctx context.Context, userID, name string) error

	CreateOrg(ctx context.Context, n shelf.NewOrg) (*shelf.Org, error)
	Org(ctx context.Context, id string) (*shelf.Org, error)
	OrgsForUser(ctx context.Context, userID string, p shelf.PageReq) ([]shelf.OrgWithRole, error)
	SearchOrgsForUser(ctx context.Context, userID, name string, p shelf.PageReq) ([]shelf.OrgWithRole, error)
	TestOrgs(ctx context.Context, partnerOrgID string, p shelf.PageReq) ([]shelf.Org, error)
	OrgForMember(ctx context.Context, orgID, userID string) (*shelf.Org, shelf.Role, bool, error)
	MemberRole(ctx context.Context, orgID, userID string) (shelf.Role, bool, error)
	Members(ctx context.Context, orgID string, p shelf.PageReq) ([]shelf.Membership, error)
	MemberCount(ctx context.Context, orgID string) (int, error)
	AddMember(ctx context.Context, orgID, email string, role shelf.Role, byUserID string) (*shelf.Membership, *shelf.Invitation, error)
	Invitations(ctx context.Context, orgID string, p shelf.PageReq) ([]shelf.Invitation, error)
	InvitationByToken(ctx context.Context, token string) (*shelf.Invitation, error)
	Invite(ctx context.Context, orgID, email string, role shelf.Role, byUserID string) (*shelf.Invitation, error)
	AcceptInvitation(ctx context.Context, token, userID string) (*shelf.Membership, error)
	SetMemberRole(ctx context.Context, orgID, userID string, role shelf.Role, byUserID string) error
	RemoveMember(ctx context.Context, orgID, userID, byUserID string) error

	CreateGroup(ctx context.Context, orgID, name, ownerID string, memberIDs []string) (*shelf.Group, error)
	Group(ctx context.Context, id string) (*shelf.Group, error)
	Groups(ctx context.Context, orgID string, p shelf.PageReq) ([]shelf.Group, error)
	AddGroupMember(ctx context.Context, groupID, userID string) error
	GroupRole(ctx context.Context, groupID, userID string) (string, bool, error)

	CreateCategory(ctx context.Context, n shelf.NewCategory) (*shelf.Category, error)
	UpdateCategory(ctx context.Context, id string, p shelf.CategoryPatch) (*shelf.Category, error)
	Categories(ctx context.Context, withArchived bool) ([]shelf.Category, error)
	AssignOperator(ctx context.Context, categoryID, userID, byUserID string) error
	UnassignOperator(ctx context.Context, categoryID, userID, byUserID string) error
}

// AppStore is what the app and event endpoints need from storage.
type AppStore interface {
	CreateApp(ctx context.Context, n shelf.NewApp) (*shelf.App, *shelf.AppCredentials, error)
	App(ctx context.Context, id string) (*shelf.App, error)
	Apps(ctx context.Context, orgID string, p shelf.PageReq) ([]shelf.App, error)
	SearchApps(ctx context.Context, orgID, name string, p shelf.PageReq) ([]shelf.App, error)
	UpdateApp(ctx context.Context, id string, p shelf.AppPatch) (*shelf.App, error)
	RotateWebhookSecret(ctx context.Context, appID, byUserID string) (string, error)
	AuthenticateApp(ctx context.Context, clientID, clientSecret string) (*shelf.App, error)
	EmitTestPing(ctx context.Context, appID, byUserID string) (*shelf.Event, error)
	VendorEvents(ctx context.Context, appID, orgID string, after int64, limit int) ([]shelf.Event, int64, error)
	Deliveries(ctx context.Context, appID string, f shelf.DeliveryFilter) ([]shelf.Delivery, error)
	DeliveryAttempts(ctx context.Context, appID string, f shelf.AttemptFilter) ([]shelf.DeliveryAttempt, error)
	LatestAttempts(ctx context.Context, appID string, eventIDs []string, perEvent int) (map[string][]shelf.DeliveryAttempt, error)
	DeliveryCounts(ctx context.Context, appID string) (map[shelf.DeliveryState]int, error)
	DeliveryStats(ctx context.Context, appID string, since time.Time) ([]shelf.DayStats, error)
	ResendEvent(ctx context.Context, appID, eventID string) error
	ResendFailed(ctx context.Context, appID string, from, to time.Time) (int, error)
	ReplayEvents(ctx context.Context, appID string, from, to time.Time, max int) (int, error)
	SetAppOIDC(ctx context.Context, appID string, redirectURIs []string, initiateLoginURI, byUserID string) (*shelf.AppOIDC, error)
	AppOIDC(ctx context.Context, appID string) (*shelf.AppOIDC, error)
}

// ListingStore is what the listing workflow needs from storage;
// *store.Store implements it.
type ListingStore interface {
	Install(ctx context.Context, n shelf.NewInstallation) (*shelf.Installation, bool, error)
	Uninstall(ctx context.Context, installationID, byUserID string) error
	Installation(ctx context.Context, id string) (*shelf.Installation, error)
	Installations(ctx context.Context, orgID string, p shelf.PageReq) ([]shelf.Installation, error)
	AppInstallations(ctx context.Context, appID, after string, limit int) ([]shelf.AppInstallation, error)
	IsInstalled(ctx context.Context, appID, orgID string) (bool, error)

	LatestSelfTest(ctx context.Context, appID string) (*shelf.SelfTest, error)
	SelfTests(ctx context.Context, appID string, p shelf.PageReq) ([]shelf.SelfTest, error)

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
	PartnerListings(ctx context.Context, orgID string, p shelf.PageReq) ([]shelf.ListingInfo, error)
	PartnerMarketListings(ctx context.Context, orgID string, p shelf.PageReq) ([]shelf.ListingInfo, error)
	ListingsForApps(ctx context.Context, orgID string, appIDs []string) ([]shelf.ListingInfo, error)
	MarketListings(ctx context.Context, categoryID string) ([]shelf.ListingInfo, error)
	ReviewQueue(ctx context.Context, scope shelf.ReviewScope, p shelf.PageReq) ([]shelf.QueueItem, error)
	OperatorStats(ctx context.Context, p shelf.PageReq) ([]shelf.OperatorStats, error)
	OperatorCategories(ctx context.Context, userID string) ([]string, error)
	AuditLog(ctx context.Context, q shelf.AuditQuery) ([]shelf.AuditEntry, error)
	Notices(ctx context.Context, orgID string, p shelf.PageReq) ([]shelf.Notice, error)
}

// URLChecker decides whether a webhook URL may be used (the events
// package's Guard: public addresses only, unless private ones are allowed).
type URLChecker interface {
	CheckURL(ctx context.Context, field, raw string) error
}
