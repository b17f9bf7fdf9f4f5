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
