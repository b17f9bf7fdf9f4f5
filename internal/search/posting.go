package search

import (
	"slices"

	"github.com/RoaringBitmap/roaring/v2"
)

// smallPosting is how many (document, tier) entries a key keeps in a
// plain sorted slice before it moves to roaring bitmaps: most keys (rare
// bigrams, pinyin pairs) are in a few documents, and a bitmap costs
// about 150 bytes even for one. At 100,000 listings, 12 held 254 MB,
// 64 holds 123 MB (docs/benchmarks.md).
const smallPosting = 64

// posting is where a key occurs: either small (entries doc<<2|tier,
// sorted) or one bitmap per tier.
type posting struct {
	small []uint32
	tiers [tiers]*roaring.Bitmap
}

func (p *posting) isSmall() bool { return p.tiers == [tiers]*roaring.Bitmap{} }

// tier is the bitmap of the documents holding the key in tier t; nil for
// none. A small posting makes a new one.
func (p *posting) tier(t int) *roaring.Bitmap {
	if !p.isSmall() {
		return p.tiers[t]
	}
	var b *roaring.Bitmap
	for _, e := range p.small {
		if int(e&3) == t {
			if b == nil {
				b = roaring.New()
			}
			b.Add(e >> 2)
		}
	}
	return b
}

// any is the bitmap of the documents holding the key in any tier, new.
func (p *posting) any() *roaring.Bitmap {
	if p.isSmall() {
		b := roaring.New()
		for _, e := range p.small {
			b.Add(e >> 2)
		}
		return b
	}
	var bs []*roaring.Bitmap
	for _, b := range p.tiers {
		if b != nil {
			bs = append(bs, b)
		}
	}
	return roaring.FastOr(bs...)
}

// add records document n in tier t.
func (p *posting) add(n uint32, t int) {
	if !p.isSmall() {
		if p.tiers[t] == nil {
			p.tiers[t] = roaring.New()
		}
		p.tiers[t].Add(n)
		return
	}
	e := n<<2 | uint32(t)
	i, found := slices.BinarySearch(p.small, e)
	if found {
		return
	}
	p.small = slices.Insert(p.small, i, e)
	if len(p.small) > smallPosting {
		for _, e := range p.small {
			if p.tiers[e&3] == nil {
				p.tiers[e&3] = roaring.New()
			}
			p.tiers[e&3].Add(e >> 2)
		}
		p.small = nil
	}
}

// remove drops document n in tier t; it reports whether the key is then
// in no document.
func (p *posting) remove(n uint32, t int) bool {
	if p.isSmall() {
		if i, found := slices.BinarySearch(p.small, n<<2|uint32(t)); found {
			p.small = slices.Delete(p.small, i, i+1)
		}
		return len(p.small) == 0
	}
	if b := p.tiers[t]; b != nil {
		b.Remove(n)
		if b.IsEmpty() {
			p.tiers[t] = nil
		}
	}
	return p.isSmall() // every bitmap gone
}

// postingOf makes the posting of a list of entries doc<<2|tier in
// document order; scratch is reused between calls.
func postingOf(list []uint32, scratch *[tiers][]uint32) *posting {
	p := &posting{}
	if len(list) <= smallPosting {
		p.small = slices.Clone(list)
		return p
	}
	for t := range scratch {
		scratch[t] = scratch[t][:0]
	}
	for _, e := range list {
		scratch[e&3] = append(scratch[e&3], e>>2)
	}
	for t, l := range scratch {
		if len(l) > 0 {
			p.tiers[t] = roaring.BitmapOf(l...)
			p.tiers[t].RunOptimize()
		}
	}
	return p
}

// each calls fn with the documents holding the key in tier t, in order,
// until fn returns false.
func (p *posting) each(t int, fn func(n uint32) bool) {
	if p.isSmall() {
		for _, e := range p.small {
			if int(e&3) == t && !fn(e>>2) {
				return
			}
		}
		return
	}
	if b := p.tiers[t]; b != nil {
		it := b.Iterator()
		for it.HasNext() {
			if !fn(it.Next()) {
				return
			}
		}
	}
}

// in reports whether document n holds the key in tier t.
func (p *posting) in(n uint32, t int) bool {
	if p.isSmall() {
		_, ok := slices.BinarySearch(p.small, n<<2|uint32(t))
		return ok
	}
	return p.tiers[t] != nil && p.tiers[t].Contains(n)
}
