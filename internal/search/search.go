package search

import (
	"cmp"
	"html"
	"slices"
	"sort"

	"github.com/RoaringBitmap/roaring/v2"
)

// Sort is the order of results.
type Sort string

// The orders: relevance (then installs), installs, newest first, lowest
// price first, best rated first (by average stars, then by how many).
const (
	SortRelevance Sort = "relevance"
	SortPopular   Sort = "popular"
	SortNewest    Sort = "newest"
	SortPrice     Sort = "price"
	SortRating    Sort = "rating"
)

// Sorts lists the valid orders.
var Sorts = []Sort{SortRelevance, SortPopular, SortNewest, SortPrice, SortRating}

// Request is one search. An empty Q matches every live listing. A price
// bound below zero is absent.
type Request struct {
	Q        string
	Category string
	Free     bool
	Trial    bool
	Kind     Kind
	MinPrice int64
	MaxPrice int64
	Sort     Sort
	Offset   int
	Limit    int
}

// Hit is one result: the listing and its texts with the matches marked.
type Hit struct {
	ID         string
	Score      float64
	Highlights map[string]string
}

// Result is a page of hits, the number of all of them and, when there
// are none, what to try instead.
type Result struct {
	Hits  []Hit
	Total int
	// Suggestions are queries close to Q that find something;
	// Categories the ids of the categories with the most listings.
	Suggestions []string
	Categories  []string
}

// Search runs r.
func (x *Index) Search(r Request) Result {
	x.mu.RLock()
	defer x.mu.RUnlock()
	st := x.st
	toks := parse(r.Q)
	cand, groups := x.match(st, toks, r.Q)
	if r.Category != "" {
		if b := st.cats[r.Category]; b != nil {
			cand.And(b)
		} else {
			cand.Clear()
		}
	}
	if r.Free {
		cand.And(st.free)
	}
	if r.Trial {
		cand.And(st.trial)
	}
	switch r.Kind {
	case KindCool:
		cand.And(st.cool)
	case KindOrg:
		cand.AndNot(st.cool)
	}
	if items, ok := st.firstByTier(r, cand, groups); ok {
		return x.page(st, r, toks, groups, int(cand.GetCardinality()), items)
	}
	var scores []float64
	if r.Sort == SortRelevance || r.Sort == "" {
		scores = x.scores(len(st.docs))
		defer x.release(scores, cand)
		scoreInto(scores, cand, groups, st)
	}
	better := ordering(r.Sort)
	h := &rankHeap{better: better}
	total := 0
	k := r.Offset + r.Limit
	it := cand.Iterator()
	for it.HasNext() {
		n := it.Next()
		d := st.docs[n]
		if (r.MinPrice >= 0 && d.LowestPrice < r.MinPrice) || (r.MaxPrice >= 0 && d.LowestPrice > r.MaxPrice) {
			continue
		}
		total++
		rk := ranked{n: n, doc: d}
		if scores != nil {
			rk.score = scores[n]
		}
		h.offer(rk, k)
	}
	items := h.items
	sort.Slice(items, func(i, j int) bool { return better(&items[i], &items[j]) })
	return x.page(st, r, toks, groups, total, items)
}

// page makes the result of the best items found.
func (x *Index) page(st *state, r Request, toks []token, groups []group, total int, items []ranked) Result {
	res := Result{Total: total}
	keys := matchedKeys(groups)
	for i := r.Offset; i < len(items); i++ {
		res.Hits = append(res.Hits, Hit{ID: items[i].doc.ID, Score: items[i].score, Highlights: st.highlights(items[i].doc, keys)})
	}
	if total == 0 {
		res.Suggestions = x.suggest(st, toks)
		res.Categories = st.popularCategories(5)
	}
	return res
}

