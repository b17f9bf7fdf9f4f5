package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"sort"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/sdk"
)

// listen pulls the app's events over outbound connections (the pull API)
// and forwards each, signed with the app's webhook secret, to a local
// endpoint: a laptop without a public URL receives real deliveries. Per
// org stream it forwards in seq order and moves on only after a 2xx, so
// no event is skipped; the last forwarded seq of each stream is saved
// after every event, so a restart (of Shelf or of listen) resumes there.
func (m *Main) listen(ctx context.Context, args []string) error {
	var forward, secretsFile, stateFile *string
	var every *time.Duration
	var maxN *int
	a, err := m.appCommand("listen --app APP --secrets-file FILE --forward-to http://localhost:PORT/path",
		"Receives the app's events from the server over an outbound connection (the pull API, as the app,\n"+
			"with the client id and secret of --secrets-file) and forwards each to --forward-to, signed with the\n"+
			"app's webhook secret exactly as Shelf signs a webhook, printing each delivery and the local answer.\n"+
			"Streams: the app's own org (test pings) and every org that installed it. Order within a stream is\n"+
			"kept and an event is retried until the local endpoint answers 2xx; progress is saved in --state.",
		args, func(a *appCmd) {
			forward = a.fs.String("forward-to", "", "the local endpoint, e.g. http://localhost:3000/shelf/events")
			secretsFile = a.fs.String("secrets-file", "", "the app's secrets file (shelf apps create --secrets-file)")
			stateFile = a.fs.String("state", "", "where the last forwarded seq per org is kept; default: the secrets file + .listen")
			every = a.fs.Duration("interval", time.Second, "how long to wait when every stream is drained or the server is away")
			maxN = a.fs.Int("max", 0, "stop after forwarding this many events (0: run until interrupted)")
		})
	if err != nil {
		return err
	}
	sec := readSecrets(*secretsFile)
	if u, err := url.Parse(*forward); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || sec.ClientSecret == "" || sec.WebhookSecret == "" {
		fmt.Fprintln(m.Stderr, "shelf listen: give --forward-to http(s)://… and --secrets-file with the app's client and webhook secrets")
		return ErrUsage
	}
	if *stateFile == "" {
		*stateFile = *secretsFile + ".listen"
	}
	l := &listener{m: m, a: a, forward: *forward, secret: sec.WebhookSecret, stateFile: *stateFile, every: *every, max: *maxN,
		vendor: &sdk.Client{BaseURL: a.cl.base, ClientID: sec.ClientID, ClientSecret: sec.ClientSecret, HTTPClient: &http.Client{Timeout: 30 * time.Second}},
		local:  &http.Client{Timeout: 10 * time.Second}, cursors: map[string]int64{}}
	if b, err := os.ReadFile(l.stateFile); err == nil {
		_ = json.Unmarshal(b, &l.cursors)
	}
	fmt.Fprintf(m.Stderr, "listening for %s's events, forwarding to %s (Ctrl-C to stop)\n", a.app, *forward)
	return l.run(ctx)
}

type listener struct {
	m         *Main
	a         *appCmd
	vendor    *sdk.Client
	local     *http.Client
	forward   string
	secret    string
	stateFile string
	every     time.Duration
	max, sent int
	cursors   map[string]int64 // org id → last forwarded seq
	orgsAt    time.Time
	orgs      []string
}

var errListenDone = errors.New("listen: forwarded --max events")

func (l *listener) run(ctx context.Context) error {
	for ctx.Err() == nil {
		moved, err := l.round(ctx)
		if errors.Is(err, errListenDone) {
			return nil
		}
		if err != nil && ctx.Err() == nil {
			fmt.Fprintf(l.m.Stderr, "shelf listen: %v (retrying)\n", err)
		}
		if moved && err == nil {
			continue
		}
		select {
		case <-ctx.Done():
		case <-time.After(l.every):
		}
	}
	return nil
}

// round drains every stream once; moved says whether anything was sent.
func (l *listener) round(ctx context.Context) (moved bool, err error) {
	if err := l.refreshOrgs(ctx); err != nil {
		return false, err
	}
	for _, org := range l.orgs {
		page, err := l.vendor.Events(ctx, org, l.cursors[org], 500)
		var ae *sdk.APIError
		if errors.As(err, &ae) && ae.Status == http.StatusNotFound {
			continue // no events for this org yet
		}
		if err != nil {
			return moved, err
		}
		for _, ev := range page.Events {
			if err := l.deliver(ctx, ev); err != nil {
				return moved, err
			}
			moved = true
			if l.sent++; l.max > 0 && l.sent >= l.max {
				return moved, errListenDone
			}
		}
	}
	return moved, nil
}

// refreshOrgs lists the app's streams: its own org and its installations,
// at most every 30 seconds.
func (l *listener) refreshOrgs(ctx context.Context) error {
	if l.orgs != nil && time.Since(l.orgsAt) < 30*time.Second {
		return nil
	}
	var app shelf.App
	if err := l.a.cl.getJSON(ctx, l.a.path, &app); err != nil {
		return err
	}
	seen := map[string]bool{app.OrgID: true}
	insts, err := getAll[shelf.AppInstallation](ctx, l.a.cl, l.a.path+"/installations")
	if err != nil {
		return err
	}
	for _, i := range insts {
		seen[i.OrgID] = true
	}
	l.orgs = l.orgs[:0]
	for org := range seen {
		l.orgs = append(l.orgs, org)
	}
	sort.Strings(l.orgs)
	l.orgsAt = time.Now()
	return nil
}

// deliver forwards one event until the local endpoint answers 2xx, then
// records its seq.
func (l *listener) deliver(ctx context.Context, ev sdk.Event) error {
	body, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, l.forward, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(sdk.HeaderEventID, ev.ID)
		req.Header.Set(sdk.HeaderEventType, ev.Type)
		req.Header.Set(sdk.HeaderSignature, sdk.SignatureHeader(time.Now(), body, l.secret))
		start := time.Now()
		res, err := l.local.Do(req)
		status, answer := 0, ""
		if err == nil {
			b, _ := io.ReadAll(io.LimitReader(res.Body, 200))
			res.Body.Close()
			status, answer = res.StatusCode, string(bytes.TrimSpace(b))
		} else {
			answer = err.Error()
		}
		l.print(ev, status, answer, time.Since(start))
		if status >= 200 && status < 300 {
			l.cursors[ev.OrgID] = ev.Seq
			b, _ := json.Marshal(l.cursors)
			return writePrivate(l.stateFile, b)
		}
		select { // the same event again: never skip one
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(l.every):
		}
	}
}

func (l *listener) print(ev sdk.Event, status int, answer string, took time.Duration) {
	if l.a.r.json {
		_ = l.m.printJSON(map[string]any{"event_id": ev.ID, "type": ev.Type, "org_id": ev.OrgID, "seq": ev.Seq, "status": status, "answer": answer, "ms": took.Milliseconds()})
		return
	}
	fmt.Fprintf(l.m.Stdout, "%s  %-18s %s seq %d (org %s)  → %d %s [%d ms]\n", time.Now().Format(time.TimeOnly), ev.Type, ev.ID, ev.Seq, ev.OrgID, status, answer, took.Milliseconds())
}
