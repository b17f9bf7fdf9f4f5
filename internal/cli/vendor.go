package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
)

// categories prints the category tree, marking the leaves a listing may use.
func (m *Main) categories(ctx context.Context, args []string) error {
	fs := m.flagSet("categories", "Prints the category tree; a listing's category_id must be a leaf (marked *).")
	r := m.addRemoteFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	c, _, err := m.loadConfig()
	if err != nil {
		return err
	}
	// The tree is public: no token is needed.
	cl, err := newAPIClient(firstOf(r.server, c.Profiles[r.profile].Server, defaultServer), "")
	if err != nil {
		fmt.Fprintln(m.Stderr, "shelf categories:", err)
		return ErrUsage
	}
	var list struct {
		Items []shelf.Category `json:"items"`
	}
	if err := cl.getJSON(ctx, "/api/v1/categories", &list); err != nil {
		return err
	}
	if r.json {
		return m.printJSON(list)
	}
	for _, cat := range list.Items {
		mark := " "
		if cat.IsLeaf {
			mark = "*"
		}
		indent := ""
		for range max(len(cat.Path)-1, 0) {
			indent += "  "
		}
		fmt.Fprintf(m.Stdout, "%s %s%s  %s / %s\n", mark, indent, cat.ID, cat.Name, cat.NameEn)
	}
	fmt.Fprintln(m.Stdout, "(* a leaf: use its id as a listing's category_id)")
	return nil
}

// appCommand is a command about one app: remote flags, --app, parsed.
// extra adds the command's own flags before parsing.
func (m *Main) appCommand(usage, help string, args []string, extra func(a *appCmd)) (*appCmd, error) {
	fs := m.flagSet(usage, help)
	a := &appCmd{r: m.addRemoteFlags(fs)}
	fs.StringVar(&a.app, "app", m.env("APP", ""), "the app (app_…) (SHELF_APP)")
	a.fs = fs
	if extra != nil {
		extra(a)
	}
	if err := parse(fs, args); err != nil {
		return nil, err
	}
	if a.app == "" {
		fmt.Fprintf(m.Stderr, "shelf %s: give --app (or set SHELF_APP)\n", fs.Name())
		return nil, ErrUsage
	}
	cl, err := m.client(a.r)
	if err != nil {
		return nil, err
	}
	a.cl, a.path = cl, "/api/v1/apps/"+url.PathEscape(a.app)
	return a, nil
}

type appCmd struct {
	fs   *flag.FlagSet
	r    *remote
	app  string
	cl   *apiClient
	path string
}

func (m *Main) selftest(ctx context.Context, args []string) error {
	var testOrg *string
	a, err := m.appCommand("selftest --app APP [--test-org ORG]", "Runs the app's self-test in one of your test orgs and prints each check; exits 1 when one fails.", args,
		func(a *appCmd) {
			testOrg = a.fs.String("test-org", "", "the test org (org_…); default: your partner org's first")
		})
	if err != nil {
		return err
	}
	if *testOrg == "" {
		var app shelf.App
		if err := a.cl.getJSON(ctx, a.path, &app); err != nil {
			return err
		}
		var orgs struct{ Items []shelf.Org }
		if err := a.cl.getJSON(ctx, "/api/v1/orgs/"+url.PathEscape(app.OrgID)+"/test-orgs", &orgs); err != nil {
			return err
		}
		if len(orgs.Items) == 0 {
			return fmt.Errorf("your partner org has no test org: create one (POST /api/v1/orgs/%s/test-orgs) or give --test-org", app.OrgID)
		}
		*testOrg = orgs.Items[0].ID
	}
	var st shelf.SelfTest
	if err := a.cl.sendJSON(ctx, http.MethodPost, a.path+"/self-tests", map[string]string{"test_org_id": *testOrg}, &st); err != nil {
		return err
	}
	if a.r.json {
		if err := m.printJSON(st); err != nil {
			return err
		}
	} else {
		for _, c := range st.Checks {
			mark := "ok  "
			if !c.Passed {
				mark = "FAIL"
			}
			fmt.Fprintf(m.Stdout, "%s %-40s %5d ms  %s\n", mark, c.Name, c.LatencyMS, c.Detail)
		}
	}
	if !st.Passed {
		return fmt.Errorf("self-test %s failed", st.ID)
	}
	if !a.r.json {
		fmt.Fprintf(m.Stdout, "self-test %s passed\n", st.ID)
	}
	return nil
}

