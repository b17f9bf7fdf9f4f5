package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"time"
)

// loginWeb is the browser sign-in: it listens on a loopback port, sends
// the user to the server's approval page (/cli/login) with that port and a
// random state, and waits for the browser to come back with the token.
func (m *Main) loginWeb(ctx context.Context, r *remote, noBrowser bool, wait time.Duration) error {
	c, path, cl, err := m.loginClient(r)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("listen for the browser's answer: %w", err)
	}
	state := randomState()
	tokens := make(chan string, 1)
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.URL.Path != "/callback" || req.URL.Query().Get("state") != state || req.URL.Query().Get("token") == "" {
			http.Error(w, "this is not the answer shelf login waits for", http.StatusBadRequest)
			return
		}
		fmt.Fprintln(w, "shelf login: signed in; you can close this tab. / 已登录，可以关闭此页。")
		select {
		case tokens <- req.URL.Query().Get("token"):
		default:
		}
	})}
	go srv.Serve(ln)
	defer srv.Close()
	host, _ := os.Hostname()
	q := url.Values{"port": {strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)}, "state": {state}, "name": {"shelf CLI on " + firstOf(host, "this machine")}}
	page := cl.base + "/cli/login?" + q.Encode()
	fmt.Fprintf(m.Stderr, "Open this page to approve the sign-in (it opens by itself unless --no-browser):\n  %s\n", page)
	if !noBrowser {
		open := m.OpenURL
		if open == nil {
			open = openBrowser
		}
		if err := open(page); err != nil {
			fmt.Fprintln(m.Stderr, "(could not open a browser: open the page yourself)")
		}
	}
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	select {
	case cl.token = <-tokens:
	case <-ctx.Done():
		return errors.New("no approval came back in time: run shelf login again")
	}
	return m.saveLogin(ctx, c, path, r, cl)
}

// loginClient reads the config and makes a client without a token for the
// profile's server (or --server), for a sign-in to fill in.
func (m *Main) loginClient(r *remote) (*config, string, *apiClient, error) {
	c, path, err := m.loadConfig()
	if err != nil {
		return nil, "", nil, err
	}
	cl, err := newAPIClient(firstOf(r.server, c.Profiles[r.profile].Server, defaultServer), "")
	if err != nil {
		fmt.Fprintln(m.Stderr, "shelf login:", err)
		return nil, "", nil, ErrUsage
	}
	return c, path, cl, nil
}

func randomState() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// openBrowser asks the desktop to open url.
func openBrowser(url string) error {
	switch runtime.GOOS {
	case "darwin":
		return exec.Command("open", url).Start()
	case "windows":
		return exec.Command("rundll32", "url.dll,FileProtocolHandler", url).Start()
	default:
		return exec.Command("xdg-open", url).Start()
	}
}
