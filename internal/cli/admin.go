package cli

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"log/slog"
	"strings"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store"
)

func (m *Main) admin(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(m.Stderr, "Usage: shelf admin <create|reset-password> [flags]\n\n  create          create a platform admin (and the platform org if there is none)\n  reset-password  set a user's password; their sessions and tokens end")
		if len(args) == 0 {
			return ErrUsage
		}
		return errHelp
	}
	switch args[0] {
	case "create":
		return m.adminCreate(ctx, args[1:])
	case "reset-password":
		return m.adminReset(ctx, args[1:])
	}
	fmt.Fprintf(m.Stderr, "shelf admin: unknown subcommand %q (create, reset-password)\n", args[0])
	return ErrUsage
}

// readPassword takes the password from the flag or, with --password-stdin,
// the first line of standard input (so it stays out of shell history).
func (m *Main) readPassword(flagValue string, fromStdin bool) (string, error) {
	if fromStdin {
		line, err := bufio.NewReader(m.Stdin).ReadString('\n')
		if err != nil && line == "" {
			return "", fmt.Errorf("read password from stdin: %w", err)
		}
		return strings.TrimRight(line, "\r\n"), nil
	}
	if flagValue == "" {
		fmt.Fprintln(m.Stderr, "shelf admin: give --password or --password-stdin")
		return "", ErrUsage
	}
	return flagValue, nil
}

// accountFlags are the flags both admin commands take.
type accountFlags struct {
	db      *dbFlags
	email   *string
	pw      *string
	pwStdin *bool
}

func (m *Main) accountFlagSet(name, usage, emailUsage string) (*flag.FlagSet, *accountFlags) {
	fs := m.flagSet(name, usage)
	f := &accountFlags{db: m.addDBFlags(fs)}
	f.email = fs.String("email", "", emailUsage)
	f.pw = fs.String("password", "", "the password (prefer --password-stdin)")
	f.pwStdin = fs.Bool("password-stdin", false, "read the password from standard input")
	return fs, f
}

// open parses the command line, reads the password and opens the store.
func (m *Main) open(ctx context.Context, fs *flag.FlagSet, f *accountFlags, args []string) (*store.Store, string, error) {
	if err := parse(fs, args); err != nil {
		return nil, "", err
	}
	password, err := m.readPassword(*f.pw, *f.pwStdin)
	if err != nil {
		return nil, "", err
	}
	st, err := m.openStore(ctx, f.db, slog.New(slog.NewTextHandler(m.Stderr, nil)), nil)
	return st, password, err
}

func (m *Main) adminCreate(ctx context.Context, args []string) error {
	fs, f := m.accountFlagSet("admin create --email E --name N (--password P | --password-stdin)",
		"Creates a platform admin in the platform org (created if missing).", "the admin's email")
	name := fs.String("name", "Platform admin", "the admin's display name")
	st, password, err := m.open(ctx, fs, f, args)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := st.CreateUser(ctx, *f.email, *name, password)
	if err != nil {
		return err
	}
	if err := st.GrantPlatformRole(ctx, u.ID, shelf.PlatformAdmin, shelf.ActorCLI); err != nil {
		return err
	}
	if err := joinPlatformOrg(ctx, st, u); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "platform admin %s created (%s)\n", u.Email, u.ID)
	return nil
}

func joinPlatformOrg(ctx context.Context, st *store.Store, u *shelf.User) error {
	p, err := st.PlatformOrg(ctx)
	if shelf.ErrorKind(err) == shelf.KindNotFound {
		_, err = st.CreateOrg(ctx, shelf.NewOrg{Name: "Platform", Kind: shelf.OrgPlatform, CreatorID: u.ID})
		return err
	}
	if err != nil {
		return err
	}
	_, _, err = st.AddMember(ctx, p.ID, u.Email, shelf.RoleAdmin, u.ID)
	return err
}

func (m *Main) adminReset(ctx context.Context, args []string) error {
	fs, f := m.accountFlagSet("admin reset-password --email E (--password P | --password-stdin)",
		"Sets a user's password and ends their sessions and tokens.", "the user's email")
	st, password, err := m.open(ctx, fs, f, args)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.SetPassword(ctx, *f.email, password, shelf.ActorCLI); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "password of %s reset; their sessions and tokens have ended\n", *f.email)
	return nil
}
