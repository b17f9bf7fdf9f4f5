package entitlement_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/entitlement"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store"
	"github.com/shelfhq/shelf/internal/store/storetest"
)

// counting wraps the real store and counts the reads that reach it; hook,
// when set, runs in the middle of a license read (a change committing while
// the read is under way).
type counting struct {
	*store.Store
	licenses, grants atomic.Int64
	hook             func()
}

func (c *counting) License(ctx context.Context, appID, orgID string) (*shelf.License, error) {
	c.licenses.Add(1)
	l, err := c.Store.License(ctx, appID, orgID)
	if c.hook != nil {
		c.hook()
	}
	return l, err
}

func (c *counting) VendorTokenGrant(ctx context.Context, access string) (*shelf.TokenGrant, error) {
	c.grants.Add(1)
	return c.Store.VendorTokenGrant(ctx, access)
}

func status(t *testing.T, c *entitlement.Cache, sh *storetest.Shop, user string) shelf.EntitlementStatus {
	t.Helper()
	es, err := c.Entitlements(context.Background(), sh.App.ID, sh.Customer.ID, []string{user})
	if err != nil {
		t.Fatal(err)
	}
	return es[0].Status
}

// paidShop is a shop whose customer bought 5 seats; the member holds none.
func paidShop(t *testing.T, s *store.Store) *storetest.Shop {
	sh := storetest.NewShop(t, s, nil)
	sh.Buy(t, shelf.OrderBuy, "std-month", 5, 1)
	if _, err := s.SetSeats(context.Background(), sh.Customer.ID, sh.App.ID, shelf.SeatsChange{UserIDs: []string{sh.Admin.ID}, ByUserID: sh.Admin.ID}); err != nil {
		t.Fatal(err)
	}
	return sh
}

func TestChangesOnThisNodeTakeEffectAtOnce(t *testing.T) {
	for _, backend := range storetest.Backends(t) {
		t.Run(storetest.Name(backend), func(t *testing.T) {
			ctx := context.Background()
			s := storetest.Open(t, backend, nil)
			sh := paidShop(t, s)
			src := &counting{Store: s}
			c := entitlement.New(src, s.Clock())
			s.OnChange(func(orgs []string) { c.Changed(orgs...) })
			c.Listening(true)

			for range 3 {
				if got := status(t, c, sh, sh.Member.ID); got != shelf.EntNotInScope {
					t.Fatalf("member without a seat: %s", got)
				}
			}
			if n := src.licenses.Load(); n != 1 {
				t.Fatalf("three answers read the license %d times, want once", n)
			}
			if _, err := s.SetSeats(ctx, sh.Customer.ID, sh.App.ID, shelf.SeatsChange{UserIDs: []string{sh.Admin.ID, sh.Member.ID}, ByUserID: sh.Admin.ID}); err != nil {
				t.Fatal(err)
			}
			if got := status(t, c, sh, sh.Member.ID); got != shelf.EntValid {
				t.Fatalf("right after the seat was given: %s", got)
			}
			if err := s.RemoveMember(ctx, sh.Customer.ID, sh.Member.ID, sh.Admin.ID); err != nil {
				t.Fatal(err)
			}
			if got := status(t, c, sh, sh.Member.ID); got != shelf.EntNotInScope {
				t.Fatalf("right after the member left: %s", got)
			}
		})
	}
}