// firstByTier says whether the order of r can be had without scoring
// every candidate, and if so gives the best Offset+Limit: doc numbers
// follow installs (most first, see Replace), so when every candidate of a
// tier has the same score the first ones of each tier, in turn, are the
// best. It holds for the most common searches: one key (a two-character
// word, one English word, one pinyin word) or none, by relevance or by
// installs, without a price range, whose filter needs each candidate. It
// walks the postings in order and allocates nothing but its answer: the
// tail of query times was the garbage of per-tier bitmaps.
func (st *state) firstByTier(r Request, cand *roaring.Bitmap, groups []group) ([]ranked, bool) {
	if r.MinPrice >= 0 || r.MaxPrice >= 0 {
		return nil, false
	}
	k := r.Offset + r.Limit
	relevance := r.Sort == SortRelevance || r.Sort == ""
	switch {
	case r.Sort == SortPopular || (relevance && len(groups) == 0):
		out := make([]ranked, 0, min(k, int(cand.GetCardinality())))
		it := cand.Iterator()
		for len(out) < k && it.HasNext() {
			n := it.Next()
			out = append(out, ranked{n: n, doc: st.docs[n]})
		}
		return out, true
	case !relevance || len(groups) != 1 || len(groups[0].keys) != 1:
		return nil, false
	}
	var out []ranked
	for ky, f := range groups[0].keys {
		p := st.postings[ky]
		for t := range tiers {
			w := tierWeight[t] * f
			p.each(t, func(n uint32) bool {
				if len(out) >= k {
					return false
				}
				if cand.Contains(n) && !inEarlierTier(p, n, t) {
					out = append(out, ranked{n: n, score: w, doc: st.docs[n]})
				}
				return true
			})
		}
	}
	return out, true
}

func inEarlierTier(p *posting, n uint32, t int) bool {
	for u := range t {
		if p.in(n, u) {
			return true
		}
	}
	return false
}

// match returns the live listings matching every token, and the groups
// that matched them.
func (x *Index) match(st *state, toks []token, q string) (*roaring.Bitmap, []group) {
	if len(toks) == 0 {
		if isBlank(q) {
			return st.live.Clone(), nil
		}
		// Only punctuation or emoji: nothing can match it.
		return roaring.New(), nil
	}
	groups := make([]group, 0, len(toks))
	lastTyped := len(q) > 0 && q[len(q)-1] != ' '
	var cand *roaring.Bitmap
	for i, t := range toks {
		g := st.expand(t, lastTyped && i == len(toks)-1)
		groups = append(groups, g)
		// Postings hold live documents only: the first group's (made
		// for this query) are the candidates, no copy of every live one.
		if cand == nil {
			cand = g.docs
		} else {
			cand.And(g.docs)
		}
	}
	return cand, groups
}

// isBlank reports whether q is blank (every listing) rather than
// made of marks alone.
func isBlank(q string) bool {
	for _, r := range q {
		if r != ' ' && r != '\t' && r != '\n' && r != '\u3000' {
			return false
		}
	}
	return true
}

// scores borrows a zeroed score per doc number.
func (x *Index) scores(n int) []float64 {
	if s, ok := x.scratch.Get().(*[]float64); ok && len(*s) >= n {
		return (*s)[:n]
	}
	return make([]float64, n)
}

// release zeroes what scoreInto wrote and returns the scores.
func (x *Index) release(s []float64, cand *roaring.Bitmap) {
	it := cand.Iterator()
	for it.HasNext() {
		s[it.Next()] = 0
	}
	x.scratch.Put(&s)
}

// scoreInto adds up, for each candidate, the weight of the best tier each
// matched key sits in, times how the key was found.
func scoreInto(scores []float64, cand *roaring.Bitmap, groups []group, st *state) {
	for _, g := range groups {
		for k, f := range g.keys {
			p := st.postings[k]
			var done *roaring.Bitmap
			for t := range tiers {
				b := p.tier(t)
				if b == nil {
					continue
				}
				in := roaring.And(b, cand)
				if done != nil {
					in.AndNot(done)
				}
				w := tierWeight[t] * f
				it := in.Iterator()
				for it.HasNext() {
					scores[it.Next()] += w
				}
				if done == nil {
					done = in
				} else {
					done.Or(in)
				}
			}
		}
	}
}

