package shelf

import (
	"encoding/json"
	"time"
)

// Event types a vendor's server hears about. The public SDK mirrors these
// names; a test keeps the two lists equal.
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

// EventTypes lists every event type, in the order the docs present them.
var EventTypes = []string{EventTestPing, EventAppInstalled, EventAppUninstalled, EventListingApproved, EventListingRejected,
	EventListingDelisted, EventListingRelisted, EventListingTakenDown}

// Event is one fact told to one app about one org. Seq increases by one per
// (app, org), so the vendor can order events and see gaps.
type Event struct {
	ID        string          `json:"id"`
	Type      string          `json:"type"`
	CreatedAt time.Time       `json:"created_at"`
	AppID     string          `json:"app_id"`
	OrgID     string          `json:"org_id"`
	Seq       int64           `json:"seq"`
	Data      json.RawMessage `json:"data"`
}

// The data of each event type, as the store encodes it. The public SDK
// keeps its own copy of these types for vendors to decode; a test keeps
// the two JSON shapes equal.

// TestPing is the data of test.ping, sent on the partner's request.
type TestPing struct {
	Message     string `json:"message"`
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

// ListingStateChanged is the data of listing.delisted, listing.relisted
// and listing.taken_down.
type ListingStateChanged struct {
	ListingID string `json:"listing_id"`
	ActorID   string `json:"actor_id"`
	Reason    string `json:"reason,omitempty"`
}

// DeliveryState is where an event's webhook delivery stands.
type DeliveryState string

// WebhookUserAgent is the User-Agent of every webhook request Shelf sends,
// deliveries and self-tests alike (docs/events.md); a self-test adds the
// header Shelf-Self-Test: 1 instead of a different agent.
const WebhookUserAgent = "Shelf-Webhooks/1"

// LinkCheckUserAgent is the User-Agent of the pre-submission check's link
// requests (docs/listing.md).
const LinkCheckUserAgent = "Shelf-LinkCheck/1"

// Delivery states. A pending event goes out in seq order within its (app,
// org); a parked one held its stream up past the ordering cap (or was
// resent) and is retried on its own; failed ones ran out of retries.
const (
	DeliveryPending   DeliveryState = "pending"
	DeliveryParked    DeliveryState = "parked"
	DeliveryDelivered DeliveryState = "delivered"
	DeliveryFailed    DeliveryState = "failed"
)

// Delivery is the webhook delivery of one event.
type Delivery struct {
	EventID       string        `json:"event_id"`
	EventType     string        `json:"event_type"`
	AppID         string        `json:"app_id"`
	OrgID         string        `json:"org_id"`
	Seq           int64         `json:"seq"`
	State         DeliveryState `json:"state"`
	Attempts      int           `json:"attempts"`
	NextAttemptAt time.Time     `json:"next_attempt_at"`
	LastStatus    int           `json:"last_status"`
	LastError     string        `json:"last_error"`
	DeliveredAt   *time.Time    `json:"delivered_at"`
	CreatedAt     time.Time     `json:"created_at"`
}

// DeliveryAttempt is one POST of an event to the vendor's endpoint.
type DeliveryAttempt struct {
	ID          string        `json:"id"`
	EventID     string        `json:"event_id"`
	EventType   string        `json:"event_type"`
	AttemptedAt time.Time     `json:"attempted_at"`
	OK          bool          `json:"ok"`
	StatusCode  int           `json:"status_code"`
	Latency     time.Duration `json:"latency_ns"`
	Error       string        `json:"error,omitempty"`
	Response    string        `json:"response,omitempty"`
}

// DeliveryJob is an event claimed for delivery: what the dispatcher needs
// to send it. Secrets are the signing secrets in force, never serialized.
type DeliveryJob struct {
	Event          Event         `json:"event"`
	URL            string        `json:"url"`
	Secrets        []string      `json:"-"`
	State          DeliveryState `json:"state"`
	Attempts       int           `json:"attempts"`
	FirstAttemptAt *time.Time    `json:"first_attempt_at"`
	GiveUpAt       time.Time     `json:"give_up_at"`
	LeaseOwner     string        `json:"lease_owner"`
	LeaseID        string        `json:"lease_id"` // the claim's; outcomes carry it
	LeaseUntil     time.Time     `json:"lease_until"`
}

// DeliveryOutcome is the dispatcher's verdict after an attempt: the attempt
// to log and the delivery's next state.
type DeliveryOutcome struct {
	AppID   string
	Attempt DeliveryAttempt
	// LeaseID is the claim the attempt was made under: only while that
	// lease is the delivery's does the outcome move it on (a late outcome,
	// after another claim took over, is only logged).
	LeaseID       string
	State         DeliveryState
	NextAttemptAt time.Time
	// Unsent hands the lease back without an attempt: a later event of a
	// batch that stopped at a failure (or at shutdown) before reaching it.
	// Only Attempt.EventID and LeaseID matter then.
	Unsent bool
}

// DeliveryClaim asks for up to Limit ready deliveries, at most PerApp in
// flight per app counting Busy (in flight already, by app id), leased to
// Owner until Now+Lease. With Batch > 1, a stream's head comes with up to
// Batch-1 of the stream's next pending events, all leased together, so one
// worker can send them one after the other without a database round
// between them; Limit and PerApp count streams (workers), not events.
type DeliveryClaim struct {
	Owner  string
	Now    time.Time
	Lease  time.Duration
	Limit  int
	PerApp int
	Busy   map[string]int
	Batch  int
}

// DeliveryWindow is how long Shelf keeps retrying an event (from its
// creation, or from a resend) before marking it failed.
const DeliveryWindow = 72 * time.Hour

// DayStats are one day's delivery health for an app.
type DayStats struct {
	Day       string        `json:"day"` // YYYY-MM-DD, UTC
	Attempts  int           `json:"attempts"`
	Succeeded int           `json:"succeeded"`
	P95       time.Duration `json:"p95_latency_ns"`
}

// SuccessRate is the share of successful attempts, 0 to 1.
func (d DayStats) SuccessRate() float64 {
	if d.Attempts == 0 {
		return 0
	}
	return float64(d.Succeeded) / float64(d.Attempts)
}

// DeliveryFilter narrows the delivery log. Zero fields match everything.
type DeliveryFilter struct {
	Type  string
	State DeliveryState
	PageReq
}

// AttemptFilter narrows the attempt log. OK nil matches both outcomes.
type AttemptFilter struct {
	Type    string
	EventID string
	OK      *bool
	PageReq
}
