package cli

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"golang.org/x/term"

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

// readPassword reads the password from standard input: at a prompt
// without echo when it is a terminal, else its first line (piped in, say
// from a secrets manager). Never from the command line, where the process
// list and the shell's history would show it.
func (m *Main) readPassword() (string, error) {
	if f, ok := m.Stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(m.Stderr, "Password: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(m.Stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		return string(b), nil
	}
	line, err := bufio.NewReader(m.Stdin).ReadString('\n')
	if err != nil && line == "" {
		fmt.Fprintln(m.Stderr, "shelf admin: give the password on standard input (echo \"$PW\" | shelf admin …), or run the command at a terminal to be asked for it")
		return "", ErrUsage
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// accountFlags are the flags both admin commands take.
type accountFlags struct {
	db    *dbFlags
	email *string
	pw    *string
}

func (m *Main) accountFlagSet(name, usage, emailUsage string) (*flag.FlagSet, *accountFlags) {
	fs := m.flagSet(name, usage)
	f := &accountFlags{db: m.addDBFlags(fs)}
	f.email = fs.String("email", "", emailUsage)
	f.pw = fs.String("password", "", "refused: a password on the command line shows in the process list and shell history")
	fs.Bool("password-stdin", true, "kept for scripts: the password always comes from standard input")
	return fs, f
}

// open parses the command line, reads the password and opens the store.
func (m *Main) open(ctx context.Context, fs *flag.FlagSet, f *accountFlags, args []string) (*store.Store, string, error) {
	if err := parse(fs, args); err != nil {
		return nil, "", err
	}
	if *f.pw != "" {
		fmt.Fprintln(m.Stderr, "shelf admin: --password is refused: the process list and your shell's history would show it; give the password on standard input, or run the command at a terminal to be asked for it")
		return nil, "", ErrUsage
	}
	password, err := m.readPassword()
	if err != nil {
		return nil, "", err
	}
	st, err := m.openStore(ctx, f.db, slog.New(slog.NewTextHandler(m.Stderr, nil)), nil)
	return st, password, err
}

func (m *Main) adminCreate(ctx context.Context, args []string) error {
	fs, f := m.accountFlagSet("admin create --email E --name N  (the password on standard input)",
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
	fs, f := m.accountFlagSet("admin reset-password --email E  (the password on standard input)",
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
