package storetest

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store"
)

var commerceContract = map[string]func(t *testing.T, open Opener){
	"TrialOncePerOrgAndApp": testTrialOnce,
	"TrialExpiryEvents":     testTrialExpiry,
	"OrderLifecycle":        testOrderLifecycle,
	"OrderIdempotency":      testOrderIdempotency,
	"PaymentTwice":          testPaymentTwice,
	"SeatsLimit":            testSeatsLimit,
	"SeatsScoped":           testSeatsScoped,
	"UpgradeAndDowngrade":   testUpgradeDowngrade,
	"Refund":                testRefund,
	"ConcurrentOrders":      testConcurrentOrders,
	"VendorTokens":          testVendorTokens,
	"ConcurrentSeats":       testConcurrentSeats,
	"OrderFailsLate":        testOrderFailsLate,
	"MixedGroup":            testMixedGroup,
}

// Shop is a listed app and a customer org with an admin and a member: what
// commerce tests start from.
type Shop struct {
	S        *store.Store
	Listing  *shelf.ListingInfo
	App      *shelf.App
	Customer *shelf.Org
	Admin    *shelf.User
	Member   *shelf.User
	Partner  *shelf.User
	TestOrg  *shelf.Org
}

// NewShop lists storetest's ValidRevision (std-month 1–50 users at ¥9.00,
// pro-month 51–500 at ¥7.00, a 15-day trial for 50 users) and makes a
// customer org with an admin and one member.
func NewShop(t testing.TB, s *store.Store, rev func(*shelf.Revision)) *Shop {
	t.Helper()
	tb := t
	ctx := context.Background()
	w := newListingWorld(t, s)
	w.passSelfTest(t)
	r := ValidRevision(w.leaf.ID, w.icon)
	if rev != nil {
		rev(r)
	}
	created, err := s.CreateRevision(ctx, w.app.ID, w.partner.ID, r)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := s.Submit(ctx, created.ID, w.partner.ID); err != nil {
		tb.Fatal(err)
	}
	if _, err := s.Decide(ctx, created.ID, w.operator.ID, shelf.ReviewDecision{Approve: true}); err != nil {
		tb.Fatal(err)
	}
	li, err := s.ListingForApp(ctx, w.app.ID)
	if err != nil {
		tb.Fatal(err)
	}
	sh := &Shop{S: s, Listing: li, App: w.app, Partner: w.partner, TestOrg: w.testOrg}
	sh.Admin = MustUser(tb, s, shelf.NewID("admin")+"@example.com")
	sh.Member = MustUser(tb, s, shelf.NewID("member")+"@example.com")
	sh.Customer = MustOrg(tb, s, "Galaxy", shelf.OrgCustomer, sh.Admin)
	if _, _, err := s.AddMember(ctx, sh.Customer.ID, sh.Member.Email, shelf.RoleMember, sh.Admin.ID); err != nil {
		tb.Fatal(err)
	}
	return sh
}

// Order places an order with a fresh idempotency key.
func (sh *Shop) Order(tb testing.TB, typ shelf.OrderType, spec string, users, periods int) (*shelf.Order, error) {
	tb.Helper()
	req := shelf.OrderRequest{OrgID: sh.Customer.ID, ByUserID: sh.Admin.ID, ListingID: sh.Listing.ID, Type: typ, SpecCode: spec, Users: users, Periods: periods}
	key := shelf.NewID("key")
	placed, err := sh.S.CreateOrder(context.Background(), req, shelf.Idempotency{Key: key, Hash: key}, orderAnswer)
	if err != nil {
		return nil, err
	}
	return placed.Order, nil
}

func orderAnswer(o *shelf.Order) (shelf.Answer, error) {
	b, err := json.Marshal(o)
	return shelf.Answer{Status: 201, Body: b}, err
}

// Pay pays an order in full through the sandbox.
func (sh *Shop) Pay(tb testing.TB, o *shelf.Order) *shelf.Order {
	tb.Helper()
	paid, err := sh.S.RecordPayment(context.Background(), shelf.PaymentResult{OrderID: o.ID, Provider: "sandbox", Ref: "pay_" + o.ID,
		Amount: o.Amount, Currency: o.Currency, Paid: true}, "")
	if err != nil {
		tb.Fatalf("pay %s: %v", o.ID, err)
	}
	return paid
}

