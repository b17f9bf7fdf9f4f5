package webtest

import (
	"context"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/shelf"
)

// Order places an order of the listing by the customer org (5 users of
// std-month, one period) and, when paid, records its bank transfer.
func (f *Fixture) Order(listingID string, typ shelf.OrderType, paid bool) *shelf.Order {
	f.T.Helper()
	ctx := context.Background()
	req := shelf.OrderRequest{OrgID: f.World.Customer.ID, ByUserID: f.World.Users[demo.CustomerEmail].ID, ListingID: listingID,
		Type: typ, SpecCode: "std-month", Users: 5, Periods: 1}
	k := Unique("k")
	placed, err := f.Store.CreateOrder(ctx, req, shelf.Idempotency{Key: k, Hash: k}, func(*shelf.Order) (shelf.Answer, error) { return shelf.Answer{Status: 201}, nil })
	if err != nil {
		f.T.Fatal(err)
	}
	o := placed.Order
	if paid {
		if o, err = f.Store.RecordPayment(ctx, shelf.PaymentResult{OrderID: o.ID, Provider: "manual", Ref: k, Amount: o.Amount, Currency: o.Currency, Paid: true}, ""); err != nil {
			f.T.Fatal(err)
		}
	}
	return o
}

// FreshOrder places a first order (BUY) for a freshly listed app of
// partner org 1, paid or not.
func (f *Fixture) FreshOrder(paid bool) *shelf.Order {
	f.T.Helper()
	return f.Order(f.RevisionIn("listed").ListingID, shelf.OrderBuy, paid)
}
