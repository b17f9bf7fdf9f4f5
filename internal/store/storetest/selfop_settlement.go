package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
)

var settlementContract = map[string]func(t *testing.T, open Opener){
	"SettlementMonth": testSettlementMonth,
	"CommissionRates": testCommissionRates,
	"SalesDashboard":  testSalesDashboard,
	"Ratings":         testRatings,
}

// SettlementFixture is the hand-computed settlement of a partner over
// January–March 2027 (std-month is ¥9.00 a user a month):
//
//	Dec 31 default 20% from now; Feb 5: parent category 25% from now, leaf
//	category 15% from Feb 10, the partner 10% from Mar 1
//	Jan  1 A BUY 10×3        27000  20%  5400  21600   → January
//	Feb  2 January closed: payout 21600
//	Feb  3 test org BUY (never counted)
//	Feb  6 B BUY 3×1          2700  25%   675   2025   (parent category)
//	Feb 15 A UPGRADE → 25    20250  15%  3038  17212   (3037.5 rounds up)
//	Feb 20 B RENEW 3×2        5400  15%   810   4590
//	Feb 25 refund B RENEW    −5400       −810  −4590
//	Feb 26 refund A UPGRADE −20250      −3038 −17212
//	Feb 27 refund A BUY     −27000      −5400 −21600   (January's rate, January is closed)
//	February: gross 28350, refunded 52650, commission −4725, net −19575 → carried out
//	Mar  5 B RENEW 3×1        2700  10%   270   2430   (the partner's rate)
//	March: net 2430 + carried in −19575 = −17145 → payout 0, carried out −17145
type SettlementFixture struct {
	Shop   *Shop
	B      *Shop
	Clock  *shelf.ManualClock
	Months map[string]*shelf.Statement
}

