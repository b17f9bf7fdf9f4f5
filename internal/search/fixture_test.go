package search

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
)

// The fixture's category tree: id, parent id, names.
var fixtureCategories = [][4]string{
	{"office", "", "办公协同", "Office & Collaboration"},
	{"approval", "office", "审批流程", "Approval workflows"},
	{"docs", "office", "文档协作", "Documents"},
	{"hr", "", "人事管理", "HR"},
	{"attendance", "hr", "考勤排班", "Attendance & Scheduling"},
	{"payroll", "hr", "薪酬管理", "Payroll"},
	{"finance", "", "财务管理", "Finance"},
	{"expense", "finance", "费用报销", "Expense claims"},
	{"invoice", "finance", "发票税务", "Invoices & Tax"},
	{"sales", "", "销售与客户", "Sales & CRM"},
	{"crm", "sales", "客户管理", "Customer management"},
	{"contract", "sales", "合同管理", "Contracts"},
	{"industry", "", "行业应用", "Industry"},
	{"retail", "industry", "零售门店", "Retail stores"},
	{"edu", "industry", "教育培训", "Education & Training"},
}

// withCategory fills a doc's category names and ids from the tree: the
// category's, then its parent's.
func withCategory(d Doc, cat string) Doc {
	for cat != "" {
		i := slices.IndexFunc(fixtureCategories, func(c [4]string) bool { return c[0] == cat })
		if i < 0 {
			break
		}
		c := fixtureCategories[i]
		d.CategoryIDs = append(d.CategoryIDs, c[0])
		d.Categories = append(d.Categories, c[2], c[3])
		cat = c[1]
	}
	return d
}

// anchor is a hand-written listing the relevance table names.
func anchor(id, cat, name, nameEn, sub, subEn, desc, descEn, partner string, installs int64, tags ...string) Doc {
	return withCategory(Doc{ID: id, Name: name, NameEn: nameEn, Subtitle: sub, SubtitleEn: subEn, Description: desc, DescriptionEn: descEn,
		Partner: partner, Installs: installs, Tags: tags, SpecNames: []string{"基础版", "专业版"}, LowestPrice: 1000, Listed: installs}, cat)
}