// Buy orders and pays.
func (sh *Shop) Buy(tb testing.TB, typ shelf.OrderType, spec string, users, periods int) *shelf.Order {
	tb.Helper()
	o, err := sh.Order(tb, typ, spec, users, periods)
	if err != nil {
		tb.Fatalf("order %s %s×%d: %v", typ, spec, users, err)
	}
	return sh.Pay(tb, o)
}

func (sh *Shop) sub(tb testing.TB) *shelf.Subscription {
	tb.Helper()
	sub, err := sh.S.Subscription(context.Background(), sh.Customer.ID, sh.App.ID)
	if err != nil {
		tb.Fatal(err)
	}
	return sub
}

func (sh *Shop) entitled(tb testing.TB, users ...string) []shelf.EntitlementStatus {
	tb.Helper()
	es, err := sh.S.Entitlements(context.Background(), sh.App.ID, sh.Customer.ID, users)
	if err != nil {
		tb.Fatal(err)
	}
	var out []shelf.EntitlementStatus
	for _, e := range es {
		out = append(out, e.Status)
	}
	return out
}

func testTrialOnce(t *testing.T, open Opener) {
	ctx := context.Background()
	clock := shelf.NewManualClock(time.Date(2027, 1, 10, 9, 0, 0, 0, time.UTC))
	sh := NewShop(t, open(t, clock), nil)
	if got := sh.entitled(t, sh.Member.ID); got[0] != shelf.EntNoActiveLicense {
		t.Fatalf("before the trial: %s", got[0])
	}
	sub, err := sh.S.StartTrial(ctx, sh.Customer.ID, sh.Listing.ID, sh.Admin.ID)
	if err != nil {
		t.Fatal(err)
	}
	if sub.Status != shelf.SubTrial || sub.Users != 50 || !sub.EndsAt.Equal(clock.Now().Add(15*24*time.Hour)) || !sub.AllMembers {
		t.Fatalf("trial = %+v", sub)
	}
	if got := sh.entitled(t, sh.Member.ID, sh.Admin.ID); !slices.Equal(got, []shelf.EntitlementStatus{shelf.EntValid, shelf.EntValid}) {
		t.Fatalf("in trial: %v", got)
	}
	if got, want := eventTypes(t, sh.S, sh.App.ID, sh.Customer.ID), []string{shelf.EventAppInstalled, shelf.EventTrialStarted, shelf.EventLeadCreated}; !slices.Equal(got, want) {
		t.Fatalf("events = %v, want %v", got, want)
	}
	_, err = sh.S.StartTrial(ctx, sh.Customer.ID, sh.Listing.ID, sh.Admin.ID)
	WantCode(t, err, "trial_already_used")
	// Uninstalling and installing again does not bring a trial back.
	insts, err := sh.S.Installations(ctx, sh.Customer.ID, shelf.PageReq{})
	if err != nil || len(insts) != 1 {
		t.Fatalf("installations = %v, %v", insts, err)
	}
	if err := sh.S.Uninstall(ctx, insts[0].ID, sh.Admin.ID); err != nil {
		t.Fatal(err)
	}
	clock.Advance(30 * 24 * time.Hour)
	_, err = sh.S.StartTrial(ctx, sh.Customer.ID, sh.Listing.ID, sh.Admin.ID)
	WantCode(t, err, "trial_already_used")
	if got := sh.sub(t).Status; got != shelf.SubTrialExpired {
		t.Fatalf("after the trial: %s", got)
	}
	if got := sh.entitled(t, sh.Member.ID); got[0] != shelf.EntNoActiveLicense {
		t.Fatalf("after the trial: %s", got[0])
	}
}

