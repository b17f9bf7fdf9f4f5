package cli

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/shelfhq/shelf/internal/promolink"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store"
	"github.com/shelfhq/shelf/internal/web/service"
)

// startPromoLinks starts the cache of promotion links (what every scanned
// code reads) in step with the change feed of every node; the returned
// func waits for it to stop after ctx ends.
func (m *Main) startPromoLinks(ctx context.Context, st *store.Store, log *slog.Logger) (service.PromoStore, func()) {
	links := promolink.New(st)
	feedLog := log.With("component", "promo-links")
	done := make(chan struct{})
	go func() {
		defer close(done)
		shelf.FollowChanges(ctx, st, links, func(up bool, err error) {
			if err != nil {
				feedLog.Warn("change feed lost: reading links from the database until it is back", "err", fmt.Sprint(err))
			}
		})
		<-ctx.Done()
	}()
	return service.PromoLinkCached{PromoStore: st, Links: links}, func() { <-done }
}