// fixtureAnchors are the listings the relevance table is about.
func fixtureAnchors() []Doc {
	return []Doc{
		anchor("kq", "attendance", "云雀考勤", "Skylark Attendance", "智能排班与手机打卡", "Smart shifts and clock-in from the phone",
			"支持GPS打卡、Wi-Fi打卡与人脸识别，自动生成月度统计，加班与请假一目了然。", "GPS and Wi-Fi clock-in, monthly reports, overtime and leave at a glance.", "云雀软件 Skylark Software", 500, "考勤", "打卡", "排班"),
		anchor("kq2", "attendance", "青松打卡", "Evergreen Clock-in", "移动考勤，外勤也能用", "Mobile attendance for field staff",
			"员工在手机上打卡，管理员实时查看出勤情况，导出报表给薪资系统。", "Staff clock in on their phones; admins see who is in.", "青松科技 Evergreen Tech", 900, "打卡"),
		anchor("kqj", "attendance", "考勤机对接", "Attendance Device Bridge", "连接门禁和考勤机", "Connects door and time clocks",
			"把各品牌考勤机的记录同步到组织里，断网时本地缓存，恢复后补传。", "Syncs the records of time clocks of every brand.", "蓝海智能 BlueSea", 10, "硬件"),
		anchor("sched", "attendance", "排班助手", "Shift Planner", "门店与工厂的排班表", "Rosters for stores and plants",
			"拖拽生成排班表，自动检查工时上限与连续上班天数。", "Drag to build rosters; checks working-hour limits.", "极光 Aurora", 120, "排班"),
		anchor("sp", "approval", "流程审批", "Flow Approvals", "请假、采购、用章一站式审批", "Leave, purchase and seal approvals in one place",
			"自定义审批表单和流程，支持会签、或签、条件分支，审批结果推送到群聊。", "Custom forms and flows with parallel and conditional steps.", "云雀软件 Skylark Software", 800, "审批", "OA"),
		anchor("bx", "expense", "差旅报销", "Travel Expenses", "拍票即报，秒级审批", "Snap a receipt, get it approved",
			"员工拍照上传发票，自动识别金额与税号，按制度校验后进入报销审批。", "Staff photograph receipts; amounts and tax numbers are read.", "白鹭财务 Egret", 700, "报销", "发票"),
		anchor("inv", "invoice", "发票助手", "Invoice Helper", "开票、验真、归档", "Issue, verify and file invoices",
			"对接税务系统开具电子发票，批量验真，按月归档。", "Issues e-invoices and verifies them in bulk.", "白鹭财务 Egret", 300, "发票", "税务"),
		anchor("ht", "contract", "合同管家", "Contract Keeper", "合同起草、签署与到期提醒", "Draft, sign and renew contracts",
			"合同模板库，在线协同起草，电子签署，到期前自动提醒续约。", "Template library, e-signatures and renewal reminders for contracts.", "松果法务 PineLaw", 400, "合同", "电子签"),
		anchor("sign", "contract", "电子签章", "eSeal", "具有法律效力的电子签名", "Legally binding e-signatures",
			"一键发起签署，支持个人与企业签章，签署记录可追溯。", "Send documents for signature in one click.", "松果法务 PineLaw", 250, "签名"),
		anchor("crm", "crm", "销售易客CRM", "SalesEasy CRM", "线索、商机、回款全流程", "Leads, deals and payments",
			"管理客户线索与商机阶段，销售漏斗分析，回款计划提醒。", "Manage leads and deals; funnel analytics.", "橙子科技 Orange", 650, "CRM", "客户"),
		anchor("pay", "payroll", "薪资宝", "PayrollPro", "算薪、工资条、社保个税", "Payroll, payslips, social insurance and tax",
			"按考勤结果自动算薪，一键发放电子工资条，社保公积金与个税申报。", "Computes pay from time records and sends payslips.", "米粒 Rice", 350, "工资", "社保"),
		anchor("doc", "docs", "协作文档", "CoDocs", "多人实时编辑的在线文档", "Real-time collaborative documents",
			"多人同时编辑文档与表格，评论与版本历史，权限精细到段落。", "Edit documents and sheets together, with comments and history.", "木棉 Kapok", 1000, "文档", "表格"),
		anchor("meet", "docs", "会议室预订", "Meeting Rooms", "扫码签到，空闲一目了然", "Scan to check in, see free rooms",
			"查看会议室空闲，预订并邀请同事，会前提醒，扫码签到。", "Book rooms, invite colleagues, scan to check in.", "木棉 Kapok", 150, "会议"),
		anchor("retail", "retail", "门店通", "StoreLink", "收银、会员与库存", "Checkout, members and stock",
			"门店收银，会员积分与储值，库存与调拨，多店报表。", "Point of sale, loyalty points and stock for chains.", "海豚零售 Dolphin", 220, "收银", "会员"),
		anchor("qin", "retail", "勤务通", "DutyLink", "保安与保洁的勤务调度", "Dispatch for guards and cleaners",
			"按区域派发勤务任务，巡更打点，异常上报。", "Dispatches duty tasks by area; patrol checkpoints.", "海豚零售 Dolphin", 60, "巡更"),
		anchor("kao", "edu", "考试宝", "Exam Kit", "在线考试与题库", "Online exams and question banks",
			"组卷、在线考试、防作弊与自动阅卷，成绩分析。", "Build papers, run online exams, grade automatically.", "飞鱼教育 FlyingFish", 450, "考试", "题库"),
		anchor("edu", "edu", "培训学堂", "Academy", "企业内训与学习地图", "Corporate training and learning paths",
			"课程库、学习地图与培训计划，结业证书。", "Course library, learning paths and certificates.", "飞鱼教育 FlyingFish", 180, "培训", "课程"),
		anchor("fac", "attendance", "工厂考勤Pro", "Factory Attendance Pro", "车间三班倒考勤", "Three-shift attendance for plants",
			"为工厂设计：三班倒、计件工时、人脸考勤终端。", "Built for plants: three shifts, piece-rate hours, face terminals.", "蓝海智能 BlueSea", 90, "考勤", "工厂"),
		anchor("emoji", "docs", "表情包助手😀", "Sticker Helper", "群聊里的表情包管理", "Manage stickers in group chats",
			"收藏和分享表情包，团队专属贴纸。😀🎉", "Collect and share stickers with your team.", "米粒 Rice", 30, "表情"),
		anchor("cpp", "docs", "C++ 代码评审", "Code Review for C++", "面向研发团队的代码评审", "Code review for engineering teams",
			"合并请求评审、静态检查与研发效能统计。", "Reviews merge requests, runs static checks.", "极光 Aurora", 70, "研发"),
		// Characters of several readings: 行 (hang, xing), 长 (chang,
		// zhang), 重 (chong, zhong).
		anchor("bank", "invoice", "银行对账", "Bank Reconciliation", "银企直连，自动对账", "Bank links and automatic reconciliation",
			"连接企业网银，流水自动匹配凭证。", "Connects to business banking and matches statements.", "白鹭财务 Egret", 200, "对账"),
		anchor("trip", "expense", "出行管理", "Trip Manager", "差旅行程一站式预订", "Book business trips in one place",
			"机票、酒店与用车统一预订，行程自动同步到日历。", "Flights, hotels and cars, synced to calendars.", "极光 Aurora", 160, "出行"),
		anchor("store", "retail", "店长日报", "Store Manager Daily", "门店店长的每日经营报表", "Daily reports for store managers",
			"销售额、客流与排名，店长在手机上随时看。", "Sales and footfall on the manager's phone.", "海豚零售 Dolphin", 80, "日报"),
		anchor("long", "docs", "长图海报", "Long Poster", "一键生成长图与海报", "Long images and posters in one click",
			"选模板、填文字，生成适合群聊分享的长图。", "Pick a template, fill in the text, share the image.", "木棉 Kapok", 40, "海报"),
		anchor("repeat", "approval", "重复提醒", "Repeat Reminders", "周期任务与重复提醒", "Recurring tasks and reminders",
			"按天、周、月重复提醒，不再忘记。", "Reminders by day, week or month.", "极光 Aurora", 50, "提醒"),
		anchor("key", "docs", "重点项目", "Key Projects", "重点项目进度跟踪", "Track key projects",
			"里程碑、风险与周报。", "Milestones, risks and weekly reports.", "木棉 Kapok", 45, "项目"),
	}
}