// NewSettlementFixture plays the fixture's three months, closing January
// and February, and returns the statements by month.
func NewSettlementFixture(t testing.TB, open func(clock shelf.Clock) *Shop) *SettlementFixture {
	t.Helper()
	ctx := context.Background()
	at := func(m time.Month, d int) time.Time { return time.Date(2027, m, d, 10, 0, 0, 0, time.UTC) }
	clock := shelf.NewManualClock(time.Date(2026, 12, 31, 12, 0, 0, 0, time.UTC))
	sh := open(clock)
	f := &SettlementFixture{Shop: sh, Clock: clock, Months: map[string]*shelf.Statement{}}
	s := sh.S
	rate := func(scope shelf.CommissionScope, id string, bp int, from time.Time) {
		t.Helper()
		if _, err := s.SetCommissionRate(ctx, shelf.CommissionRate{Scope: scope, ScopeID: id, RateBP: bp, EffectiveFrom: from, CreatedBy: sh.Admin.ID}); err != nil {
			t.Fatal(err)
		}
	}
	rate(shelf.ScopeDefault, "", 2000, clock.Now())
	adminB := MustUser(t, s, shelf.NewID("b")+"@example.com")
	b := *sh
	b.Customer, b.Admin = MustOrg(t, s, "Nebula", shelf.OrgCustomer, adminB), adminB
	f.B = &b

	clock.Set(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
	aBuy := sh.Buy(t, shelf.OrderBuy, "std-month", 10, 3)
	clock.Set(at(2, 2))
	f.close(t, "2027-01")
	clock.Set(at(2, 3))
	testOrg := *sh
	testOrg.Customer, testOrg.Admin = sh.TestOrg, sh.Partner
	if o, err := testOrg.Order(t, shelf.OrderBuy, "std-month", 5, 1); err != nil || !o.Test {
		t.Fatalf("test org order = %+v, %v", o, err)
	}
	clock.Set(at(2, 5))
	leaf := sh.Listing.CategoryID
	cats, err := s.Categories(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cats {
		if c.ID == leaf {
			rate(shelf.ScopeCategory, c.ParentID, 2500, clock.Now())
		}
	}
	rate(shelf.ScopeCategory, leaf, 1500, time.Date(2027, 2, 10, 0, 0, 0, 0, time.UTC))
	rate(shelf.ScopePartner, sh.Listing.OrgID, 1000, time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC))
	rate(shelf.ScopeDefault, "", 3000, time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC))
	clock.Set(at(2, 6))
	b.Buy(t, shelf.OrderBuy, "std-month", 3, 1)
	clock.Set(time.Date(2027, 2, 15, 0, 0, 0, 0, time.UTC))
	up := sh.Buy(t, shelf.OrderUpgrade, "std-month", 25, 0)
	if up.Amount != 20250 {
		t.Fatalf("upgrade = %d", up.Amount)
	}
	clock.Set(at(2, 20))
	renew := b.Buy(t, shelf.OrderRenew, "std-month", 3, 2)
	refund := func(d int, o *shelf.Order) {
		t.Helper()
		clock.Set(at(2, d))
		if _, err := s.Refund(ctx, o.ID, sh.Partner.ID, "fixture"); err != nil {
			t.Fatal(err)
		}
	}
	refund(25, renew)
	refund(26, up)
	refund(27, aBuy)
	clock.Set(at(3, 1))
	f.close(t, "2027-02")
	clock.Set(at(3, 5))
	b.Buy(t, shelf.OrderRenew, "std-month", 3, 1)
	sts, err := s.Statements(ctx, sh.Listing.OrgID, "", shelf.PageReq{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range sts {
		f.Months[sts[i].Month] = &sts[i]
	}
	return f
}

func (f *SettlementFixture) close(t testing.TB, month string) {
	t.Helper()
	sts, err := f.Shop.S.Statements(context.Background(), f.Shop.Listing.OrgID, month, shelf.PageReq{})
	if err != nil || len(sts) != 1 {
		t.Fatalf("statements of %s = %+v, %v", month, sts, err)
	}
	if _, err := f.Shop.S.CloseStatement(context.Background(), sts[0].ID, f.Shop.Partner.ID); err != nil {
		t.Fatal(err)
	}
}

func testSettlementMonth(t *testing.T, open Opener) {
	ctx := context.Background()
	f := NewSettlementFixture(t, func(clock shelf.Clock) *Shop { return NewShop(t, open(t, clock), nil) })
	s := f.Shop.S
	type figures struct {
		state                         shelf.StatementState
		orders, refunds               int
		gross, refunded, commission   int64
		net, carriedIn, payout, carry int64
	}
	want := map[string]figures{
		"2027-01": {shelf.StatementClosed, 1, 0, 27000, 0, 5400, 21600, 0, 21600, 0},
		"2027-02": {shelf.StatementClosed, 3, 3, 28350, 52650, -4725, -19575, 0, 0, -19575},
		"2027-03": {shelf.StatementOpen, 1, 0, 2700, 0, 270, 2430, 0, 0, 0},
	}
	if len(f.Months) != len(want) {
		t.Fatalf("statements = %v", f.Months)
	}
	for month, w := range want {
		st := f.Months[month]
		got := figures{st.State, st.Orders, st.Refunds, st.Gross, st.Refunded, st.Commission, st.Net, st.CarriedIn, st.Payout, st.CarriedOut}
		if got != w {
			t.Errorf("%s = %+v, want %+v", month, got, w)
		}
		// Reconciled to the cent: the totals are the sums of the entries.
		es, err := s.StatementEntries(ctx, st.ID)
		if err != nil {
			t.Fatal(err)
		}
		var amount, commission, net int64
		for _, e := range es {
			amount, commission, net = amount+e.Amount, commission+e.Commission, net+e.Net
		}
		if amount != st.Gross-st.Refunded || commission != st.Commission || net != st.Net || len(es) != st.Orders+st.Refunds {
			t.Errorf("%s entries (%d) sum to %d/%d/%d", month, len(es), amount, commission, net)
		}
	}
	feb, _ := s.StatementEntries(ctx, f.Months["2027-02"].ID)
	var rates []int
	for _, e := range feb {
		rates = append(rates, e.RateBP)
	}
	if got, want := rates, []int{2500, 1500, 1500, 1500, 1500, 2000}; !slices.Equal(got, want) {
		t.Errorf("February's rates = %v, want %v", got, want)
	}
	// And to the orders: what was paid and not given back.
	orders, err := s.Orders(ctx, shelf.OrderQuery{AppID: f.Shop.App.ID})
	if err != nil {
		t.Fatal(err)
	}
	var kept int64
	for _, o := range orders {
		if o.State == shelf.OrderFulfilled || o.State == shelf.OrderPaid {
			kept += o.Amount
		}
	}
	if total := int64(27000 + 28350 - 52650 + 2700); kept != total {
		t.Errorf("orders kept %d, statements say %d", kept, total)
	}

	// Closed never changes; March closes after it ends, after February.
	_, err = s.CloseStatement(ctx, f.Months["2027-02"].ID, f.Shop.Partner.ID)
	WantCode(t, err, "statement_closed")
	_, err = s.CloseStatement(ctx, f.Months["2027-03"].ID, f.Shop.Partner.ID)
	WantCode(t, err, "statement_month_open")
	f.Clock.Set(time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC))
	mar, err := s.CloseStatement(ctx, f.Months["2027-03"].ID, f.Shop.Partner.ID)
	if err != nil {
		t.Fatal(err)
	}
	if mar.CarriedIn != -19575 || mar.Payout != 0 || mar.CarriedOut != -17145 {
		t.Errorf("March closed = %+v", mar)
	}
	// A refund that carries a moment of a closed month (it raced the
	// close) goes to the next open statement.
	f.Clock.Set(time.Date(2027, 3, 31, 23, 0, 0, 0, time.UTC))
	if _, err := s.Refund(ctx, marRenew(t, f).ID, f.Shop.Partner.ID, "late"); err != nil {
		t.Fatal(err)
	}
	apr, err := s.Statements(ctx, f.Shop.Listing.OrgID, "2027-04", shelf.PageReq{})
	if err != nil || len(apr) != 1 || apr[0].Refunded != 2700 || apr[0].Net != -2430 || apr[0].State != shelf.StatementOpen {
		t.Errorf("April = %+v, %v", apr, err)
	}
	if st, err := s.Statement(ctx, mar.ID); err != nil || st.Refunds != 0 || st.Net != 2430 {
		t.Errorf("March changed: %+v, %v", st, err)
	}
	again, err := s.Statement(ctx, f.Months["2027-02"].ID)
	before := *f.Months["2027-02"]
	if err == nil && again.ClosedAt.Equal(*before.ClosedAt) {
		again.ClosedAt, before.ClosedAt = nil, nil
	}
	if err != nil || *again != before {
		t.Errorf("February changed: %+v, %v", again, err)
	}
}

// marRenew is B's March renewal.
func marRenew(t testing.TB, f *SettlementFixture) *shelf.Order {
	t.Helper()
	os, err := f.Shop.S.Orders(context.Background(), shelf.OrderQuery{OrgID: f.B.Customer.ID, State: shelf.OrderFulfilled})
	if err != nil || len(os) == 0 {
		t.Fatalf("B's orders = %v, %v", os, err)
	}
	return &os[0]
}

func testCommissionRates(t *testing.T, open Opener) {
	ctx := context.Background()
	clock := shelf.NewManualClock(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
	sh := NewShop(t, open(t, clock), nil)
	set := func(r shelf.CommissionRate) error {
		r.CreatedBy = sh.Admin.ID
		_, err := sh.S.SetCommissionRate(ctx, r)
		return err
	}
	WantCode(t, set(shelf.CommissionRate{Scope: shelf.ScopeDefault, RateBP: 2000, EffectiveFrom: clock.Now().Add(-time.Second)}), "rate_retroactive")
	WantCode(t, set(shelf.CommissionRate{Scope: shelf.ScopeDefault, RateBP: 10001, EffectiveFrom: clock.Now()}), "out_of_range")
	WantCode(t, set(shelf.CommissionRate{Scope: shelf.ScopeCategory, ScopeID: "cat_nope", RateBP: 100, EffectiveFrom: clock.Now()}), "not_found")
	WantCode(t, set(shelf.CommissionRate{Scope: shelf.ScopePartner, ScopeID: sh.Customer.ID, RateBP: 100, EffectiveFrom: clock.Now()}), "not_found")
	WantCode(t, set(shelf.CommissionRate{Scope: "vendor", RateBP: 100, EffectiveFrom: clock.Now()}), "invalid_scope")
	if rs, err := sh.S.CommissionRates(ctx, shelf.PageReq{}); err != nil || len(rs) != 0 {
		t.Fatalf("refused rates were kept: %+v, %v", rs, err)
	}
	// No rate at all: the partner keeps everything.
	o := sh.Buy(t, shelf.OrderBuy, "std-month", 2, 1)
	sts, err := sh.S.Statements(ctx, sh.Listing.OrgID, "2027-01", shelf.PageReq{})
	if err != nil || len(sts) != 1 || sts[0].Commission != 0 || sts[0].Net != o.Amount {
		t.Fatalf("statements = %+v, %v", sts, err)
	}
	if err := set(shelf.CommissionRate{Scope: shelf.ScopeDefault, RateBP: 1234, EffectiveFrom: clock.Now()}); err != nil {
		t.Fatal(err)
	}
	// A rate set after the payment does not change its split; the refund
	// gives back what the payment split (nothing).
	if _, err := sh.S.Refund(ctx, o.ID, sh.Admin.ID, "r"); err != nil {
		t.Fatal(err)
	}
	sts, _ = sh.S.Statements(ctx, sh.Listing.OrgID, "2027-01", shelf.PageReq{})
	if sts[0].Commission != 0 || sts[0].Net != 0 || sts[0].Refunded != o.Amount {
		t.Fatalf("after refund = %+v", sts[0])
	}
}
