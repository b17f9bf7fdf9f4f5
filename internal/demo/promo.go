package demo

import (
	"context"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store"
)

// seedPromo gives the demo promotion channels: Evergreen POS, sold only
// through its own channels, has a store poster landing on buying its
// store spec and a retail fair's code; Skylark Attendance a website link
// landing on its trial.
func seedPromo(ctx context.Context, s *store.Store, w *World) error {
	for _, c := range []struct {
		slug, by string
		n        shelf.NewPromoChannel
	}{
		{"everpos", Partner2Email, shelf.NewPromoChannel{Name: "门店海报 Store poster", Note: "扫码开通青松收银，首月即用", Target: shelf.PromoTargetBuy,
			SpecCode: "pos-month-10", State: "store-poster"}},
		{"everpos", Partner2Email, shelf.NewPromoChannel{Name: "零售展会 Retail fair", Target: shelf.PromoTargetListing, State: "retail-fair"}},
		{"larkattend", PartnerEmail, shelf.NewPromoChannel{Name: "官网 Website", Target: shelf.PromoTargetTrial, State: "website"}},
	} {
		li, err := s.ListingForApp(ctx, w.Apps[c.slug].ID)
		if err != nil {
			return err
		}
		c.n.ListingID, c.n.ByUserID = li.ID, w.Users[c.by].ID
		if _, err := s.CreatePromoChannel(ctx, c.n); err != nil {
			return err
		}
	}
	return nil
}
