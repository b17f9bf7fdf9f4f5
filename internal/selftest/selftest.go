// Package selftest exercises a partner's app the way Shelf will use it, in
// one of the partner's test orgs, and records what it found. A listing can
// only be submitted with a passing self-test of the app as configured now
// (the seed's precondition: 上架前须在体验测试组织完成自测).
package selftest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/sdk"
)

// Store is what a self-test reads and writes.
type Store interface {
	App(ctx context.Context, id string) (*shelf.App, error)
	Org(ctx context.Context, id string) (*shelf.Org, error)
	SigningSecrets(ctx context.Context, appID string) ([]string, error)
	Install(ctx context.Context, n shelf.NewInstallation) (*shelf.Installation, bool, error)
	Groups(ctx context.Context, orgID string, p shelf.PageReq) ([]shelf.Group, error)
	CreateGroup(ctx context.Context, orgID, name, ownerID string, memberIDs []string) (*shelf.Group, error)
	RecordSelfTest(ctx context.Context, st *shelf.SelfTest) error
}

// Runner runs self-tests. Client must be guarded (events.Guard.Client), as
// the URLs are the vendor's choice.
type Runner struct {
	Store  Store
	Client *http.Client
	Clock  shelf.Clock
}

// Names of the checks, in the order they run.
const (
	CheckInstall        = "install_in_test_org"
	CheckGroupInstall   = shelf.SelfTestGroupInstall
	CheckSignedPing     = "webhook_accepts_signed_test_ping"
	CheckSignedInstall  = "webhook_accepts_signed_app_installed"
	CheckRejectsForgery = "webhook_rejects_forged_signature"
	CheckLaunchURL      = "launch_url_answers"
)

// Run installs the app into the test org (and a group of it, for a cool
// app) through the customers' install flow, then talks to the vendor's
// endpoints, and records every check. The error is only for a self-test
// that could not run at all (unknown app, not a test org of the partner).
func (r *Runner) Run(ctx context.Context, appID, testOrgID, userID string) (*shelf.SelfTest, error) {
	app, err := r.Store.App(ctx, appID)
	if err != nil {
		return nil, err
	}
	org, err := r.Store.Org(ctx, testOrgID)
	if err != nil || !org.Test || org.OwnerOrgID != app.OrgID {
		return nil, shelf.FieldError("test_org_id", "not_a_test_org", "choose one of your partner org's test orgs (POST /api/v1/orgs/{org}/test-orgs creates one)")
	}
	st := &shelf.SelfTest{ID: shelf.NewID("stt"), AppID: app.ID, TestOrgID: org.ID, StartedBy: userID, ConfigHash: app.ConfigHash(), StartedAt: r.Clock.Now()}
	inst := r.install(ctx, st, app, org, userID)
	secrets, err := r.Store.SigningSecrets(ctx, app.ID)
	if err != nil {
		return nil, err
	}
	r.webhookChecks(ctx, st, app, org, inst, secrets)
	st.Checks = append(st.Checks, r.launch(ctx, app))
	st.Passed = true
	for _, c := range st.Checks {
		st.Passed = st.Passed && c.Passed
	}
	st.FinishedAt = r.Clock.Now()
	if err := r.Store.RecordSelfTest(ctx, st); err != nil {
		return nil, err
	}
	st.Current = true
	return st, nil
}

// install puts the app into the test org (a cool app into the org's
// self-test group, made if missing) and returns the installation id.
func (r *Runner) install(ctx context.Context, st *shelf.SelfTest, app *shelf.App, org *shelf.Org, userID string) string {
	n := shelf.NewInstallation{AppID: app.ID, OrgID: org.ID, ByUserID: userID, Channel: "self_test"}
	name := CheckInstall
	if app.Kind == shelf.AppCool {
		name = CheckGroupInstall
		g, err := r.selfTestGroup(ctx, org, userID)
		if err != nil {
			st.Checks = append(st.Checks, shelf.SelfTestCheck{Name: name, Detail: "could not make a group in the test org: " + err.Error()})
			return ""
		}
		n.GroupID = g.ID
	}
	start := time.Now()
	inst, _, err := r.Store.Install(ctx, n)
	c := shelf.SelfTestCheck{Name: name, LatencyMS: time.Since(start).Milliseconds()}
	if err != nil {
		c.Detail = err.Error()
	} else {
		c.Passed, c.Detail = true, "installed as "+inst.ID
	}
	st.Checks = append(st.Checks, c)
	if inst == nil {
		return ""
	}
	return inst.ID
}

const selfTestGroupName = "应用自测群 Self-test group"

func (r *Runner) selfTestGroup(ctx context.Context, org *shelf.Org, userID string) (*shelf.Group, error) {
	// Groups page by (name, id): the first after (name, "") is the one of
	// that name, if there is one.
	groups, err := r.Store.Groups(ctx, org.ID, shelf.PageReq{Limit: 1, After: []any{selfTestGroupName, ""}})
	if err != nil {
		return nil, err
	}
	if len(groups) == 1 && groups[0].Name == selfTestGroupName {
		return &groups[0], nil
	}
	return r.Store.CreateGroup(ctx, org.ID, selfTestGroupName, userID, nil)
}

