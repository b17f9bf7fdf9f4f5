package shelf

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// TicketState is where a service ticket (服务工单) stands: open (waiting
// for the partner), answered, waiting_customer (the partner needs more
// from the customer), closed (reopened within TicketReopenWindow).
type TicketState string

// The ticket states.
const (
	TicketOpen            TicketState = "open"
	TicketAnswered        TicketState = "answered"
	TicketWaitingCustomer TicketState = "waiting_customer"
	TicketClosed          TicketState = "closed"
)

// TicketPriority is how urgent a ticket is; each has its service targets.
type TicketPriority string

// The priorities, least urgent first.
const (
	PriorityLow    TicketPriority = "low"
	PriorityNormal TicketPriority = "normal"
	PriorityHigh   TicketPriority = "high"
	PriorityUrgent TicketPriority = "urgent"
)

// TicketPriorities lists the priorities, least urgent first.
var TicketPriorities = []TicketPriority{PriorityLow, PriorityNormal, PriorityHigh, PriorityUrgent}

// Ticket event types, in the (app, org) stream of the ticket's org.
const (
	EventTicketCreated = "ticket.created"
	EventTicketReplied = "ticket.replied"
)

// TicketReopenWindow is how long after closing a ticket may be reopened.
const TicketReopenWindow = 14 * 24 * time.Hour

// Bounds of a ticket's texts and attachments.
const (
	MaxTicketSubject     = 200
	MaxTicketText        = 10000
	MaxTicketAttachment  = 512 << 10 // bytes, after base64 decoding: a JSON body stays under 1 MiB
	MaxTicketAttachments = 3         // per message
)

// ServiceTarget is a partner's promise for one priority: the first
// response and the resolution within so many minutes of opening.
type ServiceTarget struct {
	Priority      TicketPriority `json:"priority"`
	FirstResponse int            `json:"first_response_minutes"`
	Resolution    int            `json:"resolution_minutes"`
}

// DefaultServiceTargets apply to a partner that set none.
var DefaultServiceTargets = []ServiceTarget{
	{PriorityLow, 24 * 60, 7 * 24 * 60},
	{PriorityNormal, 8 * 60, 3 * 24 * 60},
	{PriorityHigh, 4 * 60, 24 * 60},
	{PriorityUrgent, 60, 8 * 60},
}

// Check validates a target: a known priority, positive minutes (at most a
// year), a resolution no sooner than the first response.
func (t ServiceTarget) Check() error {
	if !slices.Contains(TicketPriorities, t.Priority) {
		return FieldError("priority", "invalid_priority", "priority must be low, normal, high or urgent")
	}
	if t.FirstResponse < 1 || t.Resolution < 1 || t.FirstResponse > 525600 || t.Resolution > 525600 {
		return FieldError("first_response_minutes", "out_of_range", "minutes must be 1 to 525600")
	}
	if t.Resolution < t.FirstResponse {
		return FieldError("resolution_minutes", "out_of_range", "the resolution target cannot come before the first response's")
	}
	return nil
}

// Ticket is a customer org's service ticket on an installed app, answered
// by the app's partner. Times are measured from opening; the targets are
// the partner's at that moment.
type Ticket struct {
	ID              string         `json:"id"`
	OrgID           string         `json:"org_id"`
	OrgName         string         `json:"org_name"`
	AppID           string         `json:"app_id"`
	ListingID       string         `json:"listing_id"`
	PartnerID       string         `json:"partner_org_id"`
	OpenedBy        string         `json:"opened_by"`
	OpenedByName    string         `json:"opened_by_name"`
	Subject         string         `json:"subject"`
	Priority        TicketPriority `json:"priority"`
	State           TicketState    `json:"state"`
	FirstResponseAt *time.Time     `json:"first_response_at"`
	ClosedAt        *time.Time     `json:"closed_at"`
	ResponseDue     time.Time      `json:"response_due_at"`
	ResolutionDue   time.Time      `json:"resolution_due_at"`
	// FirstResponseSecs and ResolutionSecs are the times taken (0 until
	// they happen); the breaches count the time so far.
	FirstResponseSecs  int64     `json:"first_response_seconds"`
	ResolutionSecs     int64     `json:"resolution_seconds"`
	ResponseBreached   bool      `json:"response_breached"`
	ResolutionBreached bool      `json:"resolution_breached"`
	CreatedAt          time.Time `json:"created_at"`
	UpdatedAt          time.Time `json:"updated_at"`
}

