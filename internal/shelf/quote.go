package shelf

import (
	"math/big"
	"slices"
	"time"
)

// QuoteLine is one line of an order's computation: users × unit price ×
// time, charged or credited. Amount is the line rounded for display; the
// order's total is rounded once from the exact sum of the lines.
type QuoteLine struct {
	Kind      string    `json:"kind"` // "charge" or "credit"
	SpecCode  string    `json:"spec_code"`
	Users     int       `json:"users"`
	UnitPrice int64     `json:"unit_price"`
	Time      Remaining `json:"time"`
	From      time.Time `json:"from"`
	To        time.Time `json:"to"`
	Amount    int64     `json:"amount"`
}

// The line kinds.
const (
	LineCharge = "charge"
	LineCredit = "credit"
)

// Quote is the server's computation of an order: what it costs and what it
// changes. It is kept on the order and shown to the customer before and
// after paying.
type Quote struct {
	Type     OrderType   `json:"type"`
	SpecCode string      `json:"spec_code"`
	Users    int         `json:"users"`
	Periods  int         `json:"periods"`
	Period   Period      `json:"period"`
	Currency string      `json:"currency"`
	Lines    []QuoteLine `json:"lines"`
	// ListAmount is the price; Amount what is charged: the same, but 0 for
	// a test org.
	ListAmount int64 `json:"list_amount"`
	Amount     int64 `json:"amount"`
	Test       bool  `json:"test"`
	// EffectiveAt is when the change applies: now, or the end of the
	// current term for RENEW_DEGRADE. StartsAt–EndsAt is the term the
	// subscription has once the order is fulfilled (for RENEW_DEGRADE, the
	// next term).
	EffectiveAt time.Time `json:"effective_at"`
	StartsAt    time.Time `json:"starts_at"`
	EndsAt      time.Time `json:"ends_at"`
	AnchorDay   int       `json:"anchor_day"`
	UnitPrice   int64     `json:"unit_price"`
}

// QuoteInput is everything a quote depends on. Sub is the org's
// subscription to the app as it stands now (Subscription.At), nil if it
// never had one.
type QuoteInput struct {
	Request OrderRequest
	Specs   []Spec // the live revision's
	Sub     *Subscription
	Now     time.Time
	TestOrg bool
}

// ComputeQuote checks an order request against the listing's specs and the
// org's subscription and prices it. The rules are in docs/commerce.md.
func ComputeQuote(in QuoteInput) (*Quote, error) {
	req := in.Request
	spec, err := checkOrderRequest(req, in.Specs)
	if err != nil {
		return nil, err
	}
	q := &Quote{Type: req.Type, SpecCode: spec.Code, Users: req.Users, Periods: req.Periods, Period: spec.Period,
		Currency: specCurrency(spec), UnitPrice: spec.Price, Test: in.TestOrg}
	now := in.Now.UTC()
	switch req.Type {
	case OrderBuy:
		err = quoteBuy(q, in.Sub, now)
	case OrderRenew:
		err = quoteRenew(q, in.Sub, now)
	case OrderUpgrade, OrderRenewUpgrade:
		err = quoteUpgrade(q, in.Sub, now)
	case OrderRenewDegrade:
		err = quoteDegrade(q, in.Sub, now)
	}
	if err != nil {
		return nil, err
	}
	total := new(big.Rat)
	for i := range q.Lines {
		exact := lineRat(q.Lines[i])
		q.Lines[i].Amount = roundHalfUp(exact)
		total.Add(total, exact)
	}
	q.ListAmount = roundHalfUp(total)
	q.Amount = q.ListAmount
	if in.TestOrg {
		q.Amount = 0
	}
	return q, nil
}

