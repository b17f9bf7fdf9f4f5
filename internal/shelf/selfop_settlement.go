package shelf

import (
	"time"
)

// Revenue share and settlement: the platform keeps a commission of every
// paid order, at the rate in force when the payment arrived; a refund
// gives back the order's amount and its commission exactly as they were
// split. A partner's entries add up, per month and currency, to a
// statement that a platform admin closes once the month is over.

// CommissionScope is what a commission rate applies to.
type CommissionScope string

// The scopes, most specific first: a partner's own rate wins over its
// listing's category's (the leaf category, then its parent), which wins
// over the default.
const (
	ScopePartner  CommissionScope = "partner"
	ScopeCategory CommissionScope = "category"
	ScopeDefault  CommissionScope = "default"
)

// MaxRateBP is 100% in basis points.
const MaxRateBP = 10000

// CommissionRate is the platform's share, in basis points, of the orders
// paid from EffectiveFrom on, until a later rate of the same scope takes
// over. Rates are never changed or back-dated: a paid order keeps the
// split it was given.
type CommissionRate struct {
	ID            string          `json:"id"`
	Scope         CommissionScope `json:"scope"`
	ScopeID       string          `json:"scope_id"`
	RateBP        int             `json:"rate_bp"`
	EffectiveFrom time.Time       `json:"effective_from"`
	CreatedBy     string          `json:"created_by"`
	CreatedAt     time.Time       `json:"created_at"`
}

// CheckRate validates a new rate at now: a known scope with its id, a
// rate within 0–100%, effective now or later (never retroactive).
func (r CommissionRate) CheckRate(now time.Time) error {
	switch r.Scope {
	case ScopeDefault:
		if r.ScopeID != "" {
			return FieldError("scope_id", "invalid", "the default rate has no scope_id")
		}
	case ScopeCategory, ScopePartner:
		if r.ScopeID == "" {
			return FieldError("scope_id", "required", "a %s rate needs the %s's id", r.Scope, r.Scope)
		}
	default:
		return FieldError("scope", "invalid_scope", "scope must be default, category or partner")
	}
	if r.RateBP < 0 || r.RateBP > MaxRateBP {
		return FieldError("rate_bp", "out_of_range", "rate_bp must be 0–10000 (basis points: 2000 is 20%%)")
	}
	if r.EffectiveFrom.Before(now) {
		return FieldError("effective_from", "rate_retroactive", "a rate takes effect from now or later, never in the past")
	}
	return nil
}

// Commission is the platform's share of amount at rateBP, rounded half
// up (away from zero) to whole minor units.
func Commission(amount int64, rateBP int) int64 {
	neg := amount < 0
	if neg {
		amount = -amount
	}
	c := (amount*int64(rateBP) + MaxRateBP/2) / MaxRateBP
	if neg {
		return -c
	}
	return c
}

// EntryKind says whether a settlement entry is a payment or its refund.
type EntryKind string

// The entry kinds.
const (
	EntryOrder  EntryKind = "order"
	EntryRefund EntryKind = "refund"
)

// SettlementEntry is the split of one paid order or one refund, as it
// was made: a refund's amounts are negative.
type SettlementEntry struct {
	ID          string    `json:"id"`
	StatementID string    `json:"statement_id"`
	PartnerID   string    `json:"partner_org_id"`
	OrderID     string    `json:"order_id"`
	Kind        EntryKind `json:"kind"`
	OrgID       string    `json:"org_id"`
	AppID       string    `json:"app_id"`
	ListingID   string    `json:"listing_id"`
	OrderType   OrderType `json:"order_type"`
	Amount      int64     `json:"amount"`
	Commission  int64     `json:"commission"`
	Net         int64     `json:"net"`
	RateBP      int       `json:"rate_bp"`
	Currency    string    `json:"currency"`
	At          time.Time `json:"at"`
}

// StatementState is where a statement stands.
type StatementState string

// A statement is open while entries may still be added; closed, it never
// changes.
const (
	StatementOpen   StatementState = "open"
	StatementClosed StatementState = "closed"
)

// Statement is a partner's settlement of one month (UTC) in one currency.
// Net is Gross − Refunded − Commission (Commission is net of the
// commission given back with refunds). Closing it carries in what an
// earlier month left owed (a negative balance), pays out what is positive
// and carries a negative balance to the next statement.
type Statement struct {
	ID         string         `json:"id"`
	PartnerID  string         `json:"partner_org_id"`
	Month      string         `json:"month"` // "2027-01"
	Currency   string         `json:"currency"`
	State      StatementState `json:"state"`
	Orders     int            `json:"orders"`
	Gross      int64          `json:"gross"`
	Refunds    int            `json:"refunds"`
	Refunded   int64          `json:"refunded"`
	Commission int64          `json:"commission"`
	Net        int64          `json:"net"`
	CarriedIn  int64          `json:"carried_in"`
	Payout     int64          `json:"payout"`
	CarriedOut int64          `json:"carried_out"`
	ClosedAt   *time.Time     `json:"closed_at"`
	ClosedBy   string         `json:"closed_by,omitempty"`
}

// Settle fills the closing figures from what the previous statement
// carried out (zero or negative).
func (s *Statement) Settle(carriedIn int64) {
	s.CarriedIn = carriedIn
	if due := s.Net + carriedIn; due >= 0 {
		s.Payout, s.CarriedOut = due, 0
	} else {
		s.Payout, s.CarriedOut = 0, due
	}
}

// MonthOf is the settlement month ("2006-01", UTC) of a moment.
func MonthOf(t time.Time) string { return t.UTC().Format("2006-01") }

// NextMonth is the month after m ("2027-12" → "2028-01").
func NextMonth(m string) string {
	t, err := time.Parse("2006-01", m)
	if err != nil {
		return m
	}
	return MonthOf(t.AddDate(0, 1, 0))
}

// MonthEnd is the first moment after month m, or false if m is not a month.
func MonthEnd(m string) (time.Time, bool) {
	t, err := time.Parse("2006-01", m)
	if err != nil {
		return time.Time{}, false
	}
	return t.AddDate(0, 1, 0), true
}

// ErrStatementClosed refuses a change to a closed statement.
func ErrStatementClosed(id string) error {
	return Errorf(KindConflict, "statement_closed", "statement %s is closed: it never changes (later refunds go to the next statement)", id)
}