func testTrialExpiry(t *testing.T, open Opener) {
	ctx := context.Background()
	clock := shelf.NewManualClock(time.Date(2027, 1, 10, 9, 0, 0, 0, time.UTC))
	sh := NewShop(t, open(t, clock), func(r *shelf.Revision) {
		r.Activation = shelf.ActivationFreeThenPaid
		r.Specs = append([]shelf.Spec{{Code: "free", Name: "免费版", MinUsers: 1, MaxUsers: 5, Free: true}}, r.Specs...)
	})
	if _, err := sh.S.StartTrial(ctx, sh.Customer.ID, sh.Listing.ID, sh.Admin.ID); err != nil {
		t.Fatal(err)
	}
	sweep := func() store.SweepResult {
		t.Helper()
		r, err := sh.S.SweepCommerce(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	if r := sweep(); r.TrialsEnding != 0 {
		t.Fatalf("twelve days early: %+v", r)
	}
	clock.Advance(12*24*time.Hour + time.Minute) // within three days of the end
	if r := sweep(); r.TrialsEnding != 1 {
		t.Fatalf("three days before: %+v", r)
	}
	if r := sweep(); r != (store.SweepResult{}) {
		t.Fatalf("a second sweep repeated a notice: %+v", r)
	}
	clock.Advance(3 * 24 * time.Hour)
	if r := sweep(); r.TrialsExpired != 1 {
		t.Fatalf("at the end: %+v", r)
	}
	sweep()
	want := []string{shelf.EventAppInstalled, shelf.EventTrialStarted, shelf.EventLeadCreated, shelf.EventTrialEnding, shelf.EventLeadCreated, shelf.EventTrialExpired}
	if got := eventTypes(t, sh.S, sh.App.ID, sh.Customer.ID); !slices.Equal(got, want) {
		t.Fatalf("events = %v, want %v", got, want)
	}
	// free_then_paid: the free spec takes over.
	if sub := sh.sub(t); sub.Status != shelf.SubFree || sub.SpecCode != "free" || sub.Users != 5 {
		t.Fatalf("after the trial: %+v", sub)
	}
	if got := sh.entitled(t, sh.Member.ID); got[0] != shelf.EntValid {
		t.Fatalf("on the free spec: %s", got[0])
	}
}

func testOrderLifecycle(t *testing.T, open Opener) {
	ctx := context.Background()
	clock := shelf.NewManualClock(time.Date(2027, 1, 31, 9, 0, 0, 0, time.UTC))
	sh := NewShop(t, open(t, clock), nil)
	o, err := sh.Order(t, shelf.OrderBuy, "std-month", 25, 12)
	if err != nil {
		t.Fatal(err)
	}
	if o.State != shelf.OrderCreated || o.Amount != 25*900*12 || o.Currency != "CNY" || len(o.Computation.Lines) != 1 {
		t.Fatalf("order = %+v", o)
	}
	_, err = sh.Order(t, shelf.OrderBuy, "std-month", 10, 1)
	WantCode(t, err, "order_pending")
	if got := sh.entitled(t, sh.Admin.ID); got[0] != shelf.EntNoActiveLicense {
		t.Fatalf("unpaid: %s", got[0])
	}
	clock.Advance(time.Hour) // the term starts when the money arrives
	paid := sh.Pay(t, o)
	if paid.State != shelf.OrderFulfilled || paid.PaidAt == nil {
		t.Fatalf("paid = %+v", paid)
	}
	sub := sh.sub(t)
	if sub.Status != shelf.SubActive || sub.Users != 25 || sub.SpecCode != "std-month" || !sub.EndsAt.Equal(time.Date(2028, 1, 31, 10, 0, 0, 0, time.UTC)) {
		t.Fatalf("subscription = %+v", sub)
	}
	want := []string{shelf.EventAppInstalled, shelf.EventOrderPaid, shelf.EventSubscriptionChanged}
	if got := eventTypes(t, sh.S, sh.App.ID, sh.Customer.ID); !slices.Equal(got, want) {
		t.Fatalf("events = %v, want %v", got, want)
	}
	_, err = sh.Order(t, shelf.OrderBuy, "std-month", 10, 1)
	WantCode(t, err, "subscription_active")
	// An unpaid order is cancelled after a day.
	r, err := sh.Order(t, shelf.OrderRenew, "std-month", 25, 1)
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(shelf.OrderPayWindow + time.Second)
	if res, err := sh.S.SweepCommerce(ctx); err != nil || res.OrdersCancelled != 1 {
		t.Fatalf("sweep = %+v, %v", res, err)
	}
	if got, err := sh.S.Order(ctx, r.ID); err != nil || got.State != shelf.OrderCancelled {
		t.Fatalf("unpaid order = %+v, %v", got, err)
	}
	_, err = sh.S.RecordPayment(ctx, shelf.PaymentResult{OrderID: r.ID, Provider: "sandbox", Ref: "late", Amount: r.Amount, Currency: r.Currency, Paid: true}, "")
	WantCode(t, err, "order_cancelled")
	// A renewal extends the term from its end.
	sh.Buy(t, shelf.OrderRenew, "std-month", 25, 1)
	if sub := sh.sub(t); !sub.EndsAt.Equal(time.Date(2028, 2, 29, 10, 0, 0, 0, time.UTC)) {
		t.Fatalf("renewed to %s", sub.EndsAt)
	}
	// A test org is never charged.
	tsh := *sh
	tsh.Customer = sh.TestOrg
	tsh.Admin = sh.Partner
	to, err := tsh.Order(t, shelf.OrderBuy, "std-month", 5, 1)
	if err != nil {
		t.Fatal(err)
	}
	if to.Amount != 0 || !to.Test || to.Computation.ListAmount != 4500 || to.State != shelf.OrderFulfilled {
		t.Fatalf("test org order = %+v", to)
	}
}

func testOrderIdempotency(t *testing.T, open Opener) {
	ctx := context.Background()
	sh := NewShop(t, open(t, nil), nil)
	req := shelf.OrderRequest{OrgID: sh.Customer.ID, ByUserID: sh.Admin.ID, ListingID: sh.Listing.ID, Type: shelf.OrderBuy, SpecCode: "std-month", Users: 5, Periods: 1}
	first, err := sh.S.CreateOrder(ctx, req, shelf.Idempotency{Key: "k1", Hash: "h1"}, orderAnswer)
	if err != nil || first.Replay {
		t.Fatalf("first = %+v, %v", first, err)
	}
	again, err := sh.S.CreateOrder(ctx, req, shelf.Idempotency{Key: "k1", Hash: "h1"}, orderAnswer)
	if err != nil || !again.Replay || string(again.Answer.Body) != string(first.Answer.Body) || again.Answer.Status != 201 {
		t.Fatalf("replay = %+v, %v", again, err)
	}
	_, err = sh.S.CreateOrder(ctx, req, shelf.Idempotency{Key: "k1", Hash: "h2"}, orderAnswer)
	WantCode(t, err, "idempotency_key_reused")
	orders, err := sh.S.Orders(ctx, shelf.OrderQuery{OrgID: sh.Customer.ID})
	if err != nil || len(orders) != 1 {
		t.Fatalf("orders = %d, %v", len(orders), err)
	}
	// Cancelled, the order no longer blocks a new one; a retry of its
	// request still gets the first answer and places nothing.
	if _, err := sh.S.CancelOrder(ctx, orders[0].ID, sh.Admin.ID, ""); err != nil {
		t.Fatal(err)
	}
	again, err = sh.S.CreateOrder(ctx, req, shelf.Idempotency{Key: "k1", Hash: "h1"}, orderAnswer)
	if err != nil || !again.Replay || string(again.Answer.Body) != string(first.Answer.Body) {
		t.Fatalf("retry after cancelling = %+v, %v", again, err)
	}
	if orders, err = sh.S.Orders(ctx, shelf.OrderQuery{OrgID: sh.Customer.ID}); err != nil || len(orders) != 1 {
		t.Fatalf("orders after the retry = %d, %v", len(orders), err)
	}
	// A refused request keeps nothing: the key is free for a good one.
	bad := req
	bad.Users = 0
	_, err = sh.S.CreateOrder(ctx, bad, shelf.Idempotency{Key: "k2", Hash: "bad"}, orderAnswer)
	WantCode(t, err, "users_out_of_range")
	// Keys are per org.
	other := MustOrg(t, sh.S, "Other", shelf.OrgCustomer, sh.Admin)
	req.OrgID = other.ID
	if placed, err := sh.S.CreateOrder(ctx, req, shelf.Idempotency{Key: "k1", Hash: "h1"}, orderAnswer); err != nil || placed.Replay {
		t.Fatalf("another org's k1 = %+v, %v", placed, err)
	}
}

func testSeatsLimit(t *testing.T, open Opener) {
	ctx := context.Background()
	clock := shelf.NewManualClock(time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC))
	sh := NewShop(t, open(t, clock), nil)
	_, err := sh.S.SetSeats(ctx, sh.Customer.ID, sh.App.ID, shelf.SeatsChange{UserIDs: []string{sh.Admin.ID}, ByUserID: sh.Admin.ID})
	WantCode(t, err, "not_found")
	sh.Buy(t, shelf.OrderBuy, "std-month", 1, 1)
	extra := MustUser(t, sh.S, shelf.NewID("x")+"@example.com")
	if _, _, err := sh.S.AddMember(ctx, sh.Customer.ID, extra.Email, shelf.RoleMember, sh.Admin.ID); err != nil {
		t.Fatal(err)
	}
	stranger := MustUser(t, sh.S, shelf.NewID("s")+"@example.com")
	_, err = sh.S.SetSeats(ctx, sh.Customer.ID, sh.App.ID, shelf.SeatsChange{UserIDs: []string{sh.Admin.ID, sh.Member.ID}, ByUserID: sh.Admin.ID})
	WantCode(t, err, "seats_exceeded")
	_, err = sh.S.SetSeats(ctx, sh.Customer.ID, sh.App.ID, shelf.SeatsChange{AllMembers: true, ByUserID: sh.Admin.ID})
	WantCode(t, err, "seats_exceeded")
	_, err = sh.S.SetSeats(ctx, sh.Customer.ID, sh.App.ID, shelf.SeatsChange{UserIDs: []string{stranger.ID}, ByUserID: sh.Admin.ID})
	WantCode(t, err, "not_a_member")
	sub, err := sh.S.SetSeats(ctx, sh.Customer.ID, sh.App.ID, shelf.SeatsChange{UserIDs: []string{sh.Member.ID}, ByUserID: sh.Admin.ID})
	if err != nil || sub.AssignedSeats != 1 || sub.AllMembers {
		t.Fatalf("seats = %+v, %v", sub, err)
	}
	if got := sh.entitled(t, sh.Member.ID, sh.Admin.ID, stranger.ID); !slices.Equal(got, []shelf.EntitlementStatus{shelf.EntValid, shelf.EntNotInScope, shelf.EntNotInScope}) {
		t.Fatalf("entitlements = %v", got)
	}
	// Leaving the org frees the seat.
	if err := sh.S.RemoveMember(ctx, sh.Customer.ID, sh.Member.ID, sh.Admin.ID); err != nil {
		t.Fatal(err)
	}
	if seats, err := sh.S.Seats(ctx, sh.Customer.ID, sh.App.ID, shelf.PageReq{}); err != nil || len(seats) != 0 {
		t.Fatalf("seats after leaving = %v, %v", seats, err)
	}
	if sub := sh.sub(t); sub.AssignedSeats != 0 {
		t.Fatalf("assigned after leaving = %d", sub.AssignedSeats)
	}
	if got := eventTypes(t, sh.S, sh.App.ID, sh.Customer.ID); got[len(got)-1] != shelf.EventSeatsChanged {
		t.Fatalf("events = %v", got)
	}
}

// testSeatsScoped: a change scoped to some members (a page of them)
// changes their seats only; leaving all_members starts from no seats.
func testSeatsScoped(t *testing.T, open Opener) {
	ctx := context.Background()
	clock := shelf.NewManualClock(time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC))
	sh := NewShop(t, open(t, clock), nil)
	sh.Buy(t, shelf.OrderBuy, "std-month", 5, 1)
	set := func(ch shelf.SeatsChange) []string {
		t.Helper()
		ch.ByUserID = sh.Admin.ID
		if _, err := sh.S.SetSeats(ctx, sh.Customer.ID, sh.App.ID, ch); err != nil {
			t.Fatal(err)
		}
		seats, err := sh.S.Seats(ctx, sh.Customer.ID, sh.App.ID, shelf.PageReq{})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, s := range seats {
			ids = append(ids, s.UserID)
		}
		slices.Sort(ids)
		return ids
	}
	both := []string{sh.Admin.ID, sh.Member.ID}
	slices.Sort(both)
	set(shelf.SeatsChange{UserIDs: both}) // rows that all_members then hides
	set(shelf.SeatsChange{AllMembers: true})
	if got := set(shelf.SeatsChange{UserIDs: []string{sh.Member.ID}, Scope: []string{sh.Member.ID}}); !slices.Equal(got, []string{sh.Member.ID}) {
		t.Fatalf("leaving all members = %v, want only the member ticked", got)
	}
	if got := set(shelf.SeatsChange{UserIDs: []string{sh.Admin.ID}, Scope: []string{sh.Admin.ID}}); !slices.Equal(got, both) {
		t.Fatalf("another page's seat = %v, want both kept", got)
	}
	if got := set(shelf.SeatsChange{UserIDs: []string{}, Scope: []string{sh.Admin.ID}}); !slices.Equal(got, []string{sh.Member.ID}) {
		t.Fatalf("unticked in scope = %v, want the member only", got)
	}
	// Which of a page of members hold a seat, in one read.
	held, err := sh.S.SeatHolders(ctx, sh.Customer.ID, sh.App.ID, []string{sh.Admin.ID, sh.Member.ID, "usr_nobody"})
	if err != nil || !slices.Equal(held, []string{sh.Member.ID}) {
		t.Fatalf("seat holders = %v, %v; want the member", held, err)
	}
}

