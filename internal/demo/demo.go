// Package demo fills an empty Shelf with realistic Chinese and English demo
// data, so a newcomer sees a working market at once. The accounts below are
// a fixed contract that scripts, tests and docs rely on; all use Password.
package demo

import (
	"context"
	"fmt"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store"
)

// Password is every demo account's password.
const Password = "shelf-demo"

// The demo accounts.
const (
	AdminEmail     = "admin@shelf.test"     // platform admin
	OperatorEmail  = "operator@shelf.test"  // category operator (办公协同, 人事管理)
	Operator2Email = "operator2@shelf.test" // category operator (财务, 销售与客户, 行业应用)
	PartnerEmail   = "partner@shelf.test"   // admin of partner org 1
	Partner2Email  = "partner2@shelf.test"  // admin of partner org 2
	CustomerEmail  = "customer@shelf.test"  // admin of the customer org
	MemberEmail    = "member@shelf.test"    // member of the customer org
)

// Account is one demo sign-in, for printing.
type Account struct {
	Email, Role string
}

// Accounts lists the demo sign-ins in the order they are printed.
var Accounts = []Account{
	{AdminEmail, "platform admin / 平台管理员"},
	{OperatorEmail, "category operator / 类目运营 (办公协同, 人事管理)"},
	{Operator2Email, "category operator / 类目运营 (财务, 销售与客户, 行业应用)"},
	{PartnerEmail, "partner org 1 admin / 服务商 1 管理员"},
	{Partner2Email, "partner org 2 admin / 服务商 2 管理员"},
	{AuroraEmail, "partner org 3 admin / 服务商 3 管理员 (partner program pending)"},
	{CustomerEmail, "customer org admin / 企业管理员"},
	{MemberEmail, "customer org member / 企业成员"},
}

// World is what Seed created, for tests and later seeding steps.
type World struct {
	Users      map[string]*shelf.User // by email
	Platform   *shelf.Org
	Partner1   *shelf.Org
	Partner2   *shelf.Org
	Partner3   *shelf.Org // 极光工作室 Aurora: its partner-program application waits
	TestOrg    *shelf.Org // partner 1's test org
	TestOrg2   *shelf.Org // partner 2's test org
	Customer   *shelf.Org
	Polaris    *shelf.Org // Evergreen CRM's customer for three months (selfop2.go); nil when the clock could not move
	Groups     []*shelf.Group
	Categories map[string]*shelf.Category // by English name
	Apps       map[string]*shelf.App      // the partners' apps, by slug (demoApps)
	// Secrets are the apps' credentials as shown once at registration, by
	// slug: examples/vendor plays Evergreen CRM with them (VendorEnv).
	Secrets map[string]*shelf.AppCredentials
}

// Seed fills an empty database and reports whether it did; a database with
// any account is left alone so restarting with --demo is harmless.
func Seed(ctx context.Context, s *store.Store) (*World, error) {
	n, err := s.UserCount(ctx)
	if err != nil {
		return nil, err
	}
	if n > 0 {
		return nil, nil
	}
	w := &World{Users: map[string]*shelf.User{}, Categories: map[string]*shelf.Category{}}
	steps := []func(context.Context, *store.Store, *World) error{seedPeople, seedOrgs, seedCategories, seedListings, seedCool, seedSelfop, seedCommerce, seedPromo, seedSelfop2}
	for _, step := range steps {
		if err := step(ctx, s, w); err != nil {
			return nil, fmt.Errorf("demo data: %w", err)
		}
	}
	return w, nil
}

var people = []struct{ email, name string }{
	{AdminEmail, "平台管理员 Admin"},
	{OperatorEmail, "周运营 Zhou (Operator)"},
	{Operator2Email, "吴运营 Wu (Operator)"},
	{PartnerEmail, "陈伙伴 Chen (Skylark)"},
	{"dev@shelf.test", "林开发 Lin (Skylark dev)"},
	{Partner2Email, "王伙伴 Wang (Evergreen)"},
	{AuroraEmail, "韩极光 Han (Aurora)"},
	{CustomerEmail, "李管理员 Li (Galaxy admin)"},
	{MemberEmail, "张成员 Zhang (Galaxy)"},
	{"sales1@shelf.test", "赵销售 Zhao (Sales)"},
	{"hr@shelf.test", "孙人事 Sun (HR)"},
}

func seedPeople(ctx context.Context, s *store.Store, w *World) error {
	for _, p := range people {
		u, err := s.CreateUser(ctx, p.email, p.name, Password)
		if err != nil {
			return err
		}
		w.Users[p.email] = u
	}
	if err := s.GrantPlatformRole(ctx, w.Users[AdminEmail].ID, shelf.PlatformAdmin, shelf.ActorCLI); err != nil {
		return err
	}
	for _, e := range []string{OperatorEmail, Operator2Email} {
		if err := s.GrantPlatformRole(ctx, w.Users[e].ID, shelf.CategoryOperator, w.Users[AdminEmail].ID); err != nil {
			return err
		}
	}
	return nil
}

