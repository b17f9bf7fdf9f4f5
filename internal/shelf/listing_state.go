package shelf

import (
	"strings"
	"unicode/utf8"
)

// RevisionState is where a revision is in review.
type RevisionState string

// The revision states. Approved is final: approval makes the revision live,
// and later edits start a new draft revision while this one keeps selling.
const (
	RevisionDraft     RevisionState = "draft"
	RevisionSubmitted RevisionState = "submitted"
	RevisionApproved  RevisionState = "approved"
	RevisionRejected  RevisionState = "rejected"
)

// RevisionStates lists every revision state, for tables and filters.
func RevisionStates() []RevisionState {
	return []RevisionState{RevisionDraft, RevisionSubmitted, RevisionApproved, RevisionRejected}
}

// RevisionAction is something done to a revision.
type RevisionAction string

// The revision actions: the partner submits, withdraws and edits; a category
// operator approves or rejects.
const (
	ReviseSubmit   RevisionAction = "submit"
	ReviseWithdraw RevisionAction = "withdraw"
	ReviseApprove  RevisionAction = "approve"
	ReviseReject   RevisionAction = "reject"
	ReviseEdit     RevisionAction = "edit"
)

// RevisionActions lists every revision action.
func RevisionActions() []RevisionAction {
	return []RevisionAction{ReviseSubmit, ReviseWithdraw, ReviseApprove, ReviseReject, ReviseEdit}
}

type revisionStep struct {
	from   RevisionState
	action RevisionAction
}

// revisionTransitions is the whole revision state machine: a pair that is
// not here is refused.
var revisionTransitions = map[revisionStep]RevisionState{
	{RevisionDraft, ReviseSubmit}:       RevisionSubmitted,
	{RevisionSubmitted, ReviseWithdraw}: RevisionDraft,
	{RevisionSubmitted, ReviseApprove}:  RevisionApproved,
	{RevisionSubmitted, ReviseReject}:   RevisionRejected,
	{RevisionRejected, ReviseEdit}:      RevisionDraft,
}

// NextRevisionState returns the state a revision in state from reaches by
// action, or a KindConflict error with code invalid_transition naming both.
func NextRevisionState(from RevisionState, action RevisionAction) (RevisionState, error) {
	if to, ok := revisionTransitions[revisionStep{from, action}]; ok {
		return to, nil
	}
	return from, Errorf(KindConflict, "invalid_transition", "cannot %s a revision that is %s", action, from)
}

// ListingState is whether customers can find and buy a listing.
type ListingState string

// The listing states. Unlisted: never approved. Listed: live. Delisted: the
// partner withdrew it (it can relist without review). TakenDown: an operator
// removed it (only an approved revision brings it back).
const (
	ListingUnlisted  ListingState = "unlisted"
	ListingListed    ListingState = "listed"
	ListingDelisted  ListingState = "delisted"
	ListingTakenDown ListingState = "taken_down"
)

// ListingStates lists every listing state.
func ListingStates() []ListingState {
	return []ListingState{ListingUnlisted, ListingListed, ListingDelisted, ListingTakenDown}
}

// ListingAction is something done to a listing.
type ListingAction string

// The listing actions. Publish happens when an operator approves a revision;
// delist and relist are the partner's; takedown is an operator's.
const (
	ListingPublish  ListingAction = "publish"
	ListingDelist   ListingAction = "delist"
	ListingRelist   ListingAction = "relist"
	ListingTakedown ListingAction = "takedown"
)

// ListingActions lists every listing action.
func ListingActions() []ListingAction {
	return []ListingAction{ListingPublish, ListingDelist, ListingRelist, ListingTakedown}
}

type listingStep struct {
	from   ListingState
	action ListingAction
}

// listingTransitions is the whole listing state machine. Publishing on a
// delisted listing replaces its live revision but leaves it delisted: the
// partner delisted on purpose and relists when ready.
var listingTransitions = map[listingStep]ListingState{
	{ListingUnlisted, ListingPublish}:  ListingListed,
	{ListingListed, ListingPublish}:    ListingListed,
	{ListingDelisted, ListingPublish}:  ListingDelisted,
	{ListingTakenDown, ListingPublish}: ListingListed,
	{ListingListed, ListingDelist}:     ListingDelisted,
	{ListingDelisted, ListingRelist}:   ListingListed,
	{ListingListed, ListingTakedown}:   ListingTakenDown,
	{ListingDelisted, ListingTakedown}: ListingTakenDown,
}

