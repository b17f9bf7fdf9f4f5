package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"sync"
	"testing"
)

// brokenRows is a database/sql driver whose every query returns one row
// and then fails, as a connection lost in the middle of a result would.
type brokenRows struct{ sent bool }

var errBroken = errors.New("connection lost mid-result")

func (brokenRows) Open(string) (driver.Conn, error) { return brokenConn{}, nil }
func (r *brokenRows) Columns() []string             { return []string{"id"} }
func (r *brokenRows) Close() error                  { return nil }
func (r *brokenRows) Next(dest []driver.Value) error {
	if r.sent {
		return errBroken
	}
	r.sent, dest[0] = true, "evt_1"
	return nil
}

type brokenConn struct{}

func (brokenConn) Prepare(string) (driver.Stmt, error) { return brokenStmt{}, nil }
func (brokenConn) Close() error                        { return nil }
func (brokenConn) Begin() (driver.Tx, error)           { return nil, io.EOF }

type brokenStmt struct{}

func (brokenStmt) Close() error                               { return nil }
func (brokenStmt) NumInput() int                              { return -1 }
func (brokenStmt) Exec([]driver.Value) (driver.Result, error) { return nil, io.EOF }
func (brokenStmt) Query([]driver.Value) (driver.Rows, error)  { return &brokenRows{}, nil }

var registerBroken sync.Once

// TestScanIDsIterationError: an error that ends the rows early (not at
// Query, not at Scan) fails the read: pruning must not take the rows read
// so far for all the rows the DELETE … RETURNING removed.
func TestScanIDsIterationError(t *testing.T) {
	registerBroken.Do(func() { sql.Register("shelf-broken-rows", brokenRows{}) })
	db, err := sql.Open("shelf-broken-rows", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.QueryContext(context.Background(), "SELECT id")
	if err != nil {
		t.Fatal(err)
	}
	ids, err := scanIDs(rows)
	if !errors.Is(err, errBroken) {
		t.Fatalf("scanIDs = %v, %v; want the iteration error", ids, err)
	}
}
