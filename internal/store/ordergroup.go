package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/shelfhq/shelf/internal/shelf"
)

// Orders arriving together commit together: the first caller leads, runs
// the orders waiting at that moment in one transaction and commits once;
// callers that arrive meanwhile form the next group. A lone order
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
	running int // groups under way
	// max is how many groups may run at once: one on SQLite, whose single
	// writer runs one transaction at a time anyway; several on
	// PostgreSQL, which runs them side by side.
	max int
}

// place queues the call and returns its result; a caller that finds fewer
// groups running than allowed runs groups until none is waiting.
func (g *orderGroup) place(ctx context.Context, s *Store, c *orderCall) (*shelf.OrderPlaced, error) {
	c.done = make(chan struct{})
	g.mu.Lock()
	g.waiting = append(g.waiting, c)
	lead := g.running < max(g.max, 1)
	if lead {
		g.running++
	}
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
			g.running--
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

// errRegroup undoes a group in which an order failed after writing: its
// orders are then placed one transaction each.
var errRegroup = errors.New("an order of the group failed after writing")

// placeGroup places the calls' orders in one transaction. An order refused
// before it wrote anything (the usual refusal: a bad spec, a second trial)
// leaves the others alone; one that failed after writing, or a database
// error, undoes the group and every order is placed on its own.
func (s *Store) placeGroup(ctx context.Context, calls []*orderCall) {
	if len(calls) == 1 {
		c := calls[0]
		c.out, c.err = s.placeAlone(ctx, c)
		return
	}
	err := s.Update(ctx, func(tx *Tx) error {
		reads, err := readGroup(ctx, tx, calls)
		if err != nil {
			return errors.Join(errRegroup, err)
		}
		tx.group = &groupWrites{reads: reads}
		for _, c := range calls {
			c.out, c.err = placeOrder(ctx, tx, c.req, c.idem, c.answer)
			var aw afterWrite
			if errors.As(c.err, &aw) || c.err != nil && shelf.ErrorKind(c.err) == shelf.KindInternal {
				return errRegroup
			}
		}
		return tx.group.flush(ctx, tx)
	})
	if errors.Is(err, errRegroup) {
		for _, c := range calls {
			c.out, c.err = s.placeAlone(ctx, c)
		}
		return
	}
	for _, c := range calls {
		switch {
		case err != nil: // the commit failed: nothing was placed
			c.out, c.err = nil, err
		case c.err != nil:
			c.out, c.err = nil, fmt.Errorf("create order: %w", c.err)
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
	var aw afterWrite
	if errors.As(err, &aw) {
		err = aw.error
	}
	return out, err
}

// groupWrites are the rows a group's orders write alike: their audit
// entries and their kept answers, written in one statement each; and what
// they read alike, read once.
type groupWrites struct {
	reads  *groupReads
	orders []orderRow
	audits []auditRow
	keys   []keyRow
}

// orderRow is an order waiting for payment, written with its group.
type orderRow struct {
	ID          string `json:"id"`
	Org         string `json:"org"`
	App         string `json:"app"`
	Listing     string `json:"listing"`
	Type        string `json:"type"`
	Spec        string `json:"spec"`
	Users       int    `json:"users"`
	Periods     int    `json:"periods"`
	Amount      int64  `json:"amount"`
	Currency    string `json:"currency"`
	Computation string `json:"computation"`
	Channel     string `json:"channel"`
	By          string `json:"by"`
}

// keyRow is an idempotency key with its answer.
type keyRow struct {
	Org    string `json:"org"`
	Key    string `json:"key"`
	Hash   string `json:"hash"`
	Status int    `json:"status"`
	Body   string `json:"body"`
}

// kept finds an answer an earlier order of the group keeps under the key.
func (g *groupWrites) kept(orgID string, idem shelf.Idempotency) (*shelf.Answer, bool, error) {
	for _, k := range g.keys {
		if k.Org == orgID && k.Key == idem.Key {
			if k.Hash != idem.Hash {
				return nil, true, errKeyReused
			}
			return &shelf.Answer{Status: k.Status, Body: []byte(k.Body)}, true, nil
		}
	}
	return nil, false, nil
}

// flush writes the group's rows. A key already taken (its request
// committed elsewhere meanwhile) undoes the group: errRegroup.
func (g *groupWrites) flush(ctx context.Context, tx *Tx) error {
	tx.group = nil
	if err := g.flushOrders(ctx, tx); err != nil {
		return err
	}
	if len(g.audits) > 0 {
		doc, err := json.Marshal(g.audits)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO audit_log (id, actor_id, action, object_type, object_id, before_doc, after_doc, reason, at)
			SELECT value ->> 'id', value ->> 'actor', value ->> 'action', value ->> 'type', value ->> 'object', value ->> 'before',
				value ->> 'after', value ->> 'reason', $2 FROM `+tx.s.dialect.jsonRows("$1"), string(doc), micros(tx.Now())); err != nil {
			return fmt.Errorf("audit a group of orders: %w", err)
		}
	}
	if len(g.keys) == 0 {
		return nil
	}
	doc, err := json.Marshal(g.keys)
	if err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO idempotency_keys (org_id, idem_key, request_hash, status, body, created_at)
		SELECT value ->> 'org', value ->> 'key', value ->> 'hash', CAST(value ->> 'status' AS INTEGER), value ->> 'body', $2
		FROM `+tx.s.dialect.jsonRows("$1")+` WHERE true ON CONFLICT (org_id, idem_key) DO NOTHING`, string(doc), micros(tx.Now()))
	if err != nil {
		return fmt.Errorf("keep a group's answers: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != int64(len(g.keys)) {
		return errRegroup
	}
	return nil
}

// flushOrders writes the group's orders waiting for payment. One that
// finds another order of its app waiting (placed meanwhile, or earlier in
// the group) undoes the group: errRegroup, and alone it is refused.
func (g *groupWrites) flushOrders(ctx context.Context, tx *Tx) error {
	if len(g.orders) == 0 {
		return nil
	}
	doc, err := json.Marshal(g.orders)
	if err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO orders (id, org_id, app_id, listing_id, type, spec_code, users, periods, state, amount, currency,
		test, computation, channel, created_by, created_at)
		SELECT value ->> 'id', value ->> 'org', value ->> 'app', value ->> 'listing', value ->> 'type', value ->> 'spec',
			CAST(value ->> 'users' AS INTEGER), CAST(value ->> 'periods' AS INTEGER), 'created', CAST(value ->> 'amount' AS BIGINT),
			value ->> 'currency', $2, value ->> 'computation', value ->> 'channel', value ->> 'by', $3
		FROM `+tx.s.dialect.jsonRows("$1")+` WHERE true ON CONFLICT (org_id, app_id) WHERE state = 'created' DO NOTHING`,
		string(doc), false, micros(tx.Now()))
	if err != nil {
		return fmt.Errorf("insert a group's orders: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != int64(len(g.orders)) {
		return errRegroup
	}
	return nil
}
