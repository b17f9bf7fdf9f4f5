package shelf

import (
	"net"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxURLBytes bounds the URLs a revision holds; longer ones are never real
// privacy policies and only bloat pages.
const MaxURLBytes = 2048

func fieldIndex(field string, i int) string { return field + "[" + strconv.Itoa(i) + "]" }

// checkLine checks a one-line text: required when complete, bounded in runes
// (what the reader sees, so Chinese and English count alike), and clean by
// the one-line rule (text.go).
func checkLine(c *checker, field, s string, max int, complete bool) {
	switch {
	case LineProblem(s) != "":
		c.add(field, "invalid_character", "%s %s", field, LineProblem(s))
	case !Visible(s):
		if complete || s != "" {
			c.add(field, "required", "%s is required", field)
		}
	case utf8.RuneCountInString(s) > max:
		c.add(field, "too_long", "%s must have at most %d characters, not %d", field, max, utf8.RuneCountInString(s))
	}
}

// checkDescription bounds the Markdown source. Too short is a completeness
// problem (a draft grows), too long is refused at once.
func checkDescription(c *checker, s string, complete bool) {
	n := utf8.RuneCountInString(s)
	switch {
	case s == "":
		if complete {
			c.add("description", "required", "description is required")
		}
	case strings.ContainsRune(s, 0):
		c.add("description", "invalid", "description must not contain NUL bytes")
	case n > MaxDescriptionRunes:
		c.add("description", "description_too_long", "description must have at most %d characters, not %d", MaxDescriptionRunes, n)
	case n < MinDescriptionRunes && complete:
		c.add("description", "description_too_short", "description must have at least %d characters, not %d", MinDescriptionRunes, n)
	}
}

// checkDescriptionEn bounds the English description: optional (the
// pre-submission check warns when it is missing), as long as the Chinese.
func checkDescriptionEn(c *checker, s string) {
	switch n := utf8.RuneCountInString(s); {
	case strings.ContainsRune(s, 0):
		c.add("description_en", "invalid", "description_en must not contain NUL bytes")
	case n > MaxDescriptionRunes:
		c.add("description_en", "description_too_long", "description_en must have at most %d characters, not %d", MaxDescriptionRunes, n)
	}
}

// checkCategory checks the shape of a category id. Whether it exists and is
// a leaf is the store's to say (codes category_unknown, category_not_leaf).
func checkCategory(c *checker, id string, complete bool) {
	switch {
	case id == "":
		if complete {
			c.add("category_id", "required", "category_id is required")
		}
	case !HasPrefix(id, "cat") || len(id) > 64:
		c.add("category_id", "category_invalid", "%q is not a category id", id)
	}
}

func checkTags(c *checker, tags []string) {
	if len(tags) > MaxTags {
		c.add("tags", "tags_too_many", "at most %d tags, not %d", MaxTags, len(tags))
	}
	seen := map[string]bool{}
	for i, t := range tags {
		f := fieldIndex("tags", i)
		key := strings.ToLower(t)
		switch {
		case !Visible(t) && LineProblem(t) == "":
			c.add(f, "tag_empty", "tags must not be empty")
		case LineProblem(t) != "":
			c.add(f, "invalid_character", "tag %s", LineProblem(t))
		case utf8.RuneCountInString(t) > MaxTagRunes:
			c.add(f, "tag_too_long", "tag %q has more than %d characters", t, MaxTagRunes)
		case strings.ContainsAny(t, "\x00\r\n,"):
			c.add(f, "tag_invalid", "tag %q must be one line without commas", t)
		case seen[key]:
			c.add(f, "tag_duplicate", "tag %q is listed twice", t)
		}
		seen[key] = true
	}
}

// checkSupportContact accepts what a customer can use to reach the vendor:
// an email address, a web page or a phone number.
func checkSupportContact(c *checker, s string, complete bool) {
	const f = "support_contact"
	switch {
	case s == "":
		if complete {
			c.add(f, "required", "support_contact is required: an email address, an https URL or a phone number")
		}
	case strings.Contains(s, "://"):
		checkURL(c, f, s, complete)
	case strings.Contains(s, "@"):
		if _, err := NormalizeEmail(f, s); err != nil {
			c.add(f, "support_contact_invalid", "%q is not an email address", s)
		}
	case !isPhone(s):
		c.add(f, "support_contact_invalid", "%q is not an email address, an https URL or a phone number", s)
	}
}

// isPhone accepts international and Chinese formats (+86 10 1234 5678,
// 400-123-4567, (021) 1234-5678, an extension after "ext." or "#").
func isPhone(s string) bool {
	if i := strings.IndexAny(s, "#"); i > 0 {
		s = s[:i]
	} else if i := strings.Index(strings.ToLower(s), "ext."); i > 0 {
		s = s[:i]
	}
	s = strings.TrimSpace(s)
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0:
		case r == ' ' || r == '-' || r == '(' || r == ')':
		default:
			return false
		}
	}
	return digits >= 5 && digits <= 15
}

// checkURL allows https anywhere and http only on loopback, so that
// development works but customers never follow plain-text links.
func checkURL(c *checker, field, s string, complete bool) {
	if s == "" {
		if complete {
			c.add(field, "required", "%s is required", field)
		}
		return
	}
	u, err := url.Parse(s)
	if err != nil || len(s) > MaxURLBytes || u.Host == "" || u.User != nil || u.Opaque != "" || strings.ContainsAny(s, " \t\r\n") {
		c.add(field, "url_invalid", "%q is not an absolute web URL", s)
		return
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopbackHost(u.Hostname()) {
			c.add(field, "url_insecure", "%q must use https (http is only for localhost)", s)
		}
	default:
		c.add(field, "url_invalid", "%q must be an https URL", s)
	}
}

func isLoopbackHost(h string) bool {
	if strings.EqualFold(h, "localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// hasHan reports whether s contains a Chinese character; used to warn about
// zh fields written in another language.
func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// hasLatin reports whether s contains a Latin letter.
func hasLatin(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Latin, r) {
			return true
		}
	}
	return false
}
