package shelf

import (
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// OrgKind says what an organization is for.
type OrgKind string

// The org kinds. A test org is a customer org owned by a partner org.
const (
	OrgPlatform OrgKind = "platform"
	OrgPartner  OrgKind = "partner"
	OrgCustomer OrgKind = "customer"
)

// Role is a member's role inside one org.
type Role string

// Org roles.
const (
	RoleAdmin  Role = "admin"
	RoleMember Role = "member"
)

// PlatformRole is a role across the whole platform, held by members of the
// platform org.
type PlatformRole string

// Platform roles. A category operator's reach is limited to the categories
// assigned to them.
const (
	PlatformAdmin    PlatformRole = "platform_admin"
	CategoryOperator PlatformRole = "category_operator"
)

// User is a person who signs in.
type User struct {
	ID        string    `json:"id"`
	Email     string    `json:"email"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
	// PlatformRoles is filled when the user holds any.
	PlatformRoles []PlatformRole `json:"platform_roles"`
}

// HasPlatformRole reports whether u holds r.
func (u *User) HasPlatformRole(r PlatformRole) bool {
	for _, have := range u.PlatformRoles {
		if have == r {
			return true
		}
	}
	return false
}

// Org is an organization: the platform operator, a partner (vendor) or a
// customer. A test org has OwnerOrgID set to its partner and is never billed
// nor counted in statistics.
type Org struct {
	ID             string    `json:"id"`
	Name           string    `json:"name"`
	Kind           OrgKind   `json:"kind"`
	OwnerOrgID     string    `json:"owner_org_id,omitempty"`
	Test           bool      `json:"test"`
	PartnerProgram bool      `json:"partner_program"`
	CreatedAt      time.Time `json:"created_at"`
}

// Membership ties a user to an org with a role.
type Membership struct {
	OrgID     string    `json:"org_id"`
	UserID    string    `json:"user_id"`
	Email     string    `json:"email"`
	Name      string    `json:"name"`
	Role      Role      `json:"role"`
	CreatedAt time.Time `json:"created_at"`
}

// OrgWithRole is an org as seen by one of its members.
type OrgWithRole struct {
	Org
	Role Role `json:"role"`
	// JoinedAt is when the person joined (set by lists of their orgs, which
	// page in that order; not part of the JSON).
	JoinedAt time.Time `json:"-"`
}

// Invitation is a pending membership for an email that has no account
// yet. It is a one-time link: the person who opens it, signed in with that
// email, joins. Token (and AcceptURL) are set only when it is made.
type Invitation struct {
	ID        string    `json:"id"`
	OrgID     string    `json:"org_id"`
	OrgName   string    `json:"org_name,omitempty"`
	Email     string    `json:"email"`
	Role      Role      `json:"role"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
	Token     string    `json:"token,omitempty"`
	AcceptURL string    `json:"accept_url,omitempty"`
}

// InvitationTTL is how long an invitation link works.
const InvitationTTL = 7 * 24 * time.Hour

// Group is a group chat inside a customer org; cool apps are installed into
// groups.
type Group struct {
	ID          string    `json:"id"`
	OrgID       string    `json:"org_id"`
	Name        string    `json:"name"`
	OwnerID     string    `json:"owner_id"`
	MemberCount int       `json:"member_count"`
	CreatedAt   time.Time `json:"created_at"`
}

// Category is a node of the market's category tree.
type Category struct {
	ID        string    `json:"id"`
	ParentID  string    `json:"parent_id,omitempty"`
	Name      string    `json:"name"`
	NameEn    string    `json:"name_en"`
	Position  int       `json:"position"`
	Archived  bool      `json:"archived"`
	Operators []string  `json:"operators"`
	CreatedAt time.Time `json:"created_at"`
	// IsLeaf says a listing may be filed here: the node has no live
	// children. Path is the ids from the root down to the node itself.
	IsLeaf bool     `json:"is_leaf"`
	Path   []string `json:"path"`
}

// FillCategoryTree sets IsLeaf and Path on each category of a tree listed
// whole: a node is a leaf when none of its non-archived children is listed.
func FillCategoryTree(cats []Category) {
	byID := make(map[string]*Category, len(cats))
	children := map[string]int{}
	for i := range cats {
		byID[cats[i].ID] = &cats[i]
		if cats[i].ParentID != "" && !cats[i].Archived {
			children[cats[i].ParentID]++
		}
	}
	for i := range cats {
		c := &cats[i]
		c.IsLeaf = children[c.ID] == 0
		var path []string
		for n := c; n != nil && len(path) <= len(cats); n = byID[n.ParentID] {
			path = append([]string{n.ID}, path...)
		}
		c.Path = path
	}
}

// Token is an API bearer token. Its secret is only known at creation; the
// store keeps a hash.
type Token struct {
	ID         string     `json:"id"`
	UserID     string     `json:"user_id"`
	Name       string     `json:"name"`
	Kind       string     `json:"kind"` // "session" (from /auth/token) or "personal"
	Prefix     string     `json:"prefix"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  *time.Time `json:"expires_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
}

// Token kinds.
const (
	TokenSession  = "session"
	TokenPersonal = "personal"
)

// NormalizeEmail lower-cases and trims an email and checks it is one.
func NormalizeEmail(field, s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return "", FieldError(field, "required", "email is required")
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s[strings.IndexByte(s, '@'):], ".") && !strings.HasSuffix(s, "@localhost") {
		return "", FieldError(field, "invalid_email", "%q is not an email address", s)
	}
	return s, nil
}

