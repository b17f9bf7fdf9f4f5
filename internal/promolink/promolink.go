// Package promolink keeps, on each node, what promotion channels' short
// links resolve to: every scanned code or clicked link would otherwise
// read the channel and its listing from the database before anything else.
// Entries are dropped on every node through the store's change feed when
// the channel or its listing changes, and nothing is kept while the feed
// is down, so a pause or a delisting shows on the next visit.
package promolink

import (
	"context"
	"slices"
	"sync"

	"github.com/shelfhq/shelf/internal/shelf"
)

// Source reads a link from the database; *store.Store.
type Source interface {
	PromoLink(ctx context.Context, code string) (*shelf.PromoChannel, bool, error)
}

// maxLinks bounds the entries; past it one is dropped for each new one.
const maxLinks = 1 << 14

type link struct {
	c    shelf.PromoChannel
	live bool
}

// Cache is the link cache. The zero value is not usable; call New.
type Cache struct {
	src Source

	mu        sync.RWMutex
	on        bool   // the change feed is up: entries may be kept
	gen       uint64 // bumped by every invalidation
	links     map[string]link
	byListing map[string][]string // the cached codes of each listing
}

// New returns a cache over src that keeps nothing until Listening(true).
func New(src Source) *Cache {
	return &Cache{src: src, links: map[string]link{}, byListing: map[string][]string{}}
}

// PromoLink answers like Source.PromoLink, from memory when it can. An
// unknown code is never kept: guessed codes must not fill the memory.
func (c *Cache) PromoLink(ctx context.Context, code string) (*shelf.PromoChannel, bool, error) {
	code = shelf.NormPromoCode(code)
	c.mu.RLock()
	l, ok := c.links[code]
	gen := c.gen
	c.mu.RUnlock()
	if ok {
		ch := l.c
		return &ch, l.live, nil
	}
	ch, live, err := c.src.PromoLink(ctx, code)
	if err != nil {
		return nil, false, err
	}
	c.keep(gen, code, link{c: *ch, live: live})
	return ch, live, nil
}

// keep stores what was read, unless the feed is down or something was
// invalidated since the read began (the read may predate that change).
func (c *Cache) keep(readGen uint64, code string, l link) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.on || c.gen != readGen {
		return
	}
	if len(c.links) >= maxLinks {
		c.clearLocked()
	}
	c.links[code] = l
	if codes := c.byListing[l.c.ListingID]; !slices.Contains(codes, code) {
		c.byListing[l.c.ListingID] = append(codes, code)
	}
}

// Changed drops what the change-feed keys name: a channel, or every
// channel of a listing. Other keys (orgs whose commerce changed, on every
// order) are not about links and leave reads under way free to be kept.
func (c *Cache) Changed(keys ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, k := range keys {
		if code, ok := shelf.ChangedPromoChannel(k); ok {
			c.gen++
			delete(c.links, code) // its listing's list keeps the code: harmless
		} else if id, ok := shelf.ChangedListing(k); ok {
			c.gen++
			for _, code := range c.byListing[id] {
				delete(c.links, code)
			}
			delete(c.byListing, id)
		}
	}
}

// Listening tells the cache whether the change feed is up. Either way it
// drops everything: changes may have been missed while it was down.
func (c *Cache) Listening(up bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.on = up
	c.clearLocked()
}

func (c *Cache) clearLocked() {
	clear(c.links)
	clear(c.byListing)
}
