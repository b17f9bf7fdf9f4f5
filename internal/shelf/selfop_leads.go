package shelf

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// LeadState is where a partner stands with a lead (商机): new, contacted,
// then won or lost (with a reason).
type LeadState string

// The lead states.
const (
	LeadNew       LeadState = "new"
	LeadContacted LeadState = "contacted"
	LeadWon       LeadState = "won"
	LeadLost      LeadState = "lost"
)

// LeadOrigin is what made a lead: a customer asking to be contacted, a
// trial starting, or a trial ending without a purchase.
type LeadOrigin string

// The lead origins.
const (
	LeadFromContact     LeadOrigin = "contact"
	LeadFromTrial       LeadOrigin = "trial_started"
	LeadFromTrialEnding LeadOrigin = "trial_ending"
)

// LeadConsent says whether the partner may see the lead's contact
// details: given (a contact request), withdrawn (erased, the lead kept
// anonymised) or none (trial leads carry no contact details).
type LeadConsent string

// The consent states.
const (
	ConsentGiven     LeadConsent = "given"
	ConsentWithdrawn LeadConsent = "withdrawn"
	ConsentNone      LeadConsent = "none"
)

// Lead event types, in the (app, org) stream of the lead's customer org.
const (
	EventLeadCreated = "lead.created"
	EventLeadUpdated = "lead.updated"
)

// LeadSources are where a contact request may say the customer came from
// (a promotion channel's attribution wins over them).
var LeadSources = []string{"search", "category", "market", "direct"}

// Lead is a sales opportunity of one listing's partner with one org.
type Lead struct {
	ID           string       `json:"id"`
	ListingID    string       `json:"listing_id"`
	AppID        string       `json:"app_id"`
	PartnerID    string       `json:"partner_org_id"`
	OrgID        string       `json:"org_id"`
	OrgName      string       `json:"org_name"`
	Origin       LeadOrigin   `json:"origin"`
	Source       string       `json:"source"`
	Channel      string       `json:"channel,omitempty"`
	State        LeadState    `json:"state"`
	LostReason   string       `json:"lost_reason,omitempty"`
	OwnerID      string       `json:"owner_id"`
	OwnerName    string       `json:"owner_name"`
	NextFollowUp string       `json:"next_follow_up"`
	Overdue      bool         `json:"overdue"`
	Consent      LeadConsent  `json:"consent"`
	Message      string       `json:"message"`
	RequestedBy  string       `json:"requested_by"`
	Activity     LeadActivity `json:"activity"`
	CreatedAt    time.Time    `json:"created_at"`
	UpdatedAt    time.Time    `json:"updated_at"`
}

// LeadActivity is what the org does with the app now: active installs,
// assigned seats and the days left of a running trial.
type LeadActivity struct {
	Installs      int `json:"installs"`
	Seats         int `json:"seats"`
	TrialDaysLeft int `json:"trial_days_left"`
}

// LeadContact is who asked to be contacted, shared while consent stands.
type LeadContact struct {
	LeadID  string `json:"lead_id"`
	Name    string `json:"name"`
	Email   string `json:"email"`
	OrgName string `json:"org_name"`
	Message string `json:"message"`
}

// LeadNote is a partner member's note on a lead.
type LeadNote struct {
	ID         string    `json:"id"`
	AuthorID   string    `json:"author_id"`
	AuthorName string    `json:"author_name"`
	Text       string    `json:"text"`
	CreatedAt  time.Time `json:"created_at"`
}

// NewContactRequest is a customer asking a listing's partner to contact
// them, with explicit consent to share their name, email, org and message.
type NewContactRequest struct {
	ListingID string
	OrgID     string
	ByUserID  string
	Message   string
	Consent   bool
	Source    string
}

// MaxLeadText bounds a contact message, a note and a lost reason.
const MaxLeadText = 2000

// Check validates a contact request: consent given, a known source, a
// bounded message.
func (n *NewContactRequest) Check() error {
	n.Message = strings.TrimSpace(n.Message)
	if !n.Consent {
		return FieldError("consent", "consent_required", "the partner sees your name, email, org and message only with your consent: send consent true")
	}
	if n.Source == "" {
		n.Source = "direct"
	}
	if !slices.Contains(LeadSources, n.Source) {
		return FieldError("source", "invalid_source", "source must be one of %s", strings.Join(LeadSources, ", "))
	}
	return checkLeadText("message", n.Message, false)
}

// LeadChange is a partner's update of a lead; nil fields stay.
type LeadChange struct {
	State        *LeadState `json:"state"`
	LostReason   *string    `json:"lost_reason"`
	OwnerID      *string    `json:"owner_id"`
	NextFollowUp *string    `json:"next_follow_up"`
	Note         string     `json:"note"`
}

