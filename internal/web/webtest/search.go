package webtest

import "context"

// SearchListingID is the id of the listing of the demo app named by its
// slug (demoApps), e.g. "larkattend".
func (f *Fixture) SearchListingID(slug string) string {
	f.T.Helper()
	li, err := f.Store.ListingForApp(context.Background(), f.World.Apps[slug].ID)
	if err != nil {
		f.T.Fatal(err)
	}
	return li.ID
}
