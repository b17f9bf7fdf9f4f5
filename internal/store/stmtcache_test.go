package store

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
)

func openSQLite(t *testing.T) *Store {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "shelf.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

// get reports query's cached statement, or nil.
func (c *stmtCache) get(query string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.m[query]; ok {
		return e.Value.(*cachedStmt).st
	}
	return nil
}

// cached lists the statement cache's texts that contain part.
func (c *stmtCache) cached(part string) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for q := range c.m {
		if strings.Contains(q, part) {
			out = append(out, q)
		}
	}
	return out
}

// TestClaimTextFixed: however many apps are at their limit, a claim runs
// one SQL text, so the statement cache holds one entry for it.
func TestClaimTextFixed(t *testing.T) {
	s := openSQLite(t)
	ctx := context.Background()
	for _, busy := range []map[string]int{nil, {"app_a": 1}, {"app_a": 1, "app_b": 1}, {"app_a": 1, "app_b": 1, "app_c": 1}} {
		if _, err := s.ClaimDeliveries(ctx, shelf.DeliveryClaim{Owner: "n1", Now: time.Now(), Lease: time.Minute, Limit: 4, PerApp: 1, Busy: busy}); err != nil {
			t.Fatal(err)
		}
	}
	if got := s.stmts.cached("s.next_attempt_at, s.delivered_seq LIMIT"); len(got) != 1 {
		t.Fatalf("%d claim texts cached, want 1:\n%s", len(got), strings.Join(got, "\n"))
	}
}

// TestStmtCacheEvicts: the cache stays bounded, and a text used now gets
// prepared even after many others filled it (the least recently used one
// makes room).
func TestStmtCacheEvicts(t *testing.T) {
	s := openSQLite(t)
	ctx := context.Background()
	var texts []string
	for i := range maxCachedStmts + 20 {
		texts = append(texts, fmt.Sprintf("SELECT %d", i))
	}
	s.stmts.prepare(ctx, s.write, texts)
	if n := len(s.stmts.cached("SELECT")); n > maxCachedStmts {
		t.Fatalf("%d statements cached, bound %d", n, maxCachedStmts)
	}
	if s.stmts.get(texts[len(texts)-1]) == nil {
		t.Fatal("the latest text was not prepared: the cache never evicts")
	}
	if s.stmts.get(texts[0]) != nil {
		t.Fatal("the least recently used text is still cached")
	}
}