// Apply checks the change against the lead and applies it: states move
// new → contacted → won | lost (new may also close at once), a lost lead
// needs a reason, won and lost leads are closed, a follow-up is a date.
func (c *LeadChange) Apply(l *Lead) error {
	c.Note = strings.TrimSpace(c.Note)
	if err := checkLeadText("note", c.Note, false); err != nil {
		return err
	}
	if c.State != nil && !slices.Contains([]LeadState{LeadNew, LeadContacted, LeadWon, LeadLost}, *c.State) {
		return FieldError("state", "invalid_lead_state", "state must be new, contacted, won or lost")
	}
	if c.State != nil && *c.State != l.State {
		if !l.State.CanMoveTo(*c.State) {
			return Errorf(KindConflict, "invalid_transition", "a %s lead cannot become %s", l.State, *c.State)
		}
		l.State = *c.State
	} else if l.State.Closed() && (c.OwnerID != nil || c.NextFollowUp != nil) {
		return Errorf(KindConflict, "lead_closed", "this lead is %s", l.State)
	}
	if c.LostReason != nil {
		l.LostReason = strings.TrimSpace(*c.LostReason)
	}
	if l.State == LeadLost && l.LostReason == "" {
		return FieldError("lost_reason", "required", "say why the lead was lost")
	}
	if err := checkLeadText("lost_reason", l.LostReason, false); err != nil {
		return err
	}
	if c.NextFollowUp != nil {
		if d := *c.NextFollowUp; d != "" {
			if _, err := time.Parse(time.DateOnly, d); err != nil {
				return FieldError("next_follow_up", "invalid_date", "next_follow_up must be a date like 2027-01-31")
			}
		}
		l.NextFollowUp = *c.NextFollowUp
	}
	if c.OwnerID != nil {
		l.OwnerID = *c.OwnerID
	}
	return nil
}

// CanMoveTo reports whether a lead may go from s to t.
func (s LeadState) CanMoveTo(t LeadState) bool {
	switch s {
	case LeadNew:
		return t == LeadContacted || t == LeadWon || t == LeadLost
	case LeadContacted:
		return t == LeadWon || t == LeadLost
	}
	return false
}

// Closed reports whether the lead is won or lost.
func (s LeadState) Closed() bool { return s == LeadWon || s == LeadLost }

// IsOverdue reports whether an open lead's follow-up date is before today
// (UTC).
func (l *Lead) IsOverdue(now time.Time) bool {
	return !l.State.Closed() && l.NextFollowUp != "" && l.NextFollowUp < now.UTC().Format(time.DateOnly)
}

// Anonymise leaves out who the lead is once the customer withdrew consent.
func (l *Lead) Anonymise() {
	if l.Consent == ConsentWithdrawn {
		l.OrgID, l.OrgName, l.Message, l.RequestedBy = "", "", "", ""
	}
}

// LeadEventData is the data of lead.created and lead.updated: never the
// contact details.
type LeadEventData struct {
	LeadID     string      `json:"lead_id"`
	ListingID  string      `json:"listing_id"`
	Origin     LeadOrigin  `json:"origin"`
	Source     string      `json:"source"`
	Channel    string      `json:"channel,omitempty"`
	State      LeadState   `json:"state"`
	OwnerID    string      `json:"owner_id,omitempty"`
	LostReason string      `json:"lost_reason,omitempty"`
	Consent    LeadConsent `json:"consent"`
}

// EventData is what the lead's events carry.
func (l *Lead) EventData() LeadEventData {
	return LeadEventData{LeadID: l.ID, ListingID: l.ListingID, Origin: l.Origin, Source: l.Source, Channel: l.Channel, State: l.State,
		OwnerID: l.OwnerID, LostReason: l.LostReason, Consent: l.Consent}
}

// LeadFilter selects a partner's leads, newest first, a page at a time
// (After is the previous page's last cursor key).
type LeadFilter struct {
	PartnerID string
	ListingID string
	State     LeadState
	OwnerID   string
	Overdue   bool
	Now       time.Time
	After     string
	Limit     int
}

func checkLeadText(field, s string, required bool) error {
	if required && s == "" {
		return FieldError(field, "required", "%s is required", field)
	}
	if utf8.RuneCountInString(s) > MaxLeadText {
		return FieldError(field, "too_long", "at most %d characters", MaxLeadText)
	}
	return nil
}

// LeadCursor is the cursor key of a lead in a partner's list, newest
// first: "<created unix micros>:<id>".
func LeadCursor(l Lead) string {
	return cursorKey(l.CreatedAt, l.ID)
}

// cursorKey is a list's cursor key, newest first: "<unix micros>:<id>".
func cursorKey(at time.Time, id string) string {
	return strconv.FormatInt(at.UnixMicro(), 10) + ":" + id
}
