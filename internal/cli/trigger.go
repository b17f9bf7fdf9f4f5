package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/shelfhq/shelf/internal/shelf"
)

// A trigger causes an event type by the real actions that cause it in
// production, done through the API in the partner's test org, as the
// Stripe CLI's fixtures are API calls: the events are real, signed and in
// the test org's stream, never made up. Test orgs are never charged.
type trigger struct {
	what string // what it does, for the help text
	run  func(t *triggerRun, ctx context.Context) error
}

var triggers = map[string]trigger{
	shelf.EventAppInstalled:   {"installs the app in the test org (uninstalling it first if it is there)", (*triggerRun).installed},
	shelf.EventAppUninstalled: {"uninstalls the app from the test org (installing it first if needed)", (*triggerRun).uninstalled},
	shelf.EventTrialStarted:   {"starts the listing's trial in the test org (once per org)", (*triggerRun).trial},
	shelf.EventOrderPaid:      {"buys (or renews) the listing's first paid spec in the test org, never charged", (*triggerRun).order},
}

// triggerTypes are the types `events trigger` takes, test.ping first.
func triggerTypes() []string {
	out := []string{shelf.EventTestPing}
	for typ := range triggers {
		out = append(out, typ)
	}
	slices.Sort(out[1:])
	return out
}

// triggerRun is one trigger's context: the app, its partner org's first
// test org, and the client signed in as the partner.
type triggerRun struct {
	cl      *apiClient
	app     shelf.App
	testOrg string
	done    []string // what was done, for the summary
}

func (m *Main) runTrigger(ctx context.Context, a *appCmd, typ string) error {
	t := &triggerRun{cl: a.cl}
	if err := a.cl.getJSON(ctx, a.path, &t.app); err != nil {
		return err
	}
	var orgs struct{ Items []shelf.Org }
	if err := a.cl.getJSON(ctx, "/api/v1/orgs/"+url.PathEscape(t.app.OrgID)+"/test-orgs", &orgs); err != nil {
		return err
	}
	if len(orgs.Items) == 0 {
		return fmt.Errorf("your partner org has no test org to trigger %s in: create one (POST /api/v1/orgs/%s/test-orgs)", typ, t.app.OrgID)
	}
	t.testOrg = orgs.Items[0].ID
	if err := triggers[typ].run(t, ctx); err != nil {
		return fmt.Errorf("trigger %s: %w", typ, err)
	}
	if a.r.json {
		return m.printJSON(map[string]any{"type": typ, "org_id": t.testOrg, "done": t.done})
	}
	fmt.Fprintf(m.Stdout, "triggered %s in test org %s: %s\nfollow its delivery with shelf events tail --app %s\n", typ, t.testOrg, strings.Join(t.done, "; "), t.app.ID)
	return nil
}

func (t *triggerRun) orgPath(rest string) string {
	return "/api/v1/orgs/" + url.PathEscape(t.testOrg) + rest
}

// installation is the app's active installation in the test org, if any.
func (t *triggerRun) installation(ctx context.Context) (*shelf.Installation, error) {
	var list struct{ Items []shelf.Installation }
	if err := t.cl.getJSON(ctx, t.orgPath("/installations"), &list); err != nil {
		return nil, err
	}
	for i, in := range list.Items {
		if in.AppID == t.app.ID && in.GroupID == "" && in.Status == shelf.InstallActive {
			return &list.Items[i], nil
		}
	}
	return nil, nil
}

func (t *triggerRun) install(ctx context.Context) error {
	var in shelf.Installation
	if err := t.cl.sendJSON(ctx, http.MethodPost, t.orgPath("/installations"), map[string]string{"app_id": t.app.ID}, &in); err != nil {
		return err
	}
	t.done = append(t.done, "installed ("+in.ID+")")
	return nil
}

func (t *triggerRun) uninstall(ctx context.Context, in *shelf.Installation) error {
	if err := t.cl.sendJSON(ctx, http.MethodDelete, t.orgPath("/installations/"+url.PathEscape(in.ID)), nil, nil); err != nil {
		return err
	}
	t.done = append(t.done, "uninstalled ("+in.ID+")")
	return nil
}

func (t *triggerRun) installed(ctx context.Context) error {
	in, err := t.installation(ctx)
	if err != nil {
		return err
	}
	if in != nil {
		if err := t.uninstall(ctx, in); err != nil {
			return err
		}
	}
	return t.install(ctx)
}

func (t *triggerRun) uninstalled(ctx context.Context) error {
	in, err := t.installation(ctx)
	if err != nil {
		return err
	}
	if in == nil {
		if err := t.install(ctx); err != nil {
			return err
		}
		if in, err = t.installation(ctx); err != nil || in == nil {
			return fmt.Errorf("the installation just made is not listed: %v", err)
		}
	}
	return t.uninstall(ctx, in)
}

// listing is the app's live listing: trials and orders need one.
func (t *triggerRun) listing(ctx context.Context) (*shelf.ListingInfo, error) {
	var l shelf.ListingInfo
	err := t.cl.getJSON(ctx, "/api/v1/apps/"+url.PathEscape(t.app.ID)+"/listing", &l)
	if apiCode(err) == "not_found" || err == nil && l.Live == nil {
		return nil, fmt.Errorf("the app has no live listing yet: trials and orders are of a listing (push one with shelf listing push, and have it approved)")
	}
	return &l, err
}

func (t *triggerRun) trial(ctx context.Context) error {
	l, err := t.listing(ctx)
	if err != nil {
		return err
	}
	var sub shelf.Subscription
	if err := t.cl.sendJSON(ctx, http.MethodPost, t.orgPath("/trials"), map[string]string{"listing_id": l.ID}, &sub); err != nil {
		return err
	}
	t.done = append(t.done, "trial started until "+sub.EndsAt.Format("2006-01-02"))
	return nil
}

// order buys the first paid spec for its fewest users, or renews the test
// org's paid subscription as it is; a test org's order is fulfilled at once
// at amount 0, so order.paid (and subscription.changed) follow.
func (t *triggerRun) order(ctx context.Context) error {
	l, err := t.listing(ctx)
	if err != nil {
		return err
	}
	req := shelf.OrderRequest{ListingID: l.ID, Periods: 1, Type: shelf.OrderBuy}
	for _, s := range l.Live.Specs {
		if !s.Free {
			req.SpecCode, req.Users = s.Code, max(s.MinUsers, 1)
			break
		}
	}
	if req.SpecCode == "" {
		return fmt.Errorf("the listing has no paid spec: a free listing has no orders")
	}
	var subs struct{ Items []shelf.Subscription }
	if err := t.cl.getJSON(ctx, t.orgPath("/subscriptions"), &subs); err != nil {
		return err
	}
	for _, s := range subs.Items {
		if s.AppID == t.app.ID && s.Kind == shelf.SubKindPaid && s.Users > 0 {
			req.Type, req.SpecCode, req.Users = shelf.OrderRenew, s.SpecCode, s.Users
		}
	}
	key := make([]byte, 16)
	_, _ = rand.Read(key)
	var o shelf.Order
	if err := t.cl.sendJSONWith(ctx, http.MethodPost, t.orgPath("/orders"), http.Header{"Idempotency-Key": {hex.EncodeToString(key)}}, req, &o); err != nil {
		return err
	}
	t.done = append(t.done, fmt.Sprintf("order %s (%s %s × %d users) %s", o.ID, req.Type, req.SpecCode, req.Users, o.State))
	return nil
}
