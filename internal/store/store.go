// Package store keeps Shelf's data in SQLite (embedded, the default) or
// PostgreSQL, behind one set of methods and one SQL text. The differences
// between the two engines live in dialect.go.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/pressly/goose/v3"
	"github.com/shelfhq/shelf/internal/secret"
	"github.com/shelfhq/shelf/internal/shelf"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is the database. It is safe for concurrent use.
type Store struct {
	dialect dialect
	// write takes every write transaction. On SQLite it is a single
	// connection, so writers queue in Go instead of failing with SQLITE_BUSY;
	// on PostgreSQL it is the same pool as read.
	write *sql.DB
	read  *sql.DB
	clock shelf.Clock
	// box seals the secrets the store must read back (webhook signing
	// secrets); nil refuses to create them.
	box *secret.Box
	// stmts holds the write transactions' statements prepared once on
	// SQLite's single write connection (see Tx.ExecContext).
	stmts stmtCache
	// dsn is kept for the connection that listens for other nodes' changes.
	dsn     string
	changes changeHub
	// orders groups concurrent orders into one transaction.
	orders orderGroup
	// visits groups concurrent promotion visits into one transaction.
	visits visitGroup
	// onEmit is called after each commit of a transaction that emitted.
	onEmit atomic.Pointer[func()]
	// auditSeq orders the audit entries this store writes (see auditID).
	auditSeq atomic.Uint64
	// pageQueries, when set (by the list-plan test), sees every paged list
	// query as it runs (see queryPage).
	pageQueries atomic.Pointer[func(query string, args []any)]
}

// Options configure Open.
type Options struct {
	// Clock defaults to the system clock.
	Clock shelf.Clock
	// MaxReadConns bounds the read pool (default 8).
	MaxReadConns int
	// SecretBox seals webhook signing secrets. Without it apps cannot be
	// registered nor their events signed.
	SecretBox *secret.Box
	// OnEmit is called after each committed transaction that emitted an
	// event (see SetOnEmit).
	OnEmit func()
}

