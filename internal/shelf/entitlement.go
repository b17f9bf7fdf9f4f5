package shelf

import "time"

// EntitlementStatus answers "may this user use the app?", the shape
// Feishu's API gives vendors.
type EntitlementStatus string

// The entitlement answers.
const (
	EntValid           EntitlementStatus = "valid"
	EntNotInScope      EntitlementStatus = "not_in_scope"      // no seat, or not a member of the org
	EntNoActiveLicense EntitlementStatus = "no_active_license" // nothing in force: never bought, trial or term over
	EntExceedsLimit    EntitlementStatus = "exceeds_limit"     // holds a seat over the licensed number, past the grace
)

// Entitlement is the answer for one user of one org and app.
type Entitlement struct {
	UserID string            `json:"user_id"`
	Status EntitlementStatus `json:"status"`
	Spec   string            `json:"spec,omitempty"`
	Users  int               `json:"users"`
	Trial  bool              `json:"trial"`
	EndsAt *time.Time        `json:"ends_at"`
}

// License is everything that decides an org's entitlements to one app: the
// subscription and who holds its seats. It is what the entitlement cache
// keeps per (app, org); answers are computed from it at the moment asked,
// so it never goes stale by time passing, only by a change (which
// replaces it).
type License struct {
	// Sub is the stored subscription (not viewed at a time); nil if the
	// org never had one.
	Sub *Subscription
	// Holders are the seat holders in the order the limit counts them:
	// seats in the order they were given, or with AllMembers the org's
	// members in the order they joined.
	Holders []string
	rank    map[string]int
}

// NewLicense builds a License; holders as described on the type.
func NewLicense(sub *Subscription, holders []string) *License {
	l := &License{Sub: sub, Holders: holders, rank: make(map[string]int, len(holders))}
	for i, u := range holders {
		l.rank[u] = i
	}
	return l
}

// Entitlement answers for one user at now.
func (l *License) Entitlement(userID string, now time.Time) Entitlement {
	e := Entitlement{UserID: userID, Status: EntNoActiveLicense}
	if l.Sub == nil {
		return e
	}
	v := l.Sub.At(now)
	e.Spec, e.Users, e.Trial = v.SpecCode, v.Users, v.Kind == SubKindTrial
	if !v.EndsAt.IsZero() {
		end := v.EndsAt
		e.EndsAt = &end
	}
	if !v.Usable() {
		return e
	}
	rank, ok := l.rank[userID]
	switch {
	case !ok:
		e.Status = EntNotInScope
	case rank >= v.Users && v.GraceOver(now):
		e.Status = EntExceedsLimit
	default:
		e.Status = EntValid
	}
	return e
}
