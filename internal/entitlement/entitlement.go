// Package entitlement answers the vendor API's hottest question, "may this
// user use the app?", from memory: it keeps each org's licenses and the
// vendor tokens it has seen, and drops an org's entries the moment a
// change to that org commits, on this node (synchronously, before the
// change's request returns) or on another (through the store's change
// feed). While the feed is down it keeps nothing, so a missed change can
// never be served.
package entitlement

import (
	"context"
	"sync"

	"github.com/shelfhq/shelf/internal/shelf"
)

// Source is where licenses and tokens come from on a miss; *store.Store.
type Source interface {
	License(ctx context.Context, appID, orgID string) (*shelf.License, error)
	VendorTokenGrant(ctx context.Context, access string) (*shelf.TokenGrant, error)
}

// maxEntries bounds the orgs and the tokens kept; past it, arbitrary
// entries make room.
const maxEntries = 100_000

// orgEntry is what the cache keeps of one org.
type orgEntry struct {
	licenses map[string]*shelf.License // by app
	tokens   []string                  // kept tokens into the org
}

// Cache is the entitlement cache. The zero value is not usable; call New.
type Cache struct {
	src   Source
	clock shelf.Clock

	mu     sync.RWMutex
	on     bool   // the change feed is up: entries may be kept
	gen    uint64 // bumped by every invalidation
	orgs   map[string]*orgEntry
	tokens map[string]shelf.TokenGrant // by the token itself
}

// New returns a cache over src that keeps nothing until Listening(true).
func New(src Source, clock shelf.Clock) *Cache {
	return &Cache{src: src, clock: clock, orgs: map[string]*orgEntry{}, tokens: map[string]shelf.TokenGrant{}}
}

// Changed drops everything the cache holds about the orgs: their licenses
// and the tokens into them.
func (c *Cache) Changed(orgIDs ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for _, org := range orgIDs {
		if e := c.orgs[org]; e != nil {
			for _, t := range e.tokens {
				delete(c.tokens, t)
			}
			delete(c.orgs, org)
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
	clear(c.orgs)
	clear(c.tokens)
}

// org returns the org's entry, making room for it if needed; c.mu is held.
func (c *Cache) org(id string) *orgEntry {
	e := c.orgs[id]
	if e == nil {
		if len(c.orgs) >= maxEntries {
			evictOne(c.orgs)
		}
		e = &orgEntry{licenses: map[string]*shelf.License{}}
		c.orgs[id] = e
	}
	return e
}

// Grant returns what an org access token allows, or unauthenticated.
func (c *Cache) Grant(ctx context.Context, access string) (shelf.TokenGrant, error) {
	c.mu.RLock()
	g, ok := c.tokens[access]
	gen := c.gen
	c.mu.RUnlock()
	if ok && c.clock.Now().Before(g.ExpiresAt) {
		return g, nil
	}
	loaded, err := c.src.VendorTokenGrant(ctx, access)
	if err != nil {
		return shelf.TokenGrant{}, err
	}
	c.keep(gen, func() {
		if len(c.tokens) >= maxEntries {
			evictOne(c.tokens)
		}
		c.tokens[access] = *loaded
		e := c.org(loaded.OrgID)
		e.tokens = append(e.tokens, access)
	})
	return *loaded, nil
}

// Entitlements answers for the users of one org and app at this moment.
func (c *Cache) Entitlements(ctx context.Context, appID, orgID string, userIDs []string) ([]shelf.Entitlement, error) {
	c.mu.RLock()
	var l *shelf.License
	if e := c.orgs[orgID]; e != nil {
		l = e.licenses[appID]
	}
	gen := c.gen
	c.mu.RUnlock()
	if l == nil {
		var err error
		if l, err = c.src.License(ctx, appID, orgID); err != nil {
			return nil, err
		}
		c.keep(gen, func() { c.org(orgID).licenses[appID] = l })
	}
	now := c.clock.Now()
	out := make([]shelf.Entitlement, len(userIDs))
	for i, u := range userIDs {
		out[i] = l.Entitlement(u, now)
	}
	return out, nil
}

// keep stores what was read, unless the feed is down or something was
// invalidated since the read began (the read may predate that change).
func (c *Cache) keep(readGen uint64, store func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.on && c.gen == readGen {
		store()
	}
}

func evictOne[K comparable, V any](m map[K]V) {
	for k := range m {
		delete(m, k)
		return
	}
}

// Feed tells of committed changes: this node's as they commit, other
// nodes' as they arrive; *store.Store.
type Feed interface {
	OnChange(fn func(orgIDs []string))
	ListenChanges(ctx context.Context, fn func(orgID string), state func(listening bool, err error))
}

// Run keeps the cache in step with the feed until ctx ends.
func Run(ctx context.Context, s Feed, c *Cache, onState func(listening bool, err error)) {
	shelf.FollowChanges(ctx, s, c, onState)
}