// webhookChecks sends two correctly signed events and one forged one. The
// events are marked with Shelf-Self-Test: 1 and seq 0: they are outside the
// app's event stream, so a vendor's ordering is not disturbed.
func (r *Runner) webhookChecks(ctx context.Context, st *shelf.SelfTest, app *shelf.App, org *shelf.Org, instID string, secrets []string) {
	if app.WebhookURL == "" {
		for _, name := range []string{CheckSignedPing, CheckSignedInstall, CheckRejectsForgery} {
			st.Checks = append(st.Checks, shelf.SelfTestCheck{Name: name, Detail: "the app has no webhook URL"})
		}
		return
	}
	ping := r.envelope(app, org, shelf.EventTestPing, sdk.TestPing{Message: "Shelf self-test"})
	installed := r.envelope(app, org, shelf.EventAppInstalled, sdk.AppInstalled{InstallationID: instID, InstalledBy: st.StartedBy, Channel: "self_test"})
	forged := r.envelope(app, org, shelf.EventTestPing, sdk.TestPing{Message: "Shelf self-test: this event is forged and must be refused"})
	now := r.Clock.Now()
	st.Checks = append(st.Checks,
		r.post(ctx, CheckSignedPing, app.WebhookURL, shelf.EventTestPing, ping, sdk.SignatureHeader(now, ping, secrets...), true),
		r.post(ctx, CheckSignedInstall, app.WebhookURL, shelf.EventAppInstalled, installed, sdk.SignatureHeader(now, installed, secrets...), true),
		r.post(ctx, CheckRejectsForgery, app.WebhookURL, shelf.EventTestPing, forged, sdk.SignatureHeader(now, forged, "whsec_forged_by_shelf_self_test"), false),
	)
}

func (r *Runner) envelope(app *shelf.App, org *shelf.Org, typ string, data any) []byte {
	raw, _ := json.Marshal(data)
	b, _ := json.Marshal(shelf.Event{ID: shelf.NewID("evt"), Type: typ, CreatedAt: r.Clock.Now(), AppID: app.ID, OrgID: org.ID, Seq: 0, Data: raw})
	return b
}

// post sends one webhook. wantOK: a 2xx passes; otherwise a 4xx passes
// (the forgery was refused) and a 2xx fails loudly.
func (r *Runner) post(ctx context.Context, name, url, typ string, body []byte, sig string, wantOK bool) shelf.SelfTestCheck {
	c := shelf.SelfTestCheck{Name: name}
	var evt struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(body, &evt)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		c.Detail = err.Error()
		return c
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", shelf.WebhookUserAgent)
	req.Header.Set("Shelf-Event-Id", evt.ID)
	req.Header.Set("Shelf-Event-Type", typ)
	req.Header.Set("Shelf-Signature", sig)
	req.Header.Set("Shelf-Self-Test", "1")
	start := time.Now()
	res, err := r.noRedirects().Do(req)
	c.LatencyMS = time.Since(start).Milliseconds()
	if err != nil {
		c.Detail = "the endpoint did not answer: " + err.Error()
		return c
	}
	snippet, _ := io.ReadAll(io.LimitReader(res.Body, 200))
	res.Body.Close()
	ok := res.StatusCode >= 200 && res.StatusCode < 300
	switch {
	case wantOK && ok:
		c.Passed, c.Detail = true, fmt.Sprintf("HTTP %d", res.StatusCode)
	case wantOK:
		c.Detail = fmt.Sprintf("HTTP %d: a correctly signed event must be answered with 2xx (%s)", res.StatusCode, strings.TrimSpace(string(snippet)))
	case ok:
		c.Detail = fmt.Sprintf("HTTP %d: the endpoint accepted an event with a forged signature; verify Shelf-Signature and answer 401", res.StatusCode)
	case res.StatusCode >= 400 && res.StatusCode < 500:
		c.Passed, c.Detail = true, fmt.Sprintf("HTTP %d: refused as it should be", res.StatusCode)
	default:
		c.Detail = fmt.Sprintf("HTTP %d: a forged event should be refused with 4xx (401)", res.StatusCode)
	}
	return c
}

// noRedirects is the client for webhooks: like the dispatcher, it does not
// follow redirects (a 3xx is the endpoint's answer, and a failed one).
func (r *Runner) noRedirects() *http.Client {
	c := *r.Client
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &c
}

// launch checks the launch URL answers below 400.
func (r *Runner) launch(ctx context.Context, app *shelf.App) shelf.SelfTestCheck {
	c := shelf.SelfTestCheck{Name: CheckLaunchURL}
	if app.LaunchURL == "" {
		c.Detail = "the app has no launch URL"
		return c
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, app.LaunchURL, nil)
	if err != nil {
		c.Detail = err.Error()
		return c
	}
	start := time.Now()
	res, err := r.Client.Do(req)
	c.LatencyMS = time.Since(start).Milliseconds()
	if err != nil {
		c.Detail = "the launch URL did not answer: " + err.Error()
		return c
	}
	res.Body.Close()
	c.Passed = res.StatusCode < 400
	c.Detail = fmt.Sprintf("HTTP %d", res.StatusCode)
	return c
}