// CheckPassword enforces the password policy: long enough to resist
// guessing, short enough to hash cheaply.
func CheckPassword(p string) error {
	n := utf8.RuneCountInString(p)
	if n < 8 {
		return FieldError("password", "password_too_short", "password must have at least 8 characters")
	}
	if len(p) > 256 {
		return FieldError("password", "password_too_long", "password must have at most 256 bytes")
	}
	return nil
}

// CleanName trims a display name and checks it against the one-line rule
// (text.go): present, not too long, no control, bidi or invisible-only text.
func CleanName(field, s string, max int) (string, error) {
	s = TrimLine(s)
	if err := CheckLine(field, s); err != nil {
		return "", err
	}
	if !Visible(s) {
		return "", FieldError(field, "required", "%s is required", field)
	}
	if utf8.RuneCountInString(s) > max {
		return "", FieldError(field, "too_long", "%s must have at most %d characters", field, max)
	}
	return s, nil
}

// CheckRole checks that r is an org role.
func CheckRole(field string, r Role) error {
	if r != RoleAdmin && r != RoleMember {
		return FieldError(field, "invalid_role", "role must be %q or %q", RoleAdmin, RoleMember)
	}
	return nil
}

// CheckCreatableOrgKind checks the kind of an org a user may create through
// sign-up flows: the platform org only comes from the CLI.
func CheckCreatableOrgKind(k OrgKind) error {
	if k != OrgPartner && k != OrgCustomer {
		return FieldError("kind", "invalid_org_kind", "kind must be %q or %q", OrgPartner, OrgCustomer)
	}
	return nil
}

// NewOrg describes an org to create.
type NewOrg struct {
	Name      string
	Kind      OrgKind
	CreatorID string // becomes the org's first admin
	// OwnerOrgID makes the new org a test org of that partner org.
	OwnerOrgID string
}

// NewCategory describes a category to create.
type NewCategory struct {
	ParentID string `json:"parent_id"`
	Name     string `json:"name"`
	NameEn   string `json:"name_en"`
	Position int    `json:"position"`
}

// CategoryPatch holds the fields of a category to change; nil means
// unchanged.
type CategoryPatch struct {
	Name     *string `json:"name"`
	NameEn   *string `json:"name_en"`
	Position *int    `json:"position"`
	Archived *bool   `json:"archived"`
}
