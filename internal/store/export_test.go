package store

import (
	"context"
	"database/sql"
	"fmt"
)

// MigrateTo applies the embedded migrations up to version only: the
// migration tests build a database as an older Shelf left it.
func (s *Store) MigrateTo(ctx context.Context, version int64) error {
	p, err := s.migrator()
	if err != nil {
		return err
	}
	if _, err := p.UpTo(ctx, version); err != nil {
		return fmt.Errorf("migrate to %d: %w", version, err)
	}
	return nil
}

// MigrateDownTo rolls the embedded migrations back to version.
func (s *Store) MigrateDownTo(ctx context.Context, version int64) error {
	p, err := s.migrator()
	if err != nil {
		return err
	}
	if _, err := p.DownTo(ctx, version); err != nil {
		return fmt.Errorf("migrate down to %d: %w", version, err)
	}
	return nil
}

// SeePageQueries calls see with every paged list query the store runs
// (nil stops).
func (s *Store) SeePageQueries(see func(query string, args []any)) {
	if see == nil {
		s.pageQueries.Store(nil)
		return
	}
	s.pageQueries.Store(&see)
}

// ReadDB is the read pool, for the plan test's EXPLAIN.
func (s *Store) ReadDB() *sql.DB { return s.read }

// IsPostgres reports the engine.
func (s *Store) IsPostgres() bool { return s.dialect == postgres }
