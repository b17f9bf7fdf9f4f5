package cli

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
)

func (m *Main) eventsCmd(ctx context.Context, args []string) error {
	return m.subcommands(ctx, "events", args, []command{
		{"test", "send the app a signed test.ping through the normal delivery path", (*Main).eventsTest},
		{"trigger", "cause an event of a type in your test org (app.installed, order.paid, …)", (*Main).eventsTrigger},
		{"tail", "print the app's delivery attempts as they happen", (*Main).eventsTail},
		{"resend", "deliver one event again (--event)", (*Main).eventsResend},
		{"replay", "deliver again the events created between --from and --to (--failed-only: just the failed)", (*Main).eventsReplay},
	})
}

func (m *Main) eventsTest(ctx context.Context, args []string) error {
	return m.trigger(ctx, "events test --app APP", args, shelf.EventTestPing)
}

func (m *Main) eventsTrigger(ctx context.Context, args []string) error {
	typ := ""
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		typ, args = args[0], args[1:]
	}
	types := strings.Join(triggerTypes(), ", ")
	if typ == "" {
		fmt.Fprintf(m.Stderr, "Usage: shelf events trigger TYPE --app APP (TYPE: %s)\n", types)
		return ErrUsage
	}
	if typ == shelf.EventTestPing {
		return m.trigger(ctx, "events trigger "+typ+" --app APP", args, typ)
	}
	tr, ok := triggers[typ]
	if !ok {
		fmt.Fprintf(m.Stderr, "shelf events trigger: %s cannot be triggered: the types that can are %s\n", typ, types)
		return ErrUsage
	}
	a, err := m.appCommand("events trigger "+typ+" --app APP", "Causes "+typ+" the way production does: "+tr.what+",\n"+
		"through the API, as you; the event is real, signed and in the test org's stream. Follow it with shelf events tail.", args, nil)
	if err != nil {
		return err
	}
	return m.runTrigger(ctx, a, typ)
}

func (m *Main) trigger(ctx context.Context, usage string, args []string, typ string) error {
	a, err := m.appCommand(usage, "Sends the app a "+typ+" event through the normal delivery path (signed, in the app's stream);\n"+
		"follow its delivery with shelf events tail.", args, nil)
	if err != nil {
		return err
	}
	var ev shelf.Event
	if err := a.cl.sendJSON(ctx, http.MethodPost, a.path+"/events/test", nil, &ev); err != nil {
		return err
	}
	if a.r.json {
		return m.printJSON(ev)
	}
	fmt.Fprintf(m.Stdout, "sent %s %s (org %s, seq %d)\n", ev.Type, ev.ID, ev.OrgID, ev.Seq)
	return nil
}

func (m *Main) eventsResend(ctx context.Context, args []string) error {
	var event *string
	a, err := m.appCommand("events resend --app APP --event EVT", "Delivers one event again, whatever its state.", args,
		func(a *appCmd) { event = a.fs.String("event", "", "the event (evt_…)") })
	if err != nil {
		return err
	}
	if *event == "" {
		fmt.Fprintln(m.Stderr, "shelf events resend: give --event")
		return ErrUsage
	}
	if err := a.cl.sendJSON(ctx, http.MethodPost, a.path+"/deliveries/"+url.PathEscape(*event)+"/resend", nil, nil); err != nil {
		return err
	}
	if a.r.json {
		return m.printJSON(map[string]string{"event_id": *event, "status": "queued"})
	}
	fmt.Fprintf(m.Stdout, "queued %s for delivery again\n", *event)
	return nil
}

func (m *Main) eventsReplay(ctx context.Context, args []string) error {
	var from, to *string
	var failedOnly *bool
	a, err := m.appCommand("events replay --app APP --from TIME [--to TIME] [--failed-only]",
		"Delivers again every event created in [--from, --to) that was delivered, failed or parked\n"+
			"(RFC 3339 times, e.g. 2026-12-01T00:00:00Z; --to defaults to now), each with its own id,\n"+
			"so a receiver that de-duplicates by id sees a redelivery; at most 10,000 at once.\n"+
			"--failed-only sends just the failed ones again.", args, func(a *appCmd) {
			from = a.fs.String("from", "", "the range's start (RFC 3339)")
			to = a.fs.String("to", "", "the range's end (RFC 3339); default now")
			failedOnly = a.fs.Bool("failed-only", false, "only the events that failed for good")
		})
	if err != nil {
		return err
	}
	body := map[string]any{}
	for _, t := range []struct {
		name, v string
	}{{"from", *from}, {"to", *to}} {
		if t.v == "" {
			continue
		}
		at, err := time.Parse(time.RFC3339, t.v)
		if err != nil {
			fmt.Fprintf(m.Stderr, "shelf events replay: --%s %q is not an RFC 3339 time such as 2026-12-01T00:00:00Z\n", t.name, t.v)
			return ErrUsage
		}
		body[t.name] = at
	}
	if body["from"] == nil {
		fmt.Fprintln(m.Stderr, "shelf events replay: give --from")
		return ErrUsage
	}
	path, out := a.path+"/deliveries/replay", struct {
		Queued   int  `json:"queued"`
		Replayed *int `json:"replayed,omitempty"`
		Resent   *int `json:"resent,omitempty"`
	}{}
	if *failedOnly {
		path = a.path + "/deliveries/resend-failed"
	}
	if err := a.cl.sendJSON(ctx, http.MethodPost, path, body, &out); err != nil {
		return err
	}
	for _, n := range []*int{out.Replayed, out.Resent} {
		if n != nil {
			out.Queued = *n
		}
	}
	if a.r.json {
		return m.printJSON(map[string]int{"queued": out.Queued})
	}
	fmt.Fprintf(m.Stdout, "queued %d events for delivery again\n", out.Queued)
	return nil
}

// eventsTail polls the app's delivery attempts and prints the new ones.
func (m *Main) eventsTail(ctx context.Context, args []string) error {
	var every *time.Duration
	var maxN *int
	var all *bool
	a, err := m.appCommand("events tail --app APP", "Prints each delivery attempt of the app's events as it happens (polling), until interrupted.", args, func(a *appCmd) {
		every = a.fs.Duration("interval", 2*time.Second, "how often to look")
		maxN = a.fs.Int("max", 0, "stop after printing this many attempts (0: never)")
		all = a.fs.Bool("all", false, "also print the latest attempts already made")
	})
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	first, printed := true, 0
	for {
		var list struct{ Items []shelf.DeliveryAttempt }
		if err := a.cl.getJSON(ctx, a.path+"/attempts?limit=100", &list); err != nil {
			return err
		}
		slices.Reverse(list.Items) // oldest first
		for _, at := range list.Items {
			if seen[at.ID] {
				continue
			}
			seen[at.ID] = true
			if first && !*all { // only what happens from now on
				continue
			}
			if err := m.printAttempt(at, a.r.json); err != nil {
				return err
			}
			if printed++; *maxN > 0 && printed >= *maxN {
				return nil
			}
		}
		first = false
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(*every):
		}
	}
}

func (m *Main) printAttempt(at shelf.DeliveryAttempt, asJSON bool) error {
	if asJSON {
		return m.printJSON(at)
	}
	verdict := "ok"
	if !at.OK {
		verdict = "failed " + at.Error
	}
	fmt.Fprintf(m.Stdout, "%s  %-20s %s  → %d %s (%d ms)\n", at.AttemptedAt.Format(time.TimeOnly), at.EventType, at.EventID, at.StatusCode, verdict, at.Latency.Milliseconds())
	return nil
}
