package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
)

var identityContract = map[string]func(t *testing.T, open Opener){
	"Users":              testUsers,
	"DeviceLogin":        testDeviceLogin,
	"SignInRate":         testSignInRate,
	"SetPassword":        testSetPassword,
	"Orgs":               testOrgs,
	"Members":            testMembers,
	"InviteExpiry":       testInviteExpiry,
	"Groups":             testGroups,
	"Categories":         testCategories,
	"Sessions":           testSessions,
	"Tokens":             testTokens,
	"AccountSelfService": testAccountSelfService,
}

func testUsers(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t, nil)
	u, err := s.CreateUser(ctx, "  Ann@Example.COM ", "Ann", "password1")
	if err != nil {
		t.Fatal(err)
	}
	if u.Email != "ann@example.com" || !shelf.HasPrefix(u.ID, "usr") {
		t.Fatalf("user = %+v", u)
	}
	for _, tc := range []struct{ email, name, pw, code string }{
		{"ann@example.com", "Ann 2", "password1", "email_taken"},
		{"ANN@example.com", "Ann 2", "password1", "email_taken"},
		{"not-an-email", "X", "password1", "invalid_email"},
		{"", "X", "password1", "required"},
		{"b@example.com", "", "password1", "required"},
		{"b@example.com", "B", "short", "password_too_short"},
	} {
		_, err := s.CreateUser(ctx, tc.email, tc.name, tc.pw)
		WantCode(t, err, tc.code)
	}
	if _, err := s.UserByEmail(ctx, "b@example.com"); shelf.ErrorKind(err) != shelf.KindNotFound {
		t.Fatalf("a refused sign-up left a user behind: %v", err)
	}
	got, err := s.Authenticate(ctx, "ANN@example.com", "password1", "")
	if err != nil || got.ID != u.ID {
		t.Fatalf("Authenticate = %v, %v", got, err)
	}
	_, err = s.Authenticate(ctx, "ann@example.com", "password2", "")
	WantCode(t, err, "invalid_credentials")
	_, err = s.Authenticate(ctx, "nobody@example.com", "password1", "")
	WantCode(t, err, "invalid_credentials")

	if err := s.GrantPlatformRole(ctx, u.ID, shelf.PlatformAdmin, shelf.ActorCLI); err != nil {
		t.Fatal(err)
	}
	if err := s.GrantPlatformRole(ctx, u.ID, shelf.PlatformAdmin, shelf.ActorCLI); err != nil {
		t.Fatalf("granting twice: %v", err)
	}
	WantCode(t, s.GrantPlatformRole(ctx, "usr_missing", shelf.CategoryOperator, shelf.ActorCLI), "not_found")
	got, _ = s.User(ctx, u.ID)
	if !got.HasPlatformRole(shelf.PlatformAdmin) || got.HasPlatformRole(shelf.CategoryOperator) {
		t.Fatalf("roles = %v", got.PlatformRoles)
	}
	if err := s.SetPassword(ctx, u.Email, "password9", shelf.ActorCLI); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(ctx, u.Email, "password9", ""); err != nil {
		t.Fatalf("new password refused: %v", err)
	}
}

