package shelf

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestFieldErrorsFirstIsReported(t *testing.T) {
	es := FieldErrors{
		FieldError("specs[1].max_users", "spec_range_invalid", "max_users must be ≥ min_users"),
		FieldError("activation_order", "activation_order_unsupported", "no"),
	}
	err := fmt.Errorf("save revision rev_1: %w", es.Err())
	e, ok := AsError(err)
	if !ok || e.Code != "spec_range_invalid" || e.Field != "specs[1].max_users" {
		t.Errorf("AsError = %+v, %v", e, ok)
	}
	if got := AllErrors(err); len(got) != 2 || got[1].Code != "activation_order_unsupported" {
		t.Errorf("AllErrors = %v", got)
	}
	if !errors.Is(err, es[1]) {
		t.Error("errors.Is must find every error")
	}
	if got, want := es.Error(), "specs[1].max_users: max_users must be ≥ min_users; activation_order: no"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if (FieldErrors{}).Err() != nil {
		t.Error("an empty list must be a nil error")
	}
	if got := AllErrors(NotFound("listing")); len(got) != 1 || got[0].Code != "not_found" {
		t.Errorf("AllErrors(single) = %v", got)
	}
	if AllErrors(errors.New("x")) != nil {
		t.Error("foreign errors carry no *Error")
	}
}

// TestRevisionJSONContract pins the API field names of issue 4.
func TestRevisionJSONContract(t *testing.T) {
	b, err := json.Marshal(validRevision())
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	want := []string{"activation_order", "category_id", "description", "description_en", "name", "name_en", "pricing_rule", "privacy_url",
		"promotion_modes", "specs", "subtitle", "subtitle_en", "support_contact", "tags", "trial"}
	if strings.Join(keys, ",") != strings.Join(want, ",") {
		t.Errorf("revision keys %v, want %v", keys, want)
	}
	var specs []map[string]any
	if err := json.Unmarshal(m["specs"], &specs); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"code", "name", "min_users", "max_users", "price", "free"} {
		if _, ok := specs[0][k]; !ok {
			t.Errorf("free spec lacks %q: %v", k, specs[0])
		}
	}
	for _, k := range []string{"code", "name", "min_users", "max_users", "period", "price", "currency"} {
		if _, ok := specs[1][k]; !ok {
			t.Errorf("paid spec lacks %q: %v", k, specs[1])
		}
	}
	var back Revision
	if err := json.Unmarshal(b, &back); err != nil || len(Diff(validRevision(), &back)) != 0 {
		t.Errorf("round trip: %v %v", err, Diff(validRevision(), &back))
	}
}
