package search

import (
	"cmp"
	"runtime"
	"slices"
	"sync"
)

// A full build tokenises the documents in contiguous shards, one per core
// (at most maxShards), each into postings lists of its own; the lists of
// a key are then joined shard after shard, which keeps them in document
// order. Keys need no shared dictionary to be made (see stemKey and
// pinyinOf), so the shards share nothing while they run.
const maxShards = 4

// builder gathers the postings lists of one shard.
type builder struct {
	sc      scanner
	ids     map[key]uint32 // key → its entry
	entries []accEntry
	touched []uint32 // entries the current document has keys in
	words   map[string]*shardWord
	doc     uint32
}

// accEntry is one key's list: entries doc<<2|tier in document order, as
// small postings hold them; last and mask gather one document's tiers.
type accEntry struct {
	list []uint32
	last uint32 // document + 1 whose tiers mask holds
	mask uint8
}

type shardWord struct {
	key  key
	docs int
	last uint32 // document + 1 that last counted it
}

func newBuilder() *builder {
	return &builder{ids: map[key]uint32{}, words: map[string]*shardWord{}}
}

// add tokenises document n.
func (b *builder) add(n uint32, d *Doc) {
	b.doc = n + 1
	terms(&b.sc, d, b.sink, b.word)
	for _, id := range b.touched {
		e := &b.entries[id]
		for t := range uint32(tiers) {
			if e.mask&(1<<t) != 0 {
				e.list = append(e.list, n<<2|t)
			}
		}
	}
	b.touched = b.touched[:0]
}

func (b *builder) sink(k key, tier int) {
	id, ok := b.ids[k]
	if !ok {
		id = uint32(len(b.entries))
		b.ids[k] = id
		b.entries = append(b.entries, accEntry{})
	}
	e := &b.entries[id]
	if e.last != b.doc {
		e.last, e.mask = b.doc, 0
		b.touched = append(b.touched, id)
	}
	e.mask |= 1 << tier
}

func (b *builder) word(w []byte) (key, bool) {
	sw := b.words[string(w)]
	if sw == nil {
		s := string(w)
		sw = &shardWord{key: stemKey(stemOf(s))}
		b.words[s] = sw
	}
	if sw.last != b.doc {
		sw.last = b.doc
		sw.docs++
	}
	return sw.key, true
}

// build makes a new state of docs, numbered by installs, most first.
func build(in []Doc) *state {
	docs := slices.Clone(in)
	slices.SortStableFunc(docs, func(a, b Doc) int {
		if a.Installs != b.Installs {
			return cmp.Compare(b.Installs, a.Installs)
		}
		return cmp.Compare(a.ID, b.ID)
	})
	shards := max(1, min(runtime.GOMAXPROCS(0), maxShards, len(docs)/1000))
	bs := make([]*builder, shards)
	var wg sync.WaitGroup
	for s := range shards {
		bs[s] = newBuilder()
		from, to := len(docs)*s/shards, len(docs)*(s+1)/shards
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := from; i < to; i++ {
				bs[s].add(uint32(i), &docs[i])
			}
		}()
	}
	st := newState()
	for i := range docs {
		st.docs = append(st.docs, &docs[i])
		st.byID[docs[i].ID] = uint32(i)
		st.addFacts(uint32(i), &docs[i])
	}
	wg.Wait()
	st.postings = joinShards(bs)
	for _, b := range bs {
		for w, sw := range b.words {
			if wi := st.words[w]; wi != nil {
				wi.docs += sw.docs
			} else {
				st.words[w] = &wordInfo{key: sw.key, docs: sw.docs}
			}
		}
	}
	for w, wi := range st.words {
		if wi.docs > 0 {
			st.sorted = append(st.sorted, w)
		}
	}
	slices.Sort(st.sorted)
	return st
}

// joinShards joins each key's lists, shard after shard, into postings.
func joinShards(bs []*builder) map[key]*posting {
	first := bs[0]
	for _, b := range bs[1:] {
		for k, id := range b.ids {
			if fid, ok := first.ids[k]; ok {
				first.entries[fid].list = append(first.entries[fid].list, b.entries[id].list...)
			} else {
				first.ids[k] = uint32(len(first.entries))
				first.entries = append(first.entries, accEntry{list: b.entries[id].list})
			}
			b.entries[id].list = nil
		}
		b.ids = nil
	}
	out := make(map[key]*posting, len(first.ids))
	var scratch [tiers][]uint32
	for k, id := range first.ids {
		out[k] = postingOf(first.entries[id].list, &scratch)
		first.entries[id].list = nil
	}
	return out
}
