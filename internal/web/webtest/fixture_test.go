package webtest_test

import (
	"context"
	"testing"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/store/storetest"
	"github.com/shelfhq/shelf/internal/web/webtest"
)

// TestCountsEveryTable: the "changed nothing" snapshot counts every table
// the migrations made, on both databases, and sees a write to any of them
// (here a failed sign-in, which only the sign-in budget's table records).
func TestCountsEveryTable(t *testing.T) {
	for _, backend := range storetest.Backends(t) {
		t.Run(backend, func(t *testing.T) {
			f := webtest.NewWith(t, backend, nil)
			before := f.Counts()
			for _, table := range []string{"users", "orgs", "memberships", "login_failures", "audit_log", "subscriptions"} {
				if _, ok := before[table]; !ok {
					t.Errorf("Counts has no %s: %v", table, before)
				}
			}
			if before["users"] == 0 {
				t.Errorf("Counts sees no users in the demo world: %v", before)
			}
			if _, err := f.Store.Authenticate(context.Background(), demo.MemberEmail, "wrong-password", "127.0.0.1"); err == nil {
				t.Fatal("a wrong password signed in")
			}
			changed := before.Changed(f.Counts())
			if len(changed) != 1 || changed[0] != "login_failures: 0 → 1" {
				t.Errorf("after a failed sign-in Changed = %v, want the one row in login_failures", changed)
			}
			if got := before.Changed(f.Counts(), "login_failures"); len(got) != 0 {
				t.Errorf("Changed leaving out login_failures = %v", got)
			}
		})
	}
}
