package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
)

var promoContract = map[string]func(t *testing.T, open Opener){
	"PromoChannels":       testPromoChannels,
	"PromoAttribution":    testPromoAttribution,
	"PromoNotCounted":     testPromoNotCounted,
	"PromoVisitsAtOnce":   testPromoVisitsAtOnce,
	"PromoOwnChannelOnly": testPromoOwnChannelOnly,
	"PromoGroupOrders":    testPromoGroupOrders,
	"PromoRefunds":        testPromoRefunds,
}

// NewChannel makes a channel of the shop's listing landing on target.
func (sh *Shop) NewChannel(tb testing.TB, target shelf.PromoTarget, spec, state string) *shelf.PromoChannel {
	tb.Helper()
	c, err := sh.S.CreatePromoChannel(context.Background(), shelf.NewPromoChannel{ListingID: sh.Listing.ID, ByUserID: sh.Partner.ID,
		Name: "海报 poster", Target: target, SpecCode: spec, State: state})
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// Visit lands on the channel's link as visitor, signed in as userID ("" for nobody).
func (sh *Shop) Visit(tb testing.TB, c *shelf.PromoChannel, visitor, userID string) {
	tb.Helper()
	if err := sh.S.RecordPromoVisit(context.Background(), c, shelf.PromoVisit{Code: c.Code, Visitor: visitor, UserID: userID, At: sh.S.Clock().Now()}); err != nil {
		tb.Fatal(err)
	}
}

func (sh *Shop) funnel(tb testing.TB, code string) *shelf.Funnel {
	tb.Helper()
	now := sh.S.Clock().Now()
	f, err := sh.S.PromoFunnel(context.Background(), shelf.FunnelQuery{ListingID: sh.Listing.ID, Code: code, From: now.AddDate(0, 0, -40), To: now})
	if err != nil {
		tb.Fatal(err)
	}
	return f
}

func testPromoChannels(t *testing.T, open Opener) {
	ctx := context.Background()
	clock := shelf.NewManualClock(time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC))
	sh := NewShop(t, open(t, clock), nil)
	c := sh.NewChannel(t, shelf.PromoTargetBuy, "std-month", "fair-2027")
	if shelf.NormPromoCode(c.Code) != c.Code || c.StatusAt(clock.Now()) != shelf.PromoActive {
		t.Fatalf("channel = %+v", c)
	}
	got, err := sh.S.PromoChannel(ctx, strings.ToLower(c.Code))
	if err != nil || got.ID != c.ID || got.State != "fair-2027" || got.SpecCode != "std-month" {
		t.Fatalf("by lower-case code: %+v, %v", got, err)
	}
	if got, live, err := sh.S.PromoLink(ctx, strings.ToLower(c.Code)); err != nil || !live || got.ID != c.ID {
		t.Fatalf("link: %+v %v %v", got, live, err)
	}
	for _, tc := range []struct {
		n    shelf.NewPromoChannel
		code string
	}{
		{shelf.NewPromoChannel{Name: "x", State: strings.Repeat("s", 129)}, "invalid_channel_state"},
		{shelf.NewPromoChannel{Name: "x", State: "a\nb"}, "invalid_channel_state"},
		{shelf.NewPromoChannel{Name: ""}, "required"},
		{shelf.NewPromoChannel{Name: "x", Target: shelf.PromoTargetBuy, SpecCode: "nope"}, "unknown_spec"},
		{shelf.NewPromoChannel{Name: "x", Target: "elsewhere"}, "invalid_target"},
	} {
		tc.n.ListingID, tc.n.ByUserID = sh.Listing.ID, sh.Partner.ID
		_, err := sh.S.CreatePromoChannel(ctx, tc.n)
		WantCode(t, err, tc.code)
	}
	if list, err := sh.S.PromoChannels(ctx, sh.Listing.ID, shelf.PageReq{}); err != nil || len(list) != 1 {
		t.Fatalf("channels = %v, %v", list, err)
	}

	paused := shelf.PromoPaused
	c, err = sh.S.UpdatePromoChannel(ctx, sh.Listing.ID, c.Code, shelf.PromoPatch{Status: &paused}, sh.Partner.ID)
	if err != nil || c.StatusAt(clock.Now()) != shelf.PromoPaused {
		t.Fatalf("paused: %+v, %v", c, err)
	}
	// Another listing's channel is not found through this one.
	_, err = sh.S.UpdatePromoChannel(ctx, "lst_other", c.Code, shelf.PromoPatch{Status: &paused}, sh.Partner.ID)
	WantKind(t, err, shelf.KindNotFound)
	expired := shelf.PromoExpired
	if c, err = sh.S.UpdatePromoChannel(ctx, sh.Listing.ID, c.Code, shelf.PromoPatch{Status: &expired}, sh.Partner.ID); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Second)
	if c.StatusAt(clock.Now()) != shelf.PromoExpired {
		t.Fatalf("expired: %+v", c)
	}
	active := shelf.PromoActive
	_, err = sh.S.UpdatePromoChannel(ctx, sh.Listing.ID, c.Code, shelf.PromoPatch{Status: &active}, sh.Partner.ID)
	WantCode(t, err, "channel_expired")
}