// testSetPassword: a new password ends every session and token of the
// user (whoever had the old one is out), and only theirs.
func testSetPassword(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t, nil)
	ann, bob := MustUser(t, s, "ann@example.com"), MustUser(t, s, "bob@example.com")
	session := func(u *shelf.User) string {
		t.Helper()
		tok, _, err := s.CreateSession(ctx, u.ID, time.Hour, shelf.SessionDevice{})
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	token := func(u *shelf.User) string {
		t.Helper()
		plain, _, err := s.CreateToken(ctx, u.ID, "ci", shelf.TokenPersonal, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		return plain
	}
	annSession, annToken, bobSession, bobToken := session(ann), token(ann), session(bob), token(bob)
	if err := s.SetPassword(ctx, ann.Email, "password9", ann.ID); err != nil {
		t.Fatal(err)
	}
	_, _, err := s.SessionUser(ctx, annSession)
	WantKind(t, err, shelf.KindUnauthenticated)
	_, err = s.TokenUser(ctx, annToken)
	WantKind(t, err, shelf.KindUnauthenticated)
	if u, _, err := s.SessionUser(ctx, bobSession); err != nil || u.ID != bob.ID {
		t.Fatalf("another user's session = %v, %v", u, err)
	}
	if u, err := s.TokenUser(ctx, bobToken); err != nil || u.ID != bob.ID {
		t.Fatalf("another user's token = %v, %v", u, err)
	}
	_, err = s.Authenticate(ctx, ann.Email, "password1", "")
	WantCode(t, err, "invalid_credentials")
	WantCode(t, s.SetPassword(ctx, ann.Email, "short", ann.ID), "password_too_short")
	WantCode(t, s.SetPassword(ctx, "nobody@example.com", "password9", ann.ID), "not_found")
}

// testSignInRate: failed sign-ins lock out the address they come from,
// never the account: a stranger guessing (or deliberately failing) cannot
// keep its owner out. Guessing spread over many addresses closes the
// account to addresses it was never used from, while those it signed in
// from before still get in with the right password.
func testSignInRate(t *testing.T, open Opener) {
	ctx := context.Background()
	clock := shelf.NewManualClock(Epoch)
	s := open(t, clock)
	MustUser(t, s, "ann@example.com")
	const home, attacker, travel = "198.51.100.7", "203.0.113.9", "192.0.2.44"
	if _, err := s.Authenticate(ctx, "ann@example.com", "password1", home); err != nil {
		t.Fatalf("first sign-in from home: %v", err)
	}
	for i := 0; i < shelf.SignInAddrBudget; i++ {
		_, err := s.Authenticate(ctx, "ann@example.com", "wrong-password", attacker)
		WantCode(t, err, "invalid_credentials")
	}
	_, err := s.Authenticate(ctx, "ann@example.com", "password1", attacker)
	WantCode(t, err, "too_many_attempts")
	for _, from := range []string{home, travel} {
		if _, err := s.Authenticate(ctx, "ann@example.com", "password1", from); err != nil {
			t.Fatalf("the owner from %s, after a stranger's failures: %v", from, err)
		}
	}
	// The same /64 of IPv6 is one address: rotating within it gains nothing.
	for i := 0; i < shelf.SignInAddrBudget; i++ {
		_, err := s.Authenticate(ctx, "ann@example.com", "wrong-password", fmt.Sprintf("2001:db8:1:2::%x", i+1))
		WantCode(t, err, "invalid_credentials")
	}
	_, err = s.Authenticate(ctx, "ann@example.com", "password1", "2001:db8:1:2::ffff")
	WantCode(t, err, "too_many_attempts")
	// Distributed guessing: past the account's budget only known addresses
	// get through.
	for i := 0; i < shelf.SignInAccountBudget; i++ {
		_, err := s.Authenticate(ctx, "ann@example.com", "wrong-password", fmt.Sprintf("10.9.%d.%d", i/200, i%200))
		if k := shelf.ErrorKind(err); k != shelf.KindUnauthenticated && k != shelf.KindRateLimited {
			t.Fatalf("guess %d: %v", i, err)
		}
	}
	_, err = s.Authenticate(ctx, "ann@example.com", "password1", "192.0.2.200")
	WantCode(t, err, "too_many_attempts")
	if _, err := s.Authenticate(ctx, "ann@example.com", "password1", home); err != nil {
		t.Fatalf("the owner from a known address during distributed guessing: %v", err)
	}
	_, err = s.Authenticate(ctx, "ann@example.com", "wrong-password", home)
	WantCode(t, err, "invalid_credentials") // a known address is still checked
	clock.Advance(shelf.SignInWindow + time.Minute)
	for _, from := range []string{attacker, "192.0.2.200"} {
		if _, err := s.Authenticate(ctx, "ann@example.com", "password1", from); err != nil {
			t.Fatalf("from %s after the window: %v", from, err)
		}
	}
}

func testOrgs(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t, nil)
	ann := MustUser(t, s, "ann@example.com")
	p := MustOrg(t, s, "Acme Software", shelf.OrgPartner, ann)
	c := MustOrg(t, s, "客户公司", shelf.OrgCustomer, ann)
	orgs, err := s.OrgsForUser(ctx, ann.ID, shelf.PageReq{})
	if err != nil || len(orgs) != 2 || orgs[0].Role != shelf.RoleAdmin {
		t.Fatalf("OrgsForUser = %+v, %v", orgs, err)
	}
	to, err := s.CreateOrg(ctx, shelf.NewOrg{Name: "Acme test", Kind: shelf.OrgCustomer, CreatorID: ann.ID, OwnerOrgID: p.ID})
	if err != nil || !to.Test || to.OwnerOrgID != p.ID {
		t.Fatalf("test org = %+v, %v", to, err)
	}
	_, err = s.CreateOrg(ctx, shelf.NewOrg{Name: "bad", Kind: shelf.OrgCustomer, CreatorID: ann.ID, OwnerOrgID: c.ID})
	WantCode(t, err, "not_a_partner")
	_, err = s.CreateOrg(ctx, shelf.NewOrg{Name: "bad", Kind: shelf.OrgCustomer, CreatorID: ann.ID, OwnerOrgID: "org_missing"})
	WantCode(t, err, "not_found")
	tos, err := s.TestOrgs(ctx, p.ID, shelf.PageReq{})
	if err != nil || len(tos) != 1 || tos[0].ID != to.ID {
		t.Fatalf("TestOrgs = %+v, %v", tos, err)
	}
	if _, err := s.CreateOrg(ctx, shelf.NewOrg{Name: "Platform", Kind: shelf.OrgPlatform, CreatorID: ann.ID}); err != nil {
		t.Fatal(err)
	}
	_, err = s.CreateOrg(ctx, shelf.NewOrg{Name: "Platform 2", Kind: shelf.OrgPlatform, CreatorID: ann.ID})
	WantCode(t, err, "platform_org_exists")
	_, err = s.CreateOrg(ctx, shelf.NewOrg{Name: "x", Kind: "reseller", CreatorID: ann.ID})
	WantCode(t, err, "invalid_org_kind")
	_, err = s.CreateOrg(ctx, shelf.NewOrg{Name: "x", Kind: shelf.OrgCustomer, CreatorID: "usr_missing"})
	WantCode(t, err, "not_found")
	if err := s.SetPartnerProgram(ctx, p.ID, true, ann.ID); err != nil {
		t.Fatal(err)
	}
	WantCode(t, s.SetPartnerProgram(ctx, c.ID, true, ann.ID), "not_a_partner")
	got, _ := s.Org(ctx, p.ID)
	if !got.PartnerProgram || got.Name != "Acme Software" {
		t.Fatalf("org = %+v", got)
	}
	_, err = s.Org(ctx, "org_missing")
	WantCode(t, err, "not_found")
}