func testUpgradeDowngrade(t *testing.T, open Opener) {
	clock := shelf.NewManualClock(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
	sh := NewShop(t, open(t, clock), nil)
	sh.Buy(t, shelf.OrderBuy, "std-month", 10, 3)
	clock.Set(time.Date(2027, 2, 15, 0, 0, 0, 0, time.UTC))
	up := sh.Buy(t, shelf.OrderUpgrade, "std-month", 25, 0)
	if up.Amount != 33750-13500 {
		t.Fatalf("upgrade amount = %d (%+v)", up.Amount, up.Computation.Lines)
	}
	sub := sh.sub(t)
	if sub.Users != 25 || !sub.EndsAt.Equal(time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("after upgrade: %+v", sub)
	}
	if _, err := sh.S.SetSeats(context.Background(), sh.Customer.ID, sh.App.ID, shelf.SeatsChange{AllMembers: true, ByUserID: sh.Admin.ID}); err != nil {
		t.Fatal(err)
	}
	down := sh.Buy(t, shelf.OrderRenewDegrade, "std-month", 1, 1)
	if down.Amount != 900 || !down.Computation.EffectiveAt.Equal(sub.EndsAt) {
		t.Fatalf("downgrade = %+v", down)
	}
	if sub := sh.sub(t); sub.Users != 25 || sub.Next == nil {
		t.Fatalf("before the term's end: %+v", sub)
	}
	_, err := sh.Order(t, shelf.OrderRenew, "std-month", 25, 1)
	WantCode(t, err, "change_pending")
	clock.Set(time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC))
	if r, err := sh.S.SweepCommerce(context.Background()); err != nil || r.TermsChanged != 1 {
		t.Fatalf("sweep = %+v, %v", r, err)
	}
	// Two members on a licence of one: over the limit, in grace for 7 days,
	// then the later member's seat stops.
	sub = sh.sub(t)
	if sub.Users != 1 || sub.Status != shelf.SubOverLimit || !sub.EndsAt.Equal(time.Date(2027, 5, 1, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("after the term's end: %+v", sub)
	}
	if got := sh.entitled(t, sh.Admin.ID, sh.Member.ID); !slices.Equal(got, []shelf.EntitlementStatus{shelf.EntValid, shelf.EntValid}) {
		t.Fatalf("in grace: %v", got)
	}
	clock.Advance(shelf.OverLimitGrace)
	// Both joined at the same moment: the limit counts them in id order.
	first, second := sh.Admin.ID, sh.Member.ID
	if second < first {
		first, second = second, first
	}
	if got := sh.entitled(t, first, second); !slices.Equal(got, []shelf.EntitlementStatus{shelf.EntValid, shelf.EntExceedsLimit}) {
		t.Fatalf("after grace: %v", got)
	}
	clock.Set(time.Date(2027, 5, 2, 0, 0, 0, 0, time.UTC))
	_, err = sh.Order(t, shelf.OrderUpgrade, "std-month", 30, 0)
	WantCode(t, err, "subscription_not_active")
}

func testRefund(t *testing.T, open Opener) {
	ctx := context.Background()
	clock := shelf.NewManualClock(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
	sh := NewShop(t, open(t, clock), nil)
	buy := sh.Buy(t, shelf.OrderBuy, "std-month", 10, 1)
	renew := sh.Buy(t, shelf.OrderRenew, "std-month", 10, 1)
	_, err := sh.S.Refund(ctx, buy.ID, sh.Admin.ID, "changed our mind")
	WantCode(t, err, "refund_not_latest")
	_, err = sh.S.Refund(ctx, renew.ID, sh.Admin.ID, "")
	WantCode(t, err, "required")
	if _, err := sh.S.Refund(ctx, renew.ID, sh.Admin.ID, "renewed by mistake"); err != nil {
		t.Fatal(err)
	}
	if sub := sh.sub(t); !sub.EndsAt.Equal(time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)) || sub.Status != shelf.SubActive {
		t.Fatalf("after refunding the renewal: %+v", sub)
	}
	_, err = sh.S.Refund(ctx, renew.ID, sh.Admin.ID, "again")
	WantCode(t, err, "order_not_refundable")
	if _, err := sh.S.Refund(ctx, buy.ID, sh.Admin.ID, "cancelled the contract"); err != nil {
		t.Fatal(err)
	}
	if sub := sh.sub(t); sub.Status != shelf.SubCancelled {
		t.Fatalf("after refunding the purchase: %+v", sub)
	}
	if got := sh.entitled(t, sh.Admin.ID); got[0] != shelf.EntNoActiveLicense {
		t.Fatalf("refunded: %s", got[0])
	}
}
