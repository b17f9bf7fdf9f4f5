package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
)

// sellable is a listing customers can get now: what its live revision
// sells, and the org that wants it.
type sellable struct {
	appID      string
	specs      []shelf.Spec
	trial      *shelf.Trial
	activation shelf.ActivationOrder
	orgID      string
	orgTest    bool
}

// sellableListing reads, in one query, a listed listing's live terms and
// the org that wants them. Only a listed listing sells, and only to
// customer orgs (a partner's test orgs are customer orgs).
func sellableListing(ctx context.Context, q queryer, listingID, orgID string) (*sellable, error) {
	if tx, ok := q.(*Tx); ok && tx.group != nil && tx.group.reads != nil {
		if sl, err, found := tx.group.reads.sellable(listingID, orgID); found {
			return sl, err
		}
	}
	var row sellableRow
	var kind shelf.OrgKind
	var test bool
	err := q.QueryRowContext(ctx, `SELECT l.app_id, l.state, r.doc, o.kind, o.test FROM listings l
		LEFT JOIN revisions r ON r.id = l.live_revision_id CROSS JOIN orgs o WHERE l.id = $1 AND o.id = $2`, listingID, orgID).
		Scan(&row.appID, &row.state, &row.doc, &kind, &test)
	if errors.Is(err, sql.ErrNoRows) {
		if _, err := orgTx(ctx, q, orgID); err != nil {
			return nil, err
		}
		return nil, shelf.FieldError("listing_id", "listing_unknown", "there is no listing %q", listingID)
	}
	if err != nil {
		return nil, fmt.Errorf("sellable listing: %w", err)
	}
	terms, err := row.terms(listingID)
	if err != nil {
		return nil, err
	}
	return terms.sellTo(orgID, kind, test)
}

// sellableRow is a listing's state and live revision as stored.
type sellableRow struct {
	appID string
	state shelf.ListingState
	doc   sql.NullString
}

// listingTerms are a listing's live selling terms; nil specs with a nil
// error mean the listing is not on sale.
type listingTerms struct {
	appID      string
	onSale     bool
	specs      []shelf.Spec
	trial      *shelf.Trial
	activation shelf.ActivationOrder
}

func (r sellableRow) terms(listingID string) (*listingTerms, error) {
	t := &listingTerms{appID: r.appID, onSale: r.state == shelf.ListingListed && r.doc.Valid}
	if !t.onSale {
		return t, nil
	}
	var doc struct {
		Specs      []shelf.Spec          `json:"specs"`
		Trial      *shelf.Trial          `json:"trial"`
		Activation shelf.ActivationOrder `json:"activation_order"`
	}
	if err := json.Unmarshal([]byte(r.doc.String), &doc); err != nil {
		return nil, fmt.Errorf("live revision of %s: %w", listingID, err)
	}
	t.specs, t.trial, t.activation = doc.Specs, doc.Trial, doc.Activation
	return t, nil
}

// sellTo applies the rules of who may buy: a listed listing, to a
// customer org.
func (t *listingTerms) sellTo(orgID string, kind shelf.OrgKind, test bool) (*sellable, error) {
	if kind != shelf.OrgCustomer {
		return nil, shelf.Forbidden("customer_org_required", "only customer organizations install, try and buy apps")
	}
	if !t.onSale {
		return nil, shelf.FieldError("listing_id", "listing_not_available", "this listing is not on sale")
	}
	return &sellable{appID: t.appID, specs: t.specs, trial: t.trial, activation: t.activation, orgID: orgID, orgTest: test}, nil
}

// freeSpec returns the live revision's free spec, if any.
func (sl *sellable) freeSpec() (shelf.Spec, bool) {
	i := slices.IndexFunc(sl.specs, func(s shelf.Spec) bool { return s.Free })
	if i < 0 {
		return shelf.Spec{}, false
	}
	return sl.specs[i], true
}

// fallback sets the free spec that takes over an ended trial or term
// where the listing's activation order is free_then_paid.
func (sl *sellable) fallback(sub *storedSub) {
	sub.FreeSpec, sub.FreeUsers = "", 0
	if f, ok := sl.freeSpec(); ok && sl.activation == shelf.ActivationFreeThenPaid {
		sub.FreeSpec, sub.FreeUsers = f.Code, f.MaxUsers
	}
}

