package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/shelfhq/shelf/internal/listingfile"
	"github.com/shelfhq/shelf/internal/shelf"
)

// ErrInvalidListing means a listing file has errors; they have been
// printed. The command exits 1, as a compiler does for a broken file (not 2:
// the command line was right).
var ErrInvalidListing = errors.New("the listing file has errors")

func (m *Main) listing(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(m.Stderr, "Usage: shelf listing <validate|push> [flags] FILE\n\n"+
			"  validate  check a listing file offline, by the server's rules (errors with line numbers)\n"+
			"  push      save a listing file as the app's draft revision on a Shelf server (and submit it)\n\n"+
			"docs/listing.md describes the file.")
		if len(args) == 0 {
			return ErrUsage
		}
		return errHelp
	}
	switch args[0] {
	case "validate":
		return m.listingValidate(args[1:])
	case "push":
		return m.listingPush(ctx, args[1:])
	}
	fmt.Fprintf(m.Stderr, "shelf listing: unknown subcommand %q (validate, push)\n", args[0])
	return ErrUsage
}

func (m *Main) listingValidate(args []string) error {
	fs := m.flagSet("listing validate [--json] FILE", "Checks a listing file and the images it names offline, by the rules the server applies,\n"+
		"and prints each problem as file:line: field: message (code …). Exits 1 when there is an error;\n"+
		"warnings alone do not fail. The category's existence, the self-test and the links are checked\nby the server on push and submit.")
	asJSON := fs.Bool("json", false, "print the problems as JSON")
	name, err := parseFile(fs, args)
	if err != nil {
		return err
	}
	_, problems, err := readListing(name)
	if err != nil {
		return err
	}
	if *asJSON {
		if err := m.printProblemsJSON(name, problems); err != nil {
			return err
		}
	} else {
		for _, p := range problems {
			fmt.Fprintln(m.Stdout, p.String())
		}
	}
	return verdict(name, problems)
}

// parseFile parses flags given before or after the one FILE argument: the
// standard flag package stops at the first argument, but people write
// `shelf listing push listing.yaml --app app_…`.
func parseFile(fs *flag.FlagSet, args []string) (string, error) {
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return "", errHelp
			}
			return "", ErrUsage
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(files) != 1 {
		fmt.Fprintf(fs.Output(), "%s: give exactly one listing file (got %d)\n", fs.Name(), len(files))
		return "", ErrUsage
	}
	return files[0], nil
}

// readListing reads and checks a listing file and its images, relative to
// the file's folder. The error is only for a file that cannot be read.
func readListing(name string) (*listingfile.File, []listingfile.Problem, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, nil, fmt.Errorf("read listing file: %w", err)
	}
	f, problems := listingfile.Check(name, data, os.DirFS(filepath.Dir(name)))
	return f, problems, nil
}

// verdict turns the problems into the command's result: ErrInvalidListing
// (exit 1) when any is an error.
func verdict(name string, problems []listingfile.Problem) error {
	errs, warns := count(problems)
	if errs == 0 {
		return nil
	}
	return fmt.Errorf("%s: %d error(s), %d warning(s): %w", name, errs, warns, ErrInvalidListing)
}

func count(problems []listingfile.Problem) (errs, warns int) {
	for _, p := range problems {
		if p.Severity == shelf.SeverityError {
			errs++
		} else {
			warns++
		}
	}
	return errs, warns
}

// validateReport is the --json output: stable keys for CI tools.
type validateReport struct {
	File     string                `json:"file"`
	Valid    bool                  `json:"valid"`
	Errors   int                   `json:"errors"`
	Warnings int                   `json:"warnings"`
	Problems []listingfile.Problem `json:"problems"`
}

func (m *Main) printProblemsJSON(name string, problems []listingfile.Problem) error {
	errs, warns := count(problems)
	if problems == nil {
		problems = []listingfile.Problem{}
	}
	enc := json.NewEncoder(m.Stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(validateReport{File: name, Valid: errs == 0, Errors: errs, Warnings: warns, Problems: problems})
}
