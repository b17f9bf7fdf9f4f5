package shelf

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// PartnerApplicationState is where a partner org's application to join the
// platform's partner program (钉钉合作伙伴组织) stands.
type PartnerApplicationState string

// Partner application states: pending until a platform admin decides.
const (
	PartnerPending  PartnerApplicationState = "pending"
	PartnerApproved PartnerApplicationState = "approved"
	PartnerRejected PartnerApplicationState = "rejected"
)

// PartnerStanding is a partner org's place in the program, as its pages,
// the badge and the cool-app rules read it.
type PartnerStanding string

// Partner standings: none (never applied), pending, rejected (may apply
// again), member, suspended (a member whose cool apps are out of the cool
// app market until reinstated).
const (
	StandingNone      PartnerStanding = "none"
	StandingPending   PartnerStanding = "pending"
	StandingRejected  PartnerStanding = "rejected"
	StandingMember    PartnerStanding = "member"
	StandingSuspended PartnerStanding = "suspended"
)

// PartnerApplicationInput is what a partner org files to join the program.
type PartnerApplicationInput struct {
	CompanyName    string `json:"company_name"`
	RegistrationNo string `json:"registration_no"`
	Contact        string `json:"contact"`
	Website        string `json:"website"`
	Builds         string `json:"builds"`
}

// PartnerApplication is one application of a partner org, kept after the
// decision so the history of applications stays readable.
type PartnerApplication struct {
	ID    string `json:"id"`
	OrgID string `json:"org_id"`
	PartnerApplicationInput
	State       PartnerApplicationState `json:"state"`
	Reason      string                  `json:"reason"`
	SubmittedBy string                  `json:"submitted_by"`
	DecidedBy   string                  `json:"decided_by"`
	CreatedAt   time.Time               `json:"created_at"`
	DecidedAt   *time.Time              `json:"decided_at,omitempty"`
}

// PartnerStatus is a partner org's standing with its latest application
// and, when suspended, the reason.
type PartnerStatus struct {
	OrgID    string              `json:"org_id"`
	Standing PartnerStanding     `json:"standing"`
	Reason   string              `json:"reason"`
	Latest   *PartnerApplication `json:"latest_application,omitempty"`
}

// ActiveMember reports whether the org may file cool-app applications and
// carries the badge.
func (p *PartnerStatus) ActiveMember() bool { return p.Standing == StandingMember }

// MaxPartnerBuildsRunes bounds "what it builds".
const MaxPartnerBuildsRunes = 500

// registrationNo is a company registration number: China's unified social
// credit code is 18 letters and digits; other registries use dashes.
var registrationNo = regexp.MustCompile(`^[0-9A-Za-z][0-9A-Za-z-]{3,31}$`)

// Check cleans and checks an application; it returns every problem.
func (in *PartnerApplicationInput) Check() error {
	var c checker
	var err error
	if in.CompanyName, err = CleanName("company_name", in.CompanyName, 100); err != nil {
		c.addErr(err)
	}
	in.RegistrationNo = strings.TrimSpace(in.RegistrationNo)
	switch {
	case in.RegistrationNo == "":
		c.add("registration_no", "required", "registration_no is required")
	case !registrationNo.MatchString(in.RegistrationNo):
		c.add("registration_no", "invalid_registration_no", "a registration number is 4 to 32 letters, digits or dashes")
	}
	if in.Contact, err = CleanName("contact", in.Contact, 100); err != nil {
		c.addErr(err)
	}
	if in.Website, err = CheckAppURL("website", in.Website, true); err != nil {
		c.addErr(err)
	}
	in.Builds = strings.TrimSpace(in.Builds)
	switch {
	case in.Builds == "":
		c.add("builds", "required", "say what the company builds")
	case utf8.RuneCountInString(in.Builds) > MaxPartnerBuildsRunes:
		c.add("builds", "too_long", "builds must have at most %d characters", MaxPartnerBuildsRunes)
	}
	return c.errs.Err()
}

// PartnerDecision is a platform admin's verdict on a program application.
type PartnerDecision struct {
	Approve bool   `json:"approve"`
	Reason  string `json:"reason"`
}

// Check requires a reason for a rejection and bounds it.
func (d *PartnerDecision) Check() error {
	d.Reason = strings.TrimSpace(d.Reason)
	if !d.Approve {
		return CheckReason("reason", d.Reason)
	}
	if utf8.RuneCountInString(d.Reason) > MaxReasonRunes {
		return FieldError("reason", "too_long", "reason must have at most %d characters", MaxReasonRunes)
	}
	return nil
}

// ErrPartnerProgramRequired is the answer to a cool-app application from an
// org outside the program (or suspended from it).
func ErrPartnerProgramRequired() *Error {
	return Forbidden("partner_program_required", "only members of the partner program in good standing file cool-app applications: apply at POST /api/v1/partner-program/applications")
}

// ErrCoolAppApplicationRequired refuses the category operators' listing
// workflow to a cool app: a cool app reaches the cool app market only
// through the cool-app listing application the platform operators review
// (the seed's third destination), never as an ordinary listing.
func ErrCoolAppApplicationRequired() *Error {
	return &Error{Kind: KindInvalid, Code: "coolapp_application_required", Field: "app_id",
		Message: "a cool app is listed through the cool-app listing application (POST /api/v1/coolapp-applications), reviewed by the platform operators, not through a listing revision"}
}

// addErr adds a field error another checker returned.
func (c *checker) addErr(err error) {
	if e, ok := AsError(err); ok {
		c.errs = append(c.errs, e)
	}
}