func seedOrgs(ctx context.Context, s *store.Store, w *World) error {
	u := w.Users
	var err error
	org := func(name string, kind shelf.OrgKind, creator, owner string) *shelf.Org {
		if err != nil {
			return nil
		}
		var o *shelf.Org
		o, err = s.CreateOrg(ctx, shelf.NewOrg{Name: name, Kind: kind, CreatorID: u[creator].ID, OwnerOrgID: owner})
		return o
	}
	w.Platform = org("Shelf 平台运营中心", shelf.OrgPlatform, AdminEmail, "")
	w.Partner1 = org("云雀软件 Skylark Software", shelf.OrgPartner, PartnerEmail, "")
	w.Partner2 = org("青松科技 Evergreen Tech", shelf.OrgPartner, Partner2Email, "")
	w.Partner3 = org("极光工作室 Aurora Studio", shelf.OrgPartner, AuroraEmail, "")
	w.Customer = org("星河贸易 Galaxy Trading", shelf.OrgCustomer, CustomerEmail, "")
	if err != nil {
		return err
	}
	w.TestOrg = org("云雀体验测试组织 Skylark Test Org", shelf.OrgCustomer, PartnerEmail, w.Partner1.ID)
	if err != nil {
		return err
	}
	add := []struct {
		org   *shelf.Org
		email string
		role  shelf.Role
	}{
		{w.Platform, OperatorEmail, shelf.RoleMember},
		{w.Platform, Operator2Email, shelf.RoleMember},
		{w.Partner1, "dev@shelf.test", shelf.RoleMember},
		{w.Customer, MemberEmail, shelf.RoleMember},
		{w.Customer, "sales1@shelf.test", shelf.RoleMember},
		{w.Customer, "hr@shelf.test", shelf.RoleMember},
	}
	for _, a := range add {
		if _, _, err := s.AddMember(ctx, a.org.ID, a.email, a.role, u[AdminEmail].ID); err != nil {
			return err
		}
	}
	// The seed's step 1: both demo partners have the partner console.
	for _, p := range []struct {
		org   *shelf.Org
		admin string
	}{{w.Partner1, PartnerEmail}, {w.Partner2, Partner2Email}} {
		if _, _, err := s.Install(ctx, shelf.NewInstallation{AppID: shelf.PartnerConsoleID, OrgID: p.org.ID, ByUserID: u[p.admin].ID}); err != nil {
			return err
		}
	}
	groups := []struct {
		name    string
		owner   string
		members []string
	}{
		{"销售部群 Sales team", CustomerEmail, []string{MemberEmail, "sales1@shelf.test"}},
		{"全员群 All hands", CustomerEmail, []string{MemberEmail, "sales1@shelf.test", "hr@shelf.test"}},
	}
	for _, g := range groups {
		var ids []string
		for _, e := range g.members {
			ids = append(ids, u[e].ID)
		}
		grp, err := s.CreateGroup(ctx, w.Customer.ID, g.name, u[g.owner].ID, ids)
		if err != nil {
			return err
		}
		w.Groups = append(w.Groups, grp)
	}
	return nil
}

// categoryTree is the demo market's tree: top level, then children.
var categoryTree = []struct {
	name, nameEn string
	operator     string
	children     [][2]string
}{
	{"办公协同", "Office & Collaboration", OperatorEmail, [][2]string{{"审批", "Approvals"}, {"文档与知识库", "Docs & Knowledge"}, {"项目管理", "Projects"}}},
	{"人事管理", "HR", OperatorEmail, [][2]string{{"考勤排班", "Attendance & Scheduling"}, {"招聘", "Recruiting"}, {"薪酬绩效", "Payroll & Performance"}}},
	{"财务", "Finance", Operator2Email, [][2]string{{"报销", "Expenses"}, {"发票与税务", "Invoices & Tax"}}},
	{"销售与客户", "Sales & CRM", Operator2Email, [][2]string{{"客户管理", "CRM"}, {"客服工单", "Customer Service"}}},
	{"行业应用", "Industry Solutions", Operator2Email, [][2]string{{"零售", "Retail"}, {"制造", "Manufacturing"}, {"教育", "Education"}}},
}

func seedCategories(ctx context.Context, s *store.Store, w *World) error {
	for i, top := range categoryTree {
		p, err := s.CreateCategory(ctx, shelf.NewCategory{Name: top.name, NameEn: top.nameEn, Position: (i + 1) * 10})
		if err != nil {
			return err
		}
		w.Categories[top.nameEn] = p
		if err := s.AssignOperator(ctx, p.ID, w.Users[top.operator].ID, w.Users[AdminEmail].ID); err != nil {
			return err
		}
		for j, c := range top.children {
			child, err := s.CreateCategory(ctx, shelf.NewCategory{ParentID: p.ID, Name: c[0], NameEn: c[1], Position: (j + 1) * 10})
			if err != nil {
				return err
			}
			w.Categories[c[1]] = child
		}
	}
	return nil
}
