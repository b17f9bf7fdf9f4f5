package store

import (
	"errors"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	moderncsqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// dialect is the database engine. Every difference between the engines that
// the SQL text cannot hide is in this file.
type dialect string

const (
	sqlite   dialect = "sqlite"
	postgres dialect = "postgres"
)

// isUniqueViolation reports whether err is a unique-constraint violation.
func isUniqueViolation(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "23505"
	}
	var lite *moderncsqlite.Error
	if errors.As(err, &lite) {
		return lite.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || lite.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

// isForeignKeyViolation reports whether err is a foreign-key violation.
func isForeignKeyViolation(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "23503"
	}
	var lite *moderncsqlite.Error
	if errors.As(err, &lite) {
		return lite.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
	}
	return false
}

// skipLocked is appended to a SELECT that claims rows for work: PostgreSQL
// lets several nodes claim disjoint rows at once; SQLite has one writer, so
// the transaction itself is the lock.
func (d dialect) skipLocked() string {
	if d == postgres {
		return " FOR UPDATE SKIP LOCKED"
	}
	return ""
}

// forUpdate is appended to a SELECT of a row the transaction is about to
// change on the strength of what it read: PostgreSQL locks the row until
// commit; SQLite's write transactions are already serialized (it is "",
// and a statement that only takes locks need not run there at all).
func (d dialect) forUpdate() string {
	if d == postgres {
		return " FOR UPDATE"
	}
	return ""
}

// forUpdateOf is forUpdate for a join that locks the rows of one table
// only (alias): the others are read, not changed.
func (d dialect) forUpdateOf(alias string) string {
	if d == postgres {
		return " FOR UPDATE OF " + alias
	}
	return ""
}

// jsonRows is a FROM item with a row per element of the JSON array bound to
// param, its element in a column named value: a batch of any size travels
// as one parameter under one fixed SQL text, read with value ->> 'field'
// (text; CAST it for other types), which both engines accept.
func (d dialect) jsonRows(param string) string {
	if d == postgres {
		return "jsonb_array_elements(CAST(" + param + " AS JSONB))"
	}
	return "json_each(" + param + ")"
}

// likeEscape escapes s for use in a LIKE pattern with ESCAPE '\'.
// nameContains is the condition (" AND (…)", after a WHERE) that one of
// cols contains text, with args extended by its pattern; "" and args when
// text is blank. Letters match in any case: SQLite's LIKE ignores the
// case of ASCII letters (others match as typed), PostgreSQL's ILIKE the
// case of all letters.
func (d dialect) nameContains(text string, args []any, cols ...string) (string, []any) {
	text = strings.TrimSpace(text)
	if text == "" {
		return "", args
	}
	like := " LIKE "
	if d == postgres {
		like = " ILIKE "
	}
	args = append(args, "%"+likeEscape(text)+"%")
	ph := "$" + strconv.Itoa(len(args))
	ors := make([]string, len(cols))
	for i, c := range cols {
		ors[i] = c + like + ph + ` ESCAPE '\'`
	}
	return " AND (" + strings.Join(ors, " OR ") + ")", args
}

func likeEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}

// jsonTexts is a FROM item with a row per element of the JSON array of
// strings bound to param, the string itself (as text) in a column named
// value. Cheaper than jsonRows with one-field objects: SQLite returns a
// string element as it is, where an object element is first turned back
// into JSON text and parsed again for each ->> on it.
func (d dialect) jsonTexts(param string) string {
	if d == postgres {
		return "jsonb_array_elements_text(CAST(" + param + " AS JSONB))"
	}
	return "json_each(" + param + ")"
}