// Open connects to dsn: a postgres:// or postgresql:// URL selects
// PostgreSQL, anything else is a SQLite file path. It does not migrate.
func Open(ctx context.Context, dsn string, opt Options) (*Store, error) {
	if opt.Clock == nil {
		opt.Clock = shelf.SystemClock{}
	}
	if opt.MaxReadConns <= 0 {
		opt.MaxReadConns = 8
	}
	s := &Store{clock: opt.Clock, box: opt.SecretBox, dsn: dsn}
	s.SetOnEmit(opt.OnEmit)
	var err error
	if IsPostgres(dsn) {
		s.dialect = postgres
		s.write, err = sql.Open("pgx", dsn)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		s.write.SetMaxOpenConns(opt.MaxReadConns * 2)
		// Two groups side by side: one fills while the other commits.
		// More groups are smaller groups, and on PostgreSQL a group's
		// round trips, not its rows, are its cost (measured: 8 groups
		// 0.28–0.34 of raw inserts, 4 groups 0.44–0.49, 2 groups 0.49–0.52;
		// docs/benchmarks.md, "Durable orders").
		s.orders.max = min(2, opt.MaxReadConns)
		s.write.SetMaxIdleConns(opt.MaxReadConns * 2)
		s.read = s.write
	} else {
		s.dialect = sqlite
		if err := os.MkdirAll(filepath.Dir(dsn), 0o700); err != nil {
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
		if s.write, err = sql.Open("sqlite", sqliteDSN(dsn, true)); err != nil {
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
		s.write.SetMaxOpenConns(1)
		s.write.SetConnMaxIdleTime(0)
		if s.read, err = sql.Open("sqlite", sqliteDSN(dsn, false)); err != nil {
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
		s.read.SetMaxOpenConns(opt.MaxReadConns)
		s.stmts.on = true
	}
	if err := s.write.PingContext(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("connect %s: %w", s.dialect, err)
	}
	return s, nil
}

// sqliteDSN sets the pragmas on every connection: WAL so readers never
// block the writer; foreign keys on (off by default in SQLite); a busy
// timeout as a second line of defence behind the single writer; and
// synchronous=FULL so an acknowledged write survives power loss. Write
// transactions start IMMEDIATE so two can never deadlock upgrading locks.
// temp_store=MEMORY keeps temporary files in memory: above all the
// statement journal, which lets a statement that changes many rows inside a
// transaction be undone alone, and which otherwise spills to a file, a
// write syscall per page (most of a delivery batch's cost). Nothing in it
// outlives its statement, so durability is unchanged.
//
// The one writer also gets a page cache of 64 MiB (SQLite's default is
// 2 MiB) and checkpoints every 16,384 WAL pages (64 MiB) instead of 1,000:
// writes that land on random pages of a large index (a day's visits of a
// channel, keyed by a hash) otherwise read their leaves back from the file
// and copy them into the database again and again, and both showed in the
// profile of scanned codes (docs/benchmarks.md, issue 10, fourth pass).
func sqliteDSN(path string, write bool) string {
	q := "_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_pragma=synchronous(FULL)&_pragma=temp_store(MEMORY)"
	if write {
		q += "&_txlock=immediate&_pragma=cache_size(-65536)&_pragma=wal_autocheckpoint(16384)"
	} else {
		q += "&_pragma=query_only(1)"
	}
	return "file:" + path + "?" + q
}

// IsPostgres reports whether dsn names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Close closes the connection pools.
func (s *Store) Close() error {
	s.stmts.close()
	var err error
	if s.read != nil && s.read != s.write {
		err = s.read.Close()
	}
	if s.write != nil {
		err = errors.Join(err, s.write.Close())
	}
	return err
}

// Dialect names the database engine: "sqlite" or "postgres".
func (s *Store) Dialect() string { return string(s.dialect) }

// Clock returns the store's clock.
func (s *Store) Clock() shelf.Clock { return s.clock }

// Migrate applies every pending embedded migration.
func (s *Store) Migrate(ctx context.Context) ([]string, error) {
	p, err := s.migrator()
	if err != nil {
		return nil, err
	}
	res, err := p.Up(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	var applied []string
	for _, r := range res {
		applied = append(applied, r.Source.Path)
	}
	return applied, nil
}

// MigrationStatus lists every migration and whether it is applied.
func (s *Store) MigrationStatus(ctx context.Context) ([]string, error) {
	p, err := s.migrator()
	if err != nil {
		return nil, err
	}
	st, err := p.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("migration status: %w", err)
	}
	var out []string
	for _, m := range st {
		out = append(out, fmt.Sprintf("%-8s %s", m.State, m.Source.Path))
	}
	return out, nil
}

func (s *Store) migrator() (*goose.Provider, error) {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return nil, err
	}
	d := goose.DialectSQLite3
	if s.dialect == postgres {
		d = goose.DialectPostgres
	}
	p, err := goose.NewProvider(d, s.write, sub)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	return p, nil
}

// Ping checks the database answers; used by /readyz.
func (s *Store) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	return s.read.PingContext(ctx)
}

// SetOnEmit sets the func called after each committed transaction that
// emitted an event, whichever method emitted it: typically the webhook
// dispatcher's Wake, so new events go out at once instead of at its next
// poll. It runs on the committing goroutine and must not block. nil
// removes it.
func (s *Store) SetOnEmit(fn func()) {
	if fn == nil {
		s.onEmit.Store(nil)
		return
	}
	s.onEmit.Store(&fn)
}

// Tx is a write transaction with the time captured once at its start, so
// every row it writes carries the same timestamp.
type Tx struct {
	*sql.Tx
	now time.Time
	s   *Store
	// unprepared lists the statements run without a prepared form, to
	// prepare once the connection is free again.
	unprepared []string
	// touched lists the orgs whose commerce facts this transaction changed.
	touched []string
	// group, while a group of orders runs, gathers the rows its orders
	// write alike, to write them in one statement each.
	group *groupWrites
	// emitted is set by Emit: the commit calls the store's OnEmit.
	emitted bool
}

// Now is the transaction's time.
func (tx *Tx) Now() time.Time { return tx.now }

// Update runs fn in a write transaction, committing if fn returns nil.
func (s *Store) Update(ctx context.Context, fn func(tx *Tx) error) error {
	sqlTx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	tx := &Tx{Tx: sqlTx, now: s.clock.Now().UTC(), s: s}
	if err := fn(tx); err != nil {
		_ = sqlTx.Rollback()
		s.stmts.prepare(ctx, s.write, tx.unprepared)
		return err
	}
	if err := tx.notifyTouched(ctx); err != nil {
		_ = sqlTx.Rollback()
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	s.stmts.prepare(ctx, s.write, tx.unprepared)
	s.changes.publish(tx.touched)
	if fn := s.onEmit.Load(); fn != nil && tx.emitted {
		(*fn)()
	}
	return nil
}

// errConcurrent answers a change that lost a race with another one: the
// row was no longer in the state the change was decided on.
var errConcurrent = &shelf.Error{Kind: shelf.KindConflict, Code: "concurrent_change", Message: "someone changed this at the same moment; reload and try again"}

// execOne runs a conditional UPDATE that must change exactly one row; zero
// means the condition (usually the state read earlier) no longer held.
func (tx *Tx) execOne(ctx context.Context, query string, args ...any) error {
	res, err := tx.ExecContext(ctx, query, args...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != 1 {
		return errConcurrent
	}
	return nil
}

// queryer is what read helpers need: a *sql.DB or a transaction.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// micros converts a time to the stored form: unix microseconds.
func micros(t time.Time) int64 { return t.UTC().UnixMicro() }

// fromMicros converts a stored time back.
func fromMicros(v int64) time.Time { return time.UnixMicro(v).UTC() }

// nullMicros converts an optional stored time.
func nullMicros(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := fromMicros(v.Int64)
	return &t
}