func testMembers(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t, nil)
	ann := MustUser(t, s, "ann@example.com")
	bob := MustUser(t, s, "bob@example.com")
	o := MustOrg(t, s, "Org", shelf.OrgCustomer, ann)
	m, inv, err := s.AddMember(ctx, o.ID, "BOB@example.com", shelf.RoleMember, ann.ID)
	if err != nil || m == nil || inv != nil || m.UserID != bob.ID {
		t.Fatalf("AddMember = %+v, %+v, %v", m, inv, err)
	}
	_, _, err = s.AddMember(ctx, o.ID, "bob@example.com", shelf.RoleMember, ann.ID)
	WantCode(t, err, "already_member")
	_, _, err = s.AddMember(ctx, o.ID, "bob@example.com", "owner", ann.ID)
	WantCode(t, err, "invalid_role")
	m, inv, err = s.AddMember(ctx, o.ID, "carol@example.com", shelf.RoleAdmin, ann.ID)
	if err != nil || m != nil || inv == nil || inv.Token == "" || !inv.ExpiresAt.After(inv.CreatedAt) {
		t.Fatalf("invite = %+v, %+v, %v", m, inv, err)
	}
	_, again, err := s.AddMember(ctx, o.ID, "carol@example.com", shelf.RoleAdmin, ann.ID)
	if err != nil || again.Token == inv.Token {
		t.Fatalf("re-invite = %+v %v, want a new link", again, err)
	}
	if invs, _ := s.Invitations(ctx, o.ID, shelf.PageReq{}); len(invs) != 1 || invs[0].Token != "" || invs[0].OrgName != "Org" {
		t.Fatalf("invitations = %+v (one, listed without its link)", invs)
	}
	carol := MustUser(t, s, "carol@example.com")
	if _, ok, err := s.MemberRole(ctx, o.ID, carol.ID); err != nil || ok {
		t.Fatalf("signing up with an invited email joined the org without the link (%v)", err)
	}
	_, err = s.AcceptInvitation(ctx, inv.Token, carol.ID)
	WantCode(t, err, "invitation_invalid") // replaced by the re-invite
	_, err = s.AcceptInvitation(ctx, again.Token, bob.ID)
	WantCode(t, err, "invitation_email_mismatch")
	if got, err := s.InvitationByToken(ctx, again.Token); err != nil || got.Email != "carol@example.com" {
		t.Fatalf("InvitationByToken = %+v %v", got, err)
	}
	if m, err := s.AcceptInvitation(ctx, again.Token, carol.ID); err != nil || m.Role != shelf.RoleAdmin {
		t.Fatalf("accept = %+v %v", m, err)
	}
	_, err = s.AcceptInvitation(ctx, again.Token, carol.ID)
	WantCode(t, err, "invitation_invalid") // a link works once
	if role, ok, _ := s.MemberRole(ctx, o.ID, carol.ID); !ok || role != shelf.RoleAdmin {
		t.Fatalf("after accepting: %v %v", role, ok)
	}
	if invs, err := s.Invitations(ctx, o.ID, shelf.PageReq{}); err != nil || len(invs) != 0 {
		t.Fatalf("invitations left: %+v, %v", invs, err)
	}
	members, _ := s.Members(ctx, o.ID, shelf.PageReq{})
	if len(members) != 3 || members[0].Email != "ann@example.com" {
		t.Fatalf("members = %+v", members)
	}
	if n, err := s.MemberCount(ctx, o.ID); err != nil || n != 3 {
		t.Fatalf("member count = %d, %v; want 3", n, err)
	}
	if err := s.SetMemberRole(ctx, o.ID, carol.ID, shelf.RoleMember, ann.ID); err != nil {
		t.Fatal(err)
	}
	WantCode(t, s.SetMemberRole(ctx, o.ID, ann.ID, shelf.RoleMember, ann.ID), "last_admin")
	WantCode(t, s.RemoveMember(ctx, o.ID, ann.ID, ann.ID), "last_admin")
	if err := s.RemoveMember(ctx, o.ID, bob.ID, ann.ID); err != nil {
		t.Fatal(err)
	}
	WantCode(t, s.RemoveMember(ctx, o.ID, bob.ID, ann.ID), "not_found")
	if _, ok, err := s.MemberRole(ctx, o.ID, bob.ID); err != nil || ok {
		t.Fatalf("removed member still a member (%v)", err)
	}
	if got, role, ok, err := s.OrgForMember(ctx, o.ID, carol.ID); err != nil || !ok || role != shelf.RoleMember || got.ID != o.ID {
		t.Fatalf("OrgForMember(member) = %v %q %v %v", got, role, ok, err)
	}
	if got, role, ok, err := s.OrgForMember(ctx, o.ID, bob.ID); err != nil || ok || role != "" || got.Name != "Org" {
		t.Fatalf("OrgForMember(non-member) = %v %q %v %v", got, role, ok, err)
	}
	_, _, _, err = s.OrgForMember(ctx, "org_missing", bob.ID)
	WantCode(t, err, "not_found")
}

