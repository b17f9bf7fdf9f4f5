package cli

import (
	"bytes"
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestQuickstart runs docs/vendor-quickstart.md's steps, exactly as
// written (scripts/quickstart-test.sh extracts them), with a built shelf
// against a real server; and checks its Chinese half has the same blocks.
func TestQuickstart(t *testing.T) {
	root, _ := filepath.Abs("../..")
	doc, err := os.ReadFile(filepath.Join(root, "docs/vendor-quickstart.md"))
	if err != nil {
		t.Fatal(err)
	}
	en, zh, ok := strings.Cut(string(doc), "## 中文")
	blocks := regexp.MustCompile("(?s)```sh\n.*?```")
	if !ok || strings.Join(blocks.FindAllString(en, -1), "") != strings.Join(blocks.FindAllString(zh, -1), "") {
		t.Fatal("the Chinese and English quick starts must hold the same command blocks")
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Fatal("bash is needed to run the quick start")
	}
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "bin")
	build := exec.Command("go", "build", "-o", filepath.Join(bin, "shelf"), "./cmd/shelf")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build shelf: %v\n%s", err, out)
	}
	addr, _ := serveAt(t, filepath.Join(tmp, "data"), "127.0.0.1:0", "--allow-private-webhooks")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "scripts/quickstart-test.sh")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "SHELF_SERVER=http://"+addr,
		"SHELF_CONFIG_DIR="+filepath.Join(tmp, "config"), "SECRETS="+filepath.Join(tmp, "secrets.json"), "LISTING="+filepath.Join(tmp, "listing"), "PORT="+strconv.Itoa(port), "TMPDIR="+tmp)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil || !strings.Contains(out.String(), "quickstart: all steps passed") {
		log, _ := os.ReadFile(filepath.Join(tmp, "shelf-receiver.log"))
		t.Fatalf("quick start: %v\n%s\nreceiver:\n%s", err, out.String(), log)
	}
}
