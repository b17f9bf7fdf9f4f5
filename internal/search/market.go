package search

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
)

// Source is what the market index reads and hears from: *store.Store.
type Source interface {
	MarketListings(ctx context.Context, categoryID string) ([]shelf.ListingInfo, error)
	Listing(ctx context.Context, id string) (*shelf.ListingInfo, error)
	Categories(ctx context.Context, withArchived bool) ([]shelf.Category, error)
	Org(ctx context.Context, id string) (*shelf.Org, error)
	InstallCounts(ctx context.Context) (map[string]int64, error)
	SearchRatings(ctx context.Context, listingID string) (map[string]shelf.SearchRating, error)
	FeaturedListings(ctx context.Context) ([]shelf.FeaturedListing, error)
	OnChange(fn func(keys []string))
	ListenChanges(ctx context.Context, fn func(key string), state func(listening bool, err error))
}

// rebuildEvery is how often the whole index is built again, so that
// installs (the popularity it ranks by) and partner names stay current.
const rebuildEvery = 10 * time.Minute

// Market is the search index of the live market kept in step with the
// store: built in full on first use and whenever the change feed
// (re)connects, and refreshed listing by listing as changes commit, on
// this node at once and on the others through the feed.
type Market struct {
	idx *Index
	src Source
	log *slog.Logger

	mu       sync.Mutex // one refresh at a time, so the last to run read last
	built    bool
	cats     map[string]shelf.Category
	installs map[string]int64
	ratings  map[string]shelf.SearchRating
	partners map[string]string

	version atomic.Uint64

	// What the market shows of each indexed listing, to answer searches
	// from memory.
	shown    sync.RWMutex
	listings map[string]Shown
	catsSeen map[string]shelf.Category
	featured []string // listing ids, in the admins' order

	memo memo
}

// Shown is a listing as the market shows it.
type Shown struct {
	*shelf.ListingInfo
	Partner string
}

// NewMarket returns the market index over src and starts hearing this
// node's changes; Run hears the other nodes'.
func NewMarket(src Source, log *slog.Logger) *Market {
	if log == nil {
		log = slog.Default()
	}
	m := &Market{idx: New(), src: src, log: log}
	src.OnChange(func(keys []string) {
		for _, k := range keys {
			m.changed(context.Background(), k)
		}
	})
	return m
}

// Run hears the changes other nodes commit until ctx ends, building the
// index again whenever the feed (re)connects (changes may have been missed
// while it was down), and every rebuildEvery.
func (m *Market) Run(ctx context.Context) {
	go func() {
		t := time.NewTicker(rebuildEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				m.rebuild(ctx)
			}
		}
	}()
	m.src.ListenChanges(ctx, func(k string) { m.changed(ctx, k) }, func(up bool, err error) {
		if up {
			m.rebuild(ctx)
		} else if err != nil {
			m.log.Warn("market index: change feed lost; rebuilding when it is back", "err", err)
		}
	})
}

// Version changes whenever what the market shows may have: caches of
// market pages keep what they rendered at one version.
func (m *Market) Version() uint64 { return m.version.Load() }

// Search runs r over the live market.
func (m *Market) Search(ctx context.Context, r Request) (Result, error) {
	if err := m.ensure(ctx); err != nil {
		return Result{}, err
	}
	return m.idx.Search(r), nil
}

// Suggest offers up to n listings for what has been typed.
func (m *Market) Suggest(ctx context.Context, q string, n int) ([]Suggestion, error) {
	if err := m.ensure(ctx); err != nil {
		return nil, err
	}
	return m.idx.Suggest(q, n), nil
}

// Listing returns a listing live in the market, from memory; ok is false
// for any other.
func (m *Market) Listing(ctx context.Context, id string) (Shown, bool, error) {
	if err := m.ensure(ctx); err != nil {
		return Shown{}, false, err
	}
	m.shown.RLock()
	defer m.shown.RUnlock()
	l, ok := m.listings[id]
	return l, ok, nil
}

