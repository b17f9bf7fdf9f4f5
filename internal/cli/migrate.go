package cli

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/shelfhq/shelf/internal/store"
)

func (m *Main) migrate(ctx context.Context, args []string) error {
	status := len(args) > 0 && args[0] == "status"
	if status {
		args = args[1:]
	}
	fs := m.flagSet("migrate [status] [flags]", "Applies every pending migration (serve does this at start too), or lists them with 'status'.")
	f := m.addDBFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if status {
		if !store.IsPostgres(f.dsn()) {
			if _, err := os.Stat(f.dsn()); err != nil {
				return fmt.Errorf("no database at %s", f.dsn())
			}
		}
		st, err := store.Open(ctx, f.dsn(), store.Options{Clock: m.Clock})
		if err != nil {
			return err
		}
		defer st.Close()
		lines, err := st.MigrationStatus(ctx)
		if err != nil {
			return err
		}
		for _, l := range lines {
			fmt.Fprintln(m.Stdout, l)
		}
		return nil
	}
	st, err := m.openStore(ctx, f, slog.New(slog.NewTextHandler(m.Stderr, nil)), nil)
	if err != nil {
		return err
	}
	defer st.Close()
	fmt.Fprintf(m.Stdout, "database %s is up to date\n", st.Dialect())
	return nil
}
