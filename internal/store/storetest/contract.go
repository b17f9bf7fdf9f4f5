package storetest

import (
	"testing"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store"
)

// Opener returns a fresh migrated store driven by clock (nil: system clock).
type Opener func(t *testing.T, clock shelf.Clock) *store.Store

// Contract is the storage contract: every backend must pass every test.
// Each area of the domain contributes its own table.
func Contract() map[string]func(t *testing.T, open Opener) {
	out := map[string]func(t *testing.T, open Opener){}
	for _, area := range []map[string]func(t *testing.T, open Opener){
		identityContract,
		auditContract,
		listingsContract,
		racesContract,
		eventsContract,
		commerceContract,
		oidcContract,
		promoContract,
		searchContract,
		settlementContract,
		coolContract,
		leadsContract,
		ticketsContract,
		pagingContract,
	} {
		for name, fn := range area {
			out[name] = fn
		}
	}
	return out
}
