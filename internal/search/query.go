package search

import (
	"container/heap"
	"slices"
	"strings"

	"github.com/RoaringBitmap/roaring/v2"
)

// Limits that keep every query cheap whatever is typed.
const (
	maxQueryRunes  = 100
	maxQueryTokens = 8
	maxHanRun      = 24
	maxExpansions  = 32
)

// How much a match counts, by how it was found.
const (
	factorExact    = 1.0
	factorPinyin   = 0.9
	factorPrefix   = 0.6
	factorInitials = 0.5
	factorTypo     = 0.4
)

// token is one word or Han run of a query, folded.
type token struct {
	han  bool
	text string
}

// parse splits a query into tokens, within the limits.
func parse(q string) []token {
	if rs := []rune(q); len(rs) > maxQueryRunes {
		q = string(rs[:maxQueryRunes])
	}
	var out []token
	var sc scanner
	sc.scan(q, func(rs []rune, _ []int) {
		if len(out) < maxQueryTokens {
			out = append(out, token{han: true, text: string(rs[:min(len(rs), maxHanRun)])})
		}
	}, func(w []byte, _, _ int) {
		if len(out) < maxQueryTokens {
			out = append(out, token{text: string(w)})
		}
	})
	return out
}

// group is what one query token may match: any of its alternatives, each
// of which needs all its keys.
type group struct {
	keys map[key]float64 // every key of the alternatives that matched, with its best factor
	docs *roaring.Bitmap
}

// expand finds what a token matches in st. last says it is the word being
// typed (matched by prefix too).
func (st *state) expand(t token, last bool) group {
	g := group{keys: map[key]float64{}}
	try := func(factor float64, keys ...key) {
		if len(keys) == 0 {
			return
		}
		var b *roaring.Bitmap
		for _, k := range keys {
			p := st.postings[k]
			if p == nil {
				return
			}
			u := p.any()
			if b == nil {
				b = u
			} else {
				b.And(u)
			}
			if b.IsEmpty() {
				return
			}
		}
		if g.docs == nil {
			g.docs = b
		} else {
			g.docs.Or(b)
		}
		for _, k := range keys {
			if g.keys[k] < factor {
				g.keys[k] = factor
			}
		}
	}
	if t.han {
		rs := []rune(t.text)
		if len(rs) == 1 {
			try(factorExact, mkKey(kindHan1, uint32(rs[0]), 0))
			return g.ready()
		}
		keys := make([]key, 0, len(rs)-1)
		for i := 1; i < len(rs); i++ {
			keys = append(keys, mkKey(kindHan2, uint32(rs[i-1]), uint32(rs[i])))
		}
		try(factorExact, keys...)
		return g.ready()
	}
	try(factorExact, stemKey(stemOf(t.text)))
	if sy := st.segment(t.text); len(sy) == 1 {
		try(factorPinyin, mkKey(kindPinyin1, sy[0], 0))
	} else if len(sy) > 1 {
		keys := make([]key, 0, len(sy)-1)
		for i := 1; i < len(sy); i++ {
			keys = append(keys, mkKey(kindPinyin2, sy[i-1], sy[i]))
		}
		try(factorPinyin, keys...)
	}
	if isInitials(t.text) {
		keys := make([]key, 0, len(t.text)-1)
		for i := 1; i < len(t.text); i++ {
			keys = append(keys, mkKey(kindInitials, uint32(t.text[i-1]), uint32(t.text[i])))
		}
		try(factorInitials, keys...)
	}
	if last && len(t.text) >= 2 {
		for _, w := range st.withPrefix(t.text, maxExpansions) {
			try(factorPrefix, st.words[w].key)
		}
	}
	if g.docs == nil || g.docs.IsEmpty() {
		for _, w := range st.near(t.text, maxExpansions) {
			try(factorTypo, st.words[w].key)
		}
	}
	return g.ready()
}

// ready gives a group that matched nothing its empty bitmap.
func (g group) ready() group {
	if g.docs == nil {
		g.docs = roaring.New()
	}
	return g
}

// isInitials reports whether w could be the initials of two to six
// characters' pinyin (i, u and v begin no syllable).
func isInitials(w string) bool {
	if len(w) < 2 || len(w) > 6 {
		return false
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c < 'a' || c > 'z' || c == 'i' || c == 'u' || c == 'v' {
			return false
		}
	}
	return true
}

// segment splits w into pinyin syllables present in the index (their
// ids + 1), fewest first; nil when it cannot.
func (st *state) segment(w string) []uint32 {
	n := len(w)
	if n == 0 || n > 48 {
		return nil
	}
	for i := 0; i < n; i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return nil
		}
	}
	py := pinyinOf()
	best := make([]int, n+1) // fewest syllables for w[:i]; -1 unreachable
	from := make([]int, n+1)
	for i := 1; i <= n; i++ {
		best[i] = -1
		for j := max(0, i-6); j < i; j++ {
			if _, ok := py.has(w[j:i]); ok && best[j] >= 0 && (best[i] < 0 || best[j]+1 < best[i]) {
				best[i], from[i] = best[j]+1, j
			}
		}
	}
	if best[n] < 0 {
		return nil
	}
	out := make([]uint32, best[n])
	for i, k := n, best[n]-1; i > 0; i, k = from[i], k-1 {
		out[k], _ = py.has(w[from[i]:i])
	}
	return out
}

// withPrefix lists up to limit indexed words starting with p.
func (st *state) withPrefix(p string, limit int) []string {
	i, _ := slices.BinarySearch(st.sorted, p)
	var out []string
	for ; i < len(st.sorted) && len(out) < limit && strings.HasPrefix(st.sorted[i], p); i++ {
		if st.sorted[i] != p {
			out = append(out, st.sorted[i])
		}
	}
	return out
}

// near lists up to limit indexed words within the typo distance of w: one
// edit for words of four to seven letters, two from eight on.
func (st *state) near(w string, limit int) []string {
	n := len(w)
	if n < 4 || n > 40 {
		return nil
	}
	d := 1
	if n >= 8 {
		d = 2
	}
	var out []string
	for _, c := range st.sorted {
		if abs(len(c)-n) > d || c == w {
			continue
		}
		if editDistance(w, c, d) <= d {
			out = append(out, c)
			if len(out) >= limit {
				break
			}
		}
	}
	return out
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// editDistance is the Damerau (adjacent transposition) edit distance of a
// and b in bytes, or a number above limit once it must exceed it.
func editDistance(a, b string, limit int) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// ranked is a candidate and what orders it.
type ranked struct {
	n     uint32
	score float64
	doc   *Doc
}

// rankHeap keeps the best k candidates with the worst on top.
type rankHeap struct {
	items  []ranked
	better func(a, b *ranked) bool
}

func (h *rankHeap) Len() int           { return len(h.items) }
func (h *rankHeap) Less(i, j int) bool { return h.better(&h.items[j], &h.items[i]) }
func (h *rankHeap) Swap(i, j int)      { h.items[i], h.items[j] = h.items[j], h.items[i] }
func (h *rankHeap) Push(v any)         { h.items = append(h.items, v.(ranked)) }
func (h *rankHeap) Pop() any {
	v := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	return v
}

func (h *rankHeap) offer(r ranked, k int) {
	if k <= 0 {
		return
	}
	if len(h.items) < k {
		heap.Push(h, r)
	} else if h.better(&r, &h.items[0]) {
		h.items[0] = r
		heap.Fix(h, 0)
	}
}
