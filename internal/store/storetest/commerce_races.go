package storetest

import (
	"context"
	"fmt"
	"testing"

	"github.com/shelfhq/shelf/internal/shelf"
)

// testConcurrentOrders sends 200 order requests at once for one org, half
// of them repeating a key: one order waits for payment, every answer for a
// key is the same, nothing is charged twice.
func testConcurrentOrders(t *testing.T, open Opener) {
	ctx := context.Background()
	sh := NewShop(t, open(t, nil), nil)
	const n = 200
	fns := make([]func() error, n)
	answers := make([]*shelf.OrderPlaced, n)
	for i := range n {
		key := fmt.Sprintf("key-%d", i%100)
		fns[i] = func() error {
			req := shelf.OrderRequest{OrgID: sh.Customer.ID, ByUserID: sh.Admin.ID, ListingID: sh.Listing.ID, Type: shelf.OrderBuy,
				SpecCode: "std-month", Users: 1 + i%100%50, Periods: 1}
			p, err := sh.S.CreateOrder(ctx, req, shelf.Idempotency{Key: key, Hash: key}, orderAnswer)
			answers[i] = p
			return err
		}
	}
	created := 0
	for i, err := range together(fns...) {
		switch {
		case err == nil && !answers[i].Replay:
			created++
		case err == nil:
		case shelf.ErrorKind(err) == shelf.KindConflict:
		default:
			t.Fatalf("request %d: %v", i, err)
		}
	}
	orders, err := sh.S.Orders(ctx, shelf.OrderQuery{OrgID: sh.Customer.ID})
	if err != nil {
		t.Fatal(err)
	}
	if created != 1 || len(orders) != 1 {
		t.Fatalf("created %d, stored %d orders; want one waiting for payment", created, len(orders))
	}
	for i := range n {
		j := (i + 100) % n
		if answers[i] != nil && answers[j] != nil && string(answers[i].Answer.Body) != string(answers[j].Answer.Body) {
			t.Fatalf("key-%d answered twice differently", i%100)
		}
	}
}

// testConcurrentSeats: admins assigning seats at the same moment, each a
// different set of members, some sets larger than the licence: the seats
// held never exceed it, and the last write wins whole.
func testConcurrentSeats(t *testing.T, open Opener) {
	ctx := context.Background()
	sh := NewShop(t, open(t, nil), nil)
	sh.Buy(t, shelf.OrderBuy, "std-month", 3, 1)
	members := []string{sh.Admin.ID, sh.Member.ID}
	for i := range 6 {
		u := MustUser(t, sh.S, shelf.NewID(fmt.Sprint("seat", i))+"@example.com")
		if _, _, err := sh.S.AddMember(ctx, sh.Customer.ID, u.Email, shelf.RoleMember, sh.Admin.ID); err != nil {
			t.Fatal(err)
		}
		members = append(members, u.ID)
	}
	fns := make([]func() error, 40)
	for i := range fns {
		set := members[i%len(members) : min(len(members), i%len(members)+1+i%5)] // 1 to 5 members
		fns[i] = func() error {
			_, err := sh.S.SetSeats(ctx, sh.Customer.ID, sh.App.ID, shelf.SeatsChange{UserIDs: set, ByUserID: sh.Admin.ID})
			return err
		}
	}
	for i, err := range together(fns...) {
		if err != nil && shelf.ErrorKind(err) == shelf.KindInternal {
			t.Fatalf("assignment %d: %v", i, err)
		}
	}
	seats, err := sh.S.Seats(ctx, sh.Customer.ID, sh.App.ID, shelf.PageReq{})
	if err != nil {
		t.Fatal(err)
	}
	sub := sh.sub(t)
	if len(seats) > 3 || sub.AssignedSeats != len(seats) || sub.Status != shelf.SubActive {
		t.Fatalf("%d seats held, %d counted, status %s: the licence is 3", len(seats), sub.AssignedSeats, sub.Status)
	}
}

func testPaymentTwice(t *testing.T, open Opener) {
	ctx := context.Background()
	sh := NewShop(t, open(t, nil), nil)
	o, err := sh.Order(t, shelf.OrderBuy, "std-month", 5, 1)
	if err != nil {
		t.Fatal(err)
	}
	pay := func(ref string) error {
		_, err := sh.S.RecordPayment(ctx, shelf.PaymentResult{OrderID: o.ID, Provider: "sandbox", Ref: ref, Amount: o.Amount, Currency: o.Currency, Paid: true}, "")
		return err
	}
	_, err = sh.S.RecordPayment(ctx, shelf.PaymentResult{OrderID: o.ID, Provider: "sandbox", Ref: "x", Amount: o.Amount - 1, Currency: o.Currency, Paid: true}, "")
	WantCode(t, err, "payment_amount_mismatch")
	// Two callbacks of one payment racing, and a second payment.
	errs := together(func() error { return pay("p1") }, func() error { return pay("p1") }, func() error { return pay("p1") })
	for i, err := range errs {
		if err != nil {
			t.Fatalf("callback %d: %v", i, err)
		}
	}
	WantCode(t, pay("p2"), "order_already_paid")
	paid := 0
	for _, typ := range eventTypes(t, sh.S, sh.App.ID, sh.Customer.ID) {
		if typ == shelf.EventOrderPaid {
			paid++
		}
	}
	if paid != 1 {
		t.Fatalf("order.paid sent %d times", paid)
	}
}

