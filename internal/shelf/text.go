package shelf

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// One-line text (names of apps, orgs, groups, categories, people, tokens
// and specs; a listing's name and subtitle; tags) follows one rule, so a
// name reads the same in every list, log line and notification:
//
//   - valid UTF-8;
//   - no control characters (C0, DEL, C1 such as U+0085, tab), no line or
//     paragraph separators (U+2028, U+2029), no bidirectional formatting
//     characters (U+202A–U+202E overrides and embeddings, U+2066–U+2069
//     isolates, U+200E/U+200F/U+061C marks: they reorder what follows, so
//     "gpj.exe" can show as "exe.jpg"), no byte-order mark, no
//     noncharacters, no private-use characters;
//   - after trimming white space and invisible characters at both ends,
//     at least one letter, digit, punctuation mark or symbol: a name made
//     only of spaces or zero-width characters is empty.
//
// Zero-width joiners inside a name stay allowed: emoji sequences and
// several scripts need them.

// TrimLine trims white space and invisible characters (zero-width space,
// joiners, word joiner, BOM, Hangul fillers…) from both ends of s.
func TrimLine(s string) string { return strings.TrimFunc(s, isBlank) }

// LineProblem returns the first character a one-line text may not hold,
// as a message, or "" when s is clean. Emptiness is not its concern.
func LineProblem(s string) string {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, n := utf8.DecodeRuneInString(s[i:]); n <= 1 {
				return fmt.Sprintf("is not valid UTF-8 (byte %d)", i)
			}
		}
		if forbiddenInLine(r) {
			return fmt.Sprintf("must not contain control, line-break, bidirectional-formatting or private-use characters (found U+%04X)", r)
		}
	}
	return ""
}

// CheckLine checks a one-line text that may be empty: nil when clean, else
// a field error with code invalid_character.
func CheckLine(field, s string) error {
	if p := LineProblem(s); p != "" {
		return FieldError(field, "invalid_character", "%s %s", field, p)
	}
	return nil
}

// Visible reports whether s has a letter, digit, punctuation mark or
// symbol that a reader can see.
func Visible(s string) bool {
	for _, r := range s {
		if !isBlank(r) && unicode.In(r, unicode.L, unicode.N, unicode.P, unicode.S) {
			return true
		}
	}
	return false
}

func forbiddenInLine(r rune) bool {
	return unicode.IsControl(r) || unicode.In(r, unicode.Zl, unicode.Zp, unicode.Co, unicode.Bidi_Control,
		unicode.Noncharacter_Code_Point) || r == '\uFEFF'
}

// isBlank is white space other than control characters, a format
// character other than bidi controls (zero-width space and
// joiners, word joiner, soft hyphen, BOM…) or a character drawn as nothing
// (Hangul fillers, the braille blank).
func isBlank(r rune) bool {
	switch r {
	case '\u115F', '\u1160', '\u3164', '\uFFA0', '\u2800', '\u180E':
		return true
	}
	if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
		return false // refused, never trimmed away unseen
	}
	return unicode.IsSpace(r) || unicode.Is(unicode.Cf, r)
}
