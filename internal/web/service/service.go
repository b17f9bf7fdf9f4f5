package service

import (
	"context"
	"net/url"
	"strings"
	"time"

	"github.com/shelfhq/shelf/internal/search"

	"github.com/shelfhq/shelf/internal/payment"
	"github.com/shelfhq/shelf/internal/selftest"
	"github.com/shelfhq/shelf/internal/shelf"
)

// Services are the dependencies the API and the pages share.
type Services struct {
	Store    Store
	Apps     AppStore
	Listings ListingStore
	Clock    shelf.Clock
	// BaseURL is the public address links are written with.
	BaseURL *url.URL
	// WebhookGuard checks the webhook URLs partners submit.
	WebhookGuard URLChecker
	// Links checks a listing's links before submission; nil skips them.
	Links shelf.LinkChecker
	// SelfTests runs app self-tests in test orgs; nil: not configured.
	SelfTests *selftest.Runner
	// Commerce sells: trials, orders, subscriptions, seats, vendor tokens.
	Commerce CommerceStore
	// Entitlements answers the vendor API from memory.
	Entitlements Entitlements
	// Payments are the payment providers; Sandbox is the built-in test
	// provider whose checkout page Shelf serves.
	Payments *payment.Providers
	Sandbox  *payment.Sandbox
	// Selfop is partner self-operation: commission rates and statements.
	Selfop SelfopStore
	// SSO signs members in to apps; nil when the base URL cannot be an
	// OpenID issuer (plain http off loopback).
	SSO SSO
	// Promo keeps promotion channels, their visits and funnels; PromoKey
	// names visitors (see shelf.PromoVisitor).
	Promo    PromoStore
	PromoKey []byte
	// Market is the search index of the live market, kept current from
	// the change feed.
	Market *search.Market
	// Cool is the partner program, cool-app applications and group cards.
	Cool CoolStore
}

// CheckWebhookURL checks a webhook URL's form, then that the guard lets
// Shelf call it ("" is no webhook).
func (s *Services) CheckWebhookURL(ctx context.Context, raw string) error {
	clean, err := shelf.CheckAppURL("webhook_url", raw, false)
	if err != nil || clean == "" {
		return err
	}
	return s.WebhookGuard.CheckURL(ctx, "webhook_url", clean)
}

// InvitationURL is the page where the invited person accepts.
func (s *Services) InvitationURL(inv *shelf.Invitation) string {
	return strings.TrimRight(s.BaseURL.String(), "/") + "/invitations/" + inv.Token
}

// ErrNoSelfTests is the answer when no self-test runner is configured.
func ErrNoSelfTests() error {
	return shelf.Errorf(shelf.KindInternal, "internal", "self-tests are not configured")
}

// DeliveryHealth is an app's deliveries by state and its daily figures.
type DeliveryHealth struct {
	Counts map[shelf.DeliveryState]int `json:"counts"`
	Days   []shelf.DayStats            `json:"days"`
}

// DeliveryHealth reads an app's delivery health over the last days (1 to
// 90; 14 otherwise), today (UTC) included.
func (s *Services) DeliveryHealth(ctx context.Context, appID string, days int) (*DeliveryHealth, error) {
	if days <= 0 || days > 90 {
		days = 14
	}
	since := s.Clock.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 1-days)
	counts, err := s.Apps.DeliveryCounts(ctx, appID)
	if err != nil {
		return nil, err
	}
	stats, err := s.Apps.DeliveryStats(ctx, appID, since)
	if err != nil {
		return nil, err
	}
	if stats == nil {
		stats = []shelf.DayStats{}
	}
	return &DeliveryHealth{Counts: counts, Days: stats}, nil
}

// DeliveryState reads a delivery-log state filter ("" for all).
func DeliveryState(v string) (shelf.DeliveryState, error) {
	switch st := shelf.DeliveryState(v); st {
	case "", shelf.DeliveryPending, shelf.DeliveryParked, shelf.DeliveryDelivered, shelf.DeliveryFailed:
		return st, nil
	}
	return "", shelf.FieldError("state", "invalid_state", "state must be pending, parked, delivered or failed")
}

// Findings runs the pre-submission check: content and images, and the
// links the listing shows (privacy policy, support page, app homepage),
// fetched through the outbound guard.
func (s *Services) Findings(ctx context.Context, rev *shelf.RevisionInfo) ([]shelf.Finding, error) {
	fs := shelf.Precheck(&rev.Revision)
	if s.Links == nil {
		return fs, nil
	}
	links := rev.Links()
	if app, err := s.Apps.App(ctx, rev.AppID); err != nil {
		return nil, err
	} else if app.HomepageURL != "" {
		links = append(links, shelf.Link{Field: "homepage_url", URL: app.HomepageURL})
	}
	return append(fs, shelf.CheckLinks(ctx, s.Links, links)...), nil
}

// Submit checks a revision as a reviewer would (errors block, warnings do
// not) and puts it in the review queue.
func (s *Services) Submit(ctx context.Context, rev *shelf.RevisionInfo, byUserID string) (*shelf.RevisionInfo, error) {
	if rev.State == shelf.RevisionDraft {
		fs, err := s.Findings(ctx, rev)
		if err != nil {
			return nil, err
		}
		if err := shelf.FirstBlocking(fs); err != nil {
			return nil, err
		}
	}
	return s.Listings.Submit(ctx, rev.ID, byUserID)
}

// CreatedApp is a newly registered app with its secrets, shown once.
type CreatedApp struct {
	shelf.App
	shelf.AppCredentials
}
