package search

import (
	"sync"

	"github.com/mozillazg/go-pinyin"
)

// maxReadings bounds the toneless readings kept per character: the
// dictionary lists the common ones first (行 xing hang heng, 重 zhong
// chong tong), and each more multiplies the pinyin keys of its bigrams.
const maxReadings = 3

// The characters whose readings are looked up once and kept: the CJK
// unified ideographs and extension A, nearly every character of a text.
const (
	tableFrom = 0x3400
	tableTo   = 0x9FFF
)

// readings are a character's toneless syllables (ids + 1; 0 ends them).
type readings [maxReadings]uint16

// pinyinTable numbers the toneless pinyin syllables and holds the
// readings of every character of the table's range.
type pinyinTable struct {
	syl   map[string]uint32 // syllable → id
	first []byte            // syllable id → its first letter
	runes []readings        // rune - tableFrom → its readings
}

// pinyinOf is built once, on first use, and never changes after: every
// index shares it, so that syllable numbers are the same everywhere and
// tokenising needs no lock (building it takes a few milliseconds).
var pinyinOf = sync.OnceValue(func() *pinyinTable {
	t := &pinyinTable{syl: map[string]uint32{}, runes: make([]readings, tableTo-tableFrom+1)}
	for r := rune(tableFrom); r <= tableTo; r++ {
		t.runes[r-tableFrom] = t.lookup(r, true)
	}
	return t
})

// lookup asks the dictionary for r's readings; with grow unset, a
// syllable not yet numbered is left out.
func (t *pinyinTable) lookup(r rune, grow bool) readings {
	a := pinyin.NewArgs()
	a.Heteronym = true
	var out readings
	n := 0
	for _, p := range pinyin.SinglePinyin(r, a) {
		if n == maxReadings || p == "" {
			break
		}
		id, ok := t.syl[p]
		if !ok && !grow {
			continue
		}
		if !ok {
			id = uint32(len(t.first))
			t.syl[p] = id
			t.first = append(t.first, p[0])
		}
		out[n] = uint16(id + 1)
		n++
	}
	return out
}

// of is r's readings; characters outside the table (rare ones) are
// looked up each time.
func (t *pinyinTable) of(r rune) readings {
	if r >= tableFrom && r <= tableTo {
		return t.runes[r-tableFrom]
	}
	return t.lookup(r, false)
}

// initial is the first letter of syllable s (an id + 1).
func (t *pinyinTable) initial(s uint32) uint32 {
	if s > 0 && int(s) <= len(t.first) {
		return uint32(t.first[s-1])
	}
	return 0
}

// has reports whether p is a syllable, and its id + 1.
func (t *pinyinTable) has(p string) (uint32, bool) {
	id, ok := t.syl[p]
	return id + 1, ok
}
