package api_test

import (
	"strings"
	"testing"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/web/webtest"
)

// TestRevisionReadOnlyFieldsRefused: a revision's read-only fields are
// unknown in a request body, like any other field it does not take.
func TestRevisionReadOnlyFieldsRefused(t *testing.T) {
	f := webtest.New(t)
	rev := f.RevisionIn("draft")
	p := map[string]string{"rev": rev.ID}
	for _, field := range []string{"id", "state", "listing_id", "created_at", "updated_at"} {
		before := f.Counts()
		r := f.Call(demo.PartnerEmail, "PUT", "/api/v1/revisions/{rev}", p, map[string]any{"name": "钉钉考勤", field: "x"})
		if code, got := r.ErrCode(t); r.Status != 400 || code != "unknown_field" || got != field {
			t.Errorf("%s: %d %s %s", field, r.Status, code, got)
		}
		if changed := before.Changed(f.Counts()); len(changed) > 0 {
			t.Errorf("%s: changed %v", field, changed)
		}
	}
}

// TestWrongTypeNamesTheJSONType: a body of the wrong type says what JSON
// type was expected, never a Go type.
func TestWrongTypeNamesTheJSONType(t *testing.T) {
	f := webtest.New(t)
	r := f.Call(demo.CustomerEmail, "POST", "/api/v1/orgs", nil, `"acme"`)
	if r.Status != 400 || !strings.Contains(string(r.Body), "must be an object, not a string") || strings.Contains(string(r.Body), "Request") {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
}