// Filler vocabulary: words no query in the relevance table is about.
var (
	fillerBrands = []string{"星河", "蓝鲸", "北斗", "晨曦", "远山", "清泉", "云帆", "青禾", "麦田", "朗月"}
	fillerNouns  = [][2]string{{"项目看板", "Project Board"}, {"任务清单", "Task List"}, {"库存盘点", "Stock Count"}, {"物流追踪", "Logistics Tracker"},
		{"资产台账", "Asset Ledger"}, {"知识库", "Knowledge Base"}, {"问卷调查", "Surveys"}, {"车队调度", "Fleet Dispatch"},
		{"能耗监测", "Energy Monitor"}, {"访客登记", "Visitor Log"}, {"工单中心", "Ticket Desk"}, {"设备巡检", "Equipment Inspection"}}
	fillerPhrases = []string{"帮助团队提升效率", "数据实时同步", "支持移动端与电脑端", "开箱即用", "权限分级管理", "对接主流系统", "报表自动生成", "安全合规"}
	fillerCats    = []string{"docs", "approval", "crm", "retail", "edu", "invoice", "payroll"}
)

// fixtureDocs returns the anchors and n generated listings, the same for
// the same seed.
func fixtureDocs(n int, seed uint64) []Doc {
	r := rand.New(rand.NewPCG(seed, 1))
	docs := fixtureAnchors()
	for i := range n {
		b, w := fillerBrands[r.IntN(len(fillerBrands))], fillerNouns[r.IntN(len(fillerNouns))]
		var desc []string
		for range 4 + r.IntN(4) {
			desc = append(desc, fillerPhrases[r.IntN(len(fillerPhrases))])
		}
		d := Doc{ID: fmt.Sprintf("f%05d", i), Name: b + w[0], NameEn: w[1] + " " + fmt.Sprint(i), Subtitle: w[0] + "，" + fillerPhrases[r.IntN(len(fillerPhrases))],
			Description: strings.Join(desc, "，") + "。", Partner: b + "科技", Installs: int64(r.IntN(300)), Tags: []string{w[0]},
			Free: r.IntN(3) == 0, Trial: r.IntN(2) == 0, LowestPrice: int64(r.IntN(10)) * 500, Listed: int64(i),
			Stars: float64(i%5) + 1, Ratings: i % 7}
		docs = append(docs, withCategory(d, fillerCats[r.IntN(len(fillerCats))]))
	}
	return docs
}