// testOrderFailsLate: orders placed at once, one of which fails after its
// order was written (its answer cannot be rendered). The others are placed,
// once each; the failed one leaves nothing behind.
func testOrderFailsLate(t *testing.T, open Opener) {
	ctx := context.Background()
	sh := NewShop(t, open(t, nil), nil)
	const n = 12
	orgs := make([]string, n)
	for i := range orgs {
		orgs[i] = MustOrg(t, sh.S, fmt.Sprint("Late ", i), shelf.OrgCustomer, sh.Admin).ID
	}
	broken := fmt.Errorf("answer cannot be rendered")
	fns := make([]func() error, n)
	for i := range fns {
		fns[i] = func() error {
			answer := orderAnswer
			if i == n/2 {
				answer = func(*shelf.Order) (shelf.Answer, error) { return shelf.Answer{}, broken }
			}
			key := fmt.Sprint("late-", i)
			_, err := sh.S.CreateOrder(ctx, shelf.OrderRequest{OrgID: orgs[i], ByUserID: sh.Admin.ID, ListingID: sh.Listing.ID,
				Type: shelf.OrderBuy, SpecCode: "std-month", Users: 2, Periods: 1}, shelf.Idempotency{Key: key, Hash: key}, answer)
			return err
		}
	}
	for i, err := range together(fns...) {
		if (i == n/2) != (err != nil) {
			t.Fatalf("order %d: err = %v", i, err)
		}
	}
	for i, org := range orgs {
		orders, err := sh.S.Orders(ctx, shelf.OrderQuery{OrgID: org})
		if err != nil {
			t.Fatal(err)
		}
		if want := map[bool]int{true: 0, false: 1}[i == n/2]; len(orders) != want {
			t.Fatalf("org %d has %d orders, want %d", i, len(orders), want)
		}
	}
}

// testMixedGroup sends at once orders that a group serves from reads it
// makes once for all: several orgs buying, two orders of one test org for
// one app (the first paid at once, changing the subscription the second
// reads), an unknown listing and a partner org. Each gets what it would
// get alone.
func testMixedGroup(t *testing.T, open Opener) {
	ctx := context.Background()
	sh := NewShop(t, open(t, nil), nil)
	const buyers = 8
	orgs := make([]*shelf.Org, buyers)
	for i := range orgs {
		orgs[i] = MustOrg(t, sh.S, fmt.Sprint("Buyer ", i), shelf.OrgCustomer, sh.Admin)
	}
	partnerOrg := MustOrg(t, sh.S, "Other vendor", shelf.OrgPartner, sh.Admin)
	place := func(org, by, listing string, users int) func() (*shelf.OrderPlaced, error) {
		key := shelf.NewID("key")
		return func() (*shelf.OrderPlaced, error) {
			return sh.S.CreateOrder(ctx, shelf.OrderRequest{OrgID: org, ByUserID: by, ListingID: listing, Type: shelf.OrderBuy,
				SpecCode: "std-month", Users: users, Periods: 1}, shelf.Idempotency{Key: key, Hash: key}, orderAnswer)
		}
	}
	var calls []func() (*shelf.OrderPlaced, error)
	for i, o := range orgs {
		calls = append(calls, place(o.ID, sh.Admin.ID, sh.Listing.ID, i+1))
	}
	calls = append(calls,
		place(sh.TestOrg.ID, sh.Partner.ID, sh.Listing.ID, 5),
		place(sh.TestOrg.ID, sh.Partner.ID, sh.Listing.ID, 6),
		place(sh.Customer.ID, sh.Admin.ID, "lst_missing", 1),
		place(partnerOrg.ID, sh.Admin.ID, sh.Listing.ID, 1))
	placed := make([]*shelf.OrderPlaced, len(calls))
	fns := make([]func() error, len(calls))
	for i, call := range calls {
		fns[i] = func() (err error) { placed[i], err = call(); return err }
	}
	errs := together(fns...)
	for i := range buyers {
		o := placed[i]
		if errs[i] != nil || o.Order.OrgID != orgs[i].ID || o.Order.Amount != int64(900*(i+1)) || o.Order.Test {
			t.Fatalf("buyer %d: %+v, %v; want ¥%d.00 for %d users", i, o, errs[i], 9*(i+1), i+1)
		}
	}
	testPaid := 0
	for _, i := range []int{buyers, buyers + 1} {
		switch {
		case errs[i] == nil && placed[i].Order.Test && placed[i].Order.State == shelf.OrderFulfilled:
			testPaid++
		case errs[i] == nil || shelf.ErrorKind(errs[i]) == shelf.KindInternal:
			t.Fatalf("test org order %d: %+v, %v", i, placed[i], errs[i])
		}
	}
	if testPaid == 0 {
		t.Fatal("neither test org order was fulfilled")
	}
	WantCode(t, errs[buyers+2], "listing_unknown")
	WantCode(t, errs[buyers+3], "customer_org_required")
	orders, err := sh.S.Orders(ctx, shelf.OrderQuery{AppID: sh.App.ID, PageReq: shelf.FirstPage(100)})
	if err != nil {
		t.Fatal(err)
	}
	if len(orders) != buyers+testPaid {
		t.Fatalf("%d orders stored, want %d", len(orders), buyers+testPaid)
	}
}
