package sdk

import (
	"encoding/json"
	"fmt"
	"time"
)

// Event types. New types may appear at any time: ignore (and acknowledge
// with 2xx) the ones you do not know.
const (
	EventTestPing         = "test.ping"
	EventAppInstalled     = "app.installed"
	EventAppUninstalled   = "app.uninstalled"
	EventListingApproved  = "listing.approved"
	EventListingRejected  = "listing.rejected"
	EventListingDelisted  = "listing.delisted"
	EventListingRelisted  = "listing.relisted"
	EventListingTakenDown = "listing.taken_down"
)

// EventTypes lists the event types this SDK knows.
var EventTypes = []string{EventTestPing, EventAppInstalled, EventAppUninstalled, EventListingApproved, EventListingRejected,
	EventListingDelisted, EventListingRelisted, EventListingTakenDown}

// Event is the envelope of every webhook and of the pull API. Seq increases
// by one per (app, org): a gap means an event is still on its way (or
// parked: fetch it with the pull API); a repeated ID is a redelivery.
type Event struct {
	ID        string          `json:"id"`
	Type      string          `json:"type"`
	CreatedAt time.Time       `json:"created_at"`
	AppID     string          `json:"app_id"`
	OrgID     string          `json:"org_id"`
	Seq       int64           `json:"seq"`
	Data      json.RawMessage `json:"data"`
}

// TestPing is the data of a test.ping event, sent on the partner's request.
type TestPing struct {
	Message string `json:"message"`
	// RequestedBy is the user who asked for the ping, if one did.
	RequestedBy string `json:"requested_by,omitempty"`
}

// AppInstalled is the data of app.installed: the app was authorized into
// an org (GroupID empty) or, for a cool app, into a group chat.
type AppInstalled struct {
	InstallationID string `json:"installation_id"`
	GroupID        string `json:"group_id,omitempty"`
	InstalledBy    string `json:"installed_by"`
	// Channel is the promotion channel code the install came through, if any.
	Channel string `json:"channel,omitempty"`
	// State is the vendor's own value carried by a promotion link.
	State string `json:"state,omitempty"`
	// AuthCode is a one-time code (10 minutes) the vendor's server
	// exchanges at POST /api/v1/vendor/token for an org access token.
	// Org-wide installs only.
	AuthCode string `json:"auth_code,omitempty"`
}

// AppUninstalled is the data of app.uninstalled.
type AppUninstalled struct {
	InstallationID string `json:"installation_id"`
	GroupID        string `json:"group_id,omitempty"`
	UninstalledBy  string `json:"uninstalled_by"`
}

// ListingApproved is the data of listing.approved: a revision went live.
type ListingApproved struct {
	ListingID  string `json:"listing_id"`
	RevisionID string `json:"revision_id"`
	ReviewerID string `json:"reviewer_id"`
}

// ListingRejected is the data of listing.rejected, with the reviewer's
// reasons.
type ListingRejected struct {
	ListingID  string   `json:"listing_id"`
	RevisionID string   `json:"revision_id"`
	ReviewerID string   `json:"reviewer_id"`
	Reasons    []string `json:"reasons"`
}

// ListingStateChanged is the data of listing.delisted (the partner took
// the listing off the market), listing.relisted (the partner put it back)
// and listing.taken_down (a platform operator removed it; only a reviewed
// revision relists it). Subscriptions already sold run to their end.
type ListingStateChanged struct {
	ListingID string `json:"listing_id"`
	ActorID   string `json:"actor_id"`
	Reason    string `json:"reason,omitempty"`
}

// ParseEvent decodes a webhook body into its envelope. Verify the
// signature first.
func ParseEvent(body []byte) (*Event, error) {
	var e Event
	if err := json.Unmarshal(body, &e); err != nil {
		return nil, fmt.Errorf("shelf: decode event: %w", err)
	}
	if e.ID == "" || e.Type == "" {
		return nil, fmt.Errorf("shelf: decode event: id and type are required")
	}
	return &e, nil
}

// Payload decodes the event's data into the struct of its type (TestPing,
// AppInstalled, …). Unknown types return (nil, nil): acknowledge them.
func (e *Event) Payload() (any, error) {
	var v any
	switch e.Type {
	case EventTestPing:
		v = &TestPing{}
	case EventAppInstalled:
		v = &AppInstalled{}
	case EventAppUninstalled:
		v = &AppUninstalled{}
	case EventCoolAppApproved, EventCoolAppRejected:
		v = &CoolAppDecided{}
	case EventCoolAppInstalled:
		v = &CoolAppInstalled{}
	case EventGroupMembersChanged:
		v = &GroupMembersChanged{}
	case EventListingApproved:
		v = &ListingApproved{}
	case EventListingRejected:
		v = &ListingRejected{}
	case EventListingDelisted, EventListingRelisted, EventListingTakenDown:
		v = &ListingStateChanged{}
	default:
		return nil, nil
	}
	if err := json.Unmarshal(e.Data, v); err != nil {
		return nil, fmt.Errorf("shelf: decode %s data: %w", e.Type, err)
	}
	return v, nil
}
