package search

import (
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
)

// The text is read as Han runs (matched by single characters and
// bigrams, so that the two-character words customers type most, 考勤 or
// 审批, are found) and words of letters and digits (matched by their
// English stems). Everything else (punctuation, spaces, emoji, symbols)
// separates them.

// fold makes full-width ASCII narrow and letters lower case.
func fold(r rune) rune {
	if r >= 0xFF01 && r <= 0xFF5E {
		r -= 0xFEE0
	}
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return r
	}
	return unicode.ToLower(r)
}

func isHan(r rune) bool {
	switch {
	case r < 0x2E80:
		return false
	case r >= 0x4E00 && r <= 0x9FFF: // the common block, most of any text
		return true
	}
	return unicode.Is(unicode.Han, r)
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || '0' <= r && r <= '9'
	}
	return (unicode.IsLetter(r) || unicode.IsDigit(r)) && !isHan(r)
}

// scanner splits texts, reusing its buffers: one per goroutine.
type scanner struct {
	runes []rune // the Han run being read, folded
	offs  []int  // byte offset of each rune of the run, and its end
	word  []byte // the word being read, folded
}

// scan calls han for each Han run (its runes and their byte offsets in
// text, one more for the end) and word for each word (folded, with its
// byte range). The slices are only valid during the call.
func (s *scanner) scan(text string, han func(rs []rune, offs []int), word func(w []byte, start, end int)) {
	const (
		none = iota
		inHan
		inWord
	)
	kind, start := none, 0
	flush := func(end int) {
		switch kind {
		case inHan:
			s.offs = append(s.offs, end)
			han(s.runes, s.offs)
		case inWord:
			word(s.word, start, end)
		}
		kind = none
		s.runes, s.offs, s.word = s.runes[:0], s.offs[:0], s.word[:0]
	}
	for i, r := range text {
		f := fold(r)
		k := none
		switch {
		case isWordRune(f):
			k = inWord
		case isHan(f):
			k = inHan
		}
		if k != kind {
			flush(i)
			kind, start = k, i
		}
		switch k {
		case inHan:
			s.runes = append(s.runes, f)
			s.offs = append(s.offs, i)
		case inWord:
			s.word = utf8.AppendRune(s.word, f)
		}
	}
	flush(len(text))
}

// stemOf is the English stem of a folded word; words of other scripts and
// with digits are kept as they are.
func stemOf(w string) string {
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return w
		}
	}
	if len(w) <= 2 {
		return w
	}
	return english.Stem(w, false)
}

// Keys of the index are numbers: a kind in the top bits and two 30-bit
// parts (runes, pinyin syllable ids, letters, stem ids).
type key uint64

const (
	kindHan1 key = iota + 1
	kindHan2
	kindPinyin1
	kindPinyin2
	kindInitials
	kindWord
)

func mkKey(kind key, a, b uint32) key { return kind<<60 | key(a)<<30 | key(b) }

// stemKey is the key of an English stem (or another word kept whole): a
// 60-bit FNV-1a hash of it, so that shards tokenising at once agree on
// keys without sharing a dictionary (two stems of the ~10^5 a market has
// meet in one of ~10^8 builds).
func stemKey(stem string) key {
	const (
		offset = 14695981039346656037
		prime  = 1099511628211
	)
	h := uint64(offset)
	for i := 0; i < len(stem); i++ {
		h ^= uint64(stem[i])
		h *= prime
	}
	return kindWord<<60 | key(h&(1<<60-1))
}
