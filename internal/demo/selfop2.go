package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
	"github.com/shelfhq/shelf/internal/store"
)

// PolarisEmail is the admin of the demo's second customer org, Polaris
// Manufacturing, Evergreen CRM's customer for the last three months.
const PolarisEmail = "polaris@shelf.test"

// settable is a clock the demo may move (shelf.ManualClock in tests,
// shelf.ShiftClock when serving).
type settable interface {
	Now() time.Time
	Set(time.Time)
}

// seedSelfop2 gives partner self-operation something to show: three months
// of Evergreen CRM orders by Polaris (a refund among them) and the first
// month's statement closed, leads in every state, tickets in every state,
// reviews with replies and one hidden. The history is written with the
// clock moved back, when the clock can be moved; then it is put back.
func seedSelfop2(ctx context.Context, s *store.Store, w *World) error {
	clock, ok := s.Clock().(settable)
	if !ok {
		return seedSelfop2Now(ctx, s, w)
	}
	now := clock.Now()
	err := seedSelfop2History(ctx, s, w, clock, now)
	if r, ok := clock.(interface{ Reset() }); ok {
		r.Reset()
	} else {
		clock.Set(now)
	}
	if err != nil {
		return err
	}
	return seedSelfop2Now(ctx, s, w)
}

// monthDay is day d of the month m months before now's, at hour h (UTC).
func monthDay(now time.Time, m, d, h int) time.Time {
	return time.Date(now.Year(), now.Month()-time.Month(m), d, h, 0, 0, 0, time.UTC)
}

func (w *World) listingOf(ctx context.Context, s *store.Store, slug string) (string, error) {
	li, err := s.ListingForApp(ctx, w.Apps[slug].ID)
	if err != nil {
		return "", fmt.Errorf("listing of %s: %w", slug, err)
	}
	return li.ID, nil
}

// seedSelfop2History writes the past: Polaris's orders and leads, its
// tickets, the Galaxy leads.
func seedSelfop2History(ctx context.Context, s *store.Store, w *World, clock settable, now time.Time) error {
	crm, err := w.listingOf(ctx, s, "evercrm")
	if err != nil {
		return err
	}
	clock.Set(monthDay(now, 3, 2, 9))
	u, err := s.CreateUser(ctx, PolarisEmail, "钱经理 Qian (Polaris admin)", Password)
	if err != nil {
		return err
	}
	w.Users[PolarisEmail] = u
	if w.Polaris, err = s.CreateOrg(ctx, shelf.NewOrg{Name: "北辰制造 Polaris Manufacturing", Kind: shelf.OrgCustomer, CreatorID: u.ID}); err != nil {
		return err
	}
	p2 := w.Users[Partner2Email].ID
	won, err := s.CreateContactRequest(ctx, shelf.NewContactRequest{ListingID: crm, OrgID: w.Polaris.ID, ByUserID: u.ID, Consent: true, Source: "search",
		Message: "我们有 20 名销售，想了解年付优惠。 We have 20 sales people: is there a yearly discount?"})
	if err != nil {
		return err
	}
	if _, err := s.UpdateLead(ctx, won.ID, p2, shelf.LeadChange{State: ptr(shelf.LeadContacted), OwnerID: &p2, Note: "电话沟通，先月付试用 called: they start monthly"}); err != nil {
		return err
	}
	order := func(t time.Time, typ shelf.OrderType, periods int) (*shelf.Order, error) {
		clock.Set(t)
		o, err := place(ctx, s, shelf.OrderRequest{OrgID: w.Polaris.ID, ByUserID: u.ID, ListingID: crm, Type: typ, SpecCode: "crm-month-50", Users: 20, Periods: periods})
		if err != nil {
			return nil, err
		}
		_, err = s.RecordPayment(ctx, shelf.PaymentResult{OrderID: o.ID, Provider: "manual", Ref: "DEMO-POLARIS-" + o.ID[4:10], Amount: o.Amount, Currency: o.Currency, Paid: true}, "")
		return o, err
	}
	if _, err := order(monthDay(now, 3, 5, 10), shelf.OrderBuy, 1); err != nil {
		return err
	}
	if _, err := s.UpdateLead(ctx, won.ID, p2, shelf.LeadChange{State: ptr(shelf.LeadWon), Note: "已下单 ordered"}); err != nil {
		return err
	}
	renewal, err := order(monthDay(now, 2, 5, 10), shelf.OrderRenew, 1)
	if err != nil {
		return err
	}
	clock.Set(monthDay(now, 2, 12, 15))
	if _, err := s.Refund(ctx, renewal.ID, w.Users[AdminEmail].ID, "客户重复付款 paid twice by mistake"); err != nil {
		return err
	}
	if _, err := order(monthDay(now, 1, 5, 10), shelf.OrderRenew, 2); err != nil {
		return err
	}
	if err := seedHistoryTickets(ctx, s, w, clock, now); err != nil {
		return err
	}
	return seedHistoryLeads(ctx, s, w, clock, now)
}

