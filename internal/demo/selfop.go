package demo

import (
	"context"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store"
)

// seedSelfop sets the platform's commission before the demo's first
// order: 15% by default, 20% for the HR category, and a negotiated 10%
// for Evergreen from the first day of next month (shown as upcoming).
func seedSelfop(ctx context.Context, s *store.Store, w *World) error {
	by := w.Users[AdminEmail].ID
	now := s.Clock().Now().UTC()
	next := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, 1, 0)
	rates := []shelf.CommissionRate{
		{Scope: shelf.ScopeDefault, RateBP: 1500},
		{Scope: shelf.ScopePartner, ScopeID: w.Partner2.ID, RateBP: 1000, EffectiveFrom: next},
	}
	if hr, ok := w.Categories["HR"]; ok {
		rates = append(rates, shelf.CommissionRate{Scope: shelf.ScopeCategory, ScopeID: hr.ID, RateBP: 2000})
	}
	for _, r := range rates {
		r.CreatedBy = by
		if _, err := s.SetCommissionRate(ctx, r); err != nil {
			return err
		}
	}
	return nil
}
