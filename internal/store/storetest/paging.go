package storetest

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store"
)

var pagingContract = map[string]func(t *testing.T, open Opener){
	"PagingPeople":      testPagingPeople,
	"PagingCancelledTx": testPagingCancelledTx,
	"PagingBadKey":      testPagingBadKey,
	"PagingNameSearch":  testPagingNameSearch,
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

// testPagingNameSearch: a person's orgs and a partner's apps are searched
// by a part of their name, letters in any case on both engines (an app by
// its English name too), in the list's own order and pages; a pattern's
// % and _ are plain characters; the listings of a page of apps are read
// by their ids.
func testPagingNameSearch(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t, nil)
	u := MustUser(t, s, "searcher@example.com")
	for _, name := range []string{"Acme Robotics", "acme labs", "Zeta 100%", "Beta_1"} {
		MustOrg(t, s, name, shelf.OrgCustomer, u)
	}
	names := func(l []shelf.OrgWithRole, err error) string {
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, o := range l {
			out = append(out, o.Name)
		}
		return strings.Join(out, ",")
	}
	for q, want := range map[string]string{"ACME": "Acme Robotics,acme labs", "0%": "Zeta 100%", "a_": "Beta_1", "%": "Zeta 100%", "": "Acme Robotics,acme labs,Zeta 100%,Beta_1"} {
		if got := names(s.SearchOrgsForUser(ctx, u.ID, q, shelf.PageReq{})); got != want {
			t.Errorf("orgs %q = %q, want %q", q, got, want)
		}
	}
	first, err := s.SearchOrgsForUser(ctx, u.ID, "acme", shelf.FirstPage(1))
	if err != nil || len(first) != 1 {
		t.Fatalf("first page = %v, %v", first, err)
	}
	next := shelf.PageReq{Limit: 5, After: []any{first[0].JoinedAt.UnixMicro(), first[0].ID}}
	if got := names(s.SearchOrgsForUser(ctx, u.ID, "acme", next)); got != "acme labs" {
		t.Errorf("second page = %q", got)
	}
	app, _ := MustApp(t, s, "")
	other, _, err := s.CreateApp(ctx, store.NewApp{OrgID: app.OrgID, CreatorID: u.ID, Name: "考勤助手", NameEn: "Shift Planner", Kind: shelf.AppOrg})
	if err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]string{"shift": other.ID, "考勤": other.ID, "PAY": app.ID} {
		if got, err := s.SearchApps(ctx, app.OrgID, q, shelf.PageReq{}); err != nil || len(got) != 1 || got[0].ID != want {
			t.Errorf("apps %q = %+v, %v", q, got, err)
		}
	}
	if got, err := s.ListingsForApps(ctx, app.OrgID, []string{app.ID, other.ID}); err != nil || len(got) != 0 {
		t.Errorf("listings of apps without any = %+v, %v", got, err)
	}
}
