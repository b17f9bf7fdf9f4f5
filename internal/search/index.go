package search

import (
	"cmp"
	"slices"
	"sort"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/mozillazg/go-pinyin"
)

// Index is safe for concurrent use: searches share a read lock, changes
// take the write lock one listing at a time, and Replace builds a new
// index aside and swaps it in, so searches go on while it builds.
type Index struct {
	mu      sync.RWMutex
	st      *state
	scratch sync.Pool // []float64 scores by doc number
}

// state is one generation of the index.
type state struct {
	postings map[key]*posting
	docs     []*Doc // by doc number; nil where a number is free
	byID     map[string]uint32
	live     *roaring.Bitmap
	free     *roaring.Bitmap
	trial    *roaring.Bitmap
	cool     *roaring.Bitmap
	cats     map[string]*roaring.Bitmap
	dict
}

// dict numbers what keys are made of: English stems, pinyin syllables,
// and the words of the documents (for prefix and typo look-ups).
type dict struct {
	stems    map[string]uint32
	words    map[string]uint32 // folded word → word id
	wordStem []uint32          // word id → stem id
	wordDocs []int             // word id → documents holding it
	sorted   []string          // the words held by some document, sorted
	syl      map[string]uint32 // pinyin syllable → id
	runeSyl  map[rune]uint32   // Han character → syllable id + 1; 0: none
	sylFirst []byte            // syllable id → its first letter
}

// New returns an empty index.
func New() *Index {
	return &Index{st: newState()}
}

func newState() *state {
	return &state{postings: map[key]*posting{}, byID: map[string]uint32{}, live: roaring.New(),
		free: roaring.New(), trial: roaring.New(), cool: roaring.New(), cats: map[string]*roaring.Bitmap{},
		dict: dict{stems: map[string]uint32{}, words: map[string]uint32{}, syl: map[string]uint32{}, runeSyl: map[rune]uint32{}}}
}

// Len is the number of listings indexed.
func (x *Index) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.st.byID)
}

// Has reports whether the listing is indexed.
func (x *Index) Has(id string) bool {
	x.mu.RLock()
	defer x.mu.RUnlock()
	_, ok := x.st.byID[id]
	return ok
}

// sylOf is the syllable id + 1 of a Han character's pinyin (its first
// reading, toneless), 0 for none. With grow unset it never writes, so
// that searches may call it under the read lock.
func (d *dict) sylOf(r rune, grow bool) uint32 {
	if s, ok := d.runeSyl[r]; ok {
		return s
	}
	var p string
	if ps := pinyin.SinglePinyin(r, pinyin.NewArgs()); len(ps) > 0 {
		p = ps[0]
	}
	id, ok := d.syl[p]
	if !ok && grow && p != "" {
		id = uint32(len(d.syl))
		d.syl[p] = id
		d.sylFirst = append(d.sylFirst, p[0])
		ok = true
	}
	s := uint32(0)
	if ok {
		s = id + 1
	}
	if grow {
		d.runeSyl[r] = s
	}
	return s
}

// wordID numbers a folded word (and its stem); ok is false when the word
// is unknown and grow is unset.
func (d *dict) wordID(w []byte, grow bool) (uint32, bool) {
	if id, ok := d.words[string(w)]; ok {
		return id, true
	}
	if !grow {
		return 0, false
	}
	s := string(w)
	id := uint32(len(d.wordStem))
	d.words[s] = id
	d.wordStem = append(d.wordStem, d.stemID(stemOf(s), true))
	d.wordDocs = append(d.wordDocs, 0)
	return id, true
}

func (d *dict) stemID(s string, grow bool) uint32 {
	id, ok := d.stems[s]
	if !ok && grow {
		id = uint32(len(d.stems)) + 1
		d.stems[s] = id
	}
	return id // 0: unknown
}

// terms enumerates the keys of d with the tier each occurs in, and the id
// of each word. Han runs give their bigrams and, above the description
// tier, their characters and the pinyin of each bigram in full and by
// initials (of each character too in a name); words give their stems.
func (st *state) terms(sc *scanner, d *Doc, grow bool, sink func(k key, tier int), word func(id uint32)) {
	d.fields(func(text string, tier int) {
		sc.scan(text, func(rs []rune, _ []int) {
			var prev, prevIni uint32
			for i, r := range rs {
				if i > 0 {
					sink(mkKey(kindHan2, uint32(rs[i-1]), uint32(r)), tier)
				}
				if tier == tierLow {
					// A description is matched by bigrams and words
					// alone: a lone character or syllable found in one is
					// noise, and leaving them out saves a third of the keys.
					continue
				}
				sink(mkKey(kindHan1, uint32(r), 0), tier)
				s := st.sylOf(r, grow)
				if s == 0 {
					prev = 0
					continue
				}
				ini := st.initial(s)
				if tier == tierName {
					sink(mkKey(kindPinyin1, s, 0), tier)
				}
				if prev != 0 {
					sink(mkKey(kindPinyin2, prev, s), tier)
					sink(mkKey(kindInitials, prevIni, ini), tier)
				}
				prev, prevIni = s, ini
			}
		}, func(w []byte, _, _ int) {
			id, ok := st.wordID(w, grow)
			if !ok {
				return
			}
			word(id)
			sink(mkKey(kindWord, st.wordStem[id], 0), tier)
		})
	})
}

