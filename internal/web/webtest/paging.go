package webtest

import (
	"context"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store/storetest"
)

// PagingOwners are the demo rows generated list rows hang from (see
// storetest.PagingFill): the person with that email (who joins the
// generated orgs and groups), the customer org, partner 1, and partner 1's
// first app with a live listing and that listing.
func (f *Fixture) PagingOwners(email string) storetest.PagingOwners {
	f.T.Helper()
	o := storetest.PagingOwners{UserID: f.World.Users[email].ID, OrgID: f.World.Customer.ID, PartnerID: f.World.Partner1.ID}
	for _, a := range f.World.Apps {
		if a.OrgID != o.PartnerID || (o.AppID != "" && a.ID > o.AppID) {
			continue
		}
		if li, err := f.Store.ListingForApp(context.Background(), a.ID); err == nil && li.State == shelf.ListingListed {
			o.AppID, o.ListingID = a.ID, li.ID
		}
	}
	if o.ListingID == "" || o.UserID == "" {
		f.T.Fatalf("no user %s, or partner 1 has no live listing", email)
	}
	return o
}
