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
}