func checkOrderRequest(req OrderRequest, specs []Spec) (Spec, error) {
	if !slices.Contains(OrderTypes, req.Type) {
		return Spec{}, FieldError("type", "order_type_invalid", "type must be one of BUY, RENEW, UPGRADE, RENEW_UPGRADE, RENEW_DEGRADE, not %q", req.Type)
	}
	i := slices.IndexFunc(specs, func(s Spec) bool { return s.Code == req.SpecCode })
	if i < 0 {
		return Spec{}, FieldError("spec_code", "spec_unknown", "the listing has no spec %q", req.SpecCode)
	}
	spec := specs[i]
	if spec.Free {
		return Spec{}, FieldError("spec_code", "spec_free_not_for_sale", "spec %q is free: install it instead of ordering it", spec.Code)
	}
	if req.Users < spec.MinUsers || req.Users > spec.MaxUsers {
		return Spec{}, FieldError("users", "users_out_of_range", "spec %s is for %d to %d users, not %d", spec.Code, spec.MinUsers, spec.MaxUsers, req.Users)
	}
	if req.Type == OrderUpgrade {
		if req.Periods != 0 {
			return Spec{}, FieldError("periods", "periods_not_applicable", "an upgrade runs to the end of the current term: leave periods out")
		}
		return spec, nil
	}
	maxPeriods := MaxMonths
	if spec.Period == PeriodYear {
		maxPeriods = MaxYears
	}
	if req.Periods < 1 || req.Periods > maxPeriods {
		return Spec{}, FieldError("periods", "periods_out_of_range", "periods must be 1 to %d %ss, not %d", maxPeriods, spec.Period, req.Periods)
	}
	return spec, nil
}

func specCurrency(s Spec) string {
	if s.Currency == "" {
		return DefaultCurrency
	}
	return s.Currency
}

// inTerm reports whether sub is a paid subscription whose term runs at the
// moment it was viewed.
func inTerm(sub *Subscription) bool {
	return sub != nil && (sub.Status == SubActive || sub.Status == SubOverLimit)
}

func quoteBuy(q *Quote, sub *Subscription, now time.Time) error {
	if inTerm(sub) {
		return Errorf(KindConflict, "subscription_active", "the org already has a paid subscription until %s: renew or upgrade it", sub.EndsAt.Format(time.DateOnly))
	}
	q.EffectiveAt, q.StartsAt, q.AnchorDay = now, now, now.Day()
	q.EndsAt = AddPeriods(now, q.Period, q.Periods, q.AnchorDay)
	q.Lines = []QuoteLine{chargeLine(q, q.StartsAt, q.EndsAt, Remaining{Period: q.Period, Whole: q.Periods})}
	return nil
}

func quoteRenew(q *Quote, sub *Subscription, now time.Time) error {
	if sub == nil || sub.Kind != SubKindPaid || sub.Status == SubCancelled {
		return Errorf(KindConflict, "no_subscription_to_renew", "there is no paid subscription to renew: buy one")
	}
	if sub.Next != nil {
		return Errorf(KindConflict, "change_pending", "a change is already scheduled for %s", sub.Next.StartsAt.Format(time.DateOnly))
	}
	if sub.SpecCode != q.SpecCode || sub.Users != q.Users {
		return FieldError("spec_code", "renew_changes_terms", "a renewal keeps spec %s and %d users: use RENEW_UPGRADE or RENEW_DEGRADE to change them", sub.SpecCode, sub.Users)
	}
	q.AnchorDay = sub.AnchorDay
	q.StartsAt = sub.EndsAt
	if !inTerm(sub) { // an ended term starts again from now
		q.StartsAt, q.AnchorDay = now, now.Day()
	}
	q.EffectiveAt = now
	q.EndsAt = AddPeriods(q.StartsAt, q.Period, q.Periods, q.AnchorDay)
	q.Lines = []QuoteLine{chargeLine(q, q.StartsAt, q.EndsAt, Remaining{Period: q.Period, Whole: q.Periods})}
	return nil
}

