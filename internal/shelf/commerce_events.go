package shelf

import "time"

// Commerce event types. Each is written in the transaction of the change it
// reports, in the (app, org) stream after the app.installed that preceded
// it, so a vendor never hears of an order before the install.
const (
	EventTrialStarted        = "trial.started"
	EventTrialEnding         = "trial.ending"
	EventTrialExpired        = "trial.expired"
	EventOrderPaid           = "order.paid"
	EventOrderRefunded       = "order.refunded"
	EventSubscriptionChanged = "subscription.changed"
	EventSubscriptionExpired = "subscription.expired"
	EventSeatsChanged        = "seats.changed"
)

// CommerceEventTypes lists the commerce event types, in the order the docs
// present them.
var CommerceEventTypes = []string{EventTrialStarted, EventTrialEnding, EventTrialExpired, EventOrderPaid, EventOrderRefunded,
	EventSubscriptionChanged, EventSubscriptionExpired, EventSeatsChanged}

// SubscriptionData is the subscription as events carry it.
type SubscriptionData struct {
	SubscriptionID string      `json:"subscription_id"`
	Status         SubStatus   `json:"status"`
	Kind           SubKind     `json:"kind"`
	SpecCode       string      `json:"spec_code"`
	Users          int         `json:"users"`
	StartsAt       time.Time   `json:"starts_at"`
	EndsAt         *time.Time  `json:"ends_at"`
	Next           *TermChange `json:"next,omitempty"`
}

// SubscriptionEventData is the data of trial.started, trial.ending,
// trial.expired, subscription.changed and subscription.expired.
type SubscriptionEventData struct {
	SubscriptionData
	ByUserID string `json:"by_user_id,omitempty"`
	// Channel and State (trial.started) are the promotion channel's code
	// and the vendor's state, when a channel brought the trial.
	Channel string `json:"channel,omitempty"`
	State   string `json:"state,omitempty"`
}

// OrderEventData is the data of order.paid and order.refunded.
type OrderEventData struct {
	OrderID     string    `json:"order_id"`
	Type        OrderType `json:"type"`
	SpecCode    string    `json:"spec_code"`
	Users       int       `json:"users"`
	Periods     int       `json:"periods"`
	Amount      int64     `json:"amount"`
	Currency    string    `json:"currency"`
	Test        bool      `json:"test"`
	EffectiveAt time.Time `json:"effective_at"`
	StartsAt    time.Time `json:"starts_at"`
	EndsAt      time.Time `json:"ends_at"`
	Channel     string    `json:"channel,omitempty"`
	// State is the vendor's value carried by the channel's link (order.paid).
	State  string `json:"state,omitempty"`
	Reason string `json:"reason,omitempty"`
}

// SeatsEventData is the data of seats.changed.
type SeatsEventData struct {
	SubscriptionID string   `json:"subscription_id"`
	Added          []string `json:"added"`
	Removed        []string `json:"removed"`
	AllMembers     bool     `json:"all_members"`
	Assigned       int      `json:"assigned"`
	Users          int      `json:"users"`
	ByUserID       string   `json:"by_user_id"`
}

// SubData is the subscription's event form as it stands at t.
func (s Subscription) SubData(t time.Time) SubscriptionData {
	v := s.At(t)
	d := SubscriptionData{SubscriptionID: v.ID, Status: v.Status, Kind: v.Kind, SpecCode: v.SpecCode, Users: v.Users, StartsAt: v.StartsAt, Next: v.Next}
	if !v.EndsAt.IsZero() {
		end := v.EndsAt
		d.EndsAt = &end
	}
	return d
}

// OrderData is the order's event form.
func (o *Order) OrderData() OrderEventData {
	q := o.Computation
	return OrderEventData{OrderID: o.ID, Type: o.Type, SpecCode: o.SpecCode, Users: o.Users, Periods: o.Periods, Amount: o.Amount,
		Currency: o.Currency, Test: o.Test, EffectiveAt: q.EffectiveAt, StartsAt: q.StartsAt, EndsAt: q.EndsAt, Channel: o.Channel, Reason: o.Reason}
}
