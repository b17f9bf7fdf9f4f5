package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/shelfhq/shelf/internal/shelf"
)

// Submit puts a draft in its category operators' review queue. It needs a
// complete revision and a passing self-test of the app as configured now
// (changing the webhook or launch URL makes an earlier one stale). Checks
// that need the network (links) are the caller's, before this.
func (s *Store) Submit(ctx context.Context, revID, byUserID string) (*shelf.RevisionInfo, error) {
	return s.changeRevision(ctx, revID, fmt.Sprintf("submit revision %s", revID), func(tx *Tx, cur *shelf.RevisionInfo) error {
		next, err := shelf.NextRevisionState(cur.State, shelf.ReviseSubmit)
		if err != nil {
			return err
		}
		if cool, err := isCoolApp(ctx, tx, cur.AppID); err != nil {
			return err
		} else if cool {
			return shelf.ErrCoolAppApplicationRequired() // a draft from before the rule
		}
		if err := cur.CheckComplete(); err != nil {
			return err
		}
		if err := resolveRevision(ctx, tx, cur.OrgID, &cur.Revision); err != nil {
			return err
		}
		if err := shelf.FirstBlocking(shelf.Precheck(&cur.Revision)); err != nil {
			return err
		}
		st, err := latestSelfTest(ctx, tx, s, cur.AppID)
		switch {
		case shelf.ErrorKind(err) == shelf.KindNotFound:
			return selfTestRequired("the app has no self-test yet")
		case err != nil:
			return err
		case !st.Current:
			return selfTestRequired("the app's configuration (webhook, launch or homepage URL) changed since its last self-test")
		case !st.Passed:
			return selfTestRequired("the app's last self-test failed")
		}
		if err := tx.execOne(ctx, `UPDATE revisions SET state = $1, submitted_at = $2, self_test_id = $3, reasons = '', decided_at = NULL, decided_by = '', updated_at = $2
			WHERE id = $4 AND state = $5`, next, micros(tx.Now()), st.ID, revID, cur.State); err != nil {
			return err
		}
		if err := audit(ctx, tx, byUserID, "revision.submit", "revision", revID, nil, map[string]any{"self_test_id": st.ID}, ""); err != nil {
			return err
		}
		return nil
	})
}

func selfTestRequired(why string) error {
	return &shelf.Error{Kind: shelf.KindInvalid, Code: "self_test_required",
		Message: why + ": install the app in one of your test orgs and run a self-test (POST /api/v1/apps/{app}/self-tests) until it passes, then submit again"}
}

// Withdraw takes a submitted revision out of review, back to draft.
func (s *Store) Withdraw(ctx context.Context, revID, byUserID string) (*shelf.RevisionInfo, error) {
	return s.moveRevision(ctx, revID, byUserID, shelf.ReviseWithdraw, "revision.withdraw")
}

func (s *Store) moveRevision(ctx context.Context, revID, byUserID string, action shelf.RevisionAction, auditAction string) (*shelf.RevisionInfo, error) {
	return s.changeRevision(ctx, revID, fmt.Sprintf("%s revision %s", action, revID), func(tx *Tx, cur *shelf.RevisionInfo) error {
		next, err := shelf.NextRevisionState(cur.State, action)
		if err != nil {
			return err
		}
		if err := tx.execOne(ctx, `UPDATE revisions SET state = $1, updated_at = $2 WHERE id = $3 AND state = $4`, next, micros(tx.Now()), revID, cur.State); err != nil {
			return err
		}
		if err := audit(ctx, tx, byUserID, auditAction, "revision", revID, map[string]any{"state": cur.State}, map[string]any{"state": next}, ""); err != nil {
			return err
		}
		return nil
	})
}

// Decide approves or rejects a submitted revision. Approval makes it live
// atomically (the listing's live revision, category and market visibility
// change in the same transaction); either way the partner gets a console
// notice and the app's server an event, and the decision is audited.
// Whether reviewerID may decide in this category is the caller's check.
func (s *Store) Decide(ctx context.Context, revID, reviewerID string, d shelf.ReviewDecision) (*shelf.RevisionInfo, error) {
	if err := d.Check(); err != nil {
		return nil, err
	}
	return s.changeRevision(ctx, revID, fmt.Sprintf("decide revision %s", revID), func(tx *Tx, cur *shelf.RevisionInfo) error {
		action := shelf.ReviseReject
		if d.Approve {
			action = shelf.ReviseApprove
		}
		next, err := shelf.NextRevisionState(cur.State, action)
		if err != nil {
			return err
		}
		reasons, err := json.Marshal(d)
		if err != nil {
			return err
		}
		if err := tx.execOne(ctx, `UPDATE revisions SET state = $1, reasons = $2, decided_at = $3, decided_by = $4, updated_at = $3 WHERE id = $5 AND state = $6`,
			next, string(reasons), micros(tx.Now()), reviewerID, revID, cur.State); err != nil {
			return err
		}
		if d.Approve {
			err = publish(ctx, tx, cur, reviewerID)
		} else {
			err = reject(ctx, tx, cur, reviewerID, d)
		}
		if err != nil {
			return err
		}
		return nil
	})
}