// Category returns a category (archived ones too) as of the last rebuild.
func (m *Market) Category(ctx context.Context, id string) (shelf.Category, bool, error) {
	if err := m.ensure(ctx); err != nil {
		return shelf.Category{}, false, err
	}
	m.shown.RLock()
	defer m.shown.RUnlock()
	c, ok := m.catsSeen[id]
	return c, ok, nil
}

// Ready builds the index if it is not built yet.
func (m *Market) Ready(ctx context.Context) error { return m.ensure(ctx) }

func (m *Market) ensure(ctx context.Context) error {
	m.mu.Lock()
	built := m.built
	m.mu.Unlock()
	if built {
		return nil
	}
	return m.rebuild(ctx)
}

// rebuild reads the whole market and replaces the index.
func (m *Market) rebuild(ctx context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	list, err := m.src.MarketListings(ctx, "")
	if err != nil {
		return fmt.Errorf("market index: %w", err)
	}
	if err := m.loadFacts(ctx); err != nil {
		return err
	}
	docs := make([]Doc, 0, len(list))
	shown := make(map[string]Shown, len(list))
	for i := range list {
		if d, ok := m.docOf(ctx, &list[i]); ok {
			docs = append(docs, d)
			shown[d.ID] = Shown{ListingInfo: &list[i], Partner: d.Partner}
		}
	}
	featured, err := m.featuredIDs(ctx)
	if err != nil {
		return err
	}
	m.idx.Replace(docs)
	m.shown.Lock()
	m.listings, m.catsSeen, m.featured = shown, m.cats, featured
	m.shown.Unlock()
	m.built = true
	m.version.Add(1)
	return nil
}

func (m *Market) loadFacts(ctx context.Context) error {
	cats, err := m.src.Categories(ctx, true)
	if err != nil {
		return fmt.Errorf("market index: %w", err)
	}
	m.cats = map[string]shelf.Category{}
	for _, c := range cats {
		m.cats[c.ID] = c
	}
	if m.installs, err = m.src.InstallCounts(ctx); err != nil {
		return fmt.Errorf("market index: %w", err)
	}
	if m.ratings, err = m.src.SearchRatings(ctx, ""); err != nil {
		return fmt.Errorf("market index: %w", err)
	}
	m.partners = map[string]string{}
	return nil
}

// featuredIDs reads the ids of the featured listings, in order.
func (m *Market) featuredIDs(ctx context.Context) ([]string, error) {
	fs, err := m.src.FeaturedListings(ctx)
	if err != nil {
		return nil, fmt.Errorf("market index: %w", err)
	}
	ids := make([]string, len(fs))
	for i, f := range fs {
		ids[i] = f.ListingID
	}
	return ids, nil
}

// Featured returns the featured listings live in the market, in the
// admins' order, from memory.
func (m *Market) Featured(ctx context.Context) ([]Shown, error) {
	if err := m.ensure(ctx); err != nil {
		return nil, err
	}
	m.shown.RLock()
	defer m.shown.RUnlock()
	var out []Shown
	for _, id := range m.featured {
		if l, ok := m.listings[id]; ok {
			out = append(out, l)
		}
	}
	return out, nil
}

// refreshFeatured reads the featured listings again after a change.
func (m *Market) refreshFeatured(ctx context.Context) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.built {
		return
	}
	ids, err := m.featuredIDs(ctx)
	if err != nil {
		m.log.Warn("market index: refresh featured listings", "err", err)
		return
	}
	m.shown.Lock()
	m.featured = ids
	m.shown.Unlock()
	m.version.Add(1)
}