func (m *Main) webhook(ctx context.Context, args []string) error {
	return m.subcommands(ctx, "webhook", args, []command{
		{"rotate", "make a new webhook signing secret (the old one signs 24 more hours)", (*Main).webhookRotate},
		{"secrets", "show whether a rotated-out secret still signs, and until when", (*Main).webhookSecrets},
	})
}

func (m *Main) webhookRotate(ctx context.Context, args []string) error {
	var file *string
	var show *bool
	a, err := m.appCommand("webhook rotate --app APP --secrets-file FILE", "Rotates the app's webhook secret. The new one goes to --secrets-file (mode 0600; the\n"+
		"file's webhook_secret becomes previous_webhook_secret), never to the terminal unless --show-secrets.", args, func(a *appCmd) {
		file = a.fs.String("secrets-file", "", "the app's secrets file to update (or create)")
		show = a.fs.Bool("show-secrets", false, "also print the new secret")
	})
	if err != nil {
		return err
	}
	if *file == "" && !*show {
		fmt.Fprintln(m.Stderr, "shelf webhook rotate: give --secrets-file FILE (the new secret is shown only this once), or --show-secrets")
		return ErrUsage
	}
	var rot struct {
		WebhookSecret      string     `json:"webhook_secret"`
		PreviousValidUntil *time.Time `json:"previous_valid_until"`
	}
	if err := a.cl.sendJSON(ctx, http.MethodPost, a.path+"/webhook-secret/rotate", nil, &rot); err != nil {
		return err
	}
	sec := readSecrets(*file)
	sec.Server, sec.AppID = a.cl.base, a.app
	if sec.WebhookSecret != "" {
		sec.PreviousWebhookSecret = sec.WebhookSecret
	}
	sec.WebhookSecret = rot.WebhookSecret
	if err := m.keepSecrets(*file, sec); err != nil {
		return err
	}
	if a.r.json {
		out := map[string]any{"app_id": a.app, "previous_valid_until": rot.PreviousValidUntil, "secrets_file": *file}
		if *show {
			out["webhook_secret"] = rot.WebhookSecret
		}
		return m.printJSON(out)
	}
	fmt.Fprintf(m.Stdout, "rotated the webhook secret of %s; the old one signs until %s\n", a.app, rot.PreviousValidUntil.Format(time.RFC3339))
	if *file != "" {
		fmt.Fprintf(m.Stdout, "new secret written to %s (mode 0600)\n", *file)
	}
	if *show {
		fmt.Fprintf(m.Stdout, "webhook secret: %s\n", rot.WebhookSecret)
	}
	return nil
}

func (m *Main) webhookSecrets(ctx context.Context, args []string) error {
	a, err := m.appCommand("webhook secrets --app APP", "Says whether the app is in a rotation: while it is, deliveries are signed with both secrets.", args, nil)
	if err != nil {
		return err
	}
	var app shelf.App
	if err := a.cl.getJSON(ctx, a.path, &app); err != nil {
		return err
	}
	if a.r.json {
		return m.printJSON(map[string]any{"app_id": app.ID, "rotating": app.SecretRotatingUntil != nil, "previous_valid_until": app.SecretRotatingUntil})
	}
	if app.SecretRotatingUntil == nil {
		fmt.Fprintf(m.Stdout, "%s: one secret signs (no rotation in progress)\n", app.ID)
		return nil
	}
	fmt.Fprintf(m.Stdout, "%s: two secrets sign until %s; after that only the new one: remove the old one from your servers then, or as soon as all have the new one\n",
		app.ID, app.SecretRotatingUntil.Format(time.RFC3339))
	return nil
}

// readSecrets reads a secrets file; a missing or unreadable one is empty.
func readSecrets(file string) appSecrets {
	var sec appSecrets
	if b, err := os.ReadFile(file); err == nil && file != "" {
		_ = json.Unmarshal(b, &sec)
	}
	return sec
}
