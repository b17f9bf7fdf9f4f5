// Package storetest opens real, migrated databases for tests (a SQLite file
// in a temporary folder, or a fresh database on the PostgreSQL server named
// by SHELF_TEST_POSTGRES) and holds the storage contract suite that both
// backends must pass unchanged.
package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/secret"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store"
)

// Backend names.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// Epoch is the time ManualClocks in tests start at.
var Epoch = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

// Backends lists the backends to run on: SQLite always, PostgreSQL when
// SHELF_TEST_POSTGRES is set. When SHELF_TEST_REQUIRE_ALL is set (the test
// script and CI set it) a missing PostgreSQL fails the test instead of
// narrowing the run.
func Backends(tb testing.TB) []string {
	tb.Helper()
	if os.Getenv("SHELF_TEST_POSTGRES") != "" {
		return []string{SQLite, Postgres}
	}
	if os.Getenv("SHELF_TEST_REQUIRE_ALL") != "" {
		tb.Fatal("SHELF_TEST_POSTGRES is not set but SHELF_TEST_REQUIRE_ALL is: run the tests through scripts/test.sh")
	}
	return []string{SQLite}
}

// DSN returns a fresh, empty database for backend, dropped when the test
// ends.
func DSN(tb testing.TB, backend string) string {
	tb.Helper()
	if backend == SQLite {
		return filepath.Join(tb.TempDir(), "shelf.db")
	}
	admin := os.Getenv("SHELF_TEST_POSTGRES")
	if admin == "" {
		tb.Fatal("SHELF_TEST_POSTGRES is not set")
	}
	name := "shelf_test_" + strings.ToLower(secret.NewToken("")[:12])
	name = strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return 'x'
	}, name)
	db, err := sql.Open("pgx", admin)
	if err != nil {
		tb.Fatalf("open postgres: %v", err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE DATABASE " + name); err != nil {
		tb.Fatalf("create database: %v", err)
	}
	tb.Cleanup(func() {
		db, err := sql.Open("pgx", admin)
		if err != nil {
			return
		}
		defer db.Close()
		_, _ = db.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	})
	u, err := url.Parse(admin)
	if err != nil {
		tb.Fatalf("parse SHELF_TEST_POSTGRES: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

// Open returns a migrated store on a fresh database of backend, closed when
// the test ends. clock may be nil for the system clock.
func Open(tb testing.TB, backend string, clock shelf.Clock) *store.Store {
	tb.Helper()
	return OpenDSN(tb, DSN(tb, backend), clock)
}

// OpenDSN opens and migrates the database at dsn.
func OpenDSN(tb testing.TB, dsn string, clock shelf.Clock) *store.Store {
	tb.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, dsn, store.Options{Clock: clock, SecretBox: TestBox(tb)})
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		tb.Fatalf("migrate: %v", err)
	}
	return s
}

// MustUser creates a user with the password "password1".
func MustUser(tb testing.TB, s *store.Store, email string) *shelf.User {
	tb.Helper()
	u, err := s.CreateUser(context.Background(), email, strings.Split(email, "@")[0], "password1")
	if err != nil {
		tb.Fatalf("create user %s: %v", email, err)
	}
	return u
}

// MustOrg creates an org of the given kind with creator as admin.
func MustOrg(tb testing.TB, s *store.Store, name string, kind shelf.OrgKind, creator *shelf.User) *shelf.Org {
	tb.Helper()
	o, err := s.CreateOrg(context.Background(), shelf.NewOrg{Name: name, Kind: kind, CreatorID: creator.ID})
	if err != nil {
		tb.Fatalf("create org %s: %v", name, err)
	}
	return o
}

// WantCode fails unless err is a *shelf.Error with the given code.
func WantCode(tb testing.TB, err error, code string) {
	tb.Helper()
	e, ok := shelf.AsError(err)
	if !ok {
		tb.Fatalf("got error %v, want code %q", err, code)
	}
	if e.Code != code {
		tb.Fatalf("got code %q (%v), want %q", e.Code, err, code)
	}
}

// WantKind fails unless err is a *shelf.Error of the given kind.
func WantKind(tb testing.TB, err error, kind shelf.Kind) {
	tb.Helper()
	if got := shelf.ErrorKind(err); got != kind {
		tb.Fatalf("got error %v (kind %q), want kind %q", err, got, kind)
	}
}

// Name is a readable subtest name for a backend.
func Name(backend string) string { return fmt.Sprintf("db=%s", backend) }

// TestBox returns a secret box with a fixed key, so several stores opened
// on one database (two dispatcher nodes) read each other's secrets.
func TestBox(tb testing.TB) *secret.Box {
	tb.Helper()
	b, err := secret.NewBox([]byte("shelf-test-key-32-bytes-long!!!!"))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// Analyze refreshes PostgreSQL's planner statistics of the database at dsn
// (SQLite keeps none unless asked, and Shelf never asks). A benchmark calls
// it after writing its backlog: in a live database autovacuum would have
// analyzed the tables long before, while a database created a second ago
// still has the statistics of empty tables, and plans built on them (and
// cached with the connection's prepared statements) scan instead of
// seeking.
func Analyze(tb testing.TB, dsn string) {
	tb.Helper()
	if !store.IsPostgres(dsn) {
		return
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		tb.Fatalf("open postgres: %v", err)
	}
	defer db.Close()
	if _, err := db.Exec("ANALYZE"); err != nil {
		tb.Fatalf("analyze: %v", err)
	}
}
