package shelf

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// CoolEntryKind is where a cool app shows in a group chat.
type CoolEntryKind string

// The entry points a cool app may declare, at most one of each.
const (
	EntryToolbar CoolEntryKind = "toolbar" // a button in the group's toolbar
	EntryCard    CoolEntryKind = "card"    // message cards posted into the group
	EntryRobot   CoolEntryKind = "robot"   // a group robot
)

// CoolScope is a group permission a cool app asks for.
type CoolScope string

// The group permissions a cool app may ask for.
const (
	ScopeReadMembers CoolScope = "group.members.read"
	ScopePostCards   CoolScope = "group.cards.write"
	ScopeRobot       CoolScope = "group.robot.send"
)

// CoolScopes lists the permissions in the order pages show them.
var CoolScopes = []CoolScope{ScopeReadMembers, ScopePostCards, ScopeRobot}

// Limits of a cool app's declaration.
const (
	MaxEntryPoints      = 3
	MaxScenarios        = 5
	MaxScenarioRunes    = 200
	MaxCoolReasonRunes  = 200
	MaxEntryPointRunes  = 20
	MaxCoolDemoURLRunes = 2000
)

// CoolEntryPoint is one entry point with the name the group sees.
type CoolEntryPoint struct {
	Kind CoolEntryKind `json:"kind"`
	Name string        `json:"name"`
}

// CoolPermission is a permission with the reason group owners read before
// installing.
type CoolPermission struct {
	Scope  CoolScope `json:"scope"`
	Reason string    `json:"reason"`
}

// CoolDeclaration is what a cool app declares to group owners: where it
// shows, what it may do, and the scenarios it is for.
type CoolDeclaration struct {
	Scenarios    []string         `json:"scenarios"`
	DemoVideoURL string           `json:"demo_video_url"`
	EntryPoints  []CoolEntryPoint `json:"entry_points"`
	Permissions  []CoolPermission `json:"permissions"`
}

// CoolMaterials are the materials of a cool-app listing application (酷应用
// 上架申请): the listing's texts, images and pricing (checked by the
// listing rules) and the app's declaration.
type CoolMaterials struct {
	Revision
	CoolDeclaration
}

// Grants reports whether the declaration asks for scope.
func (d *CoolDeclaration) Grants(scope CoolScope) bool {
	return slices.ContainsFunc(d.Permissions, func(p CoolPermission) bool { return p.Scope == scope })
}

// Check cleans and checks the materials as submission needs them; it
// returns every problem, the listing's first.
func (m *CoolMaterials) Check() error {
	m.ID, m.ListingID, m.State = "", "", ""
	m.CreatedAt, m.UpdatedAt = time.Time{}, time.Time{}
	m.Normalize()
	var c checker
	m.Revision.check(&c, true)
	m.checkDeclaration(&c)
	return c.errs.Err()
}

func (d *CoolDeclaration) checkDeclaration(c *checker) {
	for i := range d.Scenarios {
		d.Scenarios[i] = strings.TrimSpace(d.Scenarios[i])
		f := fieldIndex("scenarios", i)
		switch {
		case d.Scenarios[i] == "":
			c.add(f, "required", "a group scenario must not be empty")
		case utf8.RuneCountInString(d.Scenarios[i]) > MaxScenarioRunes:
			c.add(f, "too_long", "a scenario must have at most %d characters", MaxScenarioRunes)
		}
	}
	switch {
	case len(d.Scenarios) == 0:
		c.add("scenarios", "required", "describe at least one group scenario")
	case len(d.Scenarios) > MaxScenarios:
		c.add("scenarios", "too_many", "at most %d scenarios", MaxScenarios)
	}
	var err error
	if d.DemoVideoURL, err = CheckAppURL("demo_video_url", d.DemoVideoURL, false); err != nil {
		c.addErr(err)
	}
	d.checkEntryPoints(c)
	d.checkPermissions(c)
}

