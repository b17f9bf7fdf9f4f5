package demo

import (
	"image/color"

	"github.com/shelfhq/shelf/internal/shelf"
)

// outcome is where a demo listing ends up, so the demo shows every state a
// partner, an operator and a customer meet.
type outcome int

const (
	live          outcome = iota // approved and listed
	liveWithDraft                // live, and a new draft is being edited
	inReview                     // submitted, waiting for its operator (a cool app: the platform operators)
	rejected                     // sent back with a reason on a field
	delisted                     // was live; the partner delisted it
	selfTested                   // registered and self-tested, no listing yet
)

// demoApp is one vendor app of the demo and its listing. The revision's
// category, support contact, privacy URL, pricing rule and images are
// filled in by seedListings.
type demoApp struct {
	slug     string // https://<slug>.example.com is the vendor's site
	partner  int    // 1: 云雀软件 Skylark, 2: 青松科技 Evergreen
	kind     shelf.AppKind
	category string // English name of a leaf category
	icon     iconStyle
	outcome  outcome
	reason   shelf.ReviewDecision // for rejected
	delist   string               // for delisted
	rev      shelf.Revision
	// cool is a cool app's declaration: with rev it makes the materials of
	// its cool-app listing application (seedCool), never a listing revision.
	cool *shelf.CoolDeclaration
}

// Spec shorthands: prices are per user per period, in fen.
func month(code, name string, minUsers, maxUsers int, price int64) shelf.Spec {
	return shelf.Spec{Code: code, Name: name, MinUsers: minUsers, MaxUsers: maxUsers, Period: shelf.PeriodMonth, Price: price}
}

func year(code, name string, minUsers, maxUsers int, price int64) shelf.Spec {
	return shelf.Spec{Code: code, Name: name, MinUsers: minUsers, MaxUsers: maxUsers, Period: shelf.PeriodYear, Price: price}
}

func nameEn(s shelf.Spec, en string) shelf.Spec {
	s.NameEn = en
	return s
}

func free(name string, maxUsers int) shelf.Spec {
	return shelf.Spec{Code: "free", Name: name, MinUsers: 1, MaxUsers: maxUsers, Free: true}
}

var (
	bothModes = []shelf.PromotionMode{shelf.PromotionMarket, shelf.PromotionOwnChannel}
	market    = []shelf.PromotionMode{shelf.PromotionMarket}
	ownOnly   = []shelf.PromotionMode{shelf.PromotionOwnChannel}
)

