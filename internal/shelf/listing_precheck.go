package shelf

import (
	"context"
	"strings"
	"sync"
	"unicode/utf8"
)

// Severity says whether a finding blocks submission.
type Severity string

// The severities: errors block submission, warnings are advice drawn from
// the usual reasons for rejection.
const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
)

// Finding is one result of the pre-submission check, shown in the editor
// next to Field and printed by `shelf listing validate`.
type Finding struct {
	Severity Severity `json:"severity"`
	Field    string   `json:"field"`
	Code     string   `json:"code"`
	Message  string   `json:"message"`
}

// DescriptionAdviceRunes is the length below which a description, though
// acceptable, is usually sent back by reviewers as too thin.
const DescriptionAdviceRunes = 200

// Precheck runs the offline pre-submission checks: PrecheckContent and
// PrecheckMedia. Link checks need the network and are separate (CheckLinks).
func Precheck(r *Revision) []Finding {
	return append(PrecheckContent(r), PrecheckMedia(r)...)
}

// PrecheckContent checks the texts, pricing and promotion: as errors,
// everything CheckComplete refuses; as warnings, what reviewers often
// reject. The listing file uses it alone because its images are files that
// only the CLI can read.
func PrecheckContent(r *Revision) []Finding {
	var out []Finding
	for _, e := range AllErrors(r.CheckComplete()) {
		out = append(out, errorFinding(e))
	}
	out = append(out, textWarnings(r)...)
	out = append(out, specWarnings(r)...)
	out = append(out, englishWarnings(r)...)
	return out
}

// englishWarnings: an English field left empty shows English-speaking
// customers the Chinese text instead. Not an error: a listing for
// Chinese-speaking customers may go live without them.
func englishWarnings(r *Revision) []Finding {
	var out []Finding
	if r.Description != "" && r.DescriptionEn == "" {
		out = append(out, warning("description_en", "english_missing", "description_en is empty: English pages show the Chinese description"))
	}
	for i, s := range r.Specs {
		if s.Name != "" && s.NameEn == "" {
			f := fieldIndex("specs", i) + ".name_en"
			out = append(out, warning(f, "english_missing", f+" is empty: English pages show the Chinese spec name"))
		}
	}
	return out
}

// BlocksSubmission reports whether any finding is an error.
func BlocksSubmission(fs []Finding) bool {
	return FirstBlocking(fs) != nil
}

// FirstBlocking turns the first error finding into the field error that
// refuses a submission; nil when nothing blocks.
func FirstBlocking(fs []Finding) error {
	for _, f := range fs {
		if f.Severity == SeverityError {
			return FieldError(f.Field, f.Code, "%s", f.Message)
		}
	}
	return nil
}

func errorFinding(e *Error) Finding {
	return Finding{Severity: SeverityError, Field: e.Field, Code: e.Code, Message: e.Message}
}

func warning(field, code, msg string) Finding {
	return Finding{Severity: SeverityWarning, Field: field, Code: code, Message: msg}
}

// PrecheckMedia checks the icon (required, square, large enough) and the
// screenshots (advised; 16:9 or 9:16, large enough).
func PrecheckMedia(r *Revision) []Finding {
	var out []Finding
	if r.Icon == nil {
		out = append(out, Finding{Severity: SeverityError, Field: "icon", Code: "icon_required", Message: "an icon is required"})
	} else if err := CheckIcon("icon", r.Icon.ImageInfo); err != nil {
		out = append(out, errorFinding(AllErrors(err)[0]))
	}
	if len(r.Screenshots) == 0 {
		out = append(out, warning("screenshots", "screenshots_missing", "listings without screenshots are usually rejected: add 1 to 6"))
	}
	for i, s := range r.Screenshots {
		if err := CheckScreenshot(fieldIndex("screenshots", i), s.ImageInfo); err != nil {
			out = append(out, errorFinding(AllErrors(err)[0]))
		}
	}
	return out
}

