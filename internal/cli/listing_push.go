package cli

import (
	"context"
	"flag"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"

	"github.com/shelfhq/shelf/internal/listingfile"
	"github.com/shelfhq/shelf/internal/shelf"
)

// defaultServer is where `shelf serve` listens by default, so pushing to a
// local development server needs no --server.
const defaultServer = "http://127.0.0.1:8080"

func (m *Main) listingPush(ctx context.Context, args []string) error {
	fs := m.flagSet("listing push [flags] FILE", "Validates a listing file (and stops on errors), uploads its icon and screenshots, and saves it\n"+
		"as the app's draft revision: a new draft when none is being edited (a live listing keeps selling),\n"+
		"else the draft (or rejected revision) in progress. With --submit it then submits it for review.")
	app := fs.String("app", "", "the app whose listing to write (app_…); default: the file's app")
	token := fs.String("token", m.env("TOKEN", ""), "a personal API token (shelf_pat_…) of an admin of the app's partner org; default: the profile's (SHELF_TOKEN)")
	server := fs.String("server", m.env("SERVER", ""), "the Shelf server; default: the profile's, else "+defaultServer+" (SHELF_SERVER)")
	prof := fs.String("profile", m.env("PROFILE", "default"), "the saved sign-in (shelf login) to use when --token is not given (SHELF_PROFILE)")
	submit := fs.Bool("submit", false, "submit the revision for review after saving it; default: the file's submit")
	name, err := parseFile(fs, args)
	if err != nil {
		return err
	}
	if c, _, err := m.loadConfig(); err == nil {
		p := c.Profiles[*prof]
		*token, *server = firstOf(*token, p.Token), firstOf(*server, p.Server)
	}
	*server = firstOf(*server, defaultServer)
	if *token == "" {
		fmt.Fprintln(m.Stderr, "shelf listing push: run shelf login, give --token or set SHELF_TOKEN (create a personal token on the account page (/account) or with POST /api/v1/me/tokens)")
		return ErrUsage
	}
	client, err := newAPIClient(*server, *token)
	if err != nil {
		fmt.Fprintln(m.Stderr, "shelf listing push:", err)
		return ErrUsage
	}
	f, problems, err := readListing(name)
	if err != nil {
		return err
	}
	for _, p := range problems {
		fmt.Fprintln(m.Stderr, p.String())
	}
	if f == nil || listingfile.HasErrors(problems) {
		return fmt.Errorf("%w; nothing was sent", verdict(name, problems))
	}
	if *app != "" {
		f.App = *app
	}
	if !shelf.HasPrefix(f.App, "app") {
		fmt.Fprintf(m.Stderr, "shelf listing push: give --app app_… or write app: in %s\n", name)
		return ErrUsage
	}
	if flagSet(fs, "submit") {
		f.Submit = *submit
	}
	p := &pusher{m: m, c: client, f: f, dir: os.DirFS(filepath.Dir(name))}
	return p.push(ctx)
}

