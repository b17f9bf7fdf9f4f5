package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/shelfhq/shelf/internal/shelf"
)

// coolFreeLicense gives an org that installs a free cool app (its live
// listing has a free spec) into one of its groups what a free install of
// an org app gives (InstallFree): the free spec as the org's subscription,
// so the entitlement check answers valid for the members it covers. An
// org with the app in force keeps what it has. A paid cool app needs the
// org's subscription before it gets here (checkCoolSubscription); an app
// not on sale (a partner's self-test before listing) gets no licence.
func coolFreeLicense(ctx context.Context, tx *Tx, appID, orgID, byUserID string) error {
	var listingID string
	var state shelf.ListingState
	err := tx.QueryRowContext(ctx, `SELECT id, state FROM listings WHERE app_id = $1`, appID).Scan(&listingID, &state)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && state != shelf.ListingListed) {
		return nil
	}
	if err != nil {
		return err
	}
	sl, err := sellableListing(ctx, tx, listingID, orgID)
	if err != nil {
		return err
	}
	free, ok := sl.freeSpec()
	if !ok {
		return nil
	}
	sub, err := subForUpdate(ctx, tx, orgID, appID)
	if err != nil {
		return err
	}
	_, err = startFree(ctx, tx, sub, sl, listingID, free, byUserID)
	return err
}