// ensureInstalled installs the app org-wide (emitting app.installed first in
// its stream) unless it already is.
func ensureInstalled(ctx context.Context, tx *Tx, sl *sellable, byUserID, channel string) error {
	if cool, err := isCoolApp(ctx, tx, sl.appID); err != nil || cool {
		return err // a cool app is installed group by group, by their owners
	}
	_, _, err := install(ctx, tx, shelf.NewInstallation{AppID: sl.appID, OrgID: sl.orgID, ByUserID: byUserID, Channel: channel})
	return err
}

// StartTrial starts the listing's free trial for an org: once per org and
// app ever, for at most the trial's users. It installs the app when it is
// not installed, and tells the vendor trial.started after app.installed.
func (s *Store) StartTrial(ctx context.Context, orgID, listingID, byUserID string) (*shelf.Subscription, error) {
	var out shelf.Subscription
	err := s.Update(ctx, func(tx *Tx) error {
		sl, err := sellableListing(ctx, tx, listingID, orgID)
		if err != nil {
			return err
		}
		if sl.trial == nil {
			return shelf.FieldError("listing_id", "trial_not_offered", "this listing has no trial")
		}
		sub, err := subForUpdate(ctx, tx, orgID, sl.appID)
		if err != nil {
			return err
		}
		if sub != nil && sub.TrialUsed {
			return shelf.Errorf(shelf.KindConflict, "trial_already_used", "this organization already had its trial of this app")
		}
		if sub != nil && sub.At(tx.Now()).Kind == shelf.SubKindPaid && sub.At(tx.Now()).Usable() {
			return shelf.Errorf(shelf.KindConflict, "subscription_active", "this organization already pays for this app")
		}
		if err := ensureInstalled(ctx, tx, sl, byUserID, ""); err != nil {
			return err
		}
		if sub == nil {
			sub = &storedSub{Subscription: shelf.Subscription{ID: shelf.NewID("sub"), OrgID: orgID, AppID: sl.appID}}
		}
		t := sl.trial
		sub.ListingID, sub.Kind, sub.SpecCode, sub.Period, sub.UnitPrice = listingID, shelf.SubKindTrial, "trial", "", 0
		sub.Users, sub.StartsAt, sub.EndsAt, sub.TrialUsed = t.MaxUsers, tx.Now(), tx.Now().Add(time.Duration(t.Days)*24*time.Hour), true
		sub.AnchorDay, sub.Next, sub.CancelledAt, sub.OverLimitSince = tx.Now().Day(), nil, nil, nil
		sl.fallback(sub)
		if err := seatStarter(ctx, tx, sub, byUserID); err != nil {
			return err
		}
		if err := saveSub(ctx, tx, sub); err != nil {
			return err
		}
		if err := audit(ctx, tx, byUserID, "trial.start", "subscription", sub.ID, nil, sub.Subscription, ""); err != nil {
			return err
		}
		out = sub.At(tx.Now())
		data := shelf.SubscriptionEventData{SubscriptionData: sub.SubData(tx.Now()), ByUserID: byUserID}
		touch, err := promoTouch(ctx, tx, micros(tx.Now()), sl.appID, byUserID, "")
		if err != nil {
			return err
		}
		if touch != nil {
			data.Channel, data.State = touch.Code, touch.State
		}
		if err := promoConvert(ctx, tx, touch, "trial", orgID, byUserID, sub.ID, 0, ""); err != nil {
			return err
		}
		if _, err = tx.Emit(ctx, sub.AppID, orgID, shelf.EventTrialStarted, data); err != nil {
			return err
		}
		return trialLead(ctx, tx, listingID, orgID, byUserID, shelf.LeadFromTrial)
	})
	if err != nil {
		return nil, fmt.Errorf("start trial of %s: %w", listingID, err)
	}
	return &out, nil
}