// changed refreshes what a change-feed key names.
func (m *Market) changed(ctx context.Context, key string) {
	if key == shelf.ChangeFeatured {
		m.refreshFeatured(ctx)
		return
	}
	if key == shelf.ChangeCategories {
		m.mu.Lock()
		built := m.built
		m.mu.Unlock()
		if built {
			if err := m.rebuild(ctx); err != nil {
				m.log.Warn("market index: rebuild after a category change", "err", err)
			}
		}
		return
	}
	id, ok := shelf.ChangedListing(key)
	if !ok {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.built {
		return // the first search builds from what is committed by then
	}
	li, err := m.src.Listing(ctx, id)
	if err != nil {
		m.log.Warn("market index: refresh listing", "listing", id, "err", err)
		return
	}
	// A rating's change touches its listing's key: read its ratings again.
	rs, err := m.src.SearchRatings(ctx, id)
	if err != nil {
		m.log.Warn("market index: refresh listing ratings", "listing", id, "err", err)
		return
	}
	delete(m.ratings, id)
	if r, ok := rs[id]; ok {
		m.ratings[id] = r
	}
	d, ok := m.docOf(ctx, li)
	m.shown.Lock()
	if ok {
		m.idx.Put(d)
		m.listings[id] = Shown{ListingInfo: li, Partner: d.Partner}
	} else {
		m.idx.Remove(id)
		delete(m.listings, id)
	}
	m.shown.Unlock()
	m.version.Add(1)
}

// docOf makes the Doc of a listing that is live in the market; ok is
// false for any other (delisted, taken down, own channel only).
func (m *Market) docOf(ctx context.Context, li *shelf.ListingInfo) (Doc, bool) {
	if li.State != shelf.ListingListed || !li.Market || li.Live == nil || (li.AppKind == shelf.AppCool && li.PartnerSuspended) {
		return Doc{}, false
	}
	partner, ok := m.partners[li.OrgID]
	if !ok {
		if o, err := m.src.Org(ctx, li.OrgID); err == nil {
			partner = o.Name
		}
		m.partners[li.OrgID] = partner
	}
	d := DocOf(li, m.cats, partner, m.installs[li.AppID])
	r := m.ratings[li.ID]
	d.Stars, d.Ratings = r.Average(), r.Count
	return d, true
}

// DocOf is what the index knows of a live listing, given the category
// tree, its partner's name and its installs.
func DocOf(li *shelf.ListingInfo, cats map[string]shelf.Category, partner string, installs int64) Doc {
	r := li.Live
	d := Doc{ID: li.ID, Name: r.Name, NameEn: r.NameEn, Subtitle: r.Subtitle, SubtitleEn: r.SubtitleEn,
		Description: r.Description, DescriptionEn: r.DescriptionEn, Tags: r.Tags, Partner: partner, Installs: installs,
		Trial: r.Trial != nil, Free: r.HasFreeSpec(), LowestPrice: -1, Listed: r.UpdatedAt.UnixMicro(), Cool: li.AppKind == shelf.AppCool}
	if r.DecidedAt != nil {
		d.Listed = r.DecidedAt.UnixMicro()
	}
	for _, s := range r.Specs {
		d.SpecNames = append(d.SpecNames, s.Name)
		if s.NameEn != "" {
			d.SpecNames = append(d.SpecNames, s.NameEn)
		}
		if d.LowestPrice < 0 || s.Price < d.LowestPrice {
			d.LowestPrice = s.Price
		}
	}
	for id, depth := li.CategoryID, 0; id != "" && depth < 2; depth++ {
		c, ok := cats[id]
		if !ok {
			break
		}
		d.CategoryIDs = append(d.CategoryIDs, c.ID)
		d.Categories = append(d.Categories, c.Name, c.NameEn)
		id = c.ParentID
	}
	return d
}

// memoMax bounds Memo's answers; past it Memo starts over.
const memoMax = 4096

// memo keeps answers computed at one version of the market.
type memo struct {
	mu      sync.RWMutex
	version uint64
	answers map[string][]byte
}

// Memo returns the answer kept under key at the current version, or
// computes, keeps and returns it: public answers (a search's JSON) are
// the same for everyone until the market changes, on any node.
func (m *Market) Memo(key string, compute func() ([]byte, error)) ([]byte, error) {
	v := m.Version()
	m.memo.mu.RLock()
	b, ok := m.memo.answers[key]
	ok = ok && m.memo.version == v
	m.memo.mu.RUnlock()
	if ok {
		return b, nil
	}
	b, err := compute()
	if err != nil {
		return nil, err
	}
	m.memo.mu.Lock()
	defer m.memo.mu.Unlock()
	if m.memo.version != v || len(m.memo.answers) >= memoMax {
		m.memo.version, m.memo.answers = v, map[string][]byte{}
	}
	m.memo.answers[key] = b
	return b, nil
}
