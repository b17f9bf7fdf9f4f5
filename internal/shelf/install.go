package shelf

import (
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// PartnerConsoleID is the built-in partner console (伙伴自运营平台). The
// seed's step 1: a partner org installs it from its workbench before any
// listing work; until then partner operations answer 403
// partner_console_not_installed.
const PartnerConsoleID = "app_partner_console"

// BuiltinApp describes an app that ships with Shelf rather than being
// registered by a partner.
type BuiltinApp struct {
	ID, Name, NameEn string
	// ForKind is the only org kind that may install it.
	ForKind OrgKind
}

// BuiltinApps are the apps defined in code.
var BuiltinApps = map[string]BuiltinApp{
	PartnerConsoleID: {ID: PartnerConsoleID, Name: "伙伴自运营平台", NameEn: "Partner console", ForKind: OrgPartner},
}

// InstallStatus is whether an installation is in force.
type InstallStatus string

// Installation statuses. Uninstalling keeps the row (and every piece of data
// the app made), so reinstalling is a status change, not a new start.
const (
	InstallActive      InstallStatus = "active"
	InstallUninstalled InstallStatus = "uninstalled"
)

// Installation is an app authorized into an org, or (a cool app) into one
// group of an org.
type Installation struct {
	ID          string        `json:"id"`
	AppID       string        `json:"app_id"`
	OrgID       string        `json:"org_id"`
	GroupID     string        `json:"group_id,omitempty"`
	Status      InstallStatus `json:"status"`
	Channel     string        `json:"channel,omitempty"`
	InstalledBy string        `json:"installed_by"`
	CreatedAt   time.Time     `json:"created_at"`
	UpdatedAt   time.Time     `json:"updated_at"`
}

// NewInstallation describes an install: an app into an org, or a cool app
// into one group of the org.
type NewInstallation struct {
	AppID, OrgID, GroupID string
	ByUserID              string
	Channel               string // promotion channel code, if any
	State                 string // the vendor's value from a promotion link
}

// SelfTestCheck is one check of a self-test.
type SelfTestCheck struct {
	Name      string `json:"name"`
	Passed    bool   `json:"passed"`
	Detail    string `json:"detail"`
	LatencyMS int64  `json:"latency_ms"`
}

// SelfTest is the evidence that an app, as configured now, was installed
// into a test org and exercised there. Submitting a listing needs a passing
// self-test whose ConfigHash matches the app's current configuration.
type SelfTest struct {
	ID         string          `json:"id"`
	AppID      string          `json:"app_id"`
	TestOrgID  string          `json:"test_org_id"`
	StartedBy  string          `json:"started_by"`
	ConfigHash string          `json:"config_hash"`
	Passed     bool            `json:"passed"`
	Checks     []SelfTestCheck `json:"checks"`
	StartedAt  time.Time       `json:"started_at"`
	FinishedAt time.Time       `json:"finished_at"`
	// Current is false once the app's webhook, launch or homepage URL or
	// kind changed after the test: it then no longer vouches for the app.
	Current bool `json:"current"`
}

// ConfigHash fingerprints what a self-test exercised: a change to any of
// these makes an earlier self-test stale.
func (a *App) ConfigHash() string {
	h := sha256.Sum256([]byte(string(a.Kind) + "\x00" + a.WebhookURL + "\x00" + a.LaunchURL + "\x00" + a.HomepageURL))
	return hex.EncodeToString(h[:8])
}

// ActorCLI is the audit log's actor for changes made with the shelf
// command on the server (admin create, reset-password): whoever can run it
// holds the database already, and has no account to name.
const ActorCLI = "cli"

// AuditEntry records a decision: who did what to which object, with the
// object before and after (JSON) and the reason given.
type AuditEntry struct {
	ID         string    `json:"id"`
	ActorID    string    `json:"actor_id"`
	Action     string    `json:"action"`
	ObjectType string    `json:"object_type"`
	ObjectID   string    `json:"object_id"`
	Before     string    `json:"before,omitempty"`
	After      string    `json:"after,omitempty"`
	Reason     string    `json:"reason,omitempty"`
	At         time.Time `json:"at"`
}

// AuditQuery filters the audit log. Text matches the action, object id or
// actor id exactly or by prefix, or the object type; zero values match
// everything.
type AuditQuery struct {
	Text string
	// Actor narrows to the entries of one person (a user id): the audit
	// page's search by a person's email or name.
	Actor string
	PageReq
}

// Notice is a message in a partner's console (review decisions, takedowns,
// failed deliveries).
type Notice struct {
	ID        string     `json:"id"`
	OrgID     string     `json:"org_id"`
	Kind      string     `json:"kind"`
	ObjectID  string     `json:"object_id,omitempty"`
	Message   string     `json:"message"`
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at"`
}

// RevisionInfo is a revision with what the workflow knows about it.
type RevisionInfo struct {
	Revision
	AppID       string          `json:"app_id"`
	OrgID       string          `json:"org_id"`
	Number      int             `json:"number"`
	CreatedBy   string          `json:"created_by"`
	SubmittedAt *time.Time      `json:"submitted_at"`
	DecidedAt   *time.Time      `json:"decided_at"`
	DecidedBy   string          `json:"decided_by,omitempty"`
	Decision    *ReviewDecision `json:"decision,omitempty"`
	SelfTestID  string          `json:"self_test_id,omitempty"`
}

// ListingInfo is a listing with its app and the revisions that matter: the
// live one customers see and the one being edited or reviewed.
type ListingInfo struct {
	Listing
	OrgID      string `json:"org_id"`
	CategoryID string `json:"category_id"`
	Market     bool   `json:"market"`
	AppName    string `json:"app_name"`
	// AppKind is the app's kind (a cool app is in the cool app market);
	// PartnerSuspended says its partner is suspended from the partner
	// program, which takes its cool apps out of the market.
	AppKind          AppKind `json:"app_kind"`
	PartnerSuspended bool    `json:"-"`
	// PartnerBadge: the partner is a member of the partner program in good standing.
	PartnerBadge bool          `json:"partner_badge"`
	Live         *RevisionInfo `json:"live,omitempty"`
	Pending      *RevisionInfo `json:"pending,omitempty"`
}

// ReviewScope is the part of the review queue a reviewer sees: every
// category (All: platform admins) or only Categories (an operator's). The
// zero value, and an operator with no category, see nothing: "all" is
// never implied by an empty or missing list.
type ReviewScope struct {
	All        bool
	Categories []string
}

// QueueItem is a submitted revision waiting in a review queue.
type QueueItem struct {
	RevisionID  string        `json:"revision_id"`
	ListingID   string        `json:"listing_id"`
	AppID       string        `json:"app_id"`
	OrgID       string        `json:"org_id"`
	OrgName     string        `json:"org_name"`
	Name        string        `json:"name"`
	NameEn      string        `json:"name_en"`
	CategoryID  string        `json:"category_id"`
	Number      int           `json:"number"`
	SubmittedAt time.Time     `json:"submitted_at"`
	Waiting     time.Duration `json:"-"`
	WaitingSecs int64         `json:"waiting_seconds"`
}

// OperatorStats is one reviewer's load and speed.
type OperatorStats struct {
	UserID         string  `json:"user_id"`
	Name           string  `json:"name"`
	QueueLength    int     `json:"queue_length"`
	Decided        int     `json:"decided"`
	MedianDecision float64 `json:"median_decision_hours"`
}

// AppInstallation is an org that has an app, as its vendor sees it: the
// installation and the org's name, and whether it is a test org.
type AppInstallation struct {
	Installation
	OrgName string `json:"org_name"`
	TestOrg bool   `json:"test_org"`
}