func testGroups(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t, nil)
	ann := MustUser(t, s, "ann@example.com")
	bob := MustUser(t, s, "bob@example.com")
	eve := MustUser(t, s, "eve@example.com")
	o := MustOrg(t, s, "Org", shelf.OrgCustomer, ann)
	p := MustOrg(t, s, "Vendor", shelf.OrgPartner, ann)
	if _, _, err := s.AddMember(ctx, o.ID, bob.Email, shelf.RoleMember, ann.ID); err != nil {
		t.Fatal(err)
	}
	g, err := s.CreateGroup(ctx, o.ID, "销售群", ann.ID, []string{bob.ID, ann.ID})
	if err != nil || g.MemberCount != 2 {
		t.Fatalf("CreateGroup = %+v, %v", g, err)
	}
	_, err = s.CreateGroup(ctx, o.ID, "x", ann.ID, []string{eve.ID})
	WantCode(t, err, "not_a_member")
	_, err = s.CreateGroup(ctx, p.ID, "x", ann.ID, nil)
	WantCode(t, err, "not_a_customer_org")
	WantCode(t, s.AddGroupMember(ctx, g.ID, eve.ID), "not_a_member")
	WantCode(t, s.AddGroupMember(ctx, g.ID, bob.ID), "already_member")
	groups, _ := s.Groups(ctx, o.ID, shelf.PageReq{})
	if len(groups) != 1 || groups[0].MemberCount != 2 {
		t.Fatalf("groups = %+v (a refused group must leave nothing)", groups)
	}
	if err := s.RemoveMember(ctx, o.ID, bob.ID, ann.ID); err != nil {
		t.Fatal(err)
	}
	ids, _ := s.GroupMembers(ctx, g.ID)
	if len(ids) != 1 || ids[0] != ann.ID {
		t.Fatalf("group members after removal = %v", ids)
	}
	// A removed owner's group passes to an admin, who joins it.
	carl := MustUser(t, s, "carl@example.com")
	if _, _, err := s.AddMember(ctx, o.ID, carl.Email, shelf.RoleMember, ann.ID); err != nil {
		t.Fatal(err)
	}
	cg, err := s.CreateGroup(ctx, o.ID, "卡尔的群", carl.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveMember(ctx, o.ID, carl.ID, ann.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Group(ctx, cg.ID); got.OwnerID != ann.ID || got.MemberCount != 1 {
		t.Fatalf("group after its owner left = %+v", got)
	}
}

func testCategories(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t, nil)
	op := MustUser(t, s, "op@example.com")
	plain := MustUser(t, s, "plain@example.com")
	if err := s.GrantPlatformRole(ctx, op.ID, shelf.CategoryOperator, shelf.ActorCLI); err != nil {
		t.Fatal(err)
	}
	hr, err := s.CreateCategory(ctx, shelf.NewCategory{Name: "人事管理", NameEn: "HR", Position: 2})
	if err != nil {
		t.Fatal(err)
	}
	office, _ := s.CreateCategory(ctx, shelf.NewCategory{Name: "办公协同", NameEn: "Office", Position: 1})
	pay, err := s.CreateCategory(ctx, shelf.NewCategory{ParentID: hr.ID, Name: "薪酬", NameEn: "Payroll"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.CreateCategory(ctx, shelf.NewCategory{ParentID: pay.ID, Name: "x", NameEn: "x"})
	WantCode(t, err, "too_deep")
	_, err = s.CreateCategory(ctx, shelf.NewCategory{ParentID: "cat_missing", Name: "x", NameEn: "x"})
	WantCode(t, err, "unknown_category")
	_, err = s.CreateCategory(ctx, shelf.NewCategory{Name: "", NameEn: "x"})
	WantCode(t, err, "required")
	tree, _ := s.Categories(ctx, false)
	if got := names(tree); got != "办公协同,人事管理,薪酬" {
		t.Fatalf("tree = %s", got)
	}
	pos, archived, rename := 0, true, "Human resources"
	if _, err := s.UpdateCategory(ctx, hr.ID, shelf.CategoryPatch{Position: &pos, NameEn: &rename}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateCategory(ctx, office.ID, shelf.CategoryPatch{Archived: &archived}); err != nil {
		t.Fatal(err)
	}
	tree, _ = s.Categories(ctx, false)
	if got := names(tree); got != "人事管理,薪酬" || tree[0].NameEn != "Human resources" {
		t.Fatalf("tree after update = %s", got)
	}
	if all, _ := s.Categories(ctx, true); len(all) != 3 {
		t.Fatalf("with archived: %d", len(all))
	}
	if err := s.AssignOperator(ctx, hr.ID, op.ID, ""); err != nil {
		t.Fatal(err)
	}
	WantCode(t, s.AssignOperator(ctx, hr.ID, plain.ID, ""), "not_an_operator")
	cats, _ := s.OperatorCategories(ctx, op.ID)
	if len(cats) != 2 {
		t.Fatalf("operator categories = %v, want the parent and its child", cats)
	}
	c, _ := s.Category(ctx, hr.ID)
	if len(c.Operators) != 1 || c.Operators[0] != op.ID {
		t.Fatalf("operators = %v", c.Operators)
	}
	if log, _ := s.AuditLog(ctx, shelf.AuditQuery{Text: "category.assign_operator"}); len(log) != 1 || log[0].ObjectID != hr.ID {
		t.Fatalf("operator assignment not audited: %+v", log)
	}
	if err := s.UnassignOperator(ctx, hr.ID, op.ID, ""); err != nil {
		t.Fatal(err)
	}
	WantCode(t, s.UnassignOperator(ctx, hr.ID, op.ID, ""), "not_found")
}

func names(cs []shelf.Category) string {
	out := ""
	for i, c := range cs {
		if i > 0 {
			out += ","
		}
		out += c.Name
	}
	return out
}

func testSessions(t *testing.T, open Opener) {
	ctx := context.Background()
	clock := shelf.NewManualClock(Epoch)
	s := open(t, clock)
	ann := MustUser(t, s, "ann@example.com")
	tok, csrf, err := s.CreateSession(ctx, ann.ID, time.Hour, shelf.SessionDevice{})
	if err != nil || tok == "" || csrf == "" {
		t.Fatal(err)
	}
	u, gotCSRF, err := s.SessionUser(ctx, tok)
	if err != nil || u.ID != ann.ID || gotCSRF != csrf {
		t.Fatalf("SessionUser = %v %q %v", u, gotCSRF, err)
	}
	_, _, err = s.SessionUser(ctx, tok+"x")
	WantCode(t, err, "unauthenticated")
	clock.Advance(2 * time.Hour)
	_, _, err = s.SessionUser(ctx, tok)
	WantCode(t, err, "unauthenticated")
	tok2, _, _ := s.CreateSession(ctx, ann.ID, time.Hour, shelf.SessionDevice{})
	if err := s.DeleteSession(ctx, tok2); err != nil {
		t.Fatal(err)
	}
	_, _, err = s.SessionUser(ctx, tok2)
	WantCode(t, err, "unauthenticated")
}

func testTokens(t *testing.T, open Opener) {
	ctx := context.Background()
	clock := shelf.NewManualClock(Epoch)
	s := open(t, clock)
	ann := MustUser(t, s, "ann@example.com")
	bob := MustUser(t, s, "bob@example.com")
	plain, tok, err := s.CreateToken(ctx, ann.ID, "ci", shelf.TokenPersonal, 0)
	if err != nil || tok.ExpiresAt != nil {
		t.Fatal(err)
	}
	short, _, _ := s.CreateToken(ctx, ann.ID, "api", shelf.TokenSession, time.Hour)
	for _, p := range []string{plain, short} {
		if u, err := s.TokenUser(ctx, p); err != nil || u.ID != ann.ID {
			t.Fatalf("TokenUser = %v, %v", u, err)
		}
	}
	list, _ := s.Tokens(ctx, ann.ID, shelf.PageReq{})
	if len(list) != 1 || list[0].Name != "ci" || list[0].LastUsedAt == nil {
		t.Fatalf("tokens = %+v (session tokens are not listed)", list)
	}
	WantCode(t, s.RevokeToken(ctx, bob.ID, tok.ID), "not_found")
	if err := s.RevokeToken(ctx, ann.ID, tok.ID); err != nil {
		t.Fatal(err)
	}
	_, err = s.TokenUser(ctx, plain)
	WantCode(t, err, "invalid_token")
	clock.Advance(2 * time.Hour)
	_, err = s.TokenUser(ctx, short)
	WantCode(t, err, "invalid_token")
}

func testInviteExpiry(t *testing.T, open Opener) {
	ctx := context.Background()
	clock := shelf.NewManualClock(Epoch)
	s := open(t, clock)
	ann := MustUser(t, s, "ann@example.com")
	o := MustOrg(t, s, "Org", shelf.OrgCustomer, ann)
	_, inv, err := s.AddMember(ctx, o.ID, "dan@example.com", shelf.RoleMember, ann.ID)
	if err != nil {
		t.Fatal(err)
	}
	dan := MustUser(t, s, "dan@example.com")
	clock.Advance(shelf.InvitationTTL + time.Minute)
	_, err = s.AcceptInvitation(ctx, inv.Token, dan.ID)
	WantCode(t, err, "invitation_invalid")
	if invs, err := s.Invitations(ctx, o.ID, shelf.PageReq{}); err != nil || len(invs) != 0 {
		t.Fatalf("expired invitations listed: %+v, %v", invs, err)
	}
}

// testAccountSelfService: a person lists their own sessions (the asking
// one marked), ends one by its key (never another person's), changes their
// password (the other sessions end, the asking one stays) and their name;
// each change is audited.
func testAccountSelfService(t *testing.T, open Opener) {
	ctx := context.Background()
	clock := shelf.NewManualClock(Epoch)
	s := open(t, clock)
	ann := MustUser(t, s, "ann@example.com")
	bob := MustUser(t, s, "bob@example.com")
	here, _, _ := s.CreateSession(ctx, ann.ID, time.Hour, shelf.SessionDevice{Browser: "Chrome", OS: "Android", Addr: "203.0.113.77"})
	clock.Advance(time.Minute)
	there, _, _ := s.CreateSession(ctx, ann.ID, time.Hour, shelf.SessionDevice{Browser: strings.Repeat("x", 300), Addr: "2001:db8:abcd:12::1"})
	clock.Advance(time.Minute)
	third, _, _ := s.CreateSession(ctx, ann.ID, time.Hour, shelf.SessionDevice{})
	bobs, _, _ := s.CreateSession(ctx, bob.ID, time.Hour, shelf.SessionDevice{})
	list, err := s.UserSessions(ctx, ann.ID, here)
	if err != nil || len(list) != 3 || !list[2].Current || list[0].Current || len(list[0].Key) != shelf.SessionKeyLen {
		t.Fatalf("UserSessions = %+v, %v", list, err)
	}
	// The device is kept as the page shows it: names bounded, the address
	// masked even when the caller passed it whole.
	if got, want := list[2].Device, (shelf.SessionDevice{Browser: "Chrome", OS: "Android", Addr: "203.0.113.*"}); got != want {
		t.Errorf("this session's device = %+v, want %+v", got, want)
	}
	if got := list[1].Device; len(got.Browser) != 40 || got.Addr != "2001:db8:abcd::/48" {
		t.Errorf("a long name and an IPv6 address kept as %+v", got)
	}
	if got := list[0].Device; got != (shelf.SessionDevice{}) {
		t.Errorf("a session without a device = %+v", got)
	}
	bobList, _ := s.UserSessions(ctx, bob.ID, "")
	for _, c := range []struct {
		name, user, key, code string
	}{
		{"another person's session", ann.ID, bobList[0].Key, "not_found"},
		{"a wildcard", ann.ID, "%%%%%%%%%%%%%%%%", "not_found"},
		{"too short", ann.ID, list[0].Key[:4], "not_found"},
	} {
		t.Run(c.name, func(t *testing.T) { WantCode(t, s.EndUserSession(ctx, c.user, c.key), c.code) })
	}
	if err := s.EndUserSession(ctx, ann.ID, list[0].Key); err != nil { // the newest: third
		t.Fatal(err)
	}
	_, _, err = s.SessionUser(ctx, third)
	WantCode(t, err, "unauthenticated")
	if _, _, err := s.SessionUser(ctx, bobs); err != nil {
		t.Fatalf("bob's session ended too: %v", err)
	}

	WantCode(t, s.ChangeOwnPassword(ctx, ann.ID, "short", here), "password_too_short")
	if err := s.ChangeOwnPassword(ctx, ann.ID, "a new password", here); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.SessionUser(ctx, here); err != nil {
		t.Fatalf("the asking session ended: %v", err)
	}
	_, _, err = s.SessionUser(ctx, there)
	WantCode(t, err, "unauthenticated")
	if _, err := s.Authenticate(ctx, "ann@example.com", "a new password", "192.0.2.1"); err != nil {
		t.Fatalf("the new password does not sign in: %v", err)
	}

	WantCode(t, s.RenameUser(ctx, ann.ID, "  "), "required")
	if err := s.RenameUser(ctx, ann.ID, "Ann Lee"); err != nil {
		t.Fatal(err)
	}
	if u, _, _ := s.SessionUser(ctx, here); u.Name != "Ann Lee" {
		t.Fatalf("name = %q", u.Name)
	}
	entries, err := s.AuditLog(ctx, shelf.AuditQuery{Text: "user.", PageReq: shelf.FirstPage(20)})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range entries {
		seen[e.Action] = true
	}
	for _, a := range []string{"user.end_session", "user.change_password", "user.rename"} {
		if !seen[a] {
			t.Errorf("no audit entry %s in %v", a, seen)
		}
	}
}
