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
// person (who joins every generated org and group and writes the audit
// entries), a customer org (which gets the generated members, notices,
// groups, installations), a partner org (the generated apps, listings and
// test orgs), one of its apps (the generated events, attempts, self-tests)
// and that app's live listing (the generated channels and reviews). The
// store's own tests fill only the kinds whose owners they have.
type PagingOwners struct {
	UserID, OrgID, PartnerID, AppID, ListingID string
}

// pagingFill inserts the rows of one kind of list. Its query is an INSERT …
// SELECT over c(i), the rows' numbers; $1 is the last number, $2 the time of
// number 0, $3 the first number, then the owners named. In the text {n} is
// the row's number in 8 digits and {at} its time, so a generated id reads
// prefix_gen{n} (GenID).
type pagingFill struct {
	kind   string
	query  string
	owners []string // $4… in order: fields of PagingOwners
}

// pagingNeeds names, for a kind, the kinds whose generated rows its rows
// hang from (filled first, whatever was asked). Each area names its own.
var pagingNeeds = mergeNeeds(identityNeeds, listingNeeds, commerceNeeds, coolNeeds, selfopNeeds)

func mergeNeeds(areas ...map[string][]string) map[string][]string {
	out := map[string][]string{}
	for _, a := range areas {
		for k, v := range a {
			out[k] = v
		}
	}
	return out
}

var identityNeeds = map[string][]string{
	"orgs": nil, "members": nil, "audit": nil, "notices": nil, "test-orgs": nil, "groups": nil,
	"deliveries": {"orgs"}, "attempts": {"deliveries"},
	"tokens": nil, "invitations": nil, "operators": {"members"}, "rates": nil,
}

// PagingKinds names every kind of list PagingFill fills, in fill order.
func PagingKinds() []string {
	var out []string
	for _, f := range pagingFills {
		if !slices.Contains(out, f.kind) {
			out = append(out, f.kind)
		}
	}
	return out
}

// PagingFill adds n rows of each kind of list named (of every kind, when
// none is), and of the kinds they need, to o, times from at (unix
// microseconds) one microsecond apart, with one INSERT … SELECT over a
// recursive counter per table (one SQL text for both engines, a million
// rows in seconds) in one transaction. Generated ids are prefixed "gen" and
// carry their number, so a walk can tell which rows it must see.
func PagingFill(tb testing.TB, dsn string, o PagingOwners, n int, at int64, kinds ...string) {
	tb.Helper()
	db := OpenRaw(tb, dsn)
	defer db.Close()
	PagingFillRange(tb, db, o, 1, n, at, kinds...)
	// As autovacuum would soon: the planner then knows the tables' sizes.
	if store.IsPostgres(dsn) {
		if _, err := db.Exec(`ANALYZE`); err != nil {
			tb.Fatalf("analyze: %v", err)
		}
	}
}

// PagingFillRange adds the rows numbered from to to of each kind named
// (every kind, when none is) and the kinds they need (times at+i), in one
// transaction: a walk's concurrent inserts.
func PagingFillRange(tb testing.TB, db *sql.DB, o PagingOwners, from, to int, at int64, kinds ...string) {
	tb.Helper()
	want := pagingClosure(tb, kinds)
	ctx := context.Background()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		tb.Fatal(err)
	}
	defer tx.Rollback()
	owner := map[string]string{"UserID": o.UserID, "OrgID": o.OrgID, "PartnerID": o.PartnerID, "AppID": o.AppID, "ListingID": o.ListingID}
	expand := strings.NewReplacer("{n}", "SUBSTR(CAST(100000000 + i AS TEXT), 2)", "{at}", "CAST($2 AS BIGINT) + i")
	for _, f := range pagingFills {
		if want != nil && !want[f.kind] {
			continue
		}
		args := []any{to, at, from}
		for _, name := range f.owners {
			if owner[name] == "" {
				tb.Fatalf("fill %s: no %s", f.kind, name)
			}
			args = append(args, owner[name])
		}
		q := `WITH RECURSIVE c(i) AS (SELECT CAST($3 AS INTEGER) UNION ALL SELECT i + 1 FROM c WHERE i < $1) ` + expand.Replace(f.query)
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			tb.Fatalf("fill %s %.60s: %v", f.kind, f.query, err)
		}
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
}

// pagingClosure is the set of kinds to fill: those named and what they
// need; nil for every kind.
func pagingClosure(tb testing.TB, kinds []string) map[string]bool {
	if len(kinds) == 0 {
		return nil
	}
	want := map[string]bool{}
	var add func(k string)
	add = func(k string) {
		needs, ok := pagingNeeds[k]
		if !ok {
			tb.Fatalf("no generated list %q", k)
		}
		if !want[k] {
			want[k] = true
			for _, n := range needs {
				add(n)
			}
		}
	}
	for _, k := range kinds {
		add(k)
	}
	return want
}

