package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"text/tabwriter"

	"github.com/shelfhq/shelf/internal/shelf"
)

// subcommands dispatches `shelf NAME SUB …` to one of subs, each a
// command with its own FlagSet.
func (m *Main) subcommands(ctx context.Context, name string, args []string, subs []command) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintf(m.Stderr, "Usage: shelf %s <subcommand> [flags]\n\n", name)
		for _, s := range subs {
			fmt.Fprintf(m.Stderr, "  %-8s %s\n", s.name, s.summary)
		}
		if len(args) == 0 {
			return ErrUsage
		}
		return errHelp
	}
	for _, s := range subs {
		if s.name == args[0] {
			return s.run(m, ctx, args[1:])
		}
	}
	fmt.Fprintf(m.Stderr, "shelf %s: unknown subcommand %q\n", name, args[0])
	return ErrUsage
}

func (m *Main) apps(ctx context.Context, args []string) error {
	return m.subcommands(ctx, "apps", args, []command{
		{"list", "list the apps of your partner org", (*Main).appsList},
		{"create", "register an app; its secrets go to --secrets-file", (*Main).appsCreate},
		{"update", "change an app's names or URLs", (*Main).appsUpdate},
	})
}

// partnerOrg is --org, else the caller's only partner org.
func partnerOrg(ctx context.Context, cl *apiClient, org string) (string, error) {
	if org != "" {
		return org, nil
	}
	orgs, err := getAll[shelf.OrgWithRole](ctx, cl, "/api/v1/orgs")
	if err != nil {
		return "", err
	}
	var found []string
	for _, o := range orgs {
		if o.Kind == shelf.OrgPartner && !o.Test {
			found = append(found, o.ID)
		}
	}
	if len(found) != 1 {
		return "", fmt.Errorf("you are in %d partner orgs: name one with --org", len(found))
	}
	return found[0], nil
}

