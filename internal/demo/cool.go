package demo

import (
	"context"
	"fmt"
	"slices"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store"
)

// AuroraEmail is the admin of the demo's third partner org, whose
// partner-program application waits for a platform admin.
const AuroraEmail = "aurora@shelf.test"

// seedCool takes the demo's cool apps the way the seed says they go: the
// partner applies to the partner program and a platform admin approves;
// it files a cool-app listing application (酷应用上架申请) for each cool
// app; the platform operators approve the live ones and leave one in
// their queue. A third partner's program application waits for the admin.
func seedCool(ctx context.Context, s *store.Store, w *World) error {
	admin := w.Users[AdminEmail].ID
	a, err := s.ApplyPartnerProgram(ctx, w.Partner1.ID, w.Users[PartnerEmail].ID, shelf.PartnerApplicationInput{
		CompanyName: "杭州云雀软件有限公司", RegistrationNo: "91330106MA2CXXXX7Q", Contact: "陈伙伴 138-0571-0000",
		Website: "https://skylark.example.com", Builds: "群日报、群待办、群接龙等群协作酷应用"})
	if err != nil {
		return err
	}
	if _, err := s.DecidePartnerApplication(ctx, a.ID, admin, shelf.PartnerDecision{Approve: true}); err != nil {
		return err
	}
	for i := range demoApps {
		d := &demoApps[i]
		if d.cool == nil {
			continue
		}
		if err := seedCoolApp(ctx, s, w, d); err != nil {
			return fmt.Errorf("demo cool app %s: %w", d.slug, err)
		}
	}
	_, err = s.ApplyPartnerProgram(ctx, w.Partner3.ID, w.Users[AuroraEmail].ID, shelf.PartnerApplicationInput{
		CompanyName: "深圳极光工作室", RegistrationNo: "91440300MA5GXXXX2K", Contact: "韩极光 139-2600-0000",
		Website: "https://aurora.example.com", Builds: "群打卡、群红包封面等酷应用"})
	return err
}

// seedCoolApp files one cool app's application and, unless it is to wait
// in the queue, has a platform admin approve it.
func seedCoolApp(ctx context.Context, s *store.Store, w *World, d *demoApp) error {
	org, admin, _ := w.partner(d.partner)
	rev, err := d.revision(ctx, s, w, org)
	if err != nil {
		return err
	}
	decl := *d.cool
	decl.Scenarios, decl.EntryPoints, decl.Permissions = slices.Clone(decl.Scenarios), slices.Clone(decl.EntryPoints), slices.Clone(decl.Permissions)
	app, err := s.SubmitCoolApp(ctx, w.Apps[d.slug].ID, admin.ID, shelf.CoolMaterials{Revision: *rev, CoolDeclaration: decl})
	if err != nil || d.outcome == inReview {
		return err
	}
	_, err = s.DecideCoolApp(ctx, app.ID, w.Users[AdminEmail].ID, shelf.ReviewDecision{Approve: true})
	return err
}