func (d *CoolDeclaration) checkEntryPoints(c *checker) {
	seen := map[CoolEntryKind]bool{}
	for i := range d.EntryPoints {
		e := &d.EntryPoints[i]
		f := fieldIndex("entry_points", i)
		e.Kind = CoolEntryKind(strings.TrimSpace(string(e.Kind)))
		switch {
		case e.Kind != EntryToolbar && e.Kind != EntryCard && e.Kind != EntryRobot:
			c.add(f+".kind", "invalid_entry_point", "an entry point is %q, %q or %q", EntryToolbar, EntryCard, EntryRobot)
		case seen[e.Kind]:
			c.add(f+".kind", "duplicate_entry_point", "%s is declared twice", e.Kind)
		}
		seen[e.Kind] = true
		name, err := CleanName(f+".name", e.Name, MaxEntryPointRunes)
		if err != nil {
			c.addErr(err)
		}
		e.Name = name
	}
	switch {
	case len(d.EntryPoints) == 0:
		c.add("entry_points", "required", "declare at least one entry point")
	case len(d.EntryPoints) > MaxEntryPoints:
		c.add("entry_points", "too_many", "at most %d entry points", MaxEntryPoints)
	}
}

func (d *CoolDeclaration) checkPermissions(c *checker) {
	seen := map[CoolScope]bool{}
	for i := range d.Permissions {
		p := &d.Permissions[i]
		f := fieldIndex("permissions", i)
		p.Scope = CoolScope(strings.TrimSpace(string(p.Scope)))
		switch {
		case !slices.Contains(CoolScopes, p.Scope):
			c.add(f+".scope", "invalid_permission", "permission %q is not one of %v", p.Scope, CoolScopes)
		case seen[p.Scope]:
			c.add(f+".scope", "duplicate_permission", "%s is asked for twice", p.Scope)
		}
		seen[p.Scope] = true
		p.Reason = strings.TrimSpace(p.Reason)
		switch {
		case p.Reason == "":
			c.add(f+".reason", "required", "say why the app needs %s", p.Scope)
		case utf8.RuneCountInString(p.Reason) > MaxCoolReasonRunes:
			c.add(f+".reason", "too_long", "a reason must have at most %d characters", MaxCoolReasonRunes)
		}
	}
}

// CoolAppState is where a cool-app application stands.
type CoolAppState string

// Cool-app application states. Every submission is a new application;
// earlier ones stay as the history.
const (
	CoolSubmitted CoolAppState = "submitted"
	CoolApproved  CoolAppState = "approved"
	CoolRejected  CoolAppState = "rejected"
)

// CoolAppApplication is one cool-app listing application with its
// materials, the self-test it was filed with, and the decision.
type CoolAppApplication struct {
	ID           string        `json:"id"`
	AppID        string        `json:"app_id"`
	OrgID        string        `json:"org_id"`
	OrgName      string        `json:"org_name"`
	Number       int           `json:"number"`
	State        CoolAppState  `json:"state"`
	Materials    CoolMaterials `json:"materials"`
	SelfTestID   string        `json:"self_test_id"`
	Reason       string        `json:"reason"`
	FieldReasons []FieldReason `json:"field_reasons"`
	SubmittedBy  string        `json:"submitted_by"`
	DecidedBy    string        `json:"decided_by"`
	CreatedAt    time.Time     `json:"created_at"`
	DecidedAt    *time.Time    `json:"decided_at,omitempty"`
}

// coolFields are the fields of the materials an operator may remark on.
var coolFields = []string{"scenarios", "demo_video_url", "entry_points", "permissions", "self_test"}

// CheckCoolDecision checks an operator's verdict on a cool-app
// application: as a listing review, on the materials' fields.
func CheckCoolDecision(d *ReviewDecision) error {
	return d.check(func(f string) bool { return IsRevisionField(f) || slices.Contains(coolFields, f) })
}

// CoolApp is a cool app as the cool app market and group owners see it:
// its approved declaration and the partner's standing.
type CoolApp struct {
	AppID         string `json:"app_id"`
	ApplicationID string `json:"application_id"`
	CoolDeclaration
	UpdatedAt time.Time `json:"updated_at"`
}

// SelfTestGroupInstall names the self-test check that installed a cool app
// into a group of a test org: a cool-app application needs it passed.
const SelfTestGroupInstall = "install_in_test_group"

// CoolPrecheck is the live pre-submission check of cool-app materials:
// the listing's (content and media) and the declaration's problems as
// errors, the listing's advice as warnings.
func CoolPrecheck(m *CoolMaterials) []Finding {
	out := Precheck(&m.Revision)
	var c checker
	m.checkDeclaration(&c)
	for _, e := range c.errs {
		out = append(out, errorFinding(e))
	}
	if out == nil {
		out = []Finding{}
	}
	return out
}
