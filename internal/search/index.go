package search

import (
	"slices"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
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

// dict holds the words of the documents: for prefix and typo look-ups,
// and the key of each word's stem.
type dict struct {
	words  map[string]*wordInfo // folded word → its stem's key, documents holding it
	sorted []string             // the words held by some document, sorted
}

// wordInfo is what the index knows of one folded word.
type wordInfo struct {
	key  key // of its stem
	docs int // how many documents hold it
}

// New returns an empty index.
func New() *Index {
	return &Index{st: newState()}
}

func newState() *state {
	return &state{postings: map[key]*posting{}, byID: map[string]uint32{}, live: roaring.New(),
		free: roaring.New(), trial: roaring.New(), cool: roaring.New(), cats: map[string]*roaring.Bitmap{},
		dict: dict{words: map[string]*wordInfo{}}}
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

// wordKey is the key of a folded word's stem; with grow set an unknown
// word is added (held by no document yet), else ok is false.
func (d *dict) wordKey(w []byte, grow bool) (key, bool) {
	if wi, ok := d.words[string(w)]; ok {
		return wi.key, true
	}
	if !grow {
		return 0, false
	}
	s := string(w)
	wi := &wordInfo{key: stemKey(stemOf(s))}
	d.words[s] = wi
	return wi.key, true
}

// terms enumerates the keys of d with the tier each occurs in; word gives
// the key of a word. Han runs give their bigrams and, above the
// description tier, their characters and the pinyin of each bigram in
// full and by initials (of each character too in a name), every reading
// of a character with several (行: xing and hang); words give their stems.
func terms(sc *scanner, d *Doc, sink func(k key, tier int), word func(w []byte) (key, bool)) {
	py := pinyinOf()
	d.fields(func(text string, tier int) {
		sc.scan(text, func(rs []rune, _ []int) {
			var prev readings
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
				cur := py.of(r)
				for _, s := range cur {
					if s == 0 {
						break
					}
					if tier == tierName {
						sink(mkKey(kindPinyin1, uint32(s), 0), tier)
					}
					for _, p := range prev {
						if p == 0 {
							break
						}
						sink(mkKey(kindPinyin2, uint32(p), uint32(s)), tier)
						sink(mkKey(kindInitials, py.initial(uint32(p)), py.initial(uint32(s))), tier)
					}
				}
				prev = cur
			}
		}, func(w []byte, _, _ int) {
			if k, ok := word(w); ok {
				sink(k, tier)
			}
		})
	})
}

// Replace rebuilds the index from docs and swaps it in. Doc numbers
// follow installs, most first, so that the first candidates of a bitmap
// are the most popular (see firstByTier); listings put since then come after,
// until the next Replace. The documents are tokenised in shards, one per
// core (see build.go).
func (x *Index) Replace(docs []Doc) {
	st := build(docs)
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
	seen := map[string]bool{}
	terms(&sc, &d, func(k key, tier int) {
		p := st.postings[k]
		if p == nil {
			p = &posting{}
			st.postings[k] = p
		}
		p.add(n, tier)
	}, func(w []byte) (key, bool) {
		seen[string(w)] = true
		return st.wordKey(w, true)
	})
	for w := range seen {
		wi := st.words[w]
		if wi.docs++; wi.docs == 1 {
			i, _ := slices.BinarySearch(st.sorted, w)
			st.sorted = slices.Insert(st.sorted, i, w)
		}
	}
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
	seen := map[string]bool{}
	terms(&sc, d, func(k key, tier int) {
		p := st.postings[k]
		if p != nil && p.remove(n, tier) {
			delete(st.postings, k)
		}
	}, func(w []byte) (key, bool) {
		seen[string(w)] = true
		return st.wordKey(w, true)
	})
	for w := range seen {
		wi := st.words[w]
		if wi.docs--; wi.docs == 0 {
			if i, ok := slices.BinarySearch(st.sorted, w); ok {
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
