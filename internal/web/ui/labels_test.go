package ui

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// eventTypeLiteral finds the event types the domain defines
// (EventAppInstalled = "app.installed").
var eventTypeLiteral = regexp.MustCompile(`\bEvent\w+\s*=\s*"([a-z_]+\.[a-z_]+)"`)

// auditObjectLiteral finds the kinds of object written to the audit log.
var auditObjectLiteral = regexp.MustCompile(`\baudit\(ctx, tx, [^,]+, [^,]+, "([a-z_]+)"`)

// TestLabelsEveryEventTypeNamed: every event type the domain defines has a
// name in both languages, and the events page can filter by it, so the
// delivery log never shows a bare code.
func TestLabelsEveryEventTypeNamed(t *testing.T) {
	types := sourceMatches(t, eventTypeLiteral)
	if len(types) < 20 {
		t.Fatalf("found only %d event types in the source: the pattern no longer matches how they are defined", len(types))
	}
	for typ, file := range types {
		m, ok := catalog["evtype."+typ]
		if !ok {
			t.Errorf("event type %q (%s) has no name evtype.%s in the catalog", typ, file, typ)
			continue
		}
		if m[0] == "" || m[1] == "" || m[0] == m[1] {
			t.Errorf("evtype.%s is not in both languages: %q", typ, m)
		}
		if !slices.Contains(allEventTypes, typ) {
			t.Errorf("event type %q (%s) is missing from the events page's filter (allEventTypes)", typ, file)
		}
	}
}

// TestLabelsEveryAuditObjectNamed: every kind of object the audit log
// records has a name in both languages.
func TestLabelsEveryAuditObjectNamed(t *testing.T) {
	kinds := sourceMatches(t, auditObjectLiteral)
	kinds["membership"] = "store/orgs.go" // auditMember's
	if len(kinds) < 15 {
		t.Fatalf("found only %d audited object kinds in the source", len(kinds))
	}
	for k, file := range kinds {
		if m, ok := catalog["auditobj."+k]; !ok || m[0] == m[1] {
			t.Errorf("audited object kind %q (%s) has no name auditobj.%s in both languages", k, file, k)
		}
	}
}

// rawEnum finds a template printing a field that holds a code (a type,
// kind, state, status, action) as it is.
var rawEnum = regexp.MustCompile(`{{-?\s*[$\w.]*\.(Type|Kind|State|Status|Action|EventType|ObjectType|Role|Priority|Standing|Origin|Source|Field)\s*-?}}`)

// TestLabelsNoRawEnumInTemplates: no template prints a code field as page
// text; it goes through a naming function ({{t (printf "x.%s" .State)}},
// eventName, auditObject, fieldLabel). In an attribute (a class, a form
// value) or a <code> for developers the code is meant.
func TestLabelsNoRawEnumInTemplates(t *testing.T) {
	err := fs.WalkDir(os.DirFS("templates"), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		src, err := os.ReadFile(filepath.Join("templates", path))
		if err != nil {
			return err
		}
		s := string(src)
		for _, loc := range rawEnum.FindAllStringIndex(s, -1) {
			before := s[:loc[0]]
			open, shut := strings.LastIndex(before, "<"), strings.LastIndex(before, ">")
			if open > shut { // inside a tag: an attribute
				continue
			}
			if strings.HasPrefix(before[open:], "<code") {
				continue
			}
			line := strings.Count(before, "\n") + 1
			t.Errorf("templates/%s:%d prints %s as it is: name it in the reader's language", path, line, s[loc[0]:loc[1]])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
