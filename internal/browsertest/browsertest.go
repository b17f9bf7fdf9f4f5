// Package browsertest starts Debian's headless Chromium for tests and saves
// screenshots where people can look at them. Tests that need a browser call
// New; without Chromium they are skipped, unless SHELF_TEST_REQUIRE_ALL is
// set (the test script and CI set it), in which case they fail.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromiumPath finds the browser: SHELF_TEST_CHROMIUM, then the PATH.
func chromiumPath() string {
	if p := os.Getenv("SHELF_TEST_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// New returns a browser tab context that lives until the test ends, or at
// most timeout. The timeout sits on the allocator's parent context: a
// deadline on the tab's own context would kill the browser when it fires.
func New(t *testing.T, timeout time.Duration) context.Context {
	t.Helper()
	path := chromiumPath()
	if path == "" {
		if os.Getenv("SHELF_TEST_REQUIRE_ALL") != "" {
			t.Fatal("Chromium not found; install Debian's chromium package (scripts/test.sh does)")
		}
		t.Skip("Chromium not found; run the tests through scripts/test.sh")
	}
	parent, cancelParent := context.WithTimeout(context.Background(), timeout)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.NoSandbox, // tests run as root in CI; the sandbox refuses root
		chromedp.Headless,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", "zh-CN"),
		chromedp.WindowSize(1280, 860),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(parent, opts...)
	ctx, cancelTab := chromedp.NewContext(actx, chromedp.WithLogf(t.Logf))
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc()
		cancelParent()
	})
	if err := chromedp.Do(ctx); err != nil { // start the browser now
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}

// Screenshot saves a full-page PNG as <artifacts>/<name>.png, where
// artifacts is SHELF_TEST_ARTIFACTS (scripts/test.sh sets ./test-artifacts)
// or a temporary folder. It returns the file's path.
func Screenshot(t *testing.T, ctx context.Context, name string) string {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // quality 100 means PNG; below it, JPEG
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	dir := os.Getenv("SHELF_TEST_ARTIFACTS")
	if dir == "" {
		dir = t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, strings.ReplaceAll(name, "/", "_")+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
	return path
}