func ptr[T any](v T) *T { return &v }

// seedHistoryTickets: Polaris's tickets last month, one closed, one
// waiting for the customer.
func seedHistoryTickets(ctx context.Context, s *store.Store, w *World, clock settable, now time.Time) error {
	admin, p2, app := w.Users[PolarisEmail].ID, w.Users[Partner2Email].ID, w.Apps["evercrm"].ID
	step := func(t time.Time, f func() error) error { clock.Set(t); return f() }
	var closed, waiting *shelf.Ticket
	var err error
	for _, st := range []struct {
		at time.Time
		do func() error
	}{
		{monthDay(now, 1, 8, 10), func() error {
			closed, err = s.OpenTicket(ctx, shelf.NewTicket{OrgID: w.Polaris.ID, AppID: app, ByUserID: admin, Subject: "导入联系人失败 Contact import fails",
				Priority: shelf.PriorityHigh, Text: "导入 Excel 时提示第 12 行格式错误。 Importing the spreadsheet fails at row 12.",
				Attachments: []shelf.NewAttachment{{Name: "import.log", Data: []byte("row 12: phone \"+86 138-0000\" is not a number\n")}}})
			return err
		}},
		{monthDay(now, 1, 8, 13), func() error {
			_, err := s.ReplyTicket(ctx, shelf.TicketReply{TicketID: closed.ID, ByUserID: p2, Side: shelf.TicketSidePartner,
				Text: "电话号码里不能有空格，去掉后再导入即可。 Remove the spaces from the phone numbers and import again."})
			return err
		}},
		{monthDay(now, 1, 9, 9), func() error { _, err := s.CloseTicket(ctx, closed.ID, admin); return err }},
		{monthDay(now, 1, 20, 10), func() error {
			waiting, err = s.OpenTicket(ctx, shelf.NewTicket{OrgID: w.Polaris.ID, AppID: app, ByUserID: admin, Subject: "回款计划金额不对 Payment plan amounts are off",
				Priority: shelf.PriorityNormal, Text: "合同 HT-2031 的回款计划少了一期。 Contract HT-2031's plan misses an instalment."})
			return err
		}},
		{monthDay(now, 1, 20, 11), func() error {
			_, err := s.ReplyTicket(ctx, shelf.TicketReply{TicketID: waiting.ID, ByUserID: p2, Side: shelf.TicketSidePartner, AwaitCustomer: true,
				Text: "请发一下合同的付款条款截图。 Please send a screenshot of the contract's payment terms."})
			return err
		}},
	} {
		if err := step(st.at, st.do); err != nil {
			return fmt.Errorf("demo tickets: %w", err)
		}
	}
	return nil
}

// seedHistoryLeads: Galaxy asked Skylark about two apps: one lost, one
// contacted with a follow-up now overdue.
func seedHistoryLeads(ctx context.Context, s *store.Store, w *World, clock settable, now time.Time) error {
	hire, err := w.listingOf(ctx, s, "larkhire")
	if err != nil {
		return err
	}
	flow, err := w.listingOf(ctx, s, "larkflow")
	if err != nil {
		return err
	}
	p1, dev := w.Users[PartnerEmail].ID, w.Users["dev@shelf.test"].ID
	clock.Set(monthDay(now, 2, 15, 10))
	lost, err := s.CreateContactRequest(ctx, shelf.NewContactRequest{ListingID: hire, OrgID: w.Customer.ID, ByUserID: w.Users["hr@shelf.test"].ID, Consent: true,
		Source: "category", Message: "招聘旺季前想试用。 We would like to try it before hiring season."})
	if err != nil {
		return err
	}
	if _, err := s.UpdateLead(ctx, lost.ID, p1, shelf.LeadChange{State: ptr(shelf.LeadLost), LostReason: ptr("选择了其他方案 went with another tool"), OwnerID: &p1}); err != nil {
		return err
	}
	clock.Set(monthDay(now, 0, 1, 10).AddDate(0, 0, -3))
	contacted, err := s.CreateContactRequest(ctx, shelf.NewContactRequest{ListingID: flow, OrgID: w.Customer.ID, ByUserID: w.Users[MemberEmail].ID, Consent: true,
		Source: "search", Message: "专业版能否按部门开通？ Can the Pro plan be enabled per department?"})
	if err != nil {
		return err
	}
	followUp := monthDay(now, 0, 1, 0).AddDate(0, 0, -1).Format(time.DateOnly)
	_, err = s.UpdateLead(ctx, contacted.ID, p1, shelf.LeadChange{State: ptr(shelf.LeadContacted), OwnerID: &dev, NextFollowUp: &followUp,
		Note: "已发功能说明，等对方内部评估 sent the feature sheet; they are deciding"})
	return err
}

