package shelf

import "time"

// ChangeFeatured is the change-feed key of the storefront's featured
// listings: every node drops its cached home pages when it hears it.
const ChangeFeatured = "featured"

// MaxFeatured bounds the featured listings: a home page's shelf, not a
// second catalogue.
const MaxFeatured = 12

// FeaturedListing is a listing platform admins put first on the
// storefront's home, at Position (1 first). Only those still live in the
// market (Live) are shown; the others keep their place until an admin
// changes the list.
type FeaturedListing struct {
	ListingID string    `json:"listing_id"`
	Position  int       `json:"position"`
	Name      string    `json:"name"`
	NameEn    string    `json:"name_en"`
	Live      bool      `json:"live"`
	AddedBy   string    `json:"added_by"`
	AddedAt   time.Time `json:"added_at"`
}

// CheckFeatured checks a new list of featured listings, in order: at
// most MaxFeatured, each once. Whether each is live in the market is the
// store's to say (listing_not_in_market).
func CheckFeatured(ids []string) error {
	if len(ids) > MaxFeatured {
		return FieldError("listing_ids", "too_many", "at most %d featured listings, not %d", MaxFeatured, len(ids))
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if id == "" {
			return FieldError("listing_ids", "required", "a listing id may not be empty")
		}
		if seen[id] {
			return FieldError("listing_ids", "duplicate", "listing %s is listed twice", id)
		}
		seen[id] = true
	}
	return nil
}
