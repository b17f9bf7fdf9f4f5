package ui_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/web/ui"
	"github.com/shelfhq/shelf/internal/web/webtest"
)

// TestEditorLiveValidation: the editor's live check reports each field's
// problem without saving anything.
func TestEditorLiveValidation(t *testing.T) {
	f := webtest.New(t)
	rev := f.RevisionIn("draft")
	b := f.Browser()
	b.SignIn(demo.PartnerEmail)
	status, page, _ := b.Get("/revisions/" + rev.ID + "/edit")
	if status != 200 || !strings.Contains(page, "listing-editor") {
		t.Fatalf("editor = %d", status)
	}
	form := url.Values{"csrf_token": {webtest.CSRFOf(t, page)}, "name": {"云考勤"}, "trial_days": {"200"}, "trial_max_users": {"5"},
		"activation_order": {"trial_then_free"}, "spec_code": {"a", "b"}, "spec_name": {"A", "B"}, "spec_min": {"1", "5"},
		"spec_max": {"10", "50"}, "spec_period": {"month", "month"}, "spec_price": {"1", "2"}}
	// The messages and the labels are in the reader's language: no code
	// or field key reaches the page.
	for _, tc := range []struct{ lang, trialDays, activation, label string }{
		{"zh-CN", "试用天数", "开通方式", "试用"},
		{"en", "trial", "activation order", "Trial"},
	} {
		status, body, _ := b.Post("/revisions/"+rev.ID+"/validate?lang="+tc.lang, form)
		var res ui.Validation
		if err := json.Unmarshal([]byte(body), &res); err != nil || status != 200 {
			t.Fatalf("validate = %d %s", status, body)
		}
		for field, want := range map[string]string{"trial.days": tc.trialDays, "activation_order": tc.activation, "specs[1].min_users": ""} {
			if msg, ok := res.Errors[field]; !ok || !strings.Contains(strings.ToLower(msg), strings.ToLower(want)) || strings.Contains(msg, "_") {
				t.Errorf("%s: errors[%s] = %q (all: %v)", tc.lang, field, msg, res.Errors)
			}
		}
		if l := res.Labels["trial.days"]; !strings.Contains(l, tc.label) {
			t.Errorf("%s: label of trial.days = %q", tc.lang, l)
		}
		for _, fd := range res.Findings {
			if fd.Label == "" || fd.Text == "" || strings.Contains(fd.Text, "_") {
				t.Errorf("%s: finding %+v is not in words", tc.lang, fd)
			}
		}
	}
	if got, _ := f.Store.Revision(t.Context(), rev.ID); got.Trial.Days != 15 {
		t.Fatalf("the live check saved: trial days = %d", got.Trial.Days)
	}
}