func TestRevokedTokensStopAtOnce(t *testing.T) {
	for _, backend := range storetest.Backends(t) {
		t.Run(storetest.Name(backend), func(t *testing.T) {
			ctx := context.Background()
			s := storetest.Open(t, backend, nil)
			sh := paidShop(t, s)
			tok := vendorToken(t, s, sh)
			src := &counting{Store: s}
			c := entitlement.New(src, s.Clock())
			s.OnChange(func(orgs []string) { c.Changed(orgs...) })
			c.Listening(true)
			for range 3 {
				if g, err := c.Grant(ctx, tok.AccessToken); err != nil || g.OrgID != sh.Customer.ID || g.AppID != sh.App.ID {
					t.Fatalf("grant = %+v, %v", g, err)
				}
			}
			if n := src.grants.Load(); n != 1 {
				t.Fatalf("three lookups read the token %d times, want once", n)
			}
			insts, err := s.Installations(ctx, sh.Customer.ID, shelf.PageReq{})
			if err != nil || len(insts) != 1 {
				t.Fatalf("installations = %v, %v", insts, err)
			}
			if err := s.Uninstall(ctx, insts[0].ID, sh.Admin.ID); err != nil {
				t.Fatal(err)
			}
			_, err = c.Grant(ctx, tok.AccessToken)
			storetest.WantCode(t, err, "invalid_token")
		})
	}
}

// vendorToken gets an org token the way a vendor does: the install code
// from app.installed, exchanged.
func vendorToken(t *testing.T, s *store.Store, sh *storetest.Shop) *shelf.VendorToken {
	t.Helper()
	code := storetest.InstallCode(t, s, sh.App.ID, sh.Customer.ID)
	tok, err := s.ExchangeInstallCode(context.Background(), sh.App.ID, code)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestNothingKeptWhileTheFeedIsDown(t *testing.T) {
	s := storetest.Open(t, storetest.SQLite, nil)
	sh := paidShop(t, s)
	src := &counting{Store: s}
	c := entitlement.New(src, s.Clock())
	for range 3 {
		status(t, c, sh, sh.Admin.ID)
	}
	c.Listening(true)
	status(t, c, sh, sh.Admin.ID)
	status(t, c, sh, sh.Admin.ID)
	c.Listening(false)
	status(t, c, sh, sh.Admin.ID)
	if n := src.licenses.Load(); n != 5 {
		t.Fatalf("license read %d times, want 3 (feed down) + 1 (kept) + 1 (feed down again)", n)
	}
}

// A change that commits while a license is being read must not leave the
// older read in the cache.
func TestReadRacingAChangeIsNotKept(t *testing.T) {
	s := storetest.Open(t, storetest.SQLite, nil)
	sh := paidShop(t, s)
	src := &counting{Store: s}
	c := entitlement.New(src, s.Clock())
	c.Listening(true)
	src.hook = func() { c.Changed(sh.Customer.ID) }
	status(t, c, sh, sh.Admin.ID)
	src.hook = nil
	status(t, c, sh, sh.Admin.ID)
	status(t, c, sh, sh.Admin.ID)
	if n := src.licenses.Load(); n != 2 {
		t.Fatalf("license read %d times, want 2: the raced read is not kept, the next one is", n)
	}
}

// Two nodes on one PostgreSQL: a change made on one reaches the other's
// cache through the change feed.
func TestChangesOnAnotherNode(t *testing.T) {
	if storetest.Backends(t)[len(storetest.Backends(t))-1] != storetest.Postgres {
		t.Skip("needs PostgreSQL (scripts/test.sh provides it)")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dsn := storetest.DSN(t, storetest.Postgres)
	a, b := storetest.OpenDSN(t, dsn, nil), storetest.OpenDSN(t, dsn, nil)
	sh := paidShop(t, b)
	c := entitlement.New(a, a.Clock())
	up := make(chan struct{}, 1)
	go entitlement.Run(ctx, a, c, func(listening bool, err error) {
		if listening {
			up <- struct{}{}
		}
	})
	<-up
	if got := status(t, c, sh, sh.Member.ID); got != shelf.EntNotInScope {
		t.Fatalf("before: %s", got)
	}
	if _, err := b.SetSeats(ctx, sh.Customer.ID, sh.App.ID, shelf.SeatsChange{AllMembers: true, ByUserID: sh.Admin.ID}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for status(t, c, sh, sh.Member.ID) != shelf.EntValid {
		if time.Now().After(deadline) {
			t.Fatal("node A still answers from before node B's change")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