func ordering(s Sort) func(a, b *ranked) bool {
	tie := func(a, b *ranked) bool {
		if a.doc.Installs != b.doc.Installs {
			return a.doc.Installs > b.doc.Installs
		}
		return a.doc.ID < b.doc.ID
	}
	switch s {
	case SortPopular:
		return tie
	case SortNewest:
		return func(a, b *ranked) bool {
			if a.doc.Listed != b.doc.Listed {
				return a.doc.Listed > b.doc.Listed
			}
			return tie(a, b)
		}
	case SortPrice:
		return func(a, b *ranked) bool {
			if a.doc.LowestPrice != b.doc.LowestPrice {
				return a.doc.LowestPrice < b.doc.LowestPrice
			}
			return tie(a, b)
		}
	case SortRating:
		return func(a, b *ranked) bool {
			if a.doc.Stars != b.doc.Stars {
				return a.doc.Stars > b.doc.Stars
			}
			if a.doc.Ratings != b.doc.Ratings {
				return a.doc.Ratings > b.doc.Ratings
			}
			return tie(a, b)
		}
	}
	return func(a, b *ranked) bool {
		if a.score != b.score {
			return a.score > b.score
		}
		return tie(a, b)
	}
}

// popularCategories lists the ids of the categories with most live
// listings.
func (st *state) popularCategories(n int) []string {
	type cc struct {
		id string
		n  uint64
	}
	var all []cc
	for id, b := range st.cats {
		if c := b.GetCardinality(); c > 0 {
			all = append(all, cc{id, c})
		}
	}
	slices.SortFunc(all, func(a, b cc) int {
		if c := cmp.Compare(b.n, a.n); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	out := []string{}
	for i := 0; i < len(all) && i < n; i++ {
		out = append(out, all[i].id)
	}
	return out
}

// suggest offers queries that find something when q found nothing: each
// word replaced by the closest indexed word, and each token alone.
func (x *Index) suggest(st *state, toks []token) []string {
	out := []string{}
	add := func(q string) {
		if q != "" && !slices.Contains(out, q) && len(out) < 5 {
			out = append(out, q)
		}
	}
	fixed := make([]string, len(toks))
	changed := false
	for i, t := range toks {
		fixed[i] = t.text
		if !t.han {
			if ws := st.near(t.text, 8); len(ws) > 0 {
				slices.SortFunc(ws, func(a, b string) int { return cmp.Compare(st.words[b].docs, st.words[a].docs) })
				fixed[i], changed = ws[0], true
			}
		}
	}
	if changed {
		if c, _ := x.match(st, parse(joinTokens(fixed)), joinTokens(fixed)+" "); !c.IsEmpty() {
			add(joinTokens(fixed))
		}
	}
	if len(toks) > 1 {
		for _, t := range toks {
			if c, _ := x.match(st, []token{t}, t.text+" "); !c.IsEmpty() {
				add(t.text)
			}
		}
	}
	return out
}

func joinTokens(ts []string) string {
	s := ""
	for i, t := range ts {
		if i > 0 {
			s += " "
		}
		s += t
	}
	return s
}

// matchedKeys merges the keys of every group.
func matchedKeys(groups []group) map[key]bool {
	keys := map[key]bool{}
	for _, g := range groups {
		for k := range g.keys {
			keys[k] = true
		}
	}
	return keys
}

// Suggestion is a listing offered as the customer types.
type Suggestion struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	NameEn string `json:"name_en"`
	// Highlight is the name with what matched marked, HTML-escaped.
	Highlight   string `json:"highlight"`
	HighlightEn string `json:"highlight_en"`
}

// Suggest offers up to n listings for what has been typed so far, the
// last word matched by prefix; nothing for a blank query.
func (x *Index) Suggest(q string, n int) []Suggestion {
	out := []Suggestion{}
	if isBlank(q) {
		return out
	}
	res := x.Search(Request{Q: q, MinPrice: -1, MaxPrice: -1, Limit: n})
	x.mu.RLock()
	defer x.mu.RUnlock()
	for _, h := range res.Hits {
		num, ok := x.st.byID[h.ID]
		if !ok {
			continue
		}
		d := x.st.docs[num]
		s := Suggestion{ID: d.ID, Name: d.Name, NameEn: d.NameEn, Highlight: h.Highlights["name"], HighlightEn: h.Highlights["name_en"]}
		if s.Highlight == "" {
			s.Highlight = html.EscapeString(d.Name)
		}
		if s.HighlightEn == "" {
			s.HighlightEn = html.EscapeString(d.NameEn)
		}
		out = append(out, s)
	}
	return out
}