// textWarnings catches texts in the wrong language: the zh fields are what
// Chinese-speaking customers see, the en fields what everyone else sees.
func textWarnings(r *Revision) []Finding {
	var out []Finding
	for _, t := range []struct{ field, s string }{{"name", r.Name}, {"subtitle", r.Subtitle}, {"description", r.Description}} {
		if t.s != "" && !hasHan(t.s) {
			out = append(out, warning(t.field, "text_not_chinese", t.field+" has no Chinese text; Chinese-speaking customers see it"))
		}
	}
	for _, t := range []struct{ field, s string }{{"name_en", r.NameEn}, {"subtitle_en", r.SubtitleEn}, {"description_en", r.DescriptionEn}} {
		if t.s != "" && (hasHan(t.s) || !hasLatin(t.s)) {
			out = append(out, warning(t.field, "text_not_english", t.field+" should be written in English"))
		}
	}
	if n := utf8.RuneCountInString(r.Description); n >= MinDescriptionRunes && n < DescriptionAdviceRunes {
		out = append(out, warning("description", "description_short", "descriptions under 200 characters are often rejected: say who the app is for, what it does and how it is priced"))
	}
	if len(r.Tags) == 0 {
		out = append(out, warning("tags", "tags_missing", "tags help customers find the listing in search"))
	}
	return out
}

// specWarnings: gaps between seat ranges leave seat counts nobody can buy;
// a trial for more users than any spec sells cannot convert.
func specWarnings(r *Revision) []Finding {
	var out []Finding
	last := map[Period]int{}
	maxUsers := 0
	for i, s := range r.Specs {
		if s.Free || !validRange(s) {
			continue
		}
		maxUsers = max(maxUsers, s.MaxUsers)
		if j, ok := last[s.Period]; ok && s.MinUsers > r.Specs[j].MaxUsers+1 {
			out = append(out, warning(fieldIndex("specs", i)+".min_users", "spec_range_gap",
				"no "+string(s.Period)+"ly spec sells "+userRange(Spec{MinUsers: r.Specs[j].MaxUsers + 1, MaxUsers: s.MinUsers - 1})+" users"))
		}
		last[s.Period] = i
	}
	if r.Trial != nil && maxUsers > 0 && r.Trial.MaxUsers > maxUsers {
		out = append(out, warning("trial.max_users", "trial_max_users_above_specs", "the trial allows more users than any spec sells"))
	}
	return out
}

// LinkChecker tells whether a URL answers. The implementation goes through
// the same private-address guard as webhook delivery, so a listing cannot
// make Shelf probe its own network; it may return an *Error whose code then
// becomes the finding's (e.g. a guard's refusal).
type LinkChecker interface {
	CheckLink(ctx context.Context, rawURL string) error
}

// Link is a URL a revision (or its app) shows to customers, and the field it
// comes from.
type Link struct {
	Field string
	URL   string
}

// Links returns the revision's web links to check: the privacy policy and a
// support contact that is a URL. The app's homepage is added by the caller.
func (r *Revision) Links() []Link {
	var out []Link
	if r.PrivacyURL != "" {
		out = append(out, Link{"privacy_url", r.PrivacyURL})
	}
	if strings.Contains(r.SupportContact, "://") {
		out = append(out, Link{"support_contact", r.SupportContact})
	}
	return out
}

// CheckLinks checks the links concurrently and returns an error finding
// (code link_unreachable unless the checker's *Error says otherwise) for
// each that does not answer, in the order given.
func CheckLinks(ctx context.Context, lc LinkChecker, links []Link) []Finding {
	errs := make([]error, len(links))
	var wg sync.WaitGroup
	for i, l := range links {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = lc.CheckLink(ctx, l.URL)
		}()
	}
	wg.Wait()
	var out []Finding
	for i, err := range errs {
		if err == nil {
			continue
		}
		f := Finding{Severity: SeverityError, Field: links[i].Field, Code: "link_unreachable", Message: links[i].URL + " does not answer: " + err.Error()}
		if e, ok := AsError(err); ok && e.Code != "" {
			f.Code = e.Code
		}
		out = append(out, f)
	}
	return out
}
