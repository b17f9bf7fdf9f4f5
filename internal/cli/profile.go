package cli

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// profile is one saved sign-in: a server and a personal token for it.
// `shelf login` writes it; every command that calls the API reads it.
type profile struct {
	Server string `json:"server"`
	Token  string `json:"token"`
	Email  string `json:"email,omitempty"`
}

// config is the CLI's file: profiles by name ("default" unless --profile).
type config struct {
	Profiles map[string]profile `json:"profiles"`
}

// configDir is SHELF_CONFIG_DIR, else os.UserConfigDir()/shelf.
func (m *Main) configDir() (string, error) {
	if d := m.env("CONFIG_DIR", ""); d != "" {
		return d, nil
	}
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("no config folder for the saved sign-in (set SHELF_CONFIG_DIR): %w", err)
	}
	return filepath.Join(base, "shelf"), nil
}

func (m *Main) loadConfig() (*config, string, error) {
	dir, err := m.configDir()
	if err != nil {
		return nil, "", err
	}
	path := filepath.Join(dir, "config.json")
	c := &config{Profiles: map[string]profile{}}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return c, path, nil
	}
	if err != nil {
		return nil, "", err
	}
	if err := json.Unmarshal(b, c); err != nil {
		return nil, "", fmt.Errorf("%s is not the CLI's config (delete it and run shelf login): %w", path, err)
	}
	if c.Profiles == nil {
		c.Profiles = map[string]profile{}
	}
	return c, path, nil
}

// saveConfig writes the config readable by its owner only: it holds tokens.
func saveConfig(c *config, path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	return writePrivate(path, append(b, '\n'))
}

// writePrivate writes a file only its owner may read (0600), also when it
// existed with wider permissions: secrets and tokens go through here.
func writePrivate(path string, data []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return err
	}
	if err := os.Chmod(tmp, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// remote are the flags of every command that calls a server.
type remote struct {
	server, token, profile string
	json                   bool
}

func (m *Main) addRemoteFlags(fs *flag.FlagSet) *remote {
	r := &remote{}
	fs.StringVar(&r.profile, "profile", m.env("PROFILE", "default"), "the saved sign-in to use (shelf login --profile) (SHELF_PROFILE)")
	fs.StringVar(&r.server, "server", m.env("SERVER", ""), "the Shelf server; default: the profile's (SHELF_SERVER)")
	fs.StringVar(&r.token, "token", m.env("TOKEN", ""), "a personal API token; default: the profile's (SHELF_TOKEN)")
	fs.BoolVar(&r.json, "json", false, "print the answer as JSON")
	return r
}

// client resolves the server and token (flags and SHELF_ variables win over
// the profile) and checks the server URL.
func (m *Main) client(r *remote) (*apiClient, error) {
	c, _, err := m.loadConfig()
	if err != nil {
		return nil, err
	}
	p := c.Profiles[r.profile]
	server, token := firstOf(r.server, p.Server, defaultServer), firstOf(r.token, p.Token)
	if token == "" {
		fmt.Fprintf(m.Stderr, "shelf: not signed in (profile %q): run shelf login, or give --token\n", r.profile)
		return nil, ErrUsage
	}
	cl, err := newAPIClient(server, token)
	if err != nil {
		fmt.Fprintln(m.Stderr, "shelf:", err)
		return nil, ErrUsage
	}
	return cl, nil
}

func firstOf(vs ...string) string {
	for _, v := range vs {
		if strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// printJSON prints v indented, for --json.
func (m *Main) printJSON(v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(m.Stdout, string(b))
	return err
}
