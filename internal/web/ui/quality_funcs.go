package ui

import (
	"fmt"
	"html"
	"html/template"
	"slices"
	"strings"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
)

// qualityFuncs are the template helpers that say codes, units and stored
// messages in the page's language (issue 12): no audit action, unit,
// precheck finding or delivery error reaches a page as a code or in
// English on a Chinese page. They override the language-blind helpers of
// the same name ("waiting", "ms").
func qualityFuncs(lang string) template.FuncMap {
	return template.FuncMap{
		"auditName":     func(action string) string { return codeName(lang, "audit.", action) },
		"fieldLabel":    func(field string) string { return fieldLabel(lang, field) },
		"findingText":   func(f shelf.Finding) string { return errorMessage(lang, &shelf.Error{Code: f.Code, Field: f.Field}) },
		"noticeText":    func(n shelf.Notice) string { return noticeText(lang, n.Message) },
		"attemptError":  func(msg string) string { return attemptError(lang, msg) },
		"deliveryState": func(state shelf.DeliveryState, attempts int) string { return deliveryState(lang, state, attempts) },
		"waiting":       func(secs int64) string { return waitingIn(lang, secs) },
		"allFailed":     allFailed,
		"hasString":     func(xs []string, x string) bool { return slices.Contains(xs, x) },
		"tcode":         func(key string) template.HTML { return codeMarked(translate(lang, key)) },
		"ms": func(d time.Duration) string {
			return fmt.Sprintf("%d %s", d.Milliseconds(), translate(lang, "unit.ms"))
		},
	}
}

// codeName is the catalog's name of a code under prefix, else the code
// itself in a form a person can read.
func codeName(lang, prefix, code string) string {
	if _, ok := catalog[prefix+code]; ok {
		return translate(lang, prefix+code)
	}
	return strings.NewReplacer("_", " ", ".", " · ").Replace(code)
}

// fieldLabel names a listing field ("name_en", "specs[2].price",
// "trial.days") by its label, never its key.
func fieldLabel(lang, field string) string {
	top := field
	if i := strings.IndexAny(top, ".["); i >= 0 {
		top = top[:i]
	}
	if _, ok := catalog["qfield."+top]; ok {
		return translate(lang, "qfield."+top)
	}
	return translate(lang, "qfield.other")
}

// noticeText picks the reader's half of a notice stored in both languages
// ("中文 / English", store/review.go writes them so).
func noticeText(lang, msg string) string {
	zh, en, ok := strings.Cut(msg, " / ")
	if !ok {
		return msg
	}
	if lang == langEN {
		return en
	}
	return zh
}

// attemptError says why a delivery attempt failed in the reader's
// language; the raw error stays in the page's code detail.
func attemptError(lang, msg string) string {
	for _, c := range []struct{ needle, key string }{
		{"no such host", "qdeliv.no_host"},
		{"timeout", "qdeliv.timeout"},
		{"deadline exceeded", "qdeliv.timeout"},
		{"connection refused", "qdeliv.refused"},
		{"certificate", "qdeliv.tls"},
		{"tls", "qdeliv.tls"},
		{"not globally routable", "qdeliv.private"},
		{"status", "qdeliv.status"},
	} {
		if strings.Contains(strings.ToLower(msg), c.needle) {
			return translate(lang, c.key)
		}
	}
	return translate(lang, "qdeliv.other")
}

// deliveryState says a delivery's state; a pending one that has failed
// before says it is being retried after failures, not just "waiting".
func deliveryState(lang string, state shelf.DeliveryState, attempts int) string {
	if state == shelf.DeliveryPending && attempts > 0 {
		return fmt.Sprintf(translate(lang, "qdeliv.retrying"), attempts)
	}
	return translate(lang, "state."+string(state))
}

// waitingIn renders a wait in seconds the way a queue shows it, in lang:
// "3 小时 12 分钟", "2 d 4 h".
func waitingIn(lang string, secs int64) string {
	m := secs / 60
	minute, hour, day := translate(lang, "unit.min"), translate(lang, "unit.h"), translate(lang, "unit.d")
	switch {
	case m < 60:
		return fmt.Sprintf("%d %s", m, minute)
	case m < 48*60:
		return fmt.Sprintf("%d %s %d %s", m/60, hour, m%60, minute)
	}
	return fmt.Sprintf("%d %s %d %s", m/1440, day, m%1440/60, hour)
}

// allFailed reports days of delivery with attempts of which none
// succeeded: the health charts then show slivers, so the page says why.
func allFailed(days []shelf.DayStats) bool {
	tried := 0
	for _, d := range days {
		if d.Succeeded > 0 {
			return false
		}
		tried += d.Attempts
	}
	return tried > 0
}

// codeMarked renders a catalog text whose `backticked` parts are names a
// program reads (claims, fields): those go in <code>, the rest is escaped.
func codeMarked(s string) template.HTML {
	var b strings.Builder
	for i, part := range strings.Split(s, "`") {
		if i%2 == 1 {
			b.WriteString("<code>" + html.EscapeString(part) + "</code>")
		} else {
			b.WriteString(html.EscapeString(part))
		}
	}
	return template.HTML(b.String()) //nolint:gosec // every part is escaped above
}
