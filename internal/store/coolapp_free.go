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

// checkPartnerInGoodStanding refuses adding a suspended partner's cool app
// to a group: suspension takes its cool apps out of the cool app market,
// and an install by its id must not go round that. Groups that have it
// keep it; the partner's own test orgs (its self-tests) are not refused.
func checkPartnerInGoodStanding(ctx context.Context, tx *Tx, app *shelf.App, org *shelf.Org) error {
	if org.Test && org.OwnerOrgID == app.OrgID {
		return nil
	}
	st, err := partnerStatusTx(ctx, tx, app.OrgID)
	if err != nil {
		return err
	}
	if st.Standing == shelf.StandingSuspended {
		return shelf.FieldError("app_id", "partner_suspended", "the partner of this cool app is suspended from the partner program: it cannot be added to a group until the partner is reinstated")
	}
	return nil
}
