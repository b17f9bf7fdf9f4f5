package store

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/shelfhq/shelf/internal/shelf"
)

// Orders arriving together commit together: the first caller leads, runs
// the orders waiting at that moment in one transaction (each in its own
// savepoint, so one refused order leaves the others alone) and commits
// once; callers that arrive meanwhile form the next group. A lone order
// costs what it did alone; under load one commit (one fsync on SQLite,
// one WAL flush on PostgreSQL) serves many orders.

// maxOrderGroup bounds the orders of one transaction.
const maxOrderGroup = 64

type orderCall struct {
	req    shelf.OrderRequest
	idem   shelf.Idempotency
	answer shelf.AnswerFunc
	out    *shelf.OrderPlaced
	err    error
	done   chan struct{}
}

type orderGroup struct {
	mu      sync.Mutex
	waiting []*orderCall
	running bool
}

// place queues the call and returns its result; the caller that finds no
// group running runs groups until none is waiting.
func (g *orderGroup) place(ctx context.Context, s *Store, c *orderCall) (*shelf.OrderPlaced, error) {
	c.done = make(chan struct{})
	g.mu.Lock()
	g.waiting = append(g.waiting, c)
	lead := !g.running
	g.running = true
	g.mu.Unlock()
	if lead {
		// The group serves other callers too: it must not end with this
		// caller's request.
		g.lead(context.WithoutCancel(ctx), s)
	}
	select {
	case <-c.done:
		return c.out, c.err
	case <-ctx.Done():
		// The order may still be placed; a retry with the key tells.
		return nil, ctx.Err()
	}
}

func (g *orderGroup) lead(ctx context.Context, s *Store) {
	for {
		g.mu.Lock()
		n := min(len(g.waiting), maxOrderGroup)
		calls := g.waiting[:n:n]
		g.waiting = g.waiting[n:]
		if n == 0 {
			g.running = false
			g.mu.Unlock()
			return
		}
		g.mu.Unlock()
		s.placeGroup(ctx, calls)
		for _, c := range calls {
			close(c.done)
		}
	}
}

// placeGroup places the calls' orders in one transaction.
func (s *Store) placeGroup(ctx context.Context, calls []*orderCall) {
	if len(calls) == 1 {
		c := calls[0]
		c.out, c.err = s.placeAlone(ctx, c)
		return
	}
	err := s.Update(ctx, func(tx *Tx) error {
		for _, c := range calls {
			if err := placeInSavepoint(ctx, tx, c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil { // the transaction itself failed: nothing was placed
		for _, c := range calls {
			c.out, c.err = nil, err
		}
	}
}

// placeAlone places one order in a transaction of its own.
func (s *Store) placeAlone(ctx context.Context, c *orderCall) (*shelf.OrderPlaced, error) {
	var out *shelf.OrderPlaced
	err := s.Update(ctx, func(tx *Tx) error {
		var err error
		out, err = placeOrder(ctx, tx, c.req, c.idem, c.answer)
		return err
	})
	if errors.Is(err, errReplay) {
		var kept *shelf.Answer
		if kept, err = keptAnswer(ctx, s.write, c.req.OrgID, c.idem); err == nil && kept != nil {
			return &shelf.OrderPlaced{Answer: *kept, Replay: true}, nil
		}
	}
	return out, err
}

// placeInSavepoint places one order of a group; what it refuses is undone
// to its savepoint and told to its caller. Only a failure of the
// transaction itself is returned.
func placeInSavepoint(ctx context.Context, tx *Tx, c *orderCall) error {
	if _, err := tx.Tx.ExecContext(ctx, `SAVEPOINT shelf_order`); err != nil {
		return fmt.Errorf("savepoint: %w", err)
	}
	c.out, c.err = placeOrder(ctx, tx, c.req, c.idem, c.answer)
	if c.err == nil {
		_, err := tx.Tx.ExecContext(ctx, `RELEASE SAVEPOINT shelf_order`)
		return err
	}
	if _, err := tx.Tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT shelf_order`); err != nil {
		return fmt.Errorf("rollback to savepoint: %w", err)
	}
	if _, err := tx.Tx.ExecContext(ctx, `RELEASE SAVEPOINT shelf_order`); err != nil {
		return err
	}
	if errors.Is(c.err, errReplay) { // the same request, committed by another node meanwhile
		kept, err := keptAnswer(ctx, tx, c.req.OrgID, c.idem)
		c.out, c.err = &shelf.OrderPlaced{Answer: derefAnswer(kept), Replay: true}, err
	}
	if c.err != nil {
		c.out, c.err = nil, fmt.Errorf("create order: %w", c.err)
	}
	return nil
}