// demoApps is the demo market: apps of both partners across the
// categories, in the mix of states the demo should show.
var demoApps = []demoApp{
	{slug: "larkattend", partner: 1, kind: shelf.AppOrg, category: "Attendance & Scheduling", outcome: liveWithDraft,
		icon: iconStyle{color.RGBA{22, 119, 255, 255}, shapeClock},
		rev: shelf.Revision{Name: "云雀考勤", NameEn: "Skylark Attendance",
			Subtitle: "排班、打卡、请假、加班一站式考勤管理", SubtitleEn: "Shifts, clock-in, leave and overtime in one attendance app",
			Description: "## 云雀考勤是什么\n\n云雀考勤帮助 20 到 2000 人的企业管理排班、打卡、请假和加班：员工在工作台一键打卡，管理员按部门排班，月底自动生成考勤报表并导出到薪资系统。\n\n" +
				"- 支持 GPS、Wi-Fi 和考勤机打卡，外勤人员拍照定位打卡\n- 灵活排班：固定班、轮班、弹性工时，节假日自动调休\n- 请假、加班、出差审批与假期余额自动计算\n- 月度考勤报表一键导出 Excel，对接主流薪资系统\n\n" +
				"## What it does\n\nSkylark Attendance schedules shifts, records clock-ins and handles leave and overtime for teams of 20 to 2,000 people, and exports monthly reports to payroll.",
			DescriptionEn: "## What Skylark Attendance does\n\nSkylark Attendance schedules shifts, records clock-ins and handles leave and overtime for teams of 20 to 2,000 people: staff clock in from the workbench, admins plan shifts by department, and monthly reports go to payroll.",
			Tags:          []string{"考勤", "排班", "打卡", "HR"},
			// Two specs with English names, the others Chinese only: the
			// English page shows both kinds.
			Specs: []shelf.Spec{nameEn(free("免费版（10 人以内）", 10), "Free (up to 10 people)"),
				nameEn(month("std-month-50", "标准版 · 50 人以内 · 月付", 1, 50, 900), "Standard · up to 50 · monthly"), month("std-month-500", "标准版 · 51–500 人 · 月付", 51, 500, 700),
				year("std-year-50", "标准版 · 50 人以内 · 年付", 1, 50, 9000), year("std-year-500", "标准版 · 51–500 人 · 年付", 51, 500, 7000)},
			Trial: &shelf.Trial{Days: 15, MaxUsers: 50}, Activation: shelf.ActivationTrialThenPaid, PromotionModes: bothModes}},

	{slug: "larkflow", partner: 1, kind: shelf.AppOrg, category: "Approvals", outcome: live,
		icon: iconStyle{color.RGBA{0, 168, 112, 255}, shapeCheck},
		rev: shelf.Revision{Name: "云雀审批", NameEn: "Skylark Approvals",
			Subtitle: "拖拽搭建审批流，请假报销采购全覆盖", SubtitleEn: "Drag-and-drop approval flows for leave, expenses and purchasing",
			Description: "## 让审批不再卡在某个人手里\n\n云雀审批内置 40 多个常用审批模板：请假、出差、报销、采购、用印、合同。用拖拽方式搭建条件分支、会签和或签，审批人离职或休假时自动转交，超时自动提醒。\n\n" +
				"- 表单设计器：文本、金额、明细表、附件、关联审批\n- 条件分支按金额、部门、职级自动路由\n- 手机上一键同意，支持手写签名\n- 审批数据实时统计，可导出对账\n\n" +
				"Skylark Approvals lets any team build approval flows with branches and co-signing, and approve from the phone in one tap.",
			Tags: []string{"审批", "OA", "流程", "表单"},
			Specs: []shelf.Spec{free("免费版（20 人以内）", 20),
				month("pro-month-100", "专业版 · 100 人以内 · 月付", 1, 100, 600), month("pro-month-1000", "专业版 · 101–1000 人 · 月付", 101, 1000, 400),
				year("pro-year-100", "专业版 · 100 人以内 · 年付", 1, 100, 6000), year("pro-year-1000", "专业版 · 101–1000 人 · 年付", 101, 1000, 4000)},
			Activation: shelf.ActivationFreeThenPaid, PromotionModes: bothModes}},

	{slug: "larkhire", partner: 1, kind: shelf.AppOrg, category: "Recruiting", outcome: live,
		icon: iconStyle{color.RGBA{250, 140, 22, 255}, shapePerson},
		rev: shelf.Revision{Name: "云雀招聘", NameEn: "Skylark Hire",
			Subtitle: "职位发布、简历筛选、面试安排一站搞定", SubtitleEn: "Post jobs, screen resumes and schedule interviews in one place",
			Description: "## 从发布职位到发出 offer\n\n云雀招聘把招聘流程搬进工作台：一次发布职位同步到多个招聘网站，简历自动解析去重，用人部门在群里就能给出面试反馈。\n\n" +
				"- 多渠道职位同步与简历自动解析\n- 面试日历：自动避开面试官的会议，候选人短信确认\n- 结构化面试评价表，评分一目了然\n- 招聘漏斗与渠道转化分析，找到最有效的招聘渠道\n\n" +
				"Skylark Hire syncs job posts to job boards, parses resumes, schedules interviews around your team's calendar and shows where your best hires come from.",
			Tags: []string{"招聘", "面试", "简历", "HR"},
			Specs: []shelf.Spec{month("hire-month-20", "招聘版 · 20 人以内 · 月付", 1, 20, 3000), month("hire-month-200", "招聘版 · 21–200 人 · 月付", 21, 200, 2500),
				year("hire-year-20", "招聘版 · 20 人以内 · 年付", 1, 20, 30000), year("hire-year-200", "招聘版 · 21–200 人 · 年付", 21, 200, 25000)},
			Trial: &shelf.Trial{Days: 30, MaxUsers: 20}, Activation: shelf.ActivationTrialThenPaid, PromotionModes: market}},

	{slug: "larkexpense", partner: 1, kind: shelf.AppOrg, category: "Expenses", outcome: inReview,
		icon: iconStyle{color.RGBA{235, 47, 150, 255}, shapeCoin},
		rev: shelf.Revision{Name: "云雀报销", NameEn: "Skylark Expense",
			Subtitle: "拍票即报，自动识别发票、自动对账", SubtitleEn: "Snap a receipt: invoices are read and reconciled for you",
			Description: "## 员工拍照，财务省心\n\n云雀报销支持拍照识别增值税发票、火车票、机票行程单和出租车票，自动查验真伪、防止重复报销。报销单按公司制度自动校验标准，审批通过后生成凭证推送到财务系统。\n\n" +
				"- 发票 OCR 识别与全国增值税发票查验\n- 差旅标准自动校验：城市、职级、天数\n- 借款、冲借款与多币种报销\n- 凭证自动生成，对接主流财务软件\n\n" +
				"Skylark Expense reads and verifies receipts, checks them against your travel policy and posts approved claims to accounting.",
			Tags: []string{"报销", "发票", "差旅", "财务"},
			Specs: []shelf.Spec{month("exp-month-100", "标准版 · 100 人以内 · 月付", 1, 100, 800), month("exp-month-1000", "标准版 · 101–1000 人 · 月付", 101, 1000, 600),
				year("exp-year-100", "标准版 · 100 人以内 · 年付", 1, 100, 8000), year("exp-year-1000", "标准版 · 101–1000 人 · 年付", 101, 1000, 6000)},
			Trial: &shelf.Trial{Days: 14, MaxUsers: 30}, Activation: shelf.ActivationTrialThenPaid, PromotionModes: bothModes}},

	{slug: "larkinvoice", partner: 1, kind: shelf.AppOrg, category: "Invoices & Tax", outcome: rejected,
		icon:   iconStyle{color.RGBA{114, 46, 209, 255}, shapeBars},
		reason: shelf.ReviewDecision{FieldReasons: []shelf.FieldReason{{Field: "description", Reason: "请说明是否支持全电发票（数电票）以及与税务 UKey 的对接方式，并补充开票额度说明"}}},
		rev: shelf.Revision{Name: "云雀开票", NameEn: "Skylark Invoicing",
			Subtitle: "在线开具增值税发票，开票进度实时可查", SubtitleEn: "Issue VAT invoices online and track every request",
			Description: "## 开票申请不再靠邮件\n\n销售在工作台提交开票申请，财务审核后一键开具增值税专用发票和普通发票，开票结果自动通知申请人并同步到客户档案。\n\n" +
				"- 开票申请与审批流程\n- 批量开票与红字发票\n- 开票台账与月度统计\n\n" +
				"Skylark Invoicing turns invoice requests into a tracked workflow: sales asks, finance approves and issues, everyone sees the status.",
			Tags:       []string{"发票", "开票", "税务"},
			Specs:      []shelf.Spec{month("inv-month-50", "标准版 · 50 人以内 · 月付", 1, 50, 1500), year("inv-year-50", "标准版 · 50 人以内 · 年付", 1, 50, 15000)},
			Activation: shelf.ActivationPaidFirst, PromotionModes: market}},

	{slug: "standup", partner: 1, kind: shelf.AppCool, category: "Projects", outcome: live,
		icon: iconStyle{color.RGBA{19, 194, 194, 255}, shapeSun},
		rev: shelf.Revision{Name: "群日报", NameEn: "Group Standup",
			Subtitle: "在群里收日报，自动汇总、按时提醒", SubtitleEn: "Daily reports collected in the group chat, summarized on time",
			Description: "## 不开会的站会\n\n把群日报装进项目群，每天下午 6 点提醒成员填写今日进展、明日计划和遇到的问题；第二天早上自动在群里发出汇总，谁没交一目了然。\n\n" +
				"- 日报、周报模板可自定义\n- 按时提醒，未提交自动催办\n- 汇总卡片直接发到群里，点开看详情\n- 历史日报可搜索、可导出\n\n" +
				"Group Standup asks the members of a group chat for their daily update and posts a summary the next morning.",
			Tags: []string{"日报", "群应用", "酷应用", "项目"},
			Specs: []shelf.Spec{free("免费版（群成员 30 人以内）", 30),
				month("team-month-200", "团队版 · 200 人以内 · 月付", 1, 200, 300), year("team-year-200", "团队版 · 200 人以内 · 年付", 1, 200, 3000)},
			Activation: shelf.ActivationFreeThenPaid, PromotionModes: market},
		cool: &shelf.CoolDeclaration{
			Scenarios: []string{"项目群每天下午 6 点收日报，第二天早上自动发汇总", "部门群每周五收周报，谁没交一目了然"},
			EntryPoints: []shelf.CoolEntryPoint{{Kind: shelf.EntryToolbar, Name: "写日报"}, {Kind: shelf.EntryCard, Name: "日报汇总"},
				{Kind: shelf.EntryRobot, Name: "日报提醒"}},
			Permissions: []shelf.CoolPermission{{Scope: shelf.ScopeReadMembers, Reason: "知道该提醒群里哪些成员交日报"},
				{Scope: shelf.ScopePostCards, Reason: "把每天的日报汇总发到群里"}, {Scope: shelf.ScopeRobot, Reason: "下午 6 点提醒还没交日报的成员"}}}},

	{slug: "grouptasks", partner: 1, kind: shelf.AppCool, category: "Projects", outcome: live,
		icon: iconStyle{color.RGBA{82, 196, 26, 255}, shapeCheck},
		rev: shelf.Revision{Name: "群待办", NameEn: "Group Tasks",
			Subtitle: "群消息一键转待办，指派、截止、提醒", SubtitleEn: "Turn any group message into a task with an owner and a due date",
			Description: "## 群里说过的事，不再忘\n\n在群聊中长按任意消息即可转为待办，指定负责人和截止时间；到期前自动提醒，完成后在群里打勾。群主可以看到全群待办的完成情况。\n\n" +
				"- 消息一键转待办，保留原始上下文\n- 负责人、截止时间、优先级\n- 到期提醒与逾期统计\n- 群待办看板，按人、按状态查看\n\n" +
				"Group Tasks turns chat messages into tasks with an owner and a due date, and reminds people before they are late.",
			Tags: []string{"待办", "群应用", "酷应用", "任务"},
			Specs: []shelf.Spec{free("免费版（群成员 50 人以内）", 50),
				month("tasks-month-500", "专业版 · 500 人以内 · 月付", 1, 500, 200), year("tasks-year-500", "专业版 · 500 人以内 · 年付", 1, 500, 2000)},
			Activation: shelf.ActivationFreeThenPaid, PromotionModes: bothModes},
		cool: &shelf.CoolDeclaration{
			Scenarios:   []string{"群里说过的事一键转待办，指定负责人和截止时间", "群主随时查看全群待办的完成情况"},
			EntryPoints: []shelf.CoolEntryPoint{{Kind: shelf.EntryToolbar, Name: "群待办"}, {Kind: shelf.EntryCard, Name: "待办卡片"}},
			Permissions: []shelf.CoolPermission{{Scope: shelf.ScopeReadMembers, Reason: "从群成员中选择待办的负责人"},
				{Scope: shelf.ScopePostCards, Reason: "把新待办和到期提醒发到群里"}}}},

	{slug: "groupsignup", partner: 1, kind: shelf.AppCool, category: "Projects", outcome: inReview,
		icon: iconStyle{color.RGBA{250, 140, 22, 255}, shapePerson},
		rev: shelf.Revision{Name: "群接龙", NameEn: "Group Sign-up",
			Subtitle: "报名、统计、收集信息，群里接龙一目了然", SubtitleEn: "Sign-ups and head counts collected right in the group chat",
			Description: "## 不用再在群里手动复制粘贴\n\n群接龙让活动报名、订餐统计、物资收集直接在群里完成：发起人设置选项和截止时间，成员点一下就接上，名单实时汇总，截止后自动导出表格。\n\n" +
				"- 报名、订餐、投票式接龙\n- 人数上限与截止时间\n- 未接龙成员一键提醒\n- 名单导出为表格\n\n" +
				"Group Sign-up collects sign-ups and head counts in the group chat: members join with one tap and the list is always up to date.",
			Tags: []string{"接龙", "报名", "群应用", "酷应用"},
			Specs: []shelf.Spec{free("免费版（群成员 100 人以内）", 100),
				month("signup-month-1000", "专业版 · 1000 人以内 · 月付", 1, 1000, 100), year("signup-year-1000", "专业版 · 1000 人以内 · 年付", 1, 1000, 1000)},
			Activation: shelf.ActivationFreeThenPaid, PromotionModes: market},
		cool: &shelf.CoolDeclaration{
			Scenarios:   []string{"部门群里报名周五的团建活动", "行政在全员群里统计下周的订餐人数"},
			EntryPoints: []shelf.CoolEntryPoint{{Kind: shelf.EntryToolbar, Name: "发起接龙"}, {Kind: shelf.EntryCard, Name: "接龙卡片"}},
			Permissions: []shelf.CoolPermission{{Scope: shelf.ScopeReadMembers, Reason: "统计谁还没有接龙"},
				{Scope: shelf.ScopePostCards, Reason: "把接龙和结果发到群里"}}}},

	{slug: "evercrm", partner: 2, kind: shelf.AppOrg, category: "CRM", outcome: live,
		icon: iconStyle{color.RGBA{47, 84, 235, 255}, shapePerson},
		rev: shelf.Revision{Name: "青松客户管理", NameEn: "Evergreen CRM",
			Subtitle: "线索、商机、合同、回款全流程管理", SubtitleEn: "Leads, deals, contracts and payments in one CRM",
			Description: "## 管好每一个客户\n\n青松客户管理覆盖从线索到回款的完整销售流程：线索自动分配，商机按阶段推进，合同审批后自动生成回款计划，销售管理者随时掌握业绩预测。\n\n" +
				"- 线索公海与自动分配规则\n- 商机阶段、赢率与销售漏斗\n- 合同、回款计划与逾期提醒\n- 拜访签到与客户跟进记录\n- 业绩目标与排行榜\n\n" +
				"Evergreen CRM follows every customer from lead to payment, with deal stages, contracts, payment plans and forecasts.",
			Tags: []string{"CRM", "客户管理", "销售", "商机"},
			Specs: []shelf.Spec{month("crm-month-50", "专业版 · 50 人以内 · 月付", 1, 50, 4900), month("crm-month-500", "专业版 · 51–500 人 · 月付", 51, 500, 3900),
				year("crm-year-50", "专业版 · 50 人以内 · 年付", 1, 50, 49000), year("crm-year-500", "专业版 · 51–500 人 · 年付", 51, 500, 39000)},
			Activation: shelf.ActivationPaidFirst, PromotionModes: bothModes}},

	{slug: "everdesk", partner: 2, kind: shelf.AppOrg, category: "Customer Service", outcome: live,
		icon: iconStyle{color.RGBA{250, 84, 28, 255}, shapeChat},
		rev: shelf.Revision{Name: "青松工单", NameEn: "Evergreen Desk",
			Subtitle: "客服工单、在线客服与满意度回访", SubtitleEn: "Support tickets, live chat and satisfaction surveys",
			Description: "## 每个客户问题都有人负责\n\n青松工单把电话、邮件、网页在线客服和群消息里的客户问题统一变成工单，按技能组自动分派，超时自动升级，解决后自动发送满意度回访。\n\n" +
				"- 多渠道接入：在线客服、邮件、电话、群聊\n- 工单自动分派、SLA 计时与超时升级\n- 知识库与快捷回复\n- 满意度回访与客服绩效报表\n\n" +
				"Evergreen Desk turns customer questions from every channel into tickets with owners, SLAs and satisfaction surveys.",
			Tags: []string{"客服", "工单", "在线客服"},
			Specs: []shelf.Spec{month("desk-month-20", "标准版 · 20 坐席以内 · 月付", 1, 20, 6900), month("desk-month-200", "标准版 · 21–200 坐席 · 月付", 21, 200, 5900),
				year("desk-year-20", "标准版 · 20 坐席以内 · 年付", 1, 20, 69000), year("desk-year-200", "标准版 · 21–200 坐席 · 年付", 21, 200, 59000)},
			Trial: &shelf.Trial{Days: 7, MaxUsers: 5}, Activation: shelf.ActivationTrialThenPaid, PromotionModes: market}},

	{slug: "everpos", partner: 2, kind: shelf.AppOrg, category: "Retail", outcome: live,
		icon: iconStyle{color.RGBA{212, 56, 13, 255}, shapeBars},
		rev: shelf.Revision{Name: "青松收银", NameEn: "Evergreen POS",
			Subtitle: "门店收银、会员与库存，连锁总部统一管理", SubtitleEn: "Checkout, members and stock for chain stores",
			Description: "## 为连锁门店设计的收银系统\n\n青松收银支持扫码枪、小票打印机和聚合支付，门店收银员在工作台登录即可开单；总部统一管理商品、价格、会员和库存，每晚自动生成门店日报。\n\n" +
				"- 聚合支付：微信、支付宝、银联、储值卡\n- 会员积分、储值与优惠券\n- 门店要货、调拨与盘点\n- 门店日报、商品销售排行\n\n" +
				"Evergreen POS is sold through Evergreen's retail partners: the listing is promoted with our own QR codes, not in the market.",
			Tags: []string{"收银", "零售", "门店", "会员"},
			Specs: []shelf.Spec{month("pos-month-10", "门店版 · 10 人以内 · 月付", 1, 10, 9900), month("pos-month-100", "连锁版 · 11–100 人 · 月付", 11, 100, 7900),
				year("pos-year-10", "门店版 · 10 人以内 · 年付", 1, 10, 99000), year("pos-year-100", "连锁版 · 11–100 人 · 年付", 11, 100, 79000)},
			Activation: shelf.ActivationPaidFirst, PromotionModes: ownOnly}},

	{slug: "everclass", partner: 2, kind: shelf.AppOrg, category: "Education", outcome: delisted,
		icon:   iconStyle{color.RGBA{24, 144, 255, 255}, shapeBook},
		delist: "寒假期间暂停新客户开通，系统升级后于 2 月重新上架 / paused for new customers during the winter break",
		rev: shelf.Revision{Name: "青松课堂", NameEn: "Evergreen Classroom",
			Subtitle: "排课、考勤、家校通知，培训机构好帮手", SubtitleEn: "Timetables, attendance and parent messages for schools",
			Description: "## 让老师把时间花在教学上\n\n青松课堂帮助培训机构和学校管理排课、上课签到、课时消耗和家校通知：老师用手机点名，家长实时收到到校通知，教务一键导出课时报表。\n\n" +
				"- 智能排课，教室和老师冲突自动提醒\n- 上课签到、请假与补课\n- 课时包与消课统计\n- 家校通知与作业提交\n\n" +
				"Evergreen Classroom schedules classes, takes attendance and keeps parents informed.",
			Tags:  []string{"教育", "排课", "家校"},
			Specs: []shelf.Spec{month("edu-month-50", "机构版 · 50 人以内 · 月付", 1, 50, 1200), year("edu-year-50", "机构版 · 50 人以内 · 年付", 1, 50, 12000)},
			Trial: &shelf.Trial{Days: 30, MaxUsers: 50}, Activation: shelf.ActivationTrialThenPaid, PromotionModes: bothModes}},

	{slug: "everproject", partner: 2, kind: shelf.AppOrg, category: "Projects", outcome: live,
		icon: iconStyle{color.RGBA{19, 168, 168, 255}, shapeBars},
		rev: shelf.Revision{Name: "青松项目", NameEn: "Evergreen Projects",
			Subtitle: "看板、甘特图与工时，项目进度一目了然", SubtitleEn: "Boards, Gantt charts and timesheets for every project",
			Description: "## 项目进度，不用再追着问\n\n青松项目提供看板、列表和甘特图三种视图，任务依赖自动排期，里程碑延期自动预警；成员每天填报工时，项目经理实时看到成本和进度偏差。\n\n" +
				"- 看板、列表、甘特图视图\n- 任务依赖与关键路径\n- 里程碑与延期预警\n- 工时填报与项目成本报表\n\n" +
				"Evergreen Projects plans work on boards and Gantt charts, tracks milestones and timesheets, and warns before deadlines slip.",
			Tags: []string{"项目管理", "甘特图", "看板", "工时"},
			Specs: []shelf.Spec{free("免费版（15 人以内）", 15),
				month("proj-month-100", "专业版 · 100 人以内 · 月付", 1, 100, 1500), month("proj-month-1000", "专业版 · 101–1000 人 · 月付", 101, 1000, 1200),
				year("proj-year-100", "专业版 · 100 人以内 · 年付", 1, 100, 15000), year("proj-year-1000", "专业版 · 101–1000 人 · 年付", 101, 1000, 12000)},
			Activation: shelf.ActivationFreeThenPaid, PromotionModes: bothModes}},

	{slug: "everwiki", partner: 2, kind: shelf.AppOrg, category: "Docs & Knowledge", outcome: live,
		icon: iconStyle{color.RGBA{89, 126, 247, 255}, shapeBook},
		rev: shelf.Revision{Name: "青松知识库", NameEn: "Evergreen Wiki",
			Subtitle: "团队文档与知识沉淀，搜索秒级可达", SubtitleEn: "Team docs and knowledge, found in a second",
			Description: "## 团队知识不再散落在聊天记录里\n\n青松知识库支持多人实时协作编辑文档、表格和思维导图，按空间和目录组织，全文搜索支持中文分词，离职交接时知识自动留在团队里。\n\n" +
				"- 多人实时协作编辑与评论\n- 空间、目录与细粒度权限\n- 中文全文搜索与附件内容搜索\n- 模板中心：会议纪要、产品需求、周报\n\n" +
				"Evergreen Wiki keeps your team's docs in one searchable place with real-time editing and fine-grained permissions.",
			Tags: []string{"知识库", "文档", "协作"},
			Specs: []shelf.Spec{month("wiki-month-100", "团队版 · 100 人以内 · 月付", 1, 100, 1000), month("wiki-month-2000", "企业版 · 101–2000 人 · 月付", 101, 2000, 800),
				year("wiki-year-100", "团队版 · 100 人以内 · 年付", 1, 100, 10000), year("wiki-year-2000", "企业版 · 101–2000 人 · 年付", 101, 2000, 8000)},
			Trial: &shelf.Trial{Days: 30, MaxUsers: 100}, Activation: shelf.ActivationTrialThenPaid, PromotionModes: market}},

	{slug: "everpay", partner: 2, kind: shelf.AppOrg, category: "Payroll & Performance", outcome: live,
		icon: iconStyle{color.RGBA{250, 173, 20, 255}, shapeCoin},
		rev: shelf.Revision{Name: "青松薪酬", NameEn: "Evergreen Payroll",
			Subtitle: "算薪、个税、社保公积金与电子工资条", SubtitleEn: "Payroll, income tax, social insurance and e-payslips",
			Description: "## 每月算薪从三天缩短到半小时\n\n青松薪酬自动读取考勤和绩效数据，按地区规则计算社保公积金和个人所得税专项附加扣除，一键生成银行代发文件，并向员工发送加密电子工资条。\n\n" +
				"- 多薪资组、多地区社保规则\n- 个税累计预扣与专项附加扣除\n- 银行代发文件与电子工资条\n- 人力成本分析报表\n\n" +
				"Evergreen Payroll computes salaries, tax and social insurance from attendance and performance data, and sends encrypted payslips.",
			Tags:       []string{"薪酬", "个税", "社保", "HR"},
			Specs:      []shelf.Spec{year("pay-year-100", "标准版 · 100 人以内 · 年付", 1, 100, 12000), year("pay-year-1000", "标准版 · 101–1000 人 · 年付", 101, 1000, 9600)},
			Activation: shelf.ActivationPaidFirst, PromotionModes: bothModes}},

	{slug: "evermes", partner: 2, kind: shelf.AppOrg, category: "Manufacturing", outcome: selfTested,
		icon: iconStyle{color.RGBA{96, 96, 96, 255}, shapeGear},
		rev:  shelf.Revision{Name: "青松制造", NameEn: "Evergreen MES"}},
}
