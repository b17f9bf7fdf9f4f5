package shelf

import "time"

// SubStatus is where an org's subscription to an app stands at a moment.
// It follows WeCom's per-org app status, the finest of the markets Shelf
// learns from.
type SubStatus string

// The subscription statuses. Only the stored facts (kind, term, seats,
// cancellation) are kept; the status is computed from them at a given time
// by Subscription.StatusAt, so it never waits for a job to flip it.
const (
	SubTrial        SubStatus = "trial"         // in a free trial
	SubTrialExpired SubStatus = "trial_expired" // the trial ended and nothing was bought
	SubFree         SubStatus = "free"          // on the listing's free spec
	SubActive       SubStatus = "active"        // paid and in term
	SubOverLimit    SubStatus = "over_limit"    // paid, more seats assigned than licensed
	SubExpired      SubStatus = "expired"       // the paid term ended
	SubCancelled    SubStatus = "cancelled"     // refunded or cancelled by the platform
)

// SubKind is what the current term of a subscription is.
type SubKind string

// The subscription kinds.
const (
	SubKindTrial SubKind = "trial"
	SubKindFree  SubKind = "free"
	SubKindPaid  SubKind = "paid"
)

// OverLimitGrace is how long an org may hold more seats than it licensed
// before the seats over the limit stop working (WeCom's 7 days).
const OverLimitGrace = 7 * 24 * time.Hour

// TrialEndingNotice is how long before a trial's end the vendor hears
// trial.ending.
const TrialEndingNotice = 3 * 24 * time.Hour

// Subscription is an org's right to use an app: one per (org, app), kept
// for ever (its TrialUsed flag is what makes a trial once per org and app).
// Only facts are stored; what they mean at a moment (the status, a
// downgrade that took effect, the free spec after a trial) is computed by
// At, so it never waits for a job to flip it.
type Subscription struct {
	ID        string    `json:"id"`
	OrgID     string    `json:"org_id"`
	AppID     string    `json:"app_id"`
	ListingID string    `json:"listing_id"`
	Kind      SubKind   `json:"kind"`
	SpecCode  string    `json:"spec_code"`
	Period    Period    `json:"period,omitempty"`
	Users     int       `json:"users"` // licensed users
	Currency  string    `json:"currency,omitempty"`
	UnitPrice int64     `json:"unit_price"` // per user per period, minor units
	StartsAt  time.Time `json:"starts_at"`
	// EndsAt is the end of the trial or of the paid term; zero for the
	// free spec, which does not expire.
	EndsAt time.Time `json:"ends_at,omitzero"`
	// AnchorDay is the day of the month terms end on (1–31), so renewals of
	// a term bought on the 31st end on each month's last day instead of
	// drifting to the 28th.
	AnchorDay int `json:"-"`
	// TrialUsed is set once the org ever started a trial of the app:
	// uninstalling and reinstalling never restarts one.
	TrialUsed bool `json:"trial_used"`
	// FreeSpec and FreeUsers name the listing's free spec when it takes
	// over at the end of a trial or term (free_then_paid); empty otherwise.
	FreeSpec  string `json:"-"`
	FreeUsers int    `json:"-"`
	// Next replaces the term when the current one ends (RENEW_DEGRADE).
	Next *TermChange `json:"next,omitempty"`
	// AssignedSeats counts the members holding a seat; with AllMembers it
	// is the org's member count.
	AssignedSeats int  `json:"assigned_seats"`
	AllMembers    bool `json:"all_members"`
	// OverLimitSince is when more seats than licensed were first held.
	OverLimitSince *time.Time `json:"over_limit_since,omitempty"`
	CancelledAt    *time.Time `json:"cancelled_at,omitempty"`
	UpdatedAt      time.Time  `json:"updated_at"`
	// Status is computed by At at the time the subscription was read.
	Status SubStatus `json:"status"`
}

// TermChange is a spec or user count that replaces the current one when
// the term ends.
type TermChange struct {
	SpecCode  string    `json:"spec_code"`
	Users     int       `json:"users"`
	UnitPrice int64     `json:"unit_price"`
	Period    Period    `json:"period"`
	StartsAt  time.Time `json:"starts_at"`
	EndsAt    time.Time `json:"ends_at"`
	OrderID   string    `json:"order_id"`
}

// At returns the subscription as it stands at t: a scheduled change that
// has started is applied, the free spec takes over an ended trial or term
// where the listing has one, and Status is set.
func (s Subscription) At(t time.Time) Subscription {
	v := s
	v.FoldNext(t)
	v.Status = v.status(t)
	if (v.Status == SubTrialExpired || v.Status == SubExpired) && v.FreeSpec != "" {
		v.Kind, v.SpecCode, v.Users, v.UnitPrice, v.Period = SubKindFree, v.FreeSpec, v.FreeUsers, 0, ""
		v.EndsAt, v.Status = time.Time{}, SubFree
	}
	return v
}

// FoldNext makes a scheduled change that has started at t the term, and
// reports whether there was one. Seats held over the new, smaller licence
// count as over the limit from the change's start.
func (s *Subscription) FoldNext(t time.Time) bool {
	n := s.Next
	if n == nil || t.Before(n.StartsAt) {
		return false
	}
	s.SpecCode, s.Users, s.UnitPrice, s.Period = n.SpecCode, n.Users, n.UnitPrice, n.Period
	s.StartsAt, s.EndsAt, s.Next = n.StartsAt, n.EndsAt, nil
	if s.OverLimitSince == nil && s.AssignedSeats > s.Users {
		since := n.StartsAt
		s.OverLimitSince = &since
	}
	return true
}

func (s *Subscription) status(t time.Time) SubStatus {
	switch {
	case s.CancelledAt != nil:
		return SubCancelled
	case s.Kind == SubKindFree:
		return SubFree
	case s.Kind == SubKindTrial && t.Before(s.EndsAt):
		return SubTrial
	case s.Kind == SubKindTrial:
		return SubTrialExpired
	case !t.Before(s.EndsAt):
		return SubExpired
	case s.OverLimitSince != nil:
		return SubOverLimit
	}
	return SubActive
}

// Usable reports whether a subscription as returned by At lets members use
// the app at all (before the per-user checks of an entitlement).
func (s Subscription) Usable() bool {
	switch s.Status {
	case SubTrial, SubFree, SubActive, SubOverLimit:
		return true
	}
	return false
}

// GraceOver reports whether an over-limit subscription's grace has run out
// at t, so the seats over the limit stop working.
func (s *Subscription) GraceOver(t time.Time) bool {
	return s.OverLimitSince != nil && !t.Before(s.OverLimitSince.Add(OverLimitGrace))
}