// eventData decodes the data of the org's first event of a type.
func eventData(t *testing.T, sh *Shop, typ string, v any) {
	t.Helper()
	evs, _, err := sh.S.VendorEvents(context.Background(), sh.App.ID, sh.Customer.ID, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evs {
		if e.Type == typ {
			if err := json.Unmarshal(e.Data, v); err != nil {
				t.Fatal(err)
			}
			return
		}
	}
	t.Fatalf("no %s event", typ)
}

func testPromoAttribution(t *testing.T, open Opener) {
	clock := shelf.NewManualClock(time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC))
	sh := NewShop(t, open(t, clock), nil)
	old := sh.NewChannel(t, shelf.PromoTargetListing, "", "old")
	c := sh.NewChannel(t, shelf.PromoTargetBuy, "std-month", "fair-2027")
	sh.Visit(t, old, "v1", sh.Admin.ID)
	sh.Visit(t, old, "v1", sh.Admin.ID) // the same visitor, the same day: one visit
	clock.Advance(time.Hour)
	sh.Visit(t, c, "v1", sh.Admin.ID) // the last touch wins
	sh.Visit(t, c, "v2", "")
	if _, err := sh.S.StartTrial(context.Background(), sh.Customer.ID, sh.Listing.ID, sh.Admin.ID); err != nil {
		t.Fatal(err)
	}
	var inst shelf.AppInstalled
	eventData(t, sh, shelf.EventAppInstalled, &inst)
	var trial shelf.SubscriptionEventData
	eventData(t, sh, shelf.EventTrialStarted, &trial)
	if inst.Channel != c.Code || inst.State != "fair-2027" || trial.Channel != c.Code || trial.State != "fair-2027" {
		t.Fatalf("installed %+v, trial %+v", inst, trial)
	}
	clock.Advance(24 * time.Hour)
	o := sh.Buy(t, shelf.OrderBuy, "std-month", 10, 1)
	if o.Channel != c.Code {
		t.Fatalf("order channel = %q", o.Channel)
	}
	var paid shelf.OrderEventData
	eventData(t, sh, shelf.EventOrderPaid, &paid)
	if paid.Channel != c.Code || paid.State != "fair-2027" {
		t.Fatalf("order.paid = %+v", paid)
	}
	f := sh.funnel(t, c.Code)
	want := shelf.FunnelDay{Visits: 2, Installs: 1, Trials: 1, Orders: 1, Revenue: o.Amount}
	if f.Total != want || f.Currency != "CNY" || f.Rates.Paid != 0.5 {
		t.Fatalf("funnel of %s: %+v (rates %+v), want %+v", c.Code, f.Total, f.Rates, want)
	}
	if f.Days[len(f.Days)-2].Visits != 2 || f.Days[len(f.Days)-1].Orders != 1 {
		t.Fatalf("by day: %+v", f.Days[len(f.Days)-2:])
	}
	if all := sh.funnel(t, ""); all.Total.Visits != 3 || all.Total.Orders != 1 {
		t.Fatalf("listing funnel: %+v", all.Total)
	}

	// Past the listing's window, a touch no longer attributes.
	if err := sh.S.SetPromoAttributionDays(context.Background(), sh.Listing.ID, 1, sh.Partner.ID); err != nil {
		t.Fatal(err)
	}
	err := sh.S.SetPromoAttributionDays(context.Background(), sh.Listing.ID, 91, sh.Partner.ID)
	WantCode(t, err, "invalid_attribution_days")
	clock.Advance(2 * 24 * time.Hour)
	o2 := sh.Buy(t, shelf.OrderRenew, "std-month", 10, 1)
	if o2.Channel != "" {
		t.Fatalf("renewal after the window: channel %q", o2.Channel)
	}
}