// quoteUpgrade prices the new terms for the rest of the current term and
// credits the unused rest of the old ones; RENEW_UPGRADE adds the periods
// after the term at the new terms.
func quoteUpgrade(q *Quote, sub *Subscription, now time.Time) error {
	if !inTerm(sub) {
		return Errorf(KindConflict, "subscription_not_active", "only a paid subscription in its term can be upgraded: buy or renew it")
	}
	if sub.Next != nil {
		return Errorf(KindConflict, "change_pending", "a change is already scheduled for %s", sub.Next.StartsAt.Format(time.DateOnly))
	}
	if q.Users < sub.Users {
		return FieldError("users", "not_an_upgrade", "an upgrade cannot lower users from %d to %d: use RENEW_DEGRADE", sub.Users, q.Users)
	}
	q.EffectiveAt, q.StartsAt, q.AnchorDay = now, sub.StartsAt, sub.AnchorDay
	q.EndsAt = sub.EndsAt
	left := RemainingAt(now, sub.EndsAt, q.Period, sub.AnchorDay)
	old := RemainingAt(now, sub.EndsAt, sub.Period, sub.AnchorDay)
	q.Lines = []QuoteLine{
		chargeLine(q, now, sub.EndsAt, left),
		{Kind: LineCredit, SpecCode: sub.SpecCode, Users: sub.Users, UnitPrice: sub.UnitPrice, Time: old, From: now, To: sub.EndsAt},
	}
	if q.Type == OrderRenewUpgrade {
		q.EndsAt = AddPeriods(sub.EndsAt, q.Period, q.Periods, sub.AnchorDay)
		q.Lines = append(q.Lines, chargeLine(q, sub.EndsAt, q.EndsAt, Remaining{Period: q.Period, Whole: q.Periods}))
	}
	if upgradeNet(q).Sign() <= 0 {
		return FieldError("users", "not_an_upgrade", "an upgrade needs more users or a larger spec than the current %d users of %s", sub.Users, sub.SpecCode)
	}
	return nil
}

// upgradeNet is the exact charge minus credit of an upgrade's current-term
// lines (its first two).
func upgradeNet(q *Quote) *big.Rat {
	if len(q.Lines) < 2 {
		return new(big.Rat)
	}
	return new(big.Rat).Add(lineRat(q.Lines[0]), lineRat(q.Lines[1]))
}

func quoteDegrade(q *Quote, sub *Subscription, now time.Time) error {
	if !inTerm(sub) {
		return Errorf(KindConflict, "subscription_not_active", "only a paid subscription in its term can change at renewal: buy a new one")
	}
	if sub.Next != nil {
		return Errorf(KindConflict, "change_pending", "a change is already scheduled for %s", sub.Next.StartsAt.Format(time.DateOnly))
	}
	if q.Users > sub.Users || (q.Users == sub.Users && q.SpecCode == sub.SpecCode) {
		return FieldError("users", "not_a_downgrade", "a downgrade needs fewer users or another spec than the current %d users of %s", sub.Users, sub.SpecCode)
	}
	q.AnchorDay, q.EffectiveAt, q.StartsAt = sub.AnchorDay, sub.EndsAt, sub.EndsAt
	q.EndsAt = AddPeriods(sub.EndsAt, q.Period, q.Periods, sub.AnchorDay)
	q.Lines = []QuoteLine{chargeLine(q, q.StartsAt, q.EndsAt, Remaining{Period: q.Period, Whole: q.Periods})}
	return nil
}

func chargeLine(q *Quote, from, to time.Time, r Remaining) QuoteLine {
	return QuoteLine{Kind: LineCharge, SpecCode: q.SpecCode, Users: q.Users, UnitPrice: q.UnitPrice, Time: r, From: from, To: to}
}

// lineRat is a line's exact amount: users × unit price × periods, negative
// for a credit.
func lineRat(l QuoteLine) *big.Rat {
	v := new(big.Rat).SetInt64(int64(l.Users))
	v.Mul(v, new(big.Rat).SetInt64(l.UnitPrice)).Mul(v, l.Time.Rat())
	if l.Kind == LineCredit {
		v.Neg(v)
	}
	return v
}