// NextListingState returns the state a listing in state from reaches by
// action, or a KindConflict error: relist_requires_review for relisting
// after a takedown (the partner must submit a revision for review),
// invalid_transition otherwise.
func NextListingState(from ListingState, action ListingAction) (ListingState, error) {
	if to, ok := listingTransitions[listingStep{from, action}]; ok {
		return to, nil
	}
	if from == ListingTakenDown && action == ListingRelist {
		return from, Errorf(KindConflict, "relist_requires_review", "the listing was taken down by an operator: submit a revision for review to relist it")
	}
	return from, Errorf(KindConflict, "invalid_transition", "cannot %s a listing that is %s", action, from)
}

// MaxReasonRunes bounds review, delist and takedown reasons.
const MaxReasonRunes = 1000

// ReviewDecision is a category operator's verdict on a submitted revision.
// A rejection must say why, overall or per field, so the partner knows what
// to change.
type ReviewDecision struct {
	Approve      bool          `json:"approve"`
	Reason       string        `json:"reason,omitempty"`
	FieldReasons []FieldReason `json:"field_reasons,omitempty"`
}

// FieldReason is a reviewer's remark on one field (e.g. "specs[1].price").
type FieldReason struct {
	Field  string `json:"field"`
	Reason string `json:"reason"`
}

// Check refuses a rejection without any reason, reasons on fields a
// revision does not have, and overlong texts.
func (d *ReviewDecision) Check() error {
	return d.check(IsRevisionField)
}

// check checks a decision whose field remarks must name fields isField
// knows (a revision's, or a cool-app application's).
func (d *ReviewDecision) check(isField func(string) bool) error {
	var c checker
	d.Reason = strings.TrimSpace(d.Reason)
	if utf8.RuneCountInString(d.Reason) > MaxReasonRunes {
		c.add("reason", "too_long", "reason must have at most %d characters", MaxReasonRunes)
	}
	for i := range d.FieldReasons {
		fr := &d.FieldReasons[i]
		fr.Reason = strings.TrimSpace(fr.Reason)
		f := fieldIndex("field_reasons", i)
		if !isField(fr.Field) {
			c.add(f+".field", "review_field_unknown", "%q is not a field of what is reviewed", fr.Field)
		}
		switch {
		case fr.Reason == "":
			c.add(f+".reason", "required", "a field remark needs a reason")
		case utf8.RuneCountInString(fr.Reason) > MaxReasonRunes:
			c.add(f+".reason", "too_long", "reason must have at most %d characters", MaxReasonRunes)
		}
	}
	if !d.Approve && d.Reason == "" && len(d.FieldReasons) == 0 {
		c.add("reason", "review_reason_required", "a rejection needs a reason, overall or for a field")
	}
	return c.errs.Err()
}

// CheckReason checks a delist or takedown reason: kept for the record and
// shown to the partner, so it must be present and bounded.
func CheckReason(field, s string) error {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return FieldError(field, "reason_required", "a reason is required")
	case utf8.RuneCountInString(s) > MaxReasonRunes:
		return FieldError(field, "too_long", "reason must have at most %d characters", MaxReasonRunes)
	}
	return nil
}

// revisionFields are the top-level fields of a revision a reviewer may
// remark on, in contract order (also the order of Diff).
var revisionFields = []string{
	"name", "name_en", "subtitle", "subtitle_en", "description", "category_id", "tags",
	"support_contact", "privacy_url", "pricing_rule", "specs", "trial", "activation_order",
	"promotion_modes", "icon", "screenshots",
}

// RevisionFields lists the top-level fields a reviewer may remark on, in
// contract order.
func RevisionFields() []string { return append([]string(nil), revisionFields...) }

// IsRevisionField reports whether field names a revision field or a part of
// one ("specs[1].price", "trial.days").
func IsRevisionField(field string) bool {
	top := field
	if i := strings.IndexAny(top, ".["); i >= 0 {
		top = top[:i]
	}
	for _, f := range revisionFields {
		if f == top {
			return true
		}
	}
	return false
}
