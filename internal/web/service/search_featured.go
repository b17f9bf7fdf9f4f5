package service

import (
	"context"
	"errors"

	"github.com/shelfhq/shelf/internal/shelf"
)

// FeaturedStore keeps the storefront's featured listings; *store.Store
// implements it.
type FeaturedStore interface {
	FeaturedListings(ctx context.Context) ([]shelf.FeaturedListing, error)
	SetFeaturedListings(ctx context.Context, byUserID string, ids []string) ([]shelf.FeaturedListing, error)
}

// Featured is the store's featured listings: the API and the admin page
// both use it.
func (s *Services) Featured() (FeaturedStore, error) {
	if f, ok := s.Store.(FeaturedStore); ok {
		return f, nil
	}
	return nil, errors.New("featured listings: the store keeps none")
}
