package shelf

import "strings"

// Keys of the change feed (Store.OnChange, Store.ListenChanges) beside the
// org ids that commerce caches hear: a listing whose market presence or
// live content changed, and the category tree. Caches of the market (its
// search index, its cached pages) refresh from them on every node.
const (
	changeListingPrefix = "listing:"
	ChangeCategories    = "categories"
)

// ChangeListing is the change-feed key of a listing.
func ChangeListing(id string) string { return changeListingPrefix + id }

// ChangedListing returns the listing a change-feed key names, if it does.
func ChangedListing(key string) (string, bool) {
	return strings.CutPrefix(key, changeListingPrefix)
}