// GenID is the id of the i-th generated row of a kind (its prefix).
func GenID(prefix string, i int) string { return fmt.Sprintf("%s_gen%08d", prefix, i) }

// pagingFills insert the rows, in order: a kind's rows after those they
// hang from. Each area of Shelf adds its lists in a slice of its own.
var pagingFills = slices.Concat(identityFills, listingFills, commerceFills, coolFills, selfopFills)

// identityFills: people, orgs and their lists, the audit log, deliveries.
var identityFills = []pagingFill{
	{"members", `INSERT INTO users (id, email, name, password_hash, created_at)
		SELECT 'usr_gen' || {n}, 'gen' || CAST(i AS TEXT) || '@gen.test', 'Gen ' || CAST(i AS TEXT), 'x', {at} FROM c`, nil},
	{"orgs", `INSERT INTO orgs (id, name, kind, test, partner_program, created_at)
		SELECT 'org_gen' || {n}, 'Gen org ' || CAST(i AS TEXT), 'customer', FALSE, FALSE, {at} FROM c`, nil},
	{"orgs", `INSERT INTO memberships (org_id, user_id, role, created_at)
		SELECT 'org_gen' || {n}, $4, 'member', {at} FROM c`, []string{"UserID"}},
	{"members", `INSERT INTO memberships (org_id, user_id, role, created_at)
		SELECT $4, 'usr_gen' || {n}, 'member', {at} FROM c`, []string{"OrgID"}},
	{"audit", `INSERT INTO audit_log (id, actor_id, action, object_type, object_id, at)
		SELECT 'aud_gen' || {n}, $4, 'gen.fill', 'gen', 'gen', {at} FROM c`, []string{"UserID"}},
	{"notices", `INSERT INTO notices (id, org_id, kind, message, created_at)
		SELECT 'ntc_gen' || {n}, $4, 'gen', 'generated', {at} FROM c`, []string{"OrgID"}},
	{"test-orgs", `INSERT INTO orgs (id, name, kind, owner_org_id, test, partner_program, created_at)
		SELECT 'org_t_gen' || {n}, 'Gen test org ' || CAST(i AS TEXT), 'customer', $4, TRUE, FALSE, {at} FROM c`, []string{"PartnerID"}},
	{"groups", `INSERT INTO chat_groups (id, org_id, name, owner_id, created_at)
		SELECT 'grp_gen' || {n}, $4, 'Gen group ' || {n}, $5, {at} FROM c`, []string{"OrgID", "UserID"}},
	{"groups", `INSERT INTO group_members (group_id, user_id, created_at)
		SELECT 'grp_gen' || {n}, $4, {at} FROM c`, []string{"UserID"}},
	{"deliveries", `INSERT INTO events (id, app_id, org_id, seq, type, data, created_at)
		SELECT 'evt_gen' || {n}, $4, 'org_gen00000001', i, 'gen.fill', '{}', {at} FROM c`, []string{"AppID"}},
	// The generated events are one stream of the app with the first
	// generated org, half of it delivered, due since its first event
	// (written with the first rows).
	{"deliveries", `INSERT INTO event_streams (app_id, org_id, last_seq, delivered_seq, next_attempt_at)
		SELECT $4, 'org_gen00000001', MAX(i), MAX(i) / 2, MIN({at}) FROM c HAVING MIN(i) = 1`, []string{"AppID"}},
	{"attempts", `INSERT INTO delivery_attempts (id, event_id, app_id, event_type, attempted_at, ok, status_code, latency_us)
		SELECT 'att_gen' || {n}, 'evt_gen' || {n}, $4, 'gen.fill', {at}, TRUE, 200, 1000 FROM c`, []string{"AppID"}},
	{"tokens", `INSERT INTO api_tokens (id, user_id, name, kind, token_hash, prefix, created_at)
		SELECT 'tok_gen' || {n}, $4, 'Gen token ' || {n}, 'personal', 'gen_hash_' || {n}, 'shf_gen', {at} FROM c`, []string{"UserID"}},
	// Invitations stay open for a year.
	{"invitations", `INSERT INTO invitations (id, org_id, email, role, invited_by, created_at, token_hash, expires_at)
		SELECT 'inv_gen' || {n}, $4, 'inv' || {n} || '@gen.test', 'member', $5, {at}, 'gen_hash_' || {n}, {at} + 31536000000000 FROM c`, []string{"OrgID", "UserID"}},
	{"operators", `INSERT INTO platform_roles (user_id, role, created_at)
		SELECT 'usr_gen' || {n}, 'category_operator', {at} FROM c`, nil},
	// Partner-wide rates of the generated orgs: they price nothing real.
	{"rates", `INSERT INTO commission_rates (id, scope, scope_id, rate_bp, effective_from, created_by, created_at)
		SELECT 'rate_gen' || {n}, 'partner', 'org_gen' || {n}, 500, {at}, 'gen', {at} FROM c`, nil},
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