// flagSet reports whether the flag was given on the command line.
func flagSet(fs *flag.FlagSet, name string) (set bool) {
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// pusher saves one listing file on a server.
type pusher struct {
	m   *Main
	c   *apiClient
	f   *listingfile.File
	dir fs.FS
}

func (p *pusher) push(ctx context.Context) error {
	app, err := p.app(ctx)
	if err != nil {
		return err
	}
	pending, err := p.pending(ctx, app)
	if err != nil {
		return err
	}
	rev := p.f.Revision
	if err := p.uploadImages(ctx, app.OrgID, &rev); err != nil {
		return err
	}
	info, err := p.save(ctx, app, pending, &rev)
	if err != nil {
		return err
	}
	if p.f.Submit {
		if info, err = p.submit(ctx, info); err != nil {
			return err
		}
	}
	fmt.Fprintf(p.m.Stdout, "editor: %s/revisions/%s/edit\n", p.c.base, url.PathEscape(info.ID))
	return nil
}

// app loads the app, which also proves the token and the access: the
// first request is where a wrong token or app shows, before any upload.
func (p *pusher) app(ctx context.Context) (*shelf.App, error) {
	var app shelf.App
	err := p.c.getJSON(ctx, "/api/v1/apps/"+url.PathEscape(p.f.App), &app)
	switch {
	case apiStatus(err) == http.StatusUnauthorized:
		return nil, fmt.Errorf("the server refused the token (%w): check --token or SHELF_TOKEN; create a personal token on the account page (/account) or with POST /api/v1/me/tokens", err)
	case apiStatus(err) == http.StatusNotFound:
		return nil, fmt.Errorf("app %s: not found, or the token's user is not a member of its partner org (%w)", p.f.App, err)
	case err != nil:
		return nil, fmt.Errorf("app %s: %w", p.f.App, err)
	}
	return &app, nil
}

// pending returns the revision being edited or reviewed, nil when there is
// none (or no listing yet). One under review is not overwritten: a reviewer
// may be reading it.
func (p *pusher) pending(ctx context.Context, app *shelf.App) (*shelf.RevisionInfo, error) {
	var li shelf.ListingInfo
	err := p.c.getJSON(ctx, "/api/v1/apps/"+url.PathEscape(app.ID)+"/listing", &li)
	if apiStatus(err) == http.StatusNotFound {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("listing of app %s: %w", app.ID, err)
	}
	if li.Pending != nil && li.Pending.State == shelf.RevisionSubmitted {
		return nil, fmt.Errorf("revision %s of app %s is under review and is not overwritten: wait for the decision, or withdraw it (POST /api/v1/revisions/%s/withdraw) and push again",
			li.Pending.ID, app.ID, li.Pending.ID)
	}
	return li.Pending, nil
}

// uploadImages uploads the icon and screenshots into the app's org and
// points rev at them. Uploads are cheap and unreferenced ones harm nothing,
// so every push uploads afresh rather than guessing what changed.
func (p *pusher) uploadImages(ctx context.Context, orgID string, rev *shelf.Revision) error {
	icon, err := p.upload(ctx, orgID, "icon", p.f.Icon)
	if err != nil {
		return err
	}
	rev.Icon, rev.Screenshots = icon, nil
	for i, path := range p.f.Screenshots {
		img, err := p.upload(ctx, orgID, fmt.Sprintf("screenshots[%d]", i), path)
		if err != nil {
			return err
		}
		rev.Screenshots = append(rev.Screenshots, *img)
	}
	return nil
}

func (p *pusher) upload(ctx context.Context, orgID, field, path string) (*shelf.Image, error) {
	data, err := fs.ReadFile(p.dir, listingfile.ImagePath(path))
	if err != nil {
		return nil, fmt.Errorf("%s %q: %w", field, path, err)
	}
	info, err := shelf.CheckImage(data)
	if err != nil {
		return nil, fmt.Errorf("%s %q: %w", field, path, err)
	}
	var img shelf.Image
	if err := p.c.upload(ctx, "/api/v1/orgs/"+url.PathEscape(orgID)+"/media", "image/"+string(info.Format), data, &img); err != nil {
		return nil, fmt.Errorf("upload %s %q: %w", field, path, err)
	}
	fmt.Fprintf(p.m.Stdout, "uploaded %s %s (%s)\n", field, path, img.ID)
	return &img, nil
}

// save creates the draft, or replaces the one in progress.
func (p *pusher) save(ctx context.Context, app *shelf.App, pending *shelf.RevisionInfo, rev *shelf.Revision) (*shelf.RevisionInfo, error) {
	var info shelf.RevisionInfo
	if pending == nil {
		if err := p.c.sendJSON(ctx, http.MethodPost, "/api/v1/apps/"+url.PathEscape(app.ID)+"/revisions", rev, &info); err != nil {
			return nil, fmt.Errorf("create a draft revision of app %s: %w", app.ID, err)
		}
		fmt.Fprintf(p.m.Stdout, "created draft revision %s (revision %d of %s, state %s)\n", info.ID, info.Number, app.ID, info.State)
		return &info, nil
	}
	if err := p.c.sendJSON(ctx, http.MethodPut, "/api/v1/revisions/"+url.PathEscape(pending.ID), rev, &info); err != nil {
		return nil, fmt.Errorf("save revision %s of app %s: %w", pending.ID, app.ID, err)
	}
	fmt.Fprintf(p.m.Stdout, "saved revision %s (revision %d of %s, was %s, now %s)\n", info.ID, info.Number, app.ID, pending.State, info.State)
	return &info, nil
}

// submit puts the saved draft in review. When the server refuses (no
// self-test, a link that does not answer…), the draft stays saved and the
// error says so, with the server's reason.
func (p *pusher) submit(ctx context.Context, saved *shelf.RevisionInfo) (*shelf.RevisionInfo, error) {
	var info shelf.RevisionInfo
	if err := p.c.sendJSON(ctx, http.MethodPost, "/api/v1/revisions/"+url.PathEscape(saved.ID)+"/submit", struct{}{}, &info); err != nil {
		fmt.Fprintf(p.m.Stdout, "editor: %s/revisions/%s/edit\n", p.c.base, url.PathEscape(saved.ID))
		return nil, fmt.Errorf("revision %s is saved as a draft but was not submitted: %w", saved.ID, err)
	}
	fmt.Fprintf(p.m.Stdout, "submitted revision %s for review (state %s): the category's operators approve or reject it\n", info.ID, info.State)
	return &info, nil
}
