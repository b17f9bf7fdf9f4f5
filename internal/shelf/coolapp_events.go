package shelf

// Cool-app event types: the partner hears its application's verdict in the
// (app, partner org) stream; a customer org's stream carries its group
// installs and the group membership changes its cool apps must know.
const (
	EventCoolAppApproved     = "coolapp.approved"
	EventCoolAppRejected     = "coolapp.rejected"
	EventCoolAppInstalled    = "cool_app.installed"
	EventGroupMembersChanged = "group.members_changed"
)

// CoolEventTypes lists the cool-app event types, in the order the docs
// present them.
var CoolEventTypes = []string{EventCoolAppApproved, EventCoolAppRejected, EventCoolAppInstalled, EventGroupMembersChanged}

// CoolAppDecided is the data of coolapp.approved and coolapp.rejected.
type CoolAppDecided struct {
	ApplicationID string        `json:"application_id"`
	ReviewerID    string        `json:"reviewer_id"`
	Reason        string        `json:"reason,omitempty"`
	FieldReasons  []FieldReason `json:"field_reasons,omitempty"`
}

// GroupRef names a group chat in events.
type GroupRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// CoolAppInstalled is the data of cool_app.installed: the app was put into
// a group chat, whose members it may now serve.
type CoolAppInstalled struct {
	InstallationID string   `json:"installation_id"`
	Group          GroupRef `json:"group"`
	Members        []string `json:"members"`
	InstalledBy    string   `json:"installed_by"`
	// AuthCode is a one-time code (10 minutes) the vendor's server
	// exchanges at POST /api/v1/vendor/token for the org access token
	// that posts cards into the org's groups that have the app.
	AuthCode string `json:"auth_code"`
}

// GroupMembersChanged is the data of group.members_changed, sent to every
// cool app installed in the group when someone joins or leaves it.
type GroupMembersChanged struct {
	Group   GroupRef `json:"group"`
	Joined  []string `json:"joined"`
	Left    []string `json:"left"`
	Members []string `json:"members"`
}
