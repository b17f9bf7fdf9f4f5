package cli

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/shelfhq/shelf/internal/entitlement"
	"github.com/shelfhq/shelf/internal/oidc"
	"github.com/shelfhq/shelf/internal/payment"
	"github.com/shelfhq/shelf/internal/secret"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store"
)

// sweepEvery is how often serve tells vendors what time did to trials and
// terms and cancels unpaid orders. Statuses never wait for it: they are
// computed when read.
const sweepEvery = time.Minute

// idempotencyKeep is how long order idempotency keys are kept: the
// promise is at least a day.
const idempotencyKeep = 48 * time.Hour

// commerce is what selling needs running beside the web server.
type commerce struct {
	cache    *entitlement.Cache
	payments *payment.Providers
	sandbox  *payment.Sandbox
}

// startCommerce starts the entitlement cache's change feed and the
// commerce sweep; the returned func waits for both to stop after ctx ends.
func (m *Main) startCommerce(ctx context.Context, st *store.Store, box *secret.Box, baseURL, payments string, log *slog.Logger) (*commerce, func()) {
	c := &commerce{cache: entitlement.New(st, m.Clock)}
	if payments == "sandbox" {
		c.sandbox = &payment.Sandbox{Key: box.Derive("payments/sandbox"), BaseURL: baseURL, Clock: m.Clock}
		c.payments = payment.NewProviders(c.sandbox, &payment.Manual{})
		log.Warn("payments: the sandbox takes orders without money; use --payments manual (or a real provider) for real sales")
	} else {
		// No sandbox at all: its pay button would give subscriptions away.
		c.payments = payment.NewProviders(&payment.Manual{})
	}
	feedLog := log.With("component", "entitlements")
	fed := make(chan struct{})
	go func() {
		defer close(fed)
		entitlement.Run(ctx, st, c.cache, func(up bool, err error) {
			if err != nil {
				feedLog.Warn("change feed lost: answering from the database until it is back", "err", fmt.Sprint(err))
			}
		})
		<-ctx.Done()
	}()
	swept := make(chan struct{})
	go func() {
		defer close(swept)
		m.sweepCommerce(ctx, st, log.With("component", "commerce"))
	}()
	return c, func() { <-fed; <-swept }
}

func (m *Main) sweepCommerce(ctx context.Context, st *store.Store, log *slog.Logger) {
	tick := time.NewTicker(sweepEvery)
	defer tick.Stop()
	for {
		r, err := st.SweepCommerce(ctx)
		if err != nil && ctx.Err() == nil {
			log.Error("commerce sweep", "err", fmt.Sprint(err))
		} else if r != (store.SweepResult{}) {
			log.Info("commerce sweep", "trials_ending", r.TrialsEnding, "trials_expired", r.TrialsExpired,
				"terms_expired", r.TermsExpired, "terms_changed", r.TermsChanged, "orders_cancelled", r.OrdersCancelled)
		}
		if _, err := st.PruneIdempotencyKeys(ctx, idempotencyKeep.Microseconds()); err != nil && ctx.Err() == nil {
			log.Error("prune idempotency keys", "err", fmt.Sprint(err))
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// startSSO makes Shelf an OpenID provider at baseURL, or explains why not:
// an issuer must be https (or http on loopback, for development).
func (m *Main) startSSO(st *store.Store, box *secret.Box, baseURL string, cache *entitlement.Cache, log *slog.Logger) *oidc.Provider {
	p, err := oidc.New(oidc.Config{Issuer: baseURL, Store: st, SecretKey: box.Derive("oidc"), Clock: m.Clock,
		Entitlements: oidc.EntitlementsFunc(func(ctx context.Context, appID, orgID, userID string) (shelf.Entitlement, error) {
			es, err := cache.Entitlements(ctx, appID, orgID, []string{userID})
			if err != nil {
				return shelf.Entitlement{}, err
			}
			return es[0], nil
		})})
	if err != nil {
		log.Warn("single sign-on is off: "+err.Error(), "base_url", baseURL)
		return nil
	}
	return p
}

// checkPayments accepts the payment setups serve knows.
func checkPayments(v string) error {
	if v != "sandbox" && v != "manual" {
		return fmt.Errorf("--payments: %q: use sandbox or manual", v)
	}
	return nil
}