func (m *Main) appsList(ctx context.Context, args []string) error {
	fs := m.flagSet("apps list [--org ORG]", "Lists the apps of your partner org with their state (draft, self_tested, in_review, listed, …).")
	r := m.addRemoteFlags(fs)
	org := fs.String("org", "", "the partner org (org_…); default: your only partner org")
	if err := parse(fs, args); err != nil {
		return err
	}
	cl, err := m.client(r)
	if err != nil {
		return err
	}
	if *org, err = partnerOrg(ctx, cl, *org); err != nil {
		return err
	}
	var list struct {
		Items []shelf.App `json:"items"`
	}
	if list.Items, err = getAll[shelf.App](ctx, cl, "/api/v1/orgs/"+url.PathEscape(*org)+"/apps"); err != nil {
		return err
	}
	if r.json {
		return m.printJSON(list)
	}
	tw := tabwriter.NewWriter(m.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tKIND\tSTATE\tWEBHOOK")
	for _, a := range list.Items {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", a.ID, a.Name, a.Kind, a.State, a.WebhookURL)
	}
	return tw.Flush()
}

// appFields are the flags of an app's settings; only those given are sent.
func appFields(fs *flag.FlagSet) {
	fs.String("name", "", "the app's name (Chinese)")
	fs.String("name-en", "", "the app's English name")
	fs.String("homepage-url", "", "the app's homepage")
	fs.String("launch-url", "", "where members are sent to open the app")
	fs.String("webhook-url", "", "where Shelf delivers events (https; see shelf listen for a laptop)")
}

// givenFields maps the flags set on the command line to the API's fields.
func givenFields(fs *flag.FlagSet, names ...string) map[string]any {
	body := map[string]any{}
	fs.Visit(func(f *flag.Flag) {
		for _, n := range names {
			if f.Name == n {
				body[jsonName(n)] = f.Value.String()
			}
		}
	})
	return body
}

func jsonName(flagName string) string {
	b := []byte(flagName)
	for i := range b {
		if b[i] == '-' {
			b[i] = '_'
		}
	}
	return string(b)
}

var appFieldNames = []string{"name", "name-en", "homepage-url", "launch-url", "webhook-url"}

// appSecrets is the file --secrets-file holds: everything a receiver and
// `shelf listen` need.
type appSecrets struct {
	Server        string `json:"server"`
	AppID         string `json:"app_id"`
	ClientID      string `json:"client_id"`
	ClientSecret  string `json:"client_secret,omitempty"`
	WebhookSecret string `json:"webhook_secret"`
	// PreviousWebhookSecret is kept after a rotation while it still signs.
	PreviousWebhookSecret string `json:"previous_webhook_secret,omitempty"`
}

func (m *Main) appsCreate(ctx context.Context, args []string) error {
	fs := m.flagSet("apps create --name NAME --secrets-file FILE [flags]",
		"Registers an app in your partner org. Its client secret and webhook secret are shown this once:\n"+
			"they are written to --secrets-file (mode 0600), never to the terminal unless --show-secrets.")
	r := m.addRemoteFlags(fs)
	org := fs.String("org", "", "the partner org (org_…); default: your only partner org")
	kind := fs.String("kind", "org", "org (installed into an org) or cool (into group chats)")
	appFields(fs)
	file := fs.String("secrets-file", "", "write the app's secrets here (JSON, mode 0600)")
	show := fs.Bool("show-secrets", false, "also print the secrets")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *file == "" && !*show {
		fmt.Fprintln(m.Stderr, "shelf apps create: give --secrets-file FILE (the secrets are shown only this once), or --show-secrets")
		return ErrUsage
	}
	cl, err := m.client(r)
	if err != nil {
		return err
	}
	if *org, err = partnerOrg(ctx, cl, *org); err != nil {
		return err
	}
	body := givenFields(fs, appFieldNames...)
	body["kind"] = *kind
	var created struct {
		shelf.App
		shelf.AppCredentials
	}
	if err := cl.sendJSON(ctx, http.MethodPost, "/api/v1/orgs/"+url.PathEscape(*org)+"/apps", body, &created); err != nil {
		return err
	}
	sec := appSecrets{Server: cl.base, AppID: created.ID, ClientID: created.ClientID, ClientSecret: created.ClientSecret, WebhookSecret: created.WebhookSecret}
	if err := m.keepSecrets(*file, sec); err != nil {
		return err
	}
	return m.showApp(&created.App, r.json, *show, sec, *file)
}

// keepSecrets writes the secrets file, if one was named.
func (m *Main) keepSecrets(file string, sec appSecrets) error {
	if file == "" {
		return nil
	}
	b, err := json.MarshalIndent(sec, "", "  ")
	if err != nil {
		return err
	}
	if err := writePrivate(file, append(b, '\n')); err != nil {
		return fmt.Errorf("write the secrets (the app exists; rotate its webhook secret with shelf webhook rotate): %w", err)
	}
	return nil
}

// showApp prints an app, and its secrets only when show.
func (m *Main) showApp(a *shelf.App, asJSON, show bool, sec appSecrets, file string) error {
	if asJSON {
		out := map[string]any{"app": a}
		if show {
			out["secrets"] = sec
		}
		if file != "" {
			out["secrets_file"] = file
		}
		return m.printJSON(out)
	}
	fmt.Fprintf(m.Stdout, "app %s (%s), state %s, client id %s\n", a.ID, a.Name, a.State, a.ClientID)
	if file != "" {
		fmt.Fprintf(m.Stdout, "secrets written to %s (mode 0600)\n", file)
	}
	if show {
		if sec.ClientSecret != "" {
			fmt.Fprintf(m.Stdout, "client secret:  %s\n", sec.ClientSecret)
		}
		fmt.Fprintf(m.Stdout, "webhook secret: %s\n", sec.WebhookSecret)
	}
	return nil
}

func (m *Main) appsUpdate(ctx context.Context, args []string) error {
	fs := m.flagSet("apps update --app APP [--name …] [--webhook-url …] …", "Changes the app's fields given; the others stay. A URL change makes the last self-test stale.")
	r := m.addRemoteFlags(fs)
	app := fs.String("app", m.env("APP", ""), "the app (app_…) (SHELF_APP)")
	appFields(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	body := givenFields(fs, appFieldNames...)
	if *app == "" || len(body) == 0 {
		fmt.Fprintln(m.Stderr, "shelf apps update: give --app and at least one field to change")
		return ErrUsage
	}
	cl, err := m.client(r)
	if err != nil {
		return err
	}
	var a shelf.App
	if err := cl.sendJSON(ctx, http.MethodPatch, "/api/v1/apps/"+url.PathEscape(*app), body, &a); err != nil {
		return err
	}
	if r.json {
		return m.printJSON(a)
	}
	fmt.Fprintf(m.Stdout, "app %s (%s) updated, state %s\n", a.ID, a.Name, a.State)
	return nil
}
