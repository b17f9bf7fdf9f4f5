package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/shelfhq/shelf/internal/demo"
	"github.com/shelfhq/shelf/internal/web/webtest"
)

// TestDevicePage: the signed-in person enters the device's code as typed,
// sees what asks, approves once with the form's CSRF token; a wrong or
// decided code is said in the reader's language, and a denial hands out
// nothing.
func TestDevicePage(t *testing.T) {
	f := webtest.New(t)
	ctx := context.Background()
	device, d, err := f.Store.CreateDeviceLogin(ctx, "shelf CLI on build-box")
	if err != nil {
		t.Fatal(err)
	}
	b := f.Browser()
	b.SignIn(demo.MemberEmail)
	typed := strings.ToLower(strings.ReplaceAll(d.UserCode, "-", ""))
	status, page, _ := b.Get("/device?code=" + typed)
	if status != 200 || !strings.Contains(page, "shelf CLI on build-box") || !strings.Contains(page, d.UserCode) || !strings.Contains(page, `id="approve"`) {
		t.Fatalf("approval page = %d %.400s", status, page)
	}
	csrf := webtest.CSRFOf(t, page)
	if status, _, _ := b.Post("/device", url.Values{"code": {d.UserCode}, "decision": {"approve"}}); status != http.StatusForbidden {
		t.Fatalf("approval without a CSRF token = %d", status)
	}
	status, page, _ = b.Post("/device", url.Values{"csrf_token": {csrf}, "code": {d.UserCode}, "decision": {"approve"}})
	if status != 200 || !strings.Contains(page, `id="device-done"`) || !strings.Contains(page, "已批准") {
		t.Fatalf("approve = %d %.400s", status, page)
	}
	if plain, _, err := f.Store.RedeemDeviceLogin(ctx, device); err != nil || !strings.HasPrefix(plain, "shelf_pat_") {
		t.Fatalf("the device's poll after the approval: %q %v", plain, err)
	}
	// Approving again, or a code nobody started, is said in words.
	if _, page, _ := b.Post("/device", url.Values{"csrf_token": {csrf}, "code": {d.UserCode}, "decision": {"approve"}}); !strings.Contains(page, "此登录已被批准或拒绝") {
		t.Fatalf("a decided code: %s", page[strings.Index(page, "<main"):])
	}
	if _, page, _ := b.Get("/device?code=BBBB-BBBB"); !strings.Contains(page, "没有等待此代码的登录") || strings.Contains(page, "device_code_unknown") {
		t.Fatalf("an unknown code: %.600s", page)
	}
	// Denied: the device is told so and gets nothing.
	device2, d2, _ := f.Store.CreateDeviceLogin(ctx, "a stranger's laptop")
	if _, page, _ := b.Post("/device", url.Values{"csrf_token": {csrf}, "code": {d2.UserCode}, "decision": {"deny"}}); !strings.Contains(page, "已拒绝") {
		t.Fatalf("deny: %.400s", page)
	}
	if _, _, err := f.Store.RedeemDeviceLogin(ctx, device2); err == nil || !strings.Contains(err.Error(), "denied") {
		t.Fatalf("a denied device's poll: %v", err)
	}
}
