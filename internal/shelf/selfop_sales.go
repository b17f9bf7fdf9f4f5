package shelf

import "time"

// SalesQuery selects a partner's sales dashboard: the days From up to To
// (UTC dates, To included), one listing or all, one currency.
type SalesQuery struct {
	PartnerID string
	From, To  time.Time
	ListingID string
	Currency  string
	// Now is when subscriptions are judged (active, churned).
	Now time.Time
}

// MaxSalesDays bounds a dashboard's range.
const MaxSalesDays = 3 * 366

// CheckSalesRange validates the range: both dates, From not after To,
// at most MaxSalesDays.
func (q SalesQuery) CheckSalesRange() error {
	if q.To.Before(q.From) {
		return FieldError("to", "invalid_range", "to must not be before from")
	}
	if q.To.Sub(q.From) > MaxSalesDays*24*time.Hour {
		return FieldError("to", "invalid_range", "at most %d days at once", MaxSalesDays)
	}
	return nil
}

// SalesMonth is one month's revenue: Net is what the partner keeps,
// Gross − Refunded − Commission.
type SalesMonth struct {
	Month      string `json:"month"`
	Orders     int    `json:"orders"`
	Gross      int64  `json:"gross"`
	Refunds    int    `json:"refunds"`
	Refunded   int64  `json:"refunded"`
	Commission int64  `json:"commission"`
	Net        int64  `json:"net"`
}

// SalesByType is the orders of one type in the range, and their refunds.
type SalesByType struct {
	Type     OrderType `json:"type"`
	Orders   int       `json:"orders"`
	Gross    int64     `json:"gross"`
	Refunds  int       `json:"refunds"`
	Refunded int64     `json:"refunded"`
}

// SalesListing is a listing's revenue (gross − refunded) in the range.
type SalesListing struct {
	ListingID string `json:"listing_id"`
	Name      string `json:"name"`
	Orders    int    `json:"orders"`
	Revenue   int64  `json:"revenue"`
	Net       int64  `json:"net"`
}

// SalesDashboard is a partner's sales: every figure from paid orders and
// refunds as they happened, test orgs never counted.
type SalesDashboard struct {
	From     string        `json:"from"`
	To       string        `json:"to"`
	Listing  string        `json:"listing_id,omitempty"`
	Currency string        `json:"currency"`
	Months   []SalesMonth  `json:"months"`
	Total    SalesMonth    `json:"total"`
	ByType   []SalesByType `json:"by_type"`
	// New counts first purchases (BUY), Renewed renewals (RENEW,
	// RENEW_UPGRADE).
	New     int `json:"new"`
	Renewed int `json:"renewed"`
	// ActiveSubs are paid subscriptions in term now, Seats the seats they
	// hold; Trials are trials running now.
	ActiveSubs int `json:"active_subscriptions"`
	Seats      int `json:"seats"`
	Trials     int `json:"trials"`
	// TrialsStarted in the range, and how many of those orgs have paid since.
	TrialsStarted   int `json:"trials_started"`
	TrialsConverted int `json:"trials_converted"`
	// Churned are paid terms that ended in the range (by now) without
	// being renewed.
	Churned int `json:"churned"`
	// PayingOrgs paid in the months the range touches; ARPO is the
	// range's revenue (gross − refunded) per paying org, rounded half up.
	PayingOrgs  int            `json:"paying_orgs"`
	ARPO        int64          `json:"arpo"`
	TopListings []SalesListing `json:"top_listings"`
}

// Finish sums the months into Total and works out ARPO.
func (d *SalesDashboard) Finish() {
	t := SalesMonth{Month: d.From + "/" + d.To}
	for _, m := range d.Months {
		t.Orders, t.Gross, t.Refunds, t.Refunded = t.Orders+m.Orders, t.Gross+m.Gross, t.Refunds+m.Refunds, t.Refunded+m.Refunded
		t.Commission, t.Net = t.Commission+m.Commission, t.Net+m.Net
	}
	d.Total = t
	d.ARPO = 0
	if d.PayingOrgs > 0 {
		rev, n := t.Gross-t.Refunded, int64(d.PayingOrgs)
		if rev >= 0 {
			d.ARPO = (2*rev + n) / (2 * n)
		} else {
			d.ARPO = -((-2*rev + n) / (2 * n))
		}
	}
	for _, b := range d.ByType {
		switch b.Type {
		case OrderBuy:
			d.New += b.Orders
		case OrderRenew, OrderRenewUpgrade:
			d.Renewed += b.Orders
		}
	}
}
