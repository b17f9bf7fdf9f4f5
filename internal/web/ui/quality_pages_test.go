package ui_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/store/storetest"
	"github.com/shelfhq/shelf/internal/web"
	"github.com/shelfhq/shelf/internal/web/webtest"
)

// TestPagesConfirmSteps: each destructive action sits in a second step
// (a <details class="confirm">) that says what will happen, apart from the
// harmless buttons; the form posting it is inside that step.
func TestPagesConfirmSteps(t *testing.T) {
	f := webtest.New(t)
	order := f.FreshOrder(false)
	p1, customer := f.World.Partner1.ID, f.World.Customer.ID
	for _, c := range []struct {
		who, path, action, says string
	}{
		{demo.CustomerEmail, "/orgs/" + customer, "/remove", "此人将离开本组织"},
		{demo.CustomerEmail, "/orgs/" + customer, `name="role" value="member"`, "您将失去本组织的管理权限"}, // the demotion (making an admin is harmless)
		{demo.AdminEmail, "/admin/categories", `value="archive"`, "归档后"},
		{demo.PartnerEmail, "/apps/" + order.AppID + "/events", "/rotate", "将生成新的签名密钥"},
		{demo.PartnerEmail, "/apps/" + order.AppID, `value="delist"`, "下架后"},
		{demo.PartnerEmail, "/orgs/" + p1 + "/console", `value="uninstall"`, "卸载"},
	} {
		b := f.Browser()
		b.SignIn(c.who)
		status, page, _ := b.Get(c.path)
		if status != http.StatusOK {
			t.Fatalf("%s = %d", c.path, status)
		}
		at := strings.Index(page, c.action)
		step := strings.LastIndex(page[:max(at, 0)], `<details class="confirm"`)
		if at < 0 || step < 0 || strings.Contains(page[step:at], "</details>") {
			t.Errorf("%s: %s is not inside a confirmation step", c.path, c.action)
			continue
		}
		if !strings.Contains(page[step:], c.says) {
			t.Errorf("%s: the step does not say %q", c.path, c.says)
		}
	}
}

// TestPagesDemoHint: the demo password is shown on the sign-in page only
// by a server started with --demo.
func TestPagesDemoHint(t *testing.T) {
	for _, demoMode := range []bool{false, true} {
		f := webtest.NewWith(t, storetest.SQLite, func(c *web.Config) { c.DemoHint = demoMode })
		_, page, _ := f.Browser().Get("/signin")
		if got := strings.Contains(page, demo.Password); got != demoMode {
			t.Errorf("demo %v: the sign-in page shows the demo password: %v", demoMode, got)
		}
	}
}
