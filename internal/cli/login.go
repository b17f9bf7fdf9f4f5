package cli

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"
)

// login signs in to a server and saves a personal token in a profile.
func (m *Main) login(ctx context.Context, args []string) error {
	fs := m.flagSet("login [--server URL] [--profile NAME] [--web | --device | --email EMAIL | --with-token]",
		"Signs in and saves a personal API token for the server in the profile (default \"default\"), in\n"+
			"the user's config folder (os.UserConfigDir()/shelf/config.json, mode 0600).\n"+
			"  --web (the default): opens the server's approval page in your browser (the URL is printed too);\n"+
			"           once you approve there, signed in as usual, the token comes back to this command.\n"+
			"  --device: for a machine without a browser (SSH, a container): prints a page and a short code\n"+
			"           to enter there from any device where you are signed in; the command waits for it.\n"+
			"  --email: signs in with the account's password read from standard input (the real sign-in,\n"+
			"           POST /api/v1/auth/token), creates a personal token named for this machine, and\n"+
			"           signs the short session out again.\n"+
			"  --with-token: reads an existing personal token (shelf_pat_…) from standard input.")
	r := m.addRemoteFlags(fs)
	email := fs.String("email", "", "the account's email; its password is read from standard input")
	withToken := fs.Bool("with-token", false, "read a personal token from standard input instead of signing in")
	web := fs.Bool("web", false, "sign in in the browser (the default without --email or --with-token)")
	device := fs.Bool("device", false, "sign in by entering a code on another device")
	noBrowser := fs.Bool("no-browser", false, "with --web: only print the URL to open")
	wait := fs.Duration("timeout", 5*time.Minute, "with --web: how long to wait for the approval")
	if err := parse(fs, args); err != nil {
		return err
	}
	if countSet(*web, *device, *email != "", *withToken) > 1 {
		fmt.Fprintln(m.Stderr, "shelf login: give one of --web, --device, --email (password on standard input) or --with-token (token on standard input)")
		return ErrUsage
	}
	if *device {
		return m.loginDevice(ctx, r)
	}
	if *email == "" && !*withToken {
		return m.loginWeb(ctx, r, *noBrowser, *wait)
	}
	line, err := bufio.NewReader(m.Stdin).ReadString('\n')
	secret := strings.TrimSpace(line)
	if secret == "" {
		fmt.Fprintln(m.Stderr, "shelf login: nothing on standard input: pipe the password (or the token) in, e.g. `shelf login --email you@example.com < password.txt`")
		return ErrUsage
	}
	c, path, err := m.loadConfig()
	if err != nil {
		return err
	}
	server := firstOf(r.server, c.Profiles[r.profile].Server, defaultServer)
	token := ""
	if *withToken {
		token = secret
	}
	cl, err := newAPIClient(server, token)
	if err != nil {
		fmt.Fprintln(m.Stderr, "shelf login:", err)
		return ErrUsage
	}
	if *email != "" {
		if token, err = personalToken(ctx, cl, *email, secret); err != nil {
			return err
		}
		cl.token = token
	}
	return m.saveLogin(ctx, c, path, r, cl)
}

// countSet is how many of the flags are set.
func countSet(flags ...bool) int {
	n := 0
	for _, f := range flags {
		if f {
			n++
		}
	}
	return n
}

// saveLogin checks the client's token with GET /api/v1/me and saves it
// in the profile.
func (m *Main) saveLogin(ctx context.Context, c *config, path string, r *remote, cl *apiClient) error {
	var me struct {
		Email string `json:"email"`
		Name  string `json:"name"`
	}
	if err := cl.getJSON(ctx, "/api/v1/me", &me); err != nil {
		return fmt.Errorf("the server refused the token: %w", err)
	}
	c.Profiles[r.profile] = profile{Server: cl.base, Token: cl.token, Email: me.Email}
	if err := saveConfig(c, path); err != nil {
		return err
	}
	if r.json {
		return m.printJSON(map[string]string{"profile": r.profile, "server": cl.base, "email": me.Email, "config": path})
	}
	fmt.Fprintf(m.Stdout, "signed in to %s as %s (profile %s, saved in %s)\n", cl.base, me.Email, r.profile, path)
	return nil
}

// personalToken signs in with the password, makes a personal token that
// outlives the 24-hour session, and signs the session out.
func personalToken(ctx context.Context, cl *apiClient, email, password string) (string, error) {
	var session struct{ Token string }
	if err := cl.sendJSON(ctx, http.MethodPost, "/api/v1/auth/token", map[string]string{"email": email, "password": password}, &session); err != nil {
		return "", fmt.Errorf("sign in as %s: %w", email, err)
	}
	cl.token = session.Token
	host, _ := os.Hostname()
	var pat struct{ Token string }
	err := cl.sendJSON(ctx, http.MethodPost, "/api/v1/me/tokens", map[string]any{"name": "shelf CLI on " + firstOf(host, "this machine")}, &pat)
	_ = cl.do(ctx, http.MethodDelete, "/api/v1/auth/token", "", nil, nil) // the session token is not needed any more
	if err != nil {
		return "", fmt.Errorf("create a personal token: %w", err)
	}
	return pat.Token, nil
}
