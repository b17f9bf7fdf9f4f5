package search

import (
	"html"
	"strings"
	"unicode/utf8"
)

// Mark tags that wrap what matched in highlights; the rest is HTML-escaped.
const (
	markOpen  = "<mark>"
	markClose = "</mark>"
)

// snippetRunes is how much of a long text a highlight keeps, around its
// first match.
const snippetRunes = 80

// highlights marks the keys in d's texts; a text without a match is left
// out, a long text is cut to a snippet around its first match.
func (st *state) highlights(d *Doc, keys map[key]bool) map[string]string {
	out := map[string]string{}
	if len(keys) == 0 {
		return out
	}
	var sc scanner
	for _, f := range [...]struct {
		name, text string
	}{{"name", d.Name}, {"name_en", d.NameEn}, {"subtitle", d.Subtitle}, {"subtitle_en", d.SubtitleEn},
		{"description", d.Description}, {"description_en", d.DescriptionEn}} {
		if spans := st.spans(&sc, f.text, keys); len(spans) > 0 {
			out[f.name] = markSpans(f.text, spans)
		}
	}
	return out
}

type span struct{ start, end int }

// spans finds the byte ranges of text whose keys are among keys.
func (st *state) spans(sc *scanner, text string, keys map[key]bool) []span {
	var out []span
	add := func(s, e int) {
		if n := len(out); n > 0 && s <= out[n-1].end {
			out[n-1].end = max(out[n-1].end, e)
			return
		}
		out = append(out, span{s, e})
	}
	// Pinyin is looked up only when the query matched by pinyin.
	pinyinToo := false
	for k := range keys {
		if kind := k >> 60; kind == kindPinyin1 || kind == kindPinyin2 || kind == kindInitials {
			pinyinToo = true
			break
		}
	}
	py := pinyinOf()
	sc.scan(text, func(rs []rune, offs []int) {
		var prev, cur readings
		for i, r := range rs {
			if pinyinToo {
				cur = py.of(r)
			}
			if keys[mkKey(kindHan1, uint32(r), 0)] || anyReading(cur, func(s uint32) bool { return keys[mkKey(kindPinyin1, s, 0)] }) {
				add(offs[i], offs[i+1])
			}
			if i > 0 && (keys[mkKey(kindHan2, uint32(rs[i-1]), uint32(r))] || pinyinPair(py, prev, cur, keys)) {
				add(offs[i-1], offs[i+1])
			}
			prev = cur
		}
	}, func(w []byte, start, end int) {
		if k, ok := st.wordKey(w, false); ok && keys[k] {
			add(start, end)
		}
	})
	return out
}

// anyReading reports whether ok holds for one of rs.
func anyReading(rs readings, ok func(s uint32) bool) bool {
	for _, s := range rs {
		if s == 0 {
			return false
		}
		if ok(uint32(s)) {
			return true
		}
	}
	return false
}

// pinyinPair reports whether some reading of a and of b make a matched
// pinyin or initials key.
func pinyinPair(py *pinyinTable, a, b readings, keys map[key]bool) bool {
	return anyReading(a, func(p uint32) bool {
		return anyReading(b, func(s uint32) bool {
			return keys[mkKey(kindPinyin2, p, s)] || keys[mkKey(kindInitials, py.initial(p), py.initial(s))]
		})
	})
}

// markSpans escapes text and wraps the spans in <mark>; a text longer than
// a snippet is cut around the first span, with ellipses.
func markSpans(text string, spans []span) string {
	from, to := 0, len(text)
	if utf8.RuneCountInString(text) > snippetRunes {
		from = backRunes(text, spans[0].start, 20)
		to = len(text)
		n := 0
		for i := range text[from:] {
			if n == snippetRunes {
				to = from + i
				break
			}
			n++
		}
	}
	var b strings.Builder
	if from > 0 {
		b.WriteString("…")
	}
	at := from
	for _, s := range spans {
		if s.end <= from || s.start >= to {
			continue
		}
		s.start, s.end = max(s.start, from), min(s.end, to)
		b.WriteString(html.EscapeString(text[at:s.start]))
		b.WriteString(markOpen)
		b.WriteString(html.EscapeString(text[s.start:s.end]))
		b.WriteString(markClose)
		at = s.end
	}
	b.WriteString(html.EscapeString(text[at:to]))
	if to < len(text) {
		b.WriteString("…")
	}
	return b.String()
}

// backRunes steps n runes back from byte offset i.
func backRunes(s string, i, n int) int {
	for ; n > 0 && i > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	return i
}
