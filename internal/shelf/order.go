package shelf

import (
	"time"
)

// OrderType says what an order changes, in DingTalk's words.
type OrderType string

// The order types. A trial or the free spec is not an order: nothing is
// sold (see Subscription).
const (
	OrderBuy          OrderType = "BUY"           // a first paid term, or one after a trial, the free spec or an ended term
	OrderRenew        OrderType = "RENEW"         // the same spec and users for more periods
	OrderUpgrade      OrderType = "UPGRADE"       // more users or a larger spec for the rest of the term, prorated
	OrderRenewUpgrade OrderType = "RENEW_UPGRADE" // an upgrade now plus more periods at the new terms
	OrderRenewDegrade OrderType = "RENEW_DEGRADE" // fewer users or a smaller spec from the end of the term, no refund
)

// OrderTypes lists the order types.
var OrderTypes = []OrderType{OrderBuy, OrderRenew, OrderUpgrade, OrderRenewUpgrade, OrderRenewDegrade}

// OrderState is where an order stands.
type OrderState string

// The order states: created → paid → fulfilled; an unpaid order is
// cancelled by the customer or after OrderPayWindow; a paid one may be
// refunded by a platform admin.
const (
	OrderCreated   OrderState = "created"
	OrderPaid      OrderState = "paid"
	OrderFulfilled OrderState = "fulfilled"
	OrderCancelled OrderState = "cancelled"
	OrderRefunded  OrderState = "refunded"
)

// OrderPayWindow is how long an order waits for payment before it is
// cancelled; a quote is honoured that long.
const OrderPayWindow = 24 * time.Hour

// Order is a purchase by an org of an app's listing.
type Order struct {
	ID        string     `json:"id"`
	OrgID     string     `json:"org_id"`
	AppID     string     `json:"app_id"`
	ListingID string     `json:"listing_id"`
	Type      OrderType  `json:"type"`
	SpecCode  string     `json:"spec_code"`
	Users     int        `json:"users"`
	Periods   int        `json:"periods"`
	State     OrderState `json:"state"`
	Amount    int64      `json:"amount"`
	Currency  string     `json:"currency"`
	// Test marks an order of a test org: computed as any other, never
	// charged (Amount 0, the price it would have had in Quote.ListAmount).
	Test        bool       `json:"test"`
	Computation Quote      `json:"computation"`
	Channel     string     `json:"channel,omitempty"`
	CreatedBy   string     `json:"created_by"`
	CreatedAt   time.Time  `json:"created_at"`
	PaidAt      *time.Time `json:"paid_at"`
	FulfilledAt *time.Time `json:"fulfilled_at"`
	CancelledAt *time.Time `json:"cancelled_at"`
	RefundedAt  *time.Time `json:"refunded_at"`
	// Provider and PaymentRef identify the payment (sandbox, manual, …).
	Provider   string `json:"provider,omitempty"`
	PaymentRef string `json:"payment_ref,omitempty"`
	// Reason is why it was cancelled or refunded.
	Reason string `json:"reason,omitempty"`
}

// OrderRequest is what a customer asks to buy.
type OrderRequest struct {
	OrgID     string    `json:"-"`
	ByUserID  string    `json:"-"`
	ListingID string    `json:"listing_id"`
	SpecCode  string    `json:"spec_code"`
	Users     int       `json:"users"`
	Periods   int       `json:"periods"`
	Type      OrderType `json:"type"`
	Channel   string    `json:"channel,omitempty"`
}

// PaymentResult is a payment provider's word on an order, as verified from
// its callback.
type PaymentResult struct {
	OrderID  string
	Provider string
	Ref      string // the provider's payment id
	Amount   int64
	Currency string
	Paid     bool // false: the payment failed or was abandoned
}

// VendorAccessPrefix starts every org access token a vendor's server holds,
// so the web layer tells them from people's API tokens without a lookup.
const VendorAccessPrefix = "shelf_sat_"
