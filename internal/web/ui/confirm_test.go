package ui

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// destructiveVerb names what a form does when its action's last path
// segment, or the value of one of its buttons, is one of these: it loses
// something a person cannot simply take back.
var destructiveVerb = regexp.MustCompile(`^(delete|revoke|rotate|remove|end|delist|archive|uninstall|takedown|cancel|refund|expired?|close|suspend|hide|withdraw|demote)$`)

// notDestructive are the forms that match a verb but are undone with one
// click, each with why: a second step there would only slow people down.
var notDestructive = map[string]string{
	"/tickets/{{$t.ID}}/close":      "a closed ticket shows Reopen for 14 days",
	"/revisions/{{$r.ID}}/withdraw": "a withdrawn revision is a draft again, to resubmit at will",
	"/signin/oidc":                  "its Cancel turns down a sign-in to an app; nothing is lost",
}

var (
	postForm   = regexp.MustCompile(`(?s)<form\b[^>]*\bmethod="post"[^>]*>.*?</form>`)
	formAction = regexp.MustCompile(`\baction="([^"]*)"`)
	buttonVal  = regexp.MustCompile(`<button\b[^>]*\bvalue="([a-z_]+)"`)
)

// TestConfirmEveryDestructiveForm: every form that deletes, revokes,
// rotates, removes, ends, cancels or refunds sits in a confirmation step
// (<details class="confirm">) that says what will happen, so no such
// action is one stray click away (issue 12).
func TestConfirmEveryDestructiveForm(t *testing.T) {
	found := 0
	err := fs.WalkDir(os.DirFS("templates"), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		src, err := os.ReadFile(filepath.Join("templates", path))
		if err != nil {
			return err
		}
		s := string(src)
		for _, loc := range postForm.FindAllStringIndex(s, -1) {
			form := s[loc[0]:loc[1]]
			action := ""
			if m := formAction.FindStringSubmatch(form); m != nil {
				action = m[1]
			}
			verbs := []string{action[strings.LastIndex(action, "/")+1:]}
			for _, m := range buttonVal.FindAllStringSubmatch(form, -1) {
				verbs = append(verbs, m[1])
			}
			if !destructive(verbs) || notDestructive[action] != "" {
				continue
			}
			found++
			before := s[:loc[0]]
			step := strings.LastIndex(before, `<details class="confirm`)
			if step < 0 || strings.Contains(before[step:], "</details>") {
				t.Errorf("templates/%s:%d: the form posting to %s is not inside a <details class=\"confirm\"> step",
					path, strings.Count(before, "\n")+1, action)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found < 12 {
		t.Errorf("found only %d destructive forms: the scan no longer sees them", found)
	}
}

func destructive(verbs []string) bool {
	for _, v := range verbs {
		if destructiveVerb.MatchString(v) {
			return true
		}
	}
	return false
}