// Measure fills the times taken and the breaches as of now.
func (t *Ticket) Measure(now time.Time) {
	t.FirstResponseSecs, t.ResolutionSecs = 0, 0
	responded, resolved := now, now
	if t.FirstResponseAt != nil {
		responded = *t.FirstResponseAt
		t.FirstResponseSecs = int64(responded.Sub(t.CreatedAt) / time.Second)
	}
	if t.ClosedAt != nil && t.State == TicketClosed {
		resolved = *t.ClosedAt
		t.ResolutionSecs = int64(resolved.Sub(t.CreatedAt) / time.Second)
	}
	t.ResponseBreached = responded.After(t.ResponseDue)
	t.ResolutionBreached = resolved.After(t.ResolutionDue)
}

// TicketMessage is one message of a ticket, by the customer's or the
// partner's side, with its attachments.
type TicketMessage struct {
	ID          string             `json:"id"`
	AuthorID    string             `json:"author_id"`
	AuthorName  string             `json:"author_name"`
	Side        string             `json:"side"`
	Text        string             `json:"text"`
	Attachments []TicketAttachment `json:"attachments"`
	CreatedAt   time.Time          `json:"created_at"`
}

// TicketAttachment is an attached file's description; its bytes are read
// separately.
type TicketAttachment struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int    `json:"size"`
}

// NewAttachment is an uploaded file, checked before it is kept.
type NewAttachment struct {
	Name string `json:"name"`
	Data []byte `json:"data"`
}

// NewTicket is what a customer opens.
type NewTicket struct {
	OrgID       string
	AppID       string
	ByUserID    string
	Subject     string
	Priority    TicketPriority
	Text        string
	Attachments []NewAttachment
}

// Check validates a new ticket's subject, priority, first message and
// the number of attachments (their contents are checked when stored).
func (n *NewTicket) Check() error {
	n.Subject = strings.TrimSpace(n.Subject)
	if n.Priority == "" {
		n.Priority = PriorityNormal
	}
	if n.AppID == "" {
		return FieldError("app_id", "required", "app_id is required")
	}
	if err := checkTicketText("subject", n.Subject, MaxTicketSubject); err != nil {
		return err
	}
	if !slices.Contains(TicketPriorities, n.Priority) {
		return FieldError("priority", "invalid_priority", "priority must be low, normal, high or urgent")
	}
	return CheckTicketMessage(&n.Text, n.Attachments)
}

// CheckTicketMessage validates a message's text and how many files it
// carries.
func CheckTicketMessage(text *string, atts []NewAttachment) error {
	*text = strings.TrimSpace(*text)
	if err := checkTicketText("text", *text, MaxTicketText); err != nil {
		return err
	}
	if len(atts) > MaxTicketAttachments {
		return FieldError("attachments", "too_many_attachments", "at most %d attachments a message", MaxTicketAttachments)
	}
	return nil
}

func checkTicketText(field, s string, max int) error {
	if s == "" {
		return FieldError(field, "required", "%s is required", field)
	}
	if utf8.RuneCountInString(s) > max {
		return FieldError(field, "too_long", "at most %d characters", max)
	}
	return nil
}

// TicketFilter selects tickets, newest first, a page at a time: of a
// partner (PartnerID) or of an org (OrgID, and OpenedBy for a member who
// sees only their own).
type TicketFilter struct {
	PartnerID string
	OrgID     string
	OpenedBy  string
	State     TicketState
	After     string
	Limit     int
}

// TicketCursor is a ticket's cursor key in a list, newest first.
func TicketCursor(t Ticket) string {
	return cursorKey(t.CreatedAt, t.ID)
}

// TicketHealth is one partner's tickets as the platform sees them: by
// state, the mean times taken, and the breaches of its targets.
type TicketHealth struct {
	PartnerID          string `json:"partner_org_id"`
	PartnerName        string `json:"partner_name"`
	Open               int    `json:"open"`
	Answered           int    `json:"answered"`
	WaitingCustomer    int    `json:"waiting_customer"`
	Closed             int    `json:"closed"`
	MeanFirstResponse  int64  `json:"mean_first_response_seconds"`
	MeanResolution     int64  `json:"mean_resolution_seconds"`
	ResponseBreaches   int    `json:"response_breaches"`
	ResolutionBreaches int    `json:"resolution_breaches"`
}

// TicketEventData is the data of ticket.created and ticket.replied: which
// ticket, which message, by which side, and the state it left.
type TicketEventData struct {
	TicketID  string         `json:"ticket_id"`
	MessageID string         `json:"message_id"`
	Subject   string         `json:"subject"`
	Priority  TicketPriority `json:"priority"`
	State     TicketState    `json:"state"`
	Side      string         `json:"side"`
}

// Ticket sides: who wrote a message.
const (
	TicketSideCustomer = "customer"
	TicketSidePartner  = "partner"
)

// TicketReply is a message added to an open ticket by one side; the
// partner may say it now waits for the customer.
type TicketReply struct {
	TicketID      string
	ByUserID      string
	Side          string
	Text          string
	Attachments   []NewAttachment
	AwaitCustomer bool
}
