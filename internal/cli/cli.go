// Package cli is the shelf command: one FlagSet per subcommand, each reading
// SHELF_* environment variables as defaults. Main is reused by end-to-end
// tests, which run the real command in-process.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
)

// Version is set at build time with -ldflags "-X github.com/shelfhq/shelf/internal/cli.Version=v1.2.3".
var Version = ""

// version returns the build's version: the ldflags value, else the module
// version or VCS revision Go recorded.
func version() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			return bi.Main.Version
		}
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				return "dev-" + s.Value[:12]
			}
		}
	}
	return "dev"
}

// Main runs the shelf command.
type Main struct {
	Stdout io.Writer
	Stderr io.Writer
	Stdin  io.Reader
	// Getenv reads configuration defaults; os.Getenv unless set.
	Getenv func(string) string
	// Clock is the clock the server runs on (tests inject one).
	Clock shelf.Clock
	// Ready, if set, receives the server's address once it listens.
	Ready func(addr string)
	// OpenURL opens a page in the user's browser (shelf login --web);
	// nil: the system's opener. Tests inject a browser of their own.
	OpenURL func(url string) error
	// DevicePoll, if set, replaces the interval the server asks of
	// shelf login --device between polls (tests poll sooner).
	DevicePoll time.Duration

	badEnv []string // SHELF_ variables that did not parse, as messages
}

// ErrUsage marks a command-line mistake; the message has been printed.
var ErrUsage = errors.New("usage error")

type command struct {
	name    string
	summary string
	run     func(m *Main, ctx context.Context, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "run the marketplace (web pages, API, workers)", (*Main).serve},
		{"migrate", "apply database migrations (or show them: migrate status)", (*Main).migrate},
		{"admin", "create a platform admin or reset a password", (*Main).admin},
		{"listing", "check a listing file offline, or push it to a server (validate, push)", (*Main).listing},
		{"login", "sign in to a server and save a personal token (profiles)", (*Main).login},
		{"apps", "list, register and change your apps (list, create, update)", (*Main).apps},
		{"categories", "print the category tree, leaves marked", (*Main).categories},
		{"selftest", "run an app's self-test in a test org", (*Main).selftest},
		{"webhook", "rotate the webhook secret, or see the rotation (rotate, secrets)", (*Main).webhook},
		{"events", "send, follow and redeliver events (test, trigger, tail, resend, replay)", (*Main).eventsCmd},
		{"listen", "forward the app's events to a local endpoint, signed (no public URL needed)", (*Main).listen},
		{"completion", "print a completion script (bash, zsh, fish)", (*Main).completion},
		{"version", "print the version", (*Main).printVersion},
		{"help", "show help for a command", (*Main).help},
	}
}

// Run runs the command line args (without the program name).
func (m *Main) Run(ctx context.Context, args []string) error {
	if m.Stdout == nil {
		m.Stdout = os.Stdout
	}
	if m.Stderr == nil {
		m.Stderr = os.Stderr
	}
	if m.Stdin == nil {
		m.Stdin = os.Stdin
	}
	if m.Getenv == nil {
		m.Getenv = os.Getenv
	}
	if m.Clock == nil {
		// The system clock, which the demo data set may move back while it
		// writes its history (see demo.Seed).
		m.Clock = &shelf.ShiftClock{}
	}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		m.usage()
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(m, ctx, args[1:])
		}
	}
	fmt.Fprintf(m.Stderr, "shelf: unknown command %q\n\n", args[0])
	m.usage()
	return ErrUsage
}

func (m *Main) usage() {
	fmt.Fprintln(m.Stderr, "Shelf: an open-source SaaS app marketplace.\n\nUsage: shelf <command> [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(m.Stderr, "  %-11s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(m.Stderr, "\nRun 'shelf help <command>' for a command's flags.")
}

func (m *Main) help(ctx context.Context, args []string) error {
	if len(args) == 0 {
		m.usage()
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] && c.name != "help" {
			return c.run(m, ctx, []string{"-h"})
		}
	}
	fmt.Fprintf(m.Stderr, "shelf: no help for %q\n", args[0])
	return ErrUsage
}

func (m *Main) printVersion(ctx context.Context, args []string) error {
	fmt.Fprintln(m.Stdout, "shelf", version())
	return nil
}

// flagSet makes a FlagSet that prints to Stderr and explains itself.
func (m *Main) flagSet(name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet("shelf "+name, flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(m.Stderr, "Usage: shelf %s\n\n%s\n\nFlags (each also read from the SHELF_ variable shown):\n", name, usage)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags; -h prints usage and is not an error.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errHelp
		}
		return ErrUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "%s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return ErrUsage
	}
	return nil
}

// errHelp stops a command after -h; Run's caller treats it as success.
var errHelp = errors.New("help shown")

// IsHelp reports whether err only says help was shown.
func IsHelp(err error) bool { return errors.Is(err, errHelp) }

// env returns SHELF_<name> or def.
func (m *Main) env(name, def string) string {
	if v := m.Getenv("SHELF_" + name); v != "" {
		return v
	}
	return def
}

// envDuration returns SHELF_<name> as a duration, or def. A value that
// does not parse is remembered (checkEnv reports it) rather than quietly
// replaced by the default.
func (m *Main) envDuration(name string, def time.Duration) time.Duration {
	v := m.Getenv("SHELF_" + name)
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		m.badEnv = append(m.badEnv, fmt.Sprintf("SHELF_%s=%q is not a duration such as 1h or 90m", name, v))
		return def
	}
	return d // the command checks the range, as for its flag
}

// envInt returns SHELF_<name> as a whole number, or def; a value that does
// not parse is remembered, as envDuration does.
func (m *Main) envInt(name string, def int) int {
	v := m.Getenv("SHELF_" + name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		m.badEnv = append(m.badEnv, fmt.Sprintf("SHELF_%s=%q is not a whole number", name, v))
		return def
	}
	return n
}

// checkEnv prints the SHELF_ variables that did not parse; it returns
// ErrUsage if there were any.
func (m *Main) checkEnv(command string) error {
	for _, msg := range m.badEnv {
		fmt.Fprintf(m.Stderr, "shelf %s: %s\n", command, msg)
	}
	if len(m.badEnv) > 0 {
		return ErrUsage
	}
	return nil
}

// envBool returns SHELF_<name> as a switch (unset: off); a value that is
// neither on nor off is remembered, as envDuration does.
func (m *Main) envBool(name string) bool {
	switch v := m.Getenv("SHELF_" + name); strings.ToLower(v) {
	case "1", "true", "yes", "on":
		return true
	case "", "0", "false", "no", "off":
		return false
	default:
		m.badEnv = append(m.badEnv, fmt.Sprintf("SHELF_%s=%q is neither on (1, true, yes, on) nor off (0, false, no, off)", name, v))
		return false
	}
}

// dbFlags are the flags that choose the database, shared by commands.
type dbFlags struct {
	data string
	db   string
}

func (m *Main) addDBFlags(fs *flag.FlagSet) *dbFlags {
	f := &dbFlags{}
	fs.StringVar(&f.data, "data", m.env("DATA", "./shelf-data"), "data folder: SQLite database, uploads, keys (SHELF_DATA)")
	fs.StringVar(&f.db, "db", m.env("DB", ""), "database: empty for SQLite in the data folder, or a postgres://… URL (SHELF_DB)")
	return f
}

// dsn returns the database to open.
func (f *dbFlags) dsn() string {
	if f.db != "" {
		return f.db
	}
	return filepath.Join(f.data, "shelf.db")
}
