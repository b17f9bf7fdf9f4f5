package store

import (
	"context"
	"database/sql"
	"sync"
)

// maxCachedStmts bounds the prepared statements kept per store: the write
// transactions' SQL texts are fixed (batches travel as one JSON
// parameter), so a few dozen cover them; a text built with a varying
// shape past the bound simply runs unprepared.
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
	on bool
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

// get returns the prepared form of query, or nil.
func (c *stmtCache) get(query string) *sql.Stmt {
	if !c.on {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[query]
}

// prepare prepares the queries not yet cached, on db (outside any
// transaction: the write pool's one connection must be free). A query that
// fails to prepare (say, before its table is migrated) is left to run
// unprepared and tried again later.
func (c *stmtCache) prepare(ctx context.Context, db *sql.DB, queries []string) {
	if !c.on || len(queries) == 0 {
		return
	}
	for _, q := range queries {
		c.mu.Lock()
		_, have := c.m[q]
		full := len(c.m) >= maxCachedStmts
		c.mu.Unlock()
		if have || full {
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
			c.m = map[string]*sql.Stmt{}
		}
		c.m[q] = st
		c.mu.Unlock()
	}
}

// close closes the prepared statements.
func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		st.Close()
	}
	c.m = nil
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
	if st := tx.s.stmts.get(query); st != nil {
		return tx.Tx.StmtContext(ctx, st)
	}
	tx.unprepared = append(tx.unprepared, query)
	return nil
}
