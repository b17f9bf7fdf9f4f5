package ui

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// errorCodeLiterals find the codes an error is made with in the source:
// shelf.Error literals, the domain's constructors, the listing checker and
// the precheck's warnings. A new code written any of these ways is found,
// so it cannot reach a page without a message.
var errorCodeLiterals = []*regexp.Regexp{
	// An error's Code is followed by its Field, Message, Kind or Err (a
	// spec's Code by its Name, which is no error).
	regexp.MustCompile(`Code:\s*"([a-z0-9_]+)"(?:,\s*(?:Field|Message|Kind|Err)\b|\s*[}\n])`),
	regexp.MustCompile(`Errorf\(\s*(?:shelf\.)?Kind\w+,\s*"([a-z0-9_]+)"`),
	regexp.MustCompile(`FieldError\(\s*[^,()]+,\s*"([a-z0-9_]+)"`),
	regexp.MustCompile(`Forbidden\(\s*"([a-z0-9_]+)"`),
	regexp.MustCompile(`\bc\.add\(\s*[^,()]+,\s*"([a-z0-9_]+)"`),
	regexp.MustCompile(`\bwarning\(\s*[^,()]+,\s*"([a-z0-9_]+)"`),
}

// auditActionLiteral finds the actions written to the audit log.
var auditActionLiteral = regexp.MustCompile(`\baudit(?:Member)?\(ctx, tx, [^,]+, "([a-z_]+\.[a-z_]+)"`)

// sourceMatches walks internal/ (tests excluded) and answers each first
// group of the patterns with the file it was first found in.
func sourceMatches(t *testing.T, pats ...*regexp.Regexp) map[string]string {
	t.Helper()
	found := map[string]string{}
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") || strings.Contains(path, "storetest") || strings.Contains(path, "demo") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, p := range pats {
			for _, m := range p.FindAllSubmatch(src, -1) {
				if _, ok := found[string(m[1])]; !ok {
					found[string(m[1])] = path
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// TestQualityErrorCodesInCatalog: every error code the server can return
// has its own message in both languages, so a page says it in the
// reader's language (the JSON API keeps its English messages).
func TestQualityErrorCodesInCatalog(t *testing.T) {
	codes := sourceMatches(t, errorCodeLiterals...)
	if len(codes) < 150 {
		t.Fatalf("found only %d error codes in the source: the patterns no longer match how errors are made", len(codes))
	}
	for code, file := range codes {
		m, ok := catalog["err."+code]
		if !ok {
			t.Errorf("error code %q (%s) has no message err.%s in the catalog", code, file, code)
			continue
		}
		if m[0] == "" || m[1] == "" || m[0] == m[1] {
			t.Errorf("err.%s is not in both languages: %q", code, m)
		}
	}
}

// TestQualityAuditActionsNamed: every audit action has a name in both
// languages, so the audit log and an app's history never show a code.
func TestQualityAuditActionsNamed(t *testing.T) {
	actions := sourceMatches(t, auditActionLiteral)
	if len(actions) < 30 {
		t.Fatalf("found only %d audit actions in the source", len(actions))
	}
	for _, a := range []string{"publish", "delist", "relist", "takedown"} { // "listing." + the listing's action
		actions["listing."+a] = "store/review.go"
	}
	// The cool-app decisions and the partner program's standing changes
	// pass their action in a variable (store/coolapp_decide.go, coolapp_partner.go).
	for _, a := range []string{"coolapp.approve", "coolapp.reject", "partner.approved", "partner.rejected", "partner.suspend", "partner.reinstate"} {
		actions[a] = "store/coolapp_*.go"
	}
	for a, file := range actions {
		if _, ok := catalog["audit."+a]; !ok {
			t.Errorf("audit action %q (%s) has no name audit.%s in the catalog", a, file, a)
		}
	}
}