func publish(ctx context.Context, tx *Tx, rev *shelf.RevisionInfo, reviewerID string) error {
	before, err := listingTx(ctx, tx, rev.ListingID)
	if err != nil {
		return err
	}
	state, err := shelf.NextListingState(before.State, shelf.ListingPublish)
	if err != nil {
		return err
	}
	market := slices.Contains(rev.PromotionModes, shelf.PromotionMarket)
	takedown := before.TakedownReason
	if state == shelf.ListingListed {
		takedown = ""
	}
	if err := tx.execOne(ctx, `UPDATE listings SET state = $1, live_revision_id = $2, category_id = $3, market = $4, takedown_reason = $5, updated_at = $6
		WHERE id = $7 AND state = $8`, state, rev.ID, rev.CategoryID, market, takedown, micros(tx.Now()), rev.ListingID, before.State); err != nil {
		return err
	}
	tx.touch(shelf.ChangeListing(rev.ListingID))
	after := before.Listing
	after.State, after.LiveRevisionID, after.TakedownReason = state, rev.ID, takedown
	if err := audit(ctx, tx, reviewerID, "revision.approve", "listing", rev.ListingID, &before.Listing, &after, ""); err != nil {
		return err
	}
	if err := notify(ctx, tx, rev.OrgID, "listing.approved", rev.ID, fmt.Sprintf("「%s」第 %d 版已通过审核并上线 / revision %d of %s was approved and is live", rev.Name, rev.Number, rev.Number, rev.NameEn)); err != nil {
		return err
	}
	_, err = tx.Emit(ctx, rev.AppID, rev.OrgID, shelf.EventListingApproved, shelf.ListingApproved{ListingID: rev.ListingID, RevisionID: rev.ID, ReviewerID: reviewerID})
	return err
}

func reject(ctx context.Context, tx *Tx, rev *shelf.RevisionInfo, reviewerID string, d shelf.ReviewDecision) error {
	var reasons []string
	if d.Reason != "" {
		reasons = append(reasons, d.Reason)
	}
	for _, fr := range d.FieldReasons {
		reasons = append(reasons, fr.Field+": "+fr.Reason)
	}
	if err := audit(ctx, tx, reviewerID, "revision.reject", "revision", rev.ID, map[string]any{"state": rev.State}, d, strings.Join(reasons, "; ")); err != nil {
		return err
	}
	if err := notify(ctx, tx, rev.OrgID, "listing.rejected", rev.ID, fmt.Sprintf("「%s」第 %d 版未通过审核 / revision %d was rejected: %s", rev.Name, rev.Number, rev.Number, strings.Join(reasons, "; "))); err != nil {
		return err
	}
	_, err := tx.Emit(ctx, rev.AppID, rev.OrgID, shelf.EventListingRejected, shelf.ListingRejected{ListingID: rev.ListingID, RevisionID: rev.ID, ReviewerID: reviewerID, Reasons: reasons})
	return err
}

// listingEvents tells the vendor of each listing change.
var listingEvents = map[shelf.ListingAction]string{
	shelf.ListingDelist:   shelf.EventListingDelisted,
	shelf.ListingRelist:   shelf.EventListingRelisted,
	shelf.ListingTakedown: shelf.EventListingTakenDown,
}

// ChangeListing delists or relists (the partner) or takes down (an
// operator) a listing. Delist and takedown need a reason, kept and shown.
// Subscriptions already sold keep running to their end either way.
func (s *Store) ChangeListing(ctx context.Context, listingID, actorID string, action shelf.ListingAction, reason string) (*shelf.ListingInfo, error) {
	if action == shelf.ListingDelist || action == shelf.ListingTakedown {
		if err := shelf.CheckReason("reason", reason); err != nil {
			return nil, err
		}
		reason = strings.TrimSpace(reason)
	}
	err := s.Update(ctx, func(tx *Tx) error {
		before, err := listingTx(ctx, tx, listingID)
		if err != nil {
			return err
		}
		state, err := shelf.NextListingState(before.State, action)
		if err != nil {
			return err
		}
		after := before.Listing
		after.State = state
		switch action {
		case shelf.ListingDelist:
			after.DelistReason = reason
		case shelf.ListingRelist:
			after.DelistReason = ""
		case shelf.ListingTakedown:
			after.TakedownReason = reason
		}
		if err := tx.execOne(ctx, `UPDATE listings SET state = $1, delist_reason = $2, takedown_reason = $3, updated_at = $4 WHERE id = $5 AND state = $6`,
			state, after.DelistReason, after.TakedownReason, micros(tx.Now()), listingID, before.State); err != nil {
			return err
		}
		tx.touch(shelf.ChangeListing(listingID))
		if err := audit(ctx, tx, actorID, "listing."+string(action), "listing", listingID, &before.Listing, &after, reason); err != nil {
			return err
		}
		if action == shelf.ListingTakedown {
			if err := notify(ctx, tx, before.OrgID, "listing.taken_down", listingID, "商品已被平台下架 / the listing was taken down: "+reason); err != nil {
				return err
			}
		}
		_, err = tx.Emit(ctx, before.AppID, before.OrgID, listingEvents[action], shelf.ListingStateChanged{ListingID: listingID, ActorID: actorID, Reason: reason})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("%s listing %s: %w", action, listingID, err)
	}
	return s.Listing(ctx, listingID)
}
