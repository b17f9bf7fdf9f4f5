package storetest

import (
	"context"
	"testing"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store"
)

// coolWorld is a listing world whose partner is in the partner program,
// with a cool app and a platform admin.
type coolWorld struct {
	*listingWorld
	cool  *shelf.App
	admin *shelf.User
}

func newCoolWorld(t testing.TB, s *store.Store) *coolWorld {
	t.Helper()
	ctx := context.Background()
	w := &coolWorld{listingWorld: newListingWorld(t, s), admin: MustUser(t, s, shelf.NewID("adm")+"@example.com")}
	var err error
	if w.cool, _, err = s.CreateApp(ctx, store.NewApp{OrgID: w.org.ID, CreatorID: w.partner.ID, Name: "GroupPoll", Kind: shelf.AppCool,
		HomepageURL: "https://poll.example.com", LaunchURL: "https://poll.example.com/app", WebhookURL: "https://poll.example.com/hooks"}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetPartnerProgram(ctx, w.org.ID, true, w.admin.ID); err != nil {
		t.Fatal(err)
	}
	return w
}

// passCoolSelfTest records a passing group self-test of the cool app as
// configured now (group says whether the group install check is there).
func (w *coolWorld) passCoolSelfTest(t testing.TB, group bool) {
	t.Helper()
	app, err := w.s.App(context.Background(), w.cool.ID)
	if err != nil {
		t.Fatal(err)
	}
	checks := []shelf.SelfTestCheck{{Name: "webhook_accepts_signed_test_ping", Passed: true}}
	if group {
		checks = append(checks, shelf.SelfTestCheck{Name: shelf.SelfTestGroupInstall, Passed: true})
	}
	now := w.s.Clock().Now()
	if err := w.s.RecordSelfTest(context.Background(), &shelf.SelfTest{AppID: app.ID, TestOrgID: w.testOrg.ID, StartedBy: w.partner.ID,
		ConfigHash: app.ConfigHash(), Passed: true, Checks: checks, StartedAt: now, FinishedAt: now}); err != nil {
		t.Fatal(err)
	}
}

// CoolMaterials are complete materials of a cool-app application.
func CoolMaterials(categoryID string, icon *shelf.Image) shelf.CoolMaterials {
	r := ValidRevision(categoryID, icon)
	r.Name, r.NameEn, r.Subtitle, r.SubtitleEn = "群投票", "GroupPoll", "在群里一键发起投票", "Polls in one tap inside the group"
	return shelf.CoolMaterials{Revision: *r, CoolDeclaration: shelf.CoolDeclaration{
		Scenarios:   []string{"部门群里投票选团建地点", "项目群里确认排期"},
		EntryPoints: []shelf.CoolEntryPoint{{Kind: shelf.EntryToolbar, Name: "发起投票"}, {Kind: shelf.EntryCard, Name: "投票卡片"}},
		Permissions: []shelf.CoolPermission{{Scope: shelf.ScopeReadMembers, Reason: "统计谁还没投票"}, {Scope: shelf.ScopePostCards, Reason: "把投票发到群里"}},
	}}
}
