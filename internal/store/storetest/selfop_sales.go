package storetest

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
)

// testSalesDashboard reads the dashboard of the settlement fixture (see
// SettlementFixture), after two more customers start trials on March 6
// and one of them (D) buys 2 users for a month on March 8: ¥18.00 at the
// partner's 10%.
func testSalesDashboard(t *testing.T, open Opener) {
	ctx := context.Background()
	f := NewSettlementFixture(t, func(clock shelf.Clock) *Shop { return NewShop(t, open(t, clock), nil) })
	s := f.Shop.S
	customer := func(name string) *Shop {
		admin := MustUser(t, s, shelf.NewID(name)+"@example.com")
		c := *f.Shop
		c.Customer, c.Admin = MustOrg(t, s, name, shelf.OrgCustomer, admin), admin
		return &c
	}
	c, d := customer("Comet"), customer("Dune")
	f.Clock.Set(time.Date(2027, 3, 6, 12, 0, 0, 0, time.UTC))
	for _, sh := range []*Shop{c, d} {
		if _, err := s.StartTrial(ctx, sh.Customer.ID, sh.Listing.ID, sh.Admin.ID); err != nil {
			t.Fatal(err)
		}
	}
	f.Clock.Set(time.Date(2027, 3, 8, 12, 0, 0, 0, time.UTC))
	d.Buy(t, shelf.OrderBuy, "std-month", 2, 1)
	day := func(m time.Month, d int) time.Time { return time.Date(2027, m, d, 0, 0, 0, 0, time.UTC) }
	read := func(from, to time.Time, listing string) *shelf.SalesDashboard {
		t.Helper()
		got, err := s.SalesDashboard(ctx, shelf.SalesQuery{PartnerID: f.Shop.Listing.OrgID, From: from, To: to, ListingID: listing, Now: f.Clock.Now()})
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	got := read(day(1, 1), day(3, 31), "")
	want := &shelf.SalesDashboard{From: "2027-01-01", To: "2027-03-31", Currency: "CNY",
		Months: []shelf.SalesMonth{
			{Month: "2027-01", Orders: 1, Gross: 27000, Commission: 5400, Net: 21600},
			{Month: "2027-02", Orders: 3, Gross: 28350, Refunds: 3, Refunded: 52650, Commission: -4725, Net: -19575},
			{Month: "2027-03", Orders: 2, Gross: 4500, Commission: 450, Net: 4050},
		},
		Total: shelf.SalesMonth{Month: "2027-01-01/2027-03-31", Orders: 6, Gross: 59850, Refunds: 3, Refunded: 52650, Commission: 1125, Net: 6075},
		ByType: []shelf.SalesByType{
			{Type: shelf.OrderBuy, Orders: 3, Gross: 27000 + 2700 + 1800, Refunds: 1, Refunded: 27000},
			{Type: shelf.OrderRenew, Orders: 2, Gross: 5400 + 2700, Refunds: 1, Refunded: 5400},
			{Type: shelf.OrderUpgrade, Orders: 1, Gross: 20250, Refunds: 1, Refunded: 20250},
		},
		New: 3, Renewed: 2,
		// On March 8: B (renewed to April 6) and D (to April 8) are paid
		// and in term, one seat each (their only member); C is in trial;
		// A's purchase was refunded.
		ActiveSubs: 2, Seats: 2, Trials: 1,
		TrialsStarted: 2, TrialsConverted: 1,
		// A, B and D paid in the range: (59850 − 52650) / 3.
		PayingOrgs: 3, ARPO: 2400,
		TopListings: []shelf.SalesListing{{ListingID: f.Shop.Listing.ID, Orders: 6, Revenue: 7200, Net: 6075}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("dashboard =\n%+v\nwant\n%+v", got, want)
	}
	// February alone; and another listing's figures are not these.
	feb := read(day(2, 1), day(2, 28), f.Shop.Listing.ID)
	if feb.Total.Net != -19575 || feb.PayingOrgs != 2 || feb.New != 1 || feb.Renewed != 1 || feb.ARPO != (28350-52650)/2 {
		t.Errorf("February = %+v", feb)
	}
	if other := read(day(1, 1), day(3, 31), "lst_other"); len(other.Months) != 0 || other.ActiveSubs != 0 || other.PayingOrgs != 0 {
		t.Errorf("another listing = %+v", other)
	}
	// On April 10, B's and D's terms have ended unrenewed: churned.
	f.Clock.Set(time.Date(2027, 4, 10, 0, 0, 0, 0, time.UTC))
	apr := read(day(4, 1), day(4, 30), "")
	if apr.Churned != 2 || apr.ActiveSubs != 0 || apr.Trials != 0 || len(apr.Months) != 0 {
		t.Errorf("April = %+v", apr)
	}
	_, err := s.SalesDashboard(ctx, shelf.SalesQuery{PartnerID: f.Shop.Listing.OrgID, From: day(3, 1), To: day(2, 1)})
	WantCode(t, err, "invalid_range")
}
