package store_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store"
	"github.com/shelfhq/shelf/internal/store/storetest"
)

// BenchmarkPagingFirstPage reads the first page (50 rows, read as 51) of
// the org list, the audit log and the delivery log with 1,000 and with
// 1,000,000 rows in each, on every backend, in one run: the page should
// cost about the same at both sizes. Both sizes are filled first and then
// measured in turns, five rounds, so the machine's load falls on both
// alike (compare the rounds' medians: one round swings with the load of a
// shared machine). Filling a million rows takes minutes, so it runs only with
// SHELF_BENCH_PAGING=1 (docs/benchmarks.md).
func BenchmarkPagingFirstPage(b *testing.B) {
	const pagingBenchRounds = 5
	if os.Getenv("SHELF_BENCH_PAGING") == "" {
		b.Skip("set SHELF_BENCH_PAGING=1 to fill a million rows per list")
	}
	lists := map[string]bool{"orgs": true, "audit": true, "deliveries": true}
	sizes := []int{1000, 1000000}
	for _, backend := range storetest.Backends(b) {
		stores := make([]*store.Store, len(sizes))
		owners := make([]storetest.PagingOwners, len(sizes))
		for i, n := range sizes {
			stores[i], _, owners[i] = pagingStore(b, backend, n, "orgs", "audit", "deliveries")
		}
		for round := range pagingBenchRounds {
			for i, n := range sizes {
				for _, l := range pagingLists {
					if !lists[l.kind] {
						continue
					}
					b.Run(fmt.Sprintf("%s/%s/rows=%d/round=%d", storetest.Name(backend), l.kind, n, round+1), func(b *testing.B) {
						for b.Loop() {
							if rows, err := l.read(context.Background(), stores[i], owners[i], shelf.FirstPage(51)); err != nil || len(rows) != 51 {
								b.Fatalf("%d rows, %v", len(rows), err)
							}
						}
					})
				}
			}
		}
	}
}