func testPromoNotCounted(t *testing.T, open Opener) {
	ctx := context.Background()
	clock := shelf.NewManualClock(time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC))
	sh := NewShop(t, open(t, clock), nil)
	c := sh.NewChannel(t, shelf.PromoTargetListing, "", "s")
	// The partner's own people: neither their visit nor their touch counts.
	sh.Visit(t, c, "partner", sh.Partner.ID)
	// A test org of the partner: attributed (the vendor hears the code),
	// never counted.
	if _, _, err := sh.S.Install(ctx, shelf.NewInstallation{AppID: sh.App.ID, OrgID: sh.TestOrg.ID, ByUserID: sh.Partner.ID, Channel: c.Code}); err != nil {
		t.Fatal(err)
	}
	insts, err := sh.S.Installations(ctx, sh.TestOrg.ID, shelf.PageReq{})
	if err != nil || len(insts) != 1 || insts[0].Channel != c.Code {
		t.Fatalf("test org installs = %+v, %v", insts, err)
	}
	if f := sh.funnel(t, c.Code); f.Total != (shelf.FunnelDay{}) {
		t.Fatalf("funnel counted the partner: %+v", f.Total)
	}
	// An unknown code on an order is refused.
	req := shelf.OrderRequest{OrgID: sh.Customer.ID, ByUserID: sh.Admin.ID, ListingID: sh.Listing.ID, Type: shelf.OrderBuy, SpecCode: "std-month",
		Users: 5, Periods: 1, Channel: "ZZZZZZZZ"}
	_, err = sh.S.CreateOrder(ctx, req, shelf.Idempotency{Key: "k", Hash: "k"}, orderAnswer)
	WantCode(t, err, "unknown_channel")
}

// testPromoVisitsAtOnce: visits arriving together are committed together,
// each answered once durable; repeats of a visitor count once.
func testPromoVisitsAtOnce(t *testing.T, open Opener) {
	clock := shelf.NewManualClock(time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC))
	sh := NewShop(t, open(t, clock), nil)
	c := sh.NewChannel(t, shelf.PromoTargetListing, "", "")
	var wg sync.WaitGroup
	errs := make(chan error, 200)
	for i := range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- sh.S.RecordPromoVisit(context.Background(), c, shelf.PromoVisit{Code: c.Code, Visitor: fmt.Sprint("v", i%150), At: clock.Now()})
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if f := sh.funnel(t, c.Code); f.Total.Visits != 150 {
		t.Fatalf("visits = %d, want 150", f.Total.Visits)
	}
}

// testPromoOwnChannelOnly: a listing promoted only through its own
// channels is never in the market (search and categories read it), yet
// its channel's link installs and tries it.
func testPromoOwnChannelOnly(t *testing.T, open Opener) {
	ctx := context.Background()
	clock := shelf.NewManualClock(time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC))
	sh := NewShop(t, open(t, clock), func(r *shelf.Revision) { r.PromotionModes = []shelf.PromotionMode{shelf.PromotionOwnChannel} })
	for _, cat := range []string{"", sh.Listing.CategoryID} {
		market, err := sh.S.MarketListings(ctx, cat)
		if err != nil {
			t.Fatal(err)
		}
		for _, li := range market {
			if li.ID == sh.Listing.ID {
				t.Fatalf("own-channel-only listing in the market (category %q)", cat)
			}
		}
	}
	c := sh.NewChannel(t, shelf.PromoTargetTrial, "", "qr-7")
	sh.Visit(t, c, "v", sh.Admin.ID)
	if _, err := sh.S.StartTrial(ctx, sh.Customer.ID, sh.Listing.ID, sh.Admin.ID); err != nil {
		t.Fatal(err)
	}
	if f := sh.funnel(t, c.Code); f.Total.Trials != 1 || f.Total.Installs != 1 {
		t.Fatalf("funnel = %+v", f.Total)
	}
}

