package storetest

import (
	"context"
	"errors"
	"testing"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store"
)

var pagingContract = map[string]func(t *testing.T, open Opener){
	"PagingPeople":      testPagingPeople,
	"PagingCancelledTx": testPagingCancelledTx,
	"PagingBadKey":      testPagingBadKey,
}

// testPagingPeople: the audit log's person search finds people by email
// or name prefix, and names ids that are users (others are left out).
func testPagingPeople(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t, nil)
	ann := MustUser(t, s, "ann.lee@example.com")
	MustUser(t, s, "bob@example.com")
	for _, c := range []struct {
		text string
		want int
	}{{"ann", 1}, {"ANN.L", 1}, {"bo", 1}, {"x", 0}, {"", 0}, {"%", 0}} {
		got, err := s.FindPeople(ctx, c.text, 10)
		if err != nil || len(got) != c.want {
			t.Errorf("FindPeople(%q) = %d people, %v; want %d", c.text, len(got), err, c.want)
		}
	}
	names, err := s.PeopleNames(ctx, []string{ann.ID, "rev_nope"})
	if err != nil || len(names) != 1 || names[ann.ID] != "ann.lee" {
		t.Fatalf("PeopleNames = %v, %v", names, err)
	}
}

// testPagingCancelledTx: a request its client cancels in the middle of a
// transaction leaves nothing of it (the API then answers 499 without an
// ERROR line: httpx's TestClientGone).
func testPagingCancelledTx(t *testing.T, open Opener) {
	s := open(t, nil)
	u := MustUser(t, s, "half@example.com")
	ctx, cancel := context.WithCancel(context.Background())
	err := s.Update(ctx, func(tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET name = 'half done' WHERE id = $1`, u.ID); err != nil {
			return err
		}
		cancel() // the client hangs up
		_, err := tx.ExecContext(ctx, `UPDATE users SET email = 'done@example.com' WHERE id = $1`, u.ID)
		return err
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Update = %v, want context.Canceled", err)
	}
	if got, err := s.User(context.Background(), u.ID); err != nil || got.Name != u.Name || got.Email != u.Email {
		t.Fatalf("after the cancel: %+v, %v", got, err)
	}
}

// testPagingBadKey: a page key with the wrong number of values, or a value
// no column holds, is refused before any query (400 invalid_cursor). (Each
// value's kind against its column is the API's check: its pagers' shapes.)
func testPagingBadKey(t *testing.T, open Opener) {
	s := open(t, nil)
	u := MustUser(t, s, "keys@example.com")
	for _, after := range [][]any{{int64(1)}, {int64(1), "b", "c"}, {1.5, "x"}, {[]string{"a"}, "x"}} {
		_, err := s.OrgsForUser(context.Background(), u.ID, shelf.PageReq{Limit: 2, After: after})
		WantCode(t, err, "invalid_cursor")
	}
}
