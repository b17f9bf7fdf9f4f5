package shelf

import (
	"strings"
	"testing"
)

// TestRevisionTransitions covers every (state, action) pair: the ones in
// want succeed with the given target, every other pair is a conflict.
func TestRevisionTransitions(t *testing.T) {
	want := map[RevisionState]map[RevisionAction]RevisionState{
		RevisionDraft:     {ReviseSubmit: RevisionSubmitted},
		RevisionSubmitted: {ReviseWithdraw: RevisionDraft, ReviseApprove: RevisionApproved, ReviseReject: RevisionRejected},
		RevisionRejected:  {ReviseEdit: RevisionDraft},
		RevisionApproved:  {},
	}
	for _, from := range RevisionStates() {
		for _, action := range RevisionActions() {
			to, err := NextRevisionState(from, action)
			exp, ok := want[from][action]
			name := string(from) + "+" + string(action)
			if ok {
				if err != nil || to != exp {
					t.Errorf("%s: got %s, %v; want %s", name, to, err, exp)
				}
				continue
			}
			e, isErr := AsError(err)
			if !isErr || e.Kind != KindConflict || e.Code != "invalid_transition" {
				t.Errorf("%s: got %s, %v; want conflict invalid_transition", name, to, err)
				continue
			}
			if to != from || !strings.Contains(e.Message, string(from)) || !strings.Contains(e.Message, string(action)) {
				t.Errorf("%s: error %q must name state and action and keep the state", name, e.Message)
			}
		}
	}
}

func TestListingTransitions(t *testing.T) {
	type out struct {
		to   ListingState
		code string // "" when allowed
	}
	bad := out{code: "invalid_transition"}
	want := map[ListingState]map[ListingAction]out{
		ListingUnlisted: {
			ListingPublish: {to: ListingListed}, ListingDelist: bad, ListingRelist: bad, ListingTakedown: bad,
		},
		ListingListed: {
			ListingPublish: {to: ListingListed}, ListingDelist: {to: ListingDelisted}, ListingRelist: bad, ListingTakedown: {to: ListingTakenDown},
		},
		ListingDelisted: {
			ListingPublish: {to: ListingDelisted}, ListingDelist: bad, ListingRelist: {to: ListingListed}, ListingTakedown: {to: ListingTakenDown},
		},
		ListingTakenDown: {
			ListingPublish: {to: ListingListed}, ListingDelist: bad, ListingRelist: {code: "relist_requires_review"}, ListingTakedown: bad,
		},
	}
	for _, from := range ListingStates() {
		for _, action := range ListingActions() {
			exp, ok := want[from][action]
			if !ok {
				t.Fatalf("table misses %s+%s", from, action)
			}
			to, err := NextListingState(from, action)
			name := string(from) + "+" + string(action)
			if exp.code == "" {
				if err != nil || to != exp.to {
					t.Errorf("%s: got %s, %v; want %s", name, to, err, exp.to)
				}
				continue
			}
			e, isErr := AsError(err)
			if !isErr || e.Kind != KindConflict || e.Code != exp.code || to != from {
				t.Errorf("%s: got %s, %v; want conflict %s", name, to, err, exp.code)
			}
		}
	}
}

func TestUnknownStatesAndActions(t *testing.T) {
	if _, err := NextRevisionState("archived", ReviseSubmit); ErrorKind(err) != KindConflict {
		t.Errorf("unknown revision state: %v", err)
	}
	if _, err := NextListingState(ListingListed, "explode"); ErrorKind(err) != KindConflict {
		t.Errorf("unknown listing action: %v", err)
	}
}

func TestReviewDecision(t *testing.T) {
	for _, tc := range []struct {
		name        string
		d           ReviewDecision
		field, code string
	}{
		{"approve without reason", ReviewDecision{Approve: true}, "", ""},
		{"reject with overall reason", ReviewDecision{Reason: "截图与产品不符"}, "", ""},
		{"reject with field reason", ReviewDecision{FieldReasons: []FieldReason{{Field: "specs[1].price", Reason: "价格过高"}}}, "", ""},
		{"reject without reason", ReviewDecision{Reason: "  "}, "reason", "review_reason_required"},
		{"unknown field", ReviewDecision{FieldReasons: []FieldReason{{Field: "colour", Reason: "x"}}}, "field_reasons[0].field", "review_field_unknown"},
		{"empty field reason", ReviewDecision{FieldReasons: []FieldReason{{Field: "name", Reason: ""}}}, "field_reasons[0].reason", "required"},
		{"reason too long", ReviewDecision{Reason: strings.Repeat("长", MaxReasonRunes+1)}, "reason", "too_long"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.d.Check()
			if tc.code == "" {
				if err != nil {
					t.Errorf("refused: %v", err)
				}
				return
			}
			checkFirst(t, "Check", err, tc.field, tc.code)
		})
	}
}

func TestCheckReason(t *testing.T) {
	if err := CheckReason("reason", "停止运营"); err != nil {
		t.Error(err)
	}
	checkFirst(t, "CheckReason", CheckReason("reason", " "), "reason", "reason_required")
	checkFirst(t, "CheckReason", CheckReason("reason", strings.Repeat("x", MaxReasonRunes+1)), "reason", "too_long")
}