// InstallFree puts an org on the listing's free spec and installs the app.
// An org that already has the app in force keeps what it has.
func (s *Store) InstallFree(ctx context.Context, orgID, listingID, byUserID string) (*shelf.Subscription, error) {
	var out shelf.Subscription
	err := s.Update(ctx, func(tx *Tx) error {
		sl, err := sellableListing(ctx, tx, listingID, orgID)
		if err != nil {
			return err
		}
		free, ok := sl.freeSpec()
		if !ok {
			return shelf.FieldError("listing_id", "free_spec_not_offered", "this listing has no free spec: start a trial or buy")
		}
		sub, err := subForUpdate(ctx, tx, orgID, sl.appID)
		if err != nil {
			return err
		}
		if err := ensureInstalled(ctx, tx, sl, byUserID, ""); err != nil {
			return err
		}
		out, err = startFree(ctx, tx, sub, sl, listingID, free, byUserID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("install free spec of %s: %w", listingID, err)
	}
	return &out, nil
}

// startFree puts the org on the listing's free spec and tells the vendor
// subscription.changed; an org with the app in force (sub usable) keeps
// what it has. sub is the org's subscription read for update, or nil.
func startFree(ctx context.Context, tx *Tx, sub *storedSub, sl *sellable, listingID string, free shelf.Spec, byUserID string) (shelf.Subscription, error) {
	if sub != nil && sub.At(tx.Now()).Usable() {
		return sub.At(tx.Now()), nil
	}
	if sub == nil {
		sub = &storedSub{Subscription: shelf.Subscription{ID: shelf.NewID("sub"), OrgID: sl.orgID, AppID: sl.appID}}
	}
	sub.ListingID, sub.Kind, sub.SpecCode, sub.Period, sub.UnitPrice = listingID, shelf.SubKindFree, free.Code, "", 0
	sub.Users, sub.StartsAt, sub.EndsAt, sub.AnchorDay = free.MaxUsers, tx.Now(), time.Time{}, tx.Now().Day()
	sub.Next, sub.CancelledAt, sub.OverLimitSince, sub.FreeSpec, sub.FreeUsers = nil, nil, nil, "", 0
	if err := seatStarter(ctx, tx, sub, byUserID); err != nil {
		return shelf.Subscription{}, err
	}
	if err := saveSub(ctx, tx, sub); err != nil {
		return shelf.Subscription{}, err
	}
	if err := audit(ctx, tx, byUserID, "subscription.free", "subscription", sub.ID, nil, sub.Subscription, ""); err != nil {
		return shelf.Subscription{}, err
	}
	_, err := tx.Emit(ctx, sub.AppID, sl.orgID, shelf.EventSubscriptionChanged, shelf.SubscriptionEventData{SubscriptionData: sub.SubData(tx.Now()), ByUserID: byUserID})
	return sub.At(tx.Now()), err
}

// seatStarter gives a new trial or free subscription its first seats:
// every member when the licence covers them all, else the admin who
// started it (the others are assigned on the seats page).
func seatStarter(ctx context.Context, tx *Tx, sub *storedSub, byUserID string) error {
	members, err := memberCount(ctx, tx, sub.OrgID)
	if err != nil {
		return err
	}
	if sub.version == 0 {
		// The row must exist before its seats reference it.
		sub.AllMembers = members <= sub.Users
		if sub.AllMembers {
			sub.AssignedSeats = members
		}
		if err := saveSub(ctx, tx, sub); err != nil {
			return err
		}
	}
	if members <= sub.Users {
		sub.AllMembers, sub.AssignedSeats = true, members
		return nil
	}
	sub.AllMembers = false
	if _, err := tx.ExecContext(ctx, `INSERT INTO seats (subscription_id, user_id, assigned_by, assigned_at) VALUES ($1, $2, $2, $3)
		ON CONFLICT (subscription_id, user_id) DO NOTHING`, sub.ID, byUserID, micros(tx.Now())); err != nil {
		return fmt.Errorf("seat %s: %w", byUserID, err)
	}
	return countSeats(ctx, tx, sub)
}

func memberCount(ctx context.Context, q queryer, orgID string) (int, error) {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM memberships WHERE org_id = $1`, orgID).Scan(&n); err != nil {
		return 0, fmt.Errorf("count members: %w", err)
	}
	return n, nil
}

// RequestSeat is a member asking the org's admins for a seat of a listed
// app: a notice to the org (kind seat_request, about the listing, with the
// member's id), at most one a day per member and listing.
func (s *Store) RequestSeat(ctx context.Context, orgID, listingID, userID string) error {
	err := s.Update(ctx, func(tx *Tx) error {
		if _, err := sellableListing(ctx, tx, listingID, orgID); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM notices WHERE org_id = $1 AND kind = 'seat_request' AND object_id = $2
			AND message = $3 AND created_at > $4`, orgID, listingID, userID, micros(tx.Now().Add(-24*time.Hour))).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		return notify(ctx, tx, orgID, "seat_request", listingID, userID)
	})
	if err != nil {
		return fmt.Errorf("request a seat of %s: %w", listingID, err)
	}
	return nil
}
