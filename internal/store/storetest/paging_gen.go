package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/shelfhq/shelf/internal/store"
)

// PagingOwners are the existing rows the generated list rows hang from: a
// person (who joins every generated org and writes the audit entries), a
// customer org (which gets the generated members, notices and groups), a
// partner org (the generated test orgs) and its app (the generated events
// and attempts).
type PagingOwners struct {
	UserID, OrgID, PartnerID, AppID string
}

// PagingKinds names the lists PagingFill fills, n rows each.
var PagingKinds = []string{"orgs", "members", "audit", "notices", "test-orgs", "groups", "deliveries", "attempts"}

// PagingFill adds n rows to each kind of list of o, times from at (unix
// microseconds) one microsecond apart, with one INSERT … SELECT over a
// recursive counter per table (one SQL text for both engines, a million
// rows in seconds) in one transaction. Generated ids are prefixed "gen" and
// carry their number, so a walk can tell which rows it must see.
func PagingFill(tb testing.TB, dsn string, o PagingOwners, n int, at int64, tables ...string) {
	tb.Helper()
	db := OpenRaw(tb, dsn)
	defer db.Close()
	PagingFillRange(tb, db, o, 1, n, at, tables...)
	// The generated events are one stream of the app with the first
	// generated org, half of it delivered.
	if _, err := db.Exec(`INSERT INTO event_streams (app_id, org_id, last_seq, delivered_seq) VALUES ($1, $2, $3, $4)`,
		o.AppID, GenID("org", 1), n, n/2); err != nil {
		tb.Fatalf("fill stream: %v", err)
	}
	// As autovacuum would soon: the planner then knows the tables' sizes.
	if store.IsPostgres(dsn) {
		if _, err := db.Exec(`ANALYZE`); err != nil {
			tb.Fatalf("analyze: %v", err)
		}
	}
}

// PagingFillRange adds the rows numbered from to to of each kind (times
// at+i), in one transaction: a walk's concurrent inserts. Naming tables
// fills only those (a benchmark's lists).
func PagingFillRange(tb testing.TB, db *sql.DB, o PagingOwners, from, to int, at int64, tables ...string) {
	tb.Helper()
	ctx := context.Background()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		tb.Fatal(err)
	}
	defer tx.Rollback()
	owner := map[string]string{"UserID": o.UserID, "OrgID": o.OrgID, "PartnerID": o.PartnerID, "AppID": o.AppID}
	for _, f := range pagingFills {
		if len(tables) > 0 && !slices.Contains(tables, strings.Fields(f.query)[2]) {
			continue
		}
		args := []any{to, at, from}
		for _, name := range f.owners {
			args = append(args, owner[name])
		}
		if _, err := tx.ExecContext(ctx, `WITH RECURSIVE c(i) AS (SELECT CAST($3 AS INTEGER) UNION ALL SELECT i + 1 FROM c WHERE i < $1) `+f.query, args...); err != nil {
			tb.Fatalf("fill %.60s: %v", f.query, err)
		}
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
}

// GenID is the id of the i-th generated row of a kind (its prefix).
func GenID(prefix string, i int) string { return fmt.Sprintf("%s_gen%08d", prefix, i) }

// pagingFills insert the rows; $1 is the last number, $2 the time of
// number 0, $3 the first number, then the owners named. A generated id is
// prefix_gen and the row's number in 8 digits.
var pagingFills = []struct {
	query  string
	owners []string // $4… in order: fields of PagingOwners
}{
	{`INSERT INTO users (id, email, name, password_hash, created_at)
		SELECT 'usr_gen' || SUBSTR(CAST(100000000 + i AS TEXT), 2), 'gen' || CAST(i AS TEXT) || '@gen.test', 'Gen ' || CAST(i AS TEXT), 'x', CAST($2 AS BIGINT) + i FROM c`, nil},
	{`INSERT INTO orgs (id, name, kind, test, partner_program, created_at)
		SELECT 'org_gen' || SUBSTR(CAST(100000000 + i AS TEXT), 2), 'Gen org ' || CAST(i AS TEXT), 'customer', FALSE, FALSE, CAST($2 AS BIGINT) + i FROM c`, nil},
	{`INSERT INTO memberships (org_id, user_id, role, created_at)
		SELECT 'org_gen' || SUBSTR(CAST(100000000 + i AS TEXT), 2), $4, 'member', CAST($2 AS BIGINT) + i FROM c`, []string{"UserID"}},
	{`INSERT INTO memberships (org_id, user_id, role, created_at)
		SELECT $4, 'usr_gen' || SUBSTR(CAST(100000000 + i AS TEXT), 2), 'member', CAST($2 AS BIGINT) + i FROM c`, []string{"OrgID"}},
	{`INSERT INTO audit_log (id, actor_id, action, object_type, object_id, at)
		SELECT 'aud_gen' || SUBSTR(CAST(100000000 + i AS TEXT), 2), $4, 'gen.fill', 'gen', 'gen', CAST($2 AS BIGINT) + i FROM c`, []string{"UserID"}},
	{`INSERT INTO notices (id, org_id, kind, message, created_at)
		SELECT 'ntc_gen' || SUBSTR(CAST(100000000 + i AS TEXT), 2), $4, 'gen', 'generated', CAST($2 AS BIGINT) + i FROM c`, []string{"OrgID"}},
	{`INSERT INTO orgs (id, name, kind, owner_org_id, test, partner_program, created_at)
		SELECT 'org_t_gen' || SUBSTR(CAST(100000000 + i AS TEXT), 2), 'Gen test org ' || CAST(i AS TEXT), 'customer', $4, TRUE, FALSE, CAST($2 AS BIGINT) + i FROM c`, []string{"PartnerID"}},
	{`INSERT INTO chat_groups (id, org_id, name, owner_id, created_at)
		SELECT 'grp_gen' || SUBSTR(CAST(100000000 + i AS TEXT), 2), $4, 'Gen group ' || SUBSTR(CAST(100000000 + i AS TEXT), 2), $5, CAST($2 AS BIGINT) + i FROM c`, []string{"OrgID", "UserID"}},
	{`INSERT INTO group_members (group_id, user_id, created_at)
		SELECT 'grp_gen' || SUBSTR(CAST(100000000 + i AS TEXT), 2), $4, CAST($2 AS BIGINT) + i FROM c`, []string{"UserID"}},
	{`INSERT INTO events (id, app_id, org_id, seq, type, data, created_at)
		SELECT 'evt_gen' || SUBSTR(CAST(100000000 + i AS TEXT), 2), $4, 'org_gen00000001', i, 'gen.fill', '{}', CAST($2 AS BIGINT) + i FROM c`, []string{"AppID"}},
	{`INSERT INTO delivery_attempts (id, event_id, app_id, event_type, attempted_at, ok, status_code, latency_us)
		SELECT 'att_gen' || SUBSTR(CAST(100000000 + i AS TEXT), 2), 'evt_gen' || SUBSTR(CAST(100000000 + i AS TEXT), 2), $4, 'gen.fill', CAST($2 AS BIGINT) + i, TRUE, 200, 1000 FROM c`, []string{"AppID"}},
}

// OpenRaw opens the database at dsn without the store, for bulk writes
// and plans; the caller closes it.
func OpenRaw(tb testing.TB, dsn string) *sql.DB {
	tb.Helper()
	driver, src := "sqlite", "file:"+dsn+"?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)"
	if store.IsPostgres(dsn) {
		driver, src = "pgx", dsn
	}
	db, err := sql.Open(driver, src)
	if err != nil {
		tb.Fatalf("open %s: %v", driver, err)
	}
	return db
}
