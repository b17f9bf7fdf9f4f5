package store_test

import (
	"sort"
	"testing"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store"
	"github.com/shelfhq/shelf/internal/store/storetest"
)

// TestContract runs the storage contract suite on every backend.
func TestContract(t *testing.T) {
	contract := storetest.Contract()
	var names []string
	for n := range contract {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, backend := range storetest.Backends(t) {
		t.Run(storetest.Name(backend), func(t *testing.T) {
			open := func(t *testing.T, clock shelf.Clock) *store.Store { return storetest.Open(t, backend, clock) }
			for _, n := range names {
				t.Run(n, func(t *testing.T) {
					t.Parallel()
					contract[n](t, open)
				})
			}
		})
	}
}
