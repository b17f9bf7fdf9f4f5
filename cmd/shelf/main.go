// Command shelf runs the Shelf marketplace. See `shelf help`.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/shelfhq/shelf/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := (&cli.Main{}).Run(ctx, os.Args[1:])
	switch {
	case err == nil, cli.IsHelp(err):
	case errors.Is(err, cli.ErrUsage):
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "shelf:", err)
		os.Exit(1)
	}
}
