package store

import (
	"container/list"
	"context"
	"database/sql"
	"sync"
)

// maxCachedStmts bounds the prepared statements kept per store: the write
// transactions' SQL texts are fixed (batches travel as one JSON
// parameter), so a few dozen cover them; past the bound the least recently
// used statement is closed to make room, so a text that varies by mistake
// can cost a re-prepare but never leak statements nor freeze the cache.
const maxCachedStmts = 256

// stmtCache keeps write statements prepared on SQLite's write pool, whose
// single connection then compiles each SQL text once instead of at every
// execution (parsing and planning were about a tenth of a dispatcher
// round). A transaction reuses the compiled form through
// sql.Tx.StmtContext, which finds the statement already prepared on the
// transaction's connection (or prepares it there, if the pool replaced the
// connection). Statements are prepared only while no transaction holds the
// connection: after Update ends, for the texts the transaction ran
// unprepared. On PostgreSQL the cache stays off: pgx already keeps a
// prepared statement per text on each connection.
type stmtCache struct {
	on  bool
	mu  sync.Mutex
	m   map[string]*list.Element // of *cachedStmt
	lru list.List                // most recently used first
}

type cachedStmt struct {
	query string
	st    *sql.Stmt
}

// bind returns query's prepared statement bound to tx, or nil if it is not
// cached. It binds under the lock, so eviction never closes a statement
// between the lookup and the binding (a statement already bound stays
// usable: database/sql closes it for good once its last user is done).
func (c *stmtCache) bind(ctx context.Context, tx *sql.Tx, query string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[query]
	if !ok {
		return nil
	}
	c.lru.MoveToFront(e)
	return tx.StmtContext(ctx, e.Value.(*cachedStmt).st)
}

// prepare prepares the queries not yet cached, on db (outside any
// transaction: the write pool's one connection must be free), evicting
// the least recently used past the bound. A query that fails to prepare
// (say, before its table is migrated) is left to run unprepared and tried
// again later.
func (c *stmtCache) prepare(ctx context.Context, db *sql.DB, queries []string) {
	if !c.on || len(queries) == 0 {
		return
	}
	for _, q := range queries {
		c.mu.Lock()
		_, have := c.m[q]
		c.mu.Unlock()
		if have {
			continue
		}
		st, err := db.PrepareContext(context.WithoutCancel(ctx), q)
		if err != nil {
			continue
		}
		c.mu.Lock()
		if _, have := c.m[q]; have {
			c.mu.Unlock()
			st.Close()
			continue
		}
		if c.m == nil {
			c.m = map[string]*list.Element{}
		}
		c.m[q] = c.lru.PushFront(&cachedStmt{query: q, st: st})
		for len(c.m) > maxCachedStmts {
			old := c.lru.Remove(c.lru.Back()).(*cachedStmt)
			delete(c.m, old.query)
			old.st.Close()
		}
		c.mu.Unlock()
	}
}

// close closes the prepared statements.
func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, e := range c.m {
		e.Value.(*cachedStmt).st.Close()
	}
	c.m = nil
	c.lru.Init()
}

// ExecContext runs query in the transaction, prepared once per connection
// on SQLite.
func (tx *Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := tx.stmt(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return tx.Tx.ExecContext(ctx, query, args...)
}

// QueryContext runs query in the transaction, prepared once per connection
// on SQLite.
func (tx *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := tx.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return tx.Tx.QueryContext(ctx, query, args...)
}

// QueryRowContext runs query in the transaction, prepared once per
// connection on SQLite.
func (tx *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := tx.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return tx.Tx.QueryRowContext(ctx, query, args...)
}

// stmt returns query's prepared statement bound to tx, or nil (the cache
// is off, or the text is not prepared yet: it is noted for after the
// transaction).
func (tx *Tx) stmt(ctx context.Context, query string) *sql.Stmt {
	if !tx.s.stmts.on {
		return nil
	}
	if st := tx.s.stmts.bind(ctx, tx.Tx, query); st != nil {
		return st
	}
	tx.unprepared = append(tx.unprepared, query)
	return nil
}
