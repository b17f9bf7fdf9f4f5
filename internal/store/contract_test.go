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
	var names []string
	for n := range storetest.Contract {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, backend := range storetest.Backends(t) {
		t.Run(storetest.Name(backend), func(t *testing.T) {
			open := func(t *testing.T, clock shelf.Clock) *store.Store { return storetest.Open(t, backend, clock) }
			for _, n := range names {
				t.Run(n, func(t *testing.T) {
					t.Parallel()
					storetest.Contract[n](t, open)
				})
			}
		})
	}
}