// testPromoGroupOrders sends at once orders whose group reads what brought
// each in one statement: a buyer's last touch, a code named (in any case),
// nothing, and codes naming no channel. Each gets what it would alone.
func testPromoGroupOrders(t *testing.T, open Opener) {
	ctx := context.Background()
	clock := shelf.NewManualClock(time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC))
	sh := NewShop(t, open(t, clock), nil)
	old := sh.NewChannel(t, shelf.PromoTargetListing, "", "old")
	c := sh.NewChannel(t, shelf.PromoTargetBuy, "std-month", "fair")
	cases := []struct {
		touched *shelf.PromoChannel // visited signed in
		code    string              // named on the order
		want    string              // the order's channel, or the error code
	}{
		{c, "", c.Code},
		{old, "", old.Code},
		{c, strings.ToLower(old.Code), old.Code},
		{nil, "", ""},
		{nil, "ZZZZZZZZ", "unknown_channel"},
		{nil, "no!", "unknown_channel"},
	}
	fns := make([]func() error, 2*len(cases))
	placed := make([]*shelf.OrderPlaced, len(fns))
	for i := range fns {
		tc := cases[i%len(cases)]
		u := MustUser(t, sh.S, fmt.Sprintf("group-buyer-%d@example.com", i))
		org := MustOrg(t, sh.S, fmt.Sprint("Group buyer ", i), shelf.OrgCustomer, u)
		if tc.touched != nil {
			sh.Visit(t, tc.touched, u.ID, u.ID)
		}
		key := shelf.NewID("key")
		fns[i] = func() (err error) {
			placed[i], err = sh.S.CreateOrder(ctx, shelf.OrderRequest{OrgID: org.ID, ByUserID: u.ID, ListingID: sh.Listing.ID, Type: shelf.OrderBuy,
				SpecCode: "std-month", Users: 5, Periods: 1, Channel: tc.code}, shelf.Idempotency{Key: key, Hash: key}, orderAnswer)
			return err
		}
	}
	errs := together(fns...)
	for i, err := range errs {
		want := cases[i%len(cases)].want
		if want == "unknown_channel" {
			WantCode(t, err, want)
			continue
		}
		if err != nil || placed[i].Order.Channel != want {
			t.Fatalf("order %d: %+v, %v; want channel %q", i, placed[i], err, want)
		}
	}
}

// testPromoRefunds: a refund of an order a channel brought comes off the
// channel's revenue on the day of the refund; refunds of orders it did not
// bring change nothing. The figures are worked by hand: std-month costs
// ¥9.00 a user a month.
func testPromoRefunds(t *testing.T, open Opener) {
	ctx := context.Background()
	clock := shelf.NewManualClock(time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC))
	sh := NewShop(t, open(t, clock), nil)
	c := sh.NewChannel(t, shelf.PromoTargetListing, "", "")
	buy := func(name string, users int, touched bool) *shelf.Order {
		u := MustUser(t, sh.S, name+"@example.com")
		org := MustOrg(t, sh.S, name, shelf.OrgCustomer, u)
		if touched {
			sh.Visit(t, c, name, u.ID)
		}
		key := shelf.NewID("key")
		placed, err := sh.S.CreateOrder(ctx, shelf.OrderRequest{OrgID: org.ID, ByUserID: u.ID, ListingID: sh.Listing.ID, Type: shelf.OrderBuy,
			SpecCode: "std-month", Users: users, Periods: 1}, shelf.Idempotency{Key: key, Hash: key}, orderAnswer)
		if err != nil {
			t.Fatal(err)
		}
		return sh.Pay(t, placed.Order)
	}
	refund := func(o *shelf.Order) {
		if _, err := sh.S.Refund(ctx, o.ID, sh.Admin.ID, "not what we needed"); err != nil {
			t.Fatal(err)
		}
	}
	// 1 March: two orders the channel brought, ¥90.00 and ¥45.00, and one
	// it did not (¥18.00).
	a, b, other := buy("ann", 10, true), buy("bob", 5, true), buy("cat", 2, false)
	if a.Amount != 9000 || b.Amount != 4500 || a.Channel != c.Code || other.Channel != "" {
		t.Fatalf("orders: %+v, %+v, %+v", a, b, other)
	}
	// 3 March: Ann's order and the other are refunded.
	clock.Advance(48 * time.Hour)
	refund(a)
	refund(other)
	f := sh.funnel(t, c.Code)
	days := map[string]shelf.FunnelDay{}
	for _, d := range f.Days {
		days[d.Day] = d
	}
	for _, w := range []shelf.FunnelDay{
		{Day: "2027-03-01", Visits: 2, Installs: 2, Orders: 2, Revenue: 13500}, // paying installs
		{Day: "2027-03-02"},
		{Day: "2027-03-03", Revenue: -9000, Refunds: 1, Refunded: 9000},
	} {
		if got := days[w.Day]; got != w {
			t.Errorf("%s: %+v, want %+v", w.Day, got, w)
		}
	}
	if want := (shelf.FunnelDay{Visits: 2, Installs: 2, Orders: 2, Revenue: 4500, Refunds: 1, Refunded: 9000}); f.Total != want {
		t.Errorf("total %+v, want %+v", f.Total, want)
	}
	// A window that starts after the payments sees only the refund.
	late, err := sh.S.PromoFunnel(ctx, shelf.FunnelQuery{ListingID: sh.Listing.ID, From: clock.Now(), To: clock.Now()})
	if err != nil || late.Total.Revenue != -9000 || late.Total.Refunds != 1 {
		t.Errorf("funnel of 3 March: %+v, %v", late, err)
	}
}
