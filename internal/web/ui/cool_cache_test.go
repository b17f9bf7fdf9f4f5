package ui_test

import (
	"context"
	"strings"
	"testing"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/web/webtest"
)

// TestCoolMarketCacheFollowsChanges: the cool app market is rendered once
// for visitors, and a suspended partner's cool apps leave it at once (its
// listings' change drops the cached page); reinstated, they come back.
func TestCoolMarketCacheFollowsChanges(t *testing.T) {
	f := webtest.New(t)
	ctx := context.Background()
	b := f.Browser()
	has := func() bool {
		t.Helper()
		status, body, _ := b.Get("/cool")
		if status != 200 {
			t.Fatalf("/cool = %d", status)
		}
		return strings.Contains(body, "群日报")
	}
	if !has() || !has() {
		t.Fatal("the cool app market lacks the demo's 群日报")
	}
	admin := f.World.Users[demo.AdminEmail].ID
	if _, err := f.Store.SuspendPartner(ctx, f.World.Partner1.ID, admin, "违反平台规则"); err != nil {
		t.Fatal(err)
	}
	if has() {
		t.Error("the cached market still shows a suspended partner's cool app")
	}
	if _, err := f.Store.ReinstatePartner(ctx, f.World.Partner1.ID, admin, "已整改"); err != nil {
		t.Fatal(err)
	}
	if !has() {
		t.Error("the reinstated partner's cool app did not come back")
	}
}