// initial is the first letter of syllable s (an id + 1).
func (st *state) initial(s uint32) uint32 {
	if int(s) <= len(st.sylFirst) {
		return uint32(st.sylFirst[s-1])
	}
	return 0
}

// Replace rebuilds the index from docs and swaps it in. Doc numbers
// follow installs, most first, so that the first candidates of a bitmap
// are the most popular (see classes); listings put since then come after,
// until the next Replace.
func (x *Index) Replace(docs []Doc) {
	docs = slices.Clone(docs)
	slices.SortStableFunc(docs, func(a, b Doc) int {
		if a.Installs != b.Installs {
			return cmp.Compare(b.Installs, a.Installs)
		}
		return cmp.Compare(a.ID, b.ID)
	})
	st := newState()
	acc := map[key]*[tiers][]uint32{}
	var sc scanner
	lastDoc := []int{}
	seen := map[key]uint8{} // the keys of one document, by tier
	for i := range docs {
		d := docs[i]
		n := uint32(i)
		clear(seen)
		st.terms(&sc, &d, true, func(k key, tier int) { seen[k] |= 1 << tier }, func(id uint32) {
			for len(lastDoc) <= int(id) {
				lastDoc = append(lastDoc, -1)
			}
			if lastDoc[id] != i {
				lastDoc[id] = i
				st.wordDocs[id]++
			}
		})
		for k, tiersIn := range seen {
			a := acc[k]
			if a == nil {
				a = &[tiers][]uint32{}
				acc[k] = a
			}
			for t := range tiers {
				if tiersIn&(1<<t) != 0 {
					a[t] = append(a[t], n)
				}
			}
		}
		st.docs = append(st.docs, &d)
		st.byID[d.ID] = n
		st.addFacts(n, &d)
	}
	for k, a := range acc {
		st.postings[k] = newPosting(a)
	}
	for w, id := range st.words {
		if st.wordDocs[id] > 0 {
			st.sorted = append(st.sorted, w)
		}
	}
	sort.Strings(st.sorted)
	x.mu.Lock()
	x.st = st
	x.mu.Unlock()
}

func (st *state) addFacts(n uint32, d *Doc) {
	st.live.Add(n)
	if d.Free {
		st.free.Add(n)
	}
	if d.Trial {
		st.trial.Add(n)
	}
	if d.Cool {
		st.cool.Add(n)
	}
	for _, c := range d.CategoryIDs {
		b := st.cats[c]
		if b == nil {
			b = roaring.New()
			st.cats[c] = b
		}
		b.Add(n)
	}
}

// Put adds a listing or replaces what the index knows of it.
func (x *Index) Put(d Doc) {
	x.mu.Lock()
	defer x.mu.Unlock()
	st := x.st
	if _, ok := st.byID[d.ID]; ok {
		st.remove(d.ID)
	}
	// A new number at the end, never a freed one: numbers keep the order
	// of popularity they were given (see Replace).
	n := uint32(len(st.docs))
	st.docs = append(st.docs, &d)
	st.byID[d.ID] = n
	st.addFacts(n, &d)
	var sc scanner
	seen := map[uint32]bool{}
	st.terms(&sc, &d, true, func(k key, tier int) {
		p := st.postings[k]
		if p == nil {
			p = &posting{}
			st.postings[k] = p
		}
		p.add(n, tier)
	}, func(id uint32) { seen[id] = true })
	for id := range seen {
		if st.wordDocs[id]++; st.wordDocs[id] == 1 {
			w := st.wordOf(id)
			i, _ := slices.BinarySearch(st.sorted, w)
			st.sorted = slices.Insert(st.sorted, i, w)
		}
	}
}

// wordOf is the word numbered id (a rare look-up: only when a word comes
// or goes).
func (d *dict) wordOf(id uint32) string {
	for w, i := range d.words {
		if i == id {
			return w
		}
	}
	return ""
}

// Remove drops a listing from the index; removing one that is not there
// does nothing.
func (x *Index) Remove(id string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.st.remove(id)
}

func (st *state) remove(id string) {
	n, ok := st.byID[id]
	if !ok {
		return
	}
	d := st.docs[n]
	var sc scanner
	seen := map[uint32]bool{}
	st.terms(&sc, d, true, func(k key, tier int) {
		p := st.postings[k]
		if p != nil && p.remove(n, tier) {
			delete(st.postings, k)
		}
	}, func(id uint32) { seen[id] = true })
	for wid := range seen {
		if st.wordDocs[wid]--; st.wordDocs[wid] == 0 {
			if i, ok := slices.BinarySearch(st.sorted, st.wordOf(wid)); ok {
				st.sorted = slices.Delete(st.sorted, i, i+1)
			}
		}
	}
	st.live.Remove(n)
	st.free.Remove(n)
	st.trial.Remove(n)
	st.cool.Remove(n)
	for _, c := range d.CategoryIDs {
		if b := st.cats[c]; b != nil {
			b.Remove(n)
		}
	}
	delete(st.byID, id)
	st.docs[n] = nil
}
