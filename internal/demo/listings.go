package demo

import (
	"context"
	"fmt"
	"slices"

	"github.com/shelfhq/shelf/internal/selftest"
	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store"
)

// seedListings registers the demo apps of both partners and takes each
// through the listing workflow to its outcome, with the same store calls
// the API makes: upload images, a passing self-test, a revision, submit,
// the category operator's decision. Self-tests are recorded rather than
// run, so the demo never dials the vendors' (example.com) webhooks.
func seedListings(ctx context.Context, s *store.Store, w *World) error {
	var err error
	w.TestOrg2, err = s.CreateOrg(ctx, shelf.NewOrg{Name: "青松体验测试组织 Evergreen Test Org", Kind: shelf.OrgCustomer,
		CreatorID: w.Users[Partner2Email].ID, OwnerOrgID: w.Partner2.ID})
	if err != nil {
		return err
	}
	w.Apps, w.Secrets = map[string]*shelf.App{}, map[string]*shelf.AppCredentials{}
	for i := range demoApps {
		if err := seedApp(ctx, s, w, &demoApps[i]); err != nil {
			return fmt.Errorf("demo app %s: %w", demoApps[i].slug, err)
		}
	}
	return nil
}

// partner returns a demo partner's org, admin and test org.
func (w *World) partner(n int) (org *shelf.Org, admin *shelf.User, testOrg *shelf.Org) {
	if n == 1 {
		return w.Partner1, w.Users[PartnerEmail], w.TestOrg
	}
	return w.Partner2, w.Users[Partner2Email], w.TestOrg2
}

// reviewer returns the operator of the top-level category above a leaf.
func (w *World) reviewer(leafEn string) *shelf.User {
	for _, top := range categoryTree {
		for _, c := range top.children {
			if c[1] == leafEn {
				return w.Users[top.operator]
			}
		}
	}
	return w.Users[AdminEmail]
}

func seedApp(ctx context.Context, s *store.Store, w *World, d *demoApp) error {
	org, admin, testOrg := w.partner(d.partner)
	site := "https://" + d.slug + ".example.com"
	// The demo vendors' webhooks are under .invalid, a name reserved never
	// to resolve: their events show in the delivery logs as failing, and
	// Shelf never sends anything off the machine for them.
	app, creds, err := s.CreateApp(ctx, store.NewApp{OrgID: org.ID, CreatorID: admin.ID, Name: d.rev.Name, Kind: d.kind,
		HomepageURL: site, LaunchURL: site + "/app", WebhookURL: "https://" + d.slug + ".vendor.invalid/shelf/events"})
	if err != nil {
		return err
	}
	w.Apps[d.slug], w.Secrets[d.slug] = app, creds
	if err := recordSelfTest(ctx, s, app, testOrg, admin); err != nil {
		return err
	}
	if d.outcome == selfTested || d.cool != nil {
		return nil // a cool app is filed as a cool-app application (seedCool)
	}
	rev, err := d.revision(ctx, s, w, org)
	if err != nil {
		return err
	}
	info, err := s.CreateRevision(ctx, app.ID, admin.ID, rev)
	if err != nil {
		return err
	}
	if info, err = s.Submit(ctx, info.ID, admin.ID); err != nil || d.outcome == inReview {
		return err
	}
	decision := shelf.ReviewDecision{Approve: true}
	if d.outcome == rejected {
		decision = d.reason
		decision.FieldReasons = slices.Clone(d.reason.FieldReasons)
	}
	if info, err = s.Decide(ctx, info.ID, w.reviewer(d.category).ID, decision); err != nil {
		return err
	}
	switch d.outcome {
	case delisted:
		_, err = s.ChangeListing(ctx, info.ListingID, admin.ID, shelf.ListingDelist, d.delist)
	case liveWithDraft:
		_, err = s.CreateRevision(ctx, app.ID, admin.ID, nextDraft(rev))
	}
	return err
}

// recordSelfTest records what a passing self-test in the partner's test
// org would have found, for the app as configured now.
func recordSelfTest(ctx context.Context, s *store.Store, app *shelf.App, testOrg *shelf.Org, by *shelf.User) error {
	install := selftest.CheckInstall
	if app.Kind == shelf.AppCool {
		install = selftest.CheckGroupInstall
	}
	now := s.Clock().Now()
	var checks []shelf.SelfTestCheck
	for i, name := range []string{install, selftest.CheckSignedPing, selftest.CheckSignedInstall, selftest.CheckRejectsForgery, selftest.CheckLaunchURL} {
		checks = append(checks, shelf.SelfTestCheck{Name: name, Passed: true, Detail: "ok", LatencyMS: int64(40 + 17*i)})
	}
	return s.RecordSelfTest(ctx, &shelf.SelfTest{AppID: app.ID, TestOrgID: testOrg.ID, StartedBy: by.ID, ConfigHash: app.ConfigHash(),
		Passed: true, Checks: checks, StartedAt: now, FinishedAt: now})
}

// revision builds the app's revision: the content from demoApps (copied,
// since the store normalizes in place and Seed may run concurrently in
// tests), the fields every demo listing shares, and uploaded images.
func (d *demoApp) revision(ctx context.Context, s *store.Store, w *World, org *shelf.Org) (*shelf.Revision, error) {
	r := d.rev
	r.Tags, r.Specs, r.PromotionModes = slices.Clone(r.Tags), slices.Clone(r.Specs), slices.Clone(r.PromotionModes)
	if r.Trial != nil {
		t := *r.Trial
		r.Trial = &t
	}
	cat, ok := w.Categories[d.category]
	if !ok {
		return nil, fmt.Errorf("no demo category %q", d.category)
	}
	r.CategoryID = cat.ID
	r.PricingRule = shelf.PricingPerUser
	r.SupportContact = "support@" + d.slug + ".example.com"
	r.PrivacyURL = "https://" + d.slug + ".example.com/privacy"
	icon, err := iconPNG(d.icon)
	if err != nil {
		return nil, err
	}
	if r.Icon, err = s.SaveMedia(ctx, org.ID, icon); err != nil {
		return nil, err
	}
	shot, err := screenshotPNG(d.icon)
	if err != nil {
		return nil, err
	}
	img, err := s.SaveMedia(ctx, org.ID, shot)
	if err != nil {
		return nil, err
	}
	r.Screenshots = []shelf.Image{*img}
	return &r, nil
}

// nextDraft is the edit a partner is making to a live listing: a sharper
// subtitle and an enterprise tier, not yet submitted.
func nextDraft(live *shelf.Revision) *shelf.Revision {
	r := *live
	r.Subtitle = live.Subtitle + "，新增千人企业版"
	r.Specs = append(slices.Clone(live.Specs),
		month("ent-month-2000", "企业版 · 501–2000 人 · 月付", 501, 2000, 500),
		year("ent-year-2000", "企业版 · 501–2000 人 · 年付", 501, 2000, 5000))
	r.Tags, r.PromotionModes, r.Screenshots = slices.Clone(live.Tags), slices.Clone(live.PromotionModes), slices.Clone(live.Screenshots)
	return &r
}
