package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
)

// visitGroup commits the visits that arrive together in one transaction:
// a landing answers only once its visit is durable, and one commit (one
// fsync on SQLite) serves every visit that waited for it. No timer: the
// visits that arrive while a commit runs make the next one.
type visitGroup struct {
	mu      sync.Mutex
	pending []*visitCall
	running bool
	// seen holds the anonymous visits of the day already committed by
	// this node: a repeat is durable already and needs no transaction.
	seen    map[visitKey]bool
	seenDay int64
	// link is PromoLink's statement, prepared once on the read pool: the
	// path of every scanned code need not parse it each time.
	linkMu sync.Mutex
	link   *sql.Stmt
}

const promoLinkQuery = `SELECT ` + promoColumns + `, l.state = 'listed' AND l.live_revision_id <> ''
	FROM promo_channels c JOIN listings l ON l.id = c.listing_id WHERE c.code = $1`

// linkStmt prepares the statement on first use (again after a failure).
func (g *visitGroup) linkStmt(ctx context.Context, db *sql.DB) (*sql.Stmt, error) {
	g.linkMu.Lock()
	defer g.linkMu.Unlock()
	if g.link == nil {
		st, err := db.PrepareContext(context.WithoutCancel(ctx), promoLinkQuery)
		if err != nil {
			return nil, err
		}
		g.link = st
	}
	return g.link, nil
}

type visitKey struct{ channel, visitor string }

// maxSeen bounds the memory of visits seen; past it the set starts again
// (a repeat then costs a transaction that changes nothing).
const maxSeen = 1 << 17

type visitCall struct {
	c    *shelf.PromoChannel
	v    shelf.PromoVisit
	done chan error
}

// maxVisitGroup bounds a group, so a commit's statements stay few.
const maxVisitGroup = 256

// visitGather bounds how long a group waits for more visits when visits
// keep coming (never for a lone visit): half as long as the last commit
// took, so a slow disk (where the commit's sync is the cost) gathers more
// visits per commit and a fast one hardly waits.
const visitGather = 2 * time.Millisecond

// RecordPromoVisit records a landing on a channel's link, durably: one
// visit per visitor, channel and day, and for a signed-in visitor their
// last touch of the listing (what later installs, trials and orders are
// attributed to). The partner's own people are never counted. Visits that
// arrive together are committed together.
func (s *Store) RecordPromoVisit(ctx context.Context, c *shelf.PromoChannel, v shelf.PromoVisit) error {
	call := &visitCall{c: c, v: v, done: make(chan error, 1)}
	g := &s.visits
	g.mu.Lock()
	if v.UserID == "" && g.seenDay == shelf.PromoDay(v.At) && g.seen[visitKey{c.ID, v.Visitor}] {
		g.mu.Unlock()
		return nil
	}
	g.pending = append(g.pending, call)
	if !g.running {
		g.running = true
		go s.commitVisits()
	}
	g.mu.Unlock()
	select {
	case err := <-call.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// commitVisits writes the waiting visits, a group per transaction, until
// none waits. A group that fails is written visit by visit, so one bad
// visit fails alone.
func (s *Store) commitVisits() {
	g := &s.visits
	var took time.Duration // the last commit's
	for first := true; ; first = false {
		g.mu.Lock()
		if n := len(g.pending); !first && n > 0 && n < maxVisitGroup/4 {
			// Under load (visits arrived during the last commit): wait a
			// moment for more, since the commit, not the row, is the cost.
			g.mu.Unlock()
			time.Sleep(min(took/2, visitGather))
			g.mu.Lock()
		}
		calls := g.pending[:min(len(g.pending), maxVisitGroup)]
		g.pending = g.pending[len(calls):]
		if len(calls) == 0 {
			g.running = false
			g.mu.Unlock()
			return
		}
		g.mu.Unlock()
		start := time.Now()
		err := s.writeVisits(calls)
		took = time.Since(start)
		for _, call := range calls {
			callErr := err
			if err != nil && len(calls) > 1 {
				callErr = s.writeVisits([]*visitCall{call})
			}
			if callErr == nil {
				g.remember(call)
			}
			call.done <- callErr
		}
	}
}

// writeVisits writes a group: the anonymous visits (nearly all) in one
// statement, a signed-in visitor's visit and touch on their own.
func (s *Store) writeVisits(calls []*visitCall) error {
	ctx := context.Background()
	return s.Update(ctx, func(tx *Tx) error {
		var anon []anonVisit
		for _, call := range calls {
			if call.v.UserID == "" {
				anon = append(anon, anonVisit{call.c.ID, shelf.PromoDay(call.v.At), call.v.Visitor})
				continue
			}
			if err := writeVisit(ctx, tx, call.c, call.v); err != nil {
				return fmt.Errorf("record visit of %s: %w", call.c.Code, err)
			}
		}
		return writeAnonVisits(ctx, tx, anon)
	})
}

// anonVisit is a visit of no one signed in, written with its group.
type anonVisit struct {
	Channel string `json:"c"`
	Day     int64  `json:"d"`
	Visitor string `json:"v"`
}

// writeAnonVisits writes anonymous visits in one statement; a visit the
// day already has changes nothing.
func writeAnonVisits(ctx context.Context, tx *Tx, visits []anonVisit) error {
	if len(visits) == 0 {
		return nil
	}
	doc, err := jsonParam(visits)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO promo_visits (channel_id, day, visitor)
		SELECT value ->> 'c', CAST(value ->> 'd' AS BIGINT), value ->> 'v' FROM `+tx.s.dialect.jsonRows("$1")+`
		WHERE true ON CONFLICT (channel_id, day, visitor) DO NOTHING`, doc); err != nil {
		return fmt.Errorf("record a group of visits: %w", err)
	}
	return nil
}

// remember keeps a committed anonymous visit of today in the seen set.
func (g *visitGroup) remember(call *visitCall) {
	if call.v.UserID != "" {
		return
	}
	day := shelf.PromoDay(call.v.At)
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.seen == nil || g.seenDay != day || len(g.seen) >= maxSeen {
		g.seen, g.seenDay = map[visitKey]bool{}, day
	}
	g.seen[visitKey{call.c.ID, call.v.Visitor}] = true
}