// seedSelfop2Now writes the present: the first statement closed, Galaxy's
// open and answered tickets, the reviews.
func seedSelfop2Now(ctx context.Context, s *store.Store, w *World) error {
	if w.Polaris != nil {
		sts, err := s.Statements(ctx, w.Partner2.ID, "", shelf.PageReq{})
		if err != nil {
			return err
		}
		if n := len(sts); n > 0 && sts[n-1].State == shelf.StatementOpen { // the oldest, newest first
			if _, err := s.CloseStatement(ctx, sts[n-1].ID, w.Users[AdminEmail].ID); err != nil {
				return err
			}
		}
	}
	if err := seedNowTickets(ctx, s, w); err != nil {
		return err
	}
	return seedReviews(ctx, s, w)
}

// seedNowTickets: Galaxy's open ticket (urgent, unanswered) and answered
// one on Evergreen CRM.
func seedNowTickets(ctx context.Context, s *store.Store, w *World) error {
	app := w.Apps["evercrm"].ID
	if _, err := s.OpenTicket(ctx, shelf.NewTicket{OrgID: w.Customer.ID, AppID: app, ByUserID: w.Users[MemberEmail].ID, Priority: shelf.PriorityUrgent,
		Subject: "客户列表打不开 The customer list does not load", Text: "从今天早上开始一直转圈。 It has been spinning since this morning."}); err != nil {
		return err
	}
	t, err := s.OpenTicket(ctx, shelf.NewTicket{OrgID: w.Customer.ID, AppID: app, ByUserID: w.Users[CustomerEmail].ID, Priority: shelf.PriorityLow,
		Subject: "如何导出报表 How to export a report", Text: "想把月度业绩导出成 Excel。 We want the monthly figures as a spreadsheet."})
	if err != nil {
		return err
	}
	_, err = s.ReplyTicket(ctx, shelf.TicketReply{TicketID: t.ID, ByUserID: w.Users[Partner2Email].ID, Side: shelf.TicketSidePartner,
		Text: "在“报表”页右上角点“导出”。 Use Export at the top right of the Reports page."})
	return err
}

// seedReviews: Galaxy reviews Evergreen CRM and Skylark Attendance (both
// partners reply); Polaris's abusive review is flagged and hidden.
func seedReviews(ctx context.Context, s *store.Store, w *World) error {
	crm, err := w.listingOf(ctx, s, "evercrm")
	if err != nil {
		return err
	}
	attend, err := w.listingOf(ctx, s, "larkattend")
	if err != nil {
		return err
	}
	for _, r := range []struct {
		listing, org, by, text, reply, replyBy string
		stars                                  int
	}{
		{crm, w.Customer.ID, CustomerEmail, "销售跟进清楚多了，回款提醒很实用。 Follow-ups are much clearer; the payment reminders help.", "感谢支持，下个版本会加上移动端报表。 Thank you: mobile reports come next.", Partner2Email, 5},
		{attend, w.Customer.ID, MemberEmail, "排班方便，希望支持更多考勤机型号。 Easy scheduling; please support more clock-in devices.", "已排期支持更多型号，敬请期待。 More devices are planned.", PartnerEmail, 4},
	} {
		rt, err := s.CreateRating(ctx, shelf.NewRating{ListingID: r.listing, OrgID: r.org, ByUserID: w.Users[r.by].ID, Stars: r.stars, Text: r.text})
		if err != nil {
			return fmt.Errorf("demo review: %w", err)
		}
		if _, err := s.ReplyRating(ctx, rt.ID, w.Users[r.replyBy].ID, r.reply); err != nil {
			return err
		}
	}
	if w.Polaris == nil {
		return nil
	}
	bad, err := s.CreateRating(ctx, shelf.NewRating{ListingID: crm, OrgID: w.Polaris.ID, ByUserID: w.Users[PolarisEmail].ID, Stars: 1,
		Text: "垃圾软件，客服都是骗子！ Garbage, the support people are crooks!"})
	if err != nil {
		return err
	}
	if _, err := s.FlagRating(ctx, bad.ID, w.Users[CustomerEmail].ID, "辱骂 insults"); err != nil {
		return err
	}
	_, err = s.HideRating(ctx, bad.ID, w.Users[Operator2Email].ID, "人身攻击 personal attacks")
	return err
}
