package ui

import (
	"io/fs"
	"regexp"
	"testing"

	"github.com/shelfhq/shelf/internal/selftest"
	"github.com/shelfhq/shelf/internal/shelf"
)

var tCall = regexp.MustCompile(`\bt "([^"]+)"`)

// TestCatalogComplete: every key a template uses has both languages, and
// keys built at run time (roles, org kinds) exist too.
func TestCatalogComplete(t *testing.T) {
	used := map[string]bool{"role.admin": true, "role.member": true, "kind.platform": true, "kind.partner": true, "kind.customer": true, "kind.test": true,
		"error.title": true, "error.not_found": true, "auth.signed_out": true, "org.added": true, "org.invited": true, "invite.joined": true, "invite.title": true,
		"console.self_test_ran": true, "editor.saved": true, "editor.submitted": true, "review.approved": true, "review.rejected": true,
		"review.taken_down": true, "console.app": true, "review.revision": true, "market.listing": true}
	for _, st := range []string{"draft", "self_tested", "in_review", "rejected", "listed", "delisted", "taken_down"} {
		used["appstate."+st] = true
	}
	for _, st := range shelf.RevisionStates() {
		used["revstate."+string(st)] = true
	}
	for _, st := range shelf.ListingStates() {
		used["liststate."+string(st)] = true
	}
	for _, c := range []string{selftest.CheckInstall, selftest.CheckGroupInstall, selftest.CheckSignedPing, selftest.CheckSignedInstall, selftest.CheckRejectsForgery, selftest.CheckLaunchURL} {
		used["check."+c] = true
	}
	for _, a := range []shelf.ActivationOrder{shelf.ActivationPaidFirst, shelf.ActivationTrialThenPaid, shelf.ActivationFreeThenPaid} {
		used["activation."+string(a)] = true
	}
	used["severity."+string(shelf.SeverityError)], used["severity."+string(shelf.SeverityWarning)] = true, true
	err := fs.WalkDir(assets, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(assets, path)
		for _, m := range tCall.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = true
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for key := range used {
		m, ok := catalog[key]
		if !ok || m[0] == "" || m[1] == "" {
			t.Errorf("catalog lacks %q in one of the languages", key)
		}
	}
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"/orgs":               "/orgs",
		"/apps/x?type=a&b=c":  "/apps/x?type=a&b=c",
		"//evil.com":          "/",
		"/\t/evil.com":        "/",
		"/\\evil.com":         "/",
		"/%09/evil.com":       "/%09/evil.com",
		"https://evil.com/x":  "/",
		"evil.com":            "/",
		"/\n/evil.com":        "/",
		"":                    "/",
		"///evil.com":         "/",
		"/a//b":               "/a//b",
		"javascript:alert(1)": "/",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}
