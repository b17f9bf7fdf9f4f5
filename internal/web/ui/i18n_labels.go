package ui

// labelMessages name the codes the pages show (issue 12's last gaps): every
// event type a vendor's server hears, every kind of object the audit log
// records, and the parts of a session's device label. A gate test keeps
// each list complete (labels_test.go), so no code reaches a page raw.
var labelMessages = map[string][2]string{
	// Event types (shelf.EventTypes and the other areas' lists).
	"evtype.test.ping":             {"测试事件", "Test ping"},
	"evtype.app.installed":         {"应用已安装", "App installed"},
	"evtype.app.uninstalled":       {"应用已卸载", "App uninstalled"},
	"evtype.listing.approved":      {"上架申请已通过", "Listing approved"},
	"evtype.listing.rejected":      {"上架申请被驳回", "Listing rejected"},
	"evtype.listing.delisted":      {"应用已下架", "Listing delisted"},
	"evtype.listing.relisted":      {"应用已重新上架", "Listing relisted"},
	"evtype.listing.taken_down":    {"应用被平台下架", "Listing taken down"},
	"evtype.trial.started":         {"试用已开始", "Trial started"},
	"evtype.trial.ending":          {"试用即将结束", "Trial ending soon"},
	"evtype.trial.expired":         {"试用已到期", "Trial expired"},
	"evtype.order.paid":            {"订单已支付", "Order paid"},
	"evtype.order.refunded":        {"订单已退款", "Order refunded"},
	"evtype.subscription.changed":  {"订阅已变更", "Subscription changed"},
	"evtype.subscription.expired":  {"订阅已到期", "Subscription expired"},
	"evtype.seats.changed":         {"席位数已变更", "Seats changed"},
	"evtype.coolapp.approved":      {"酷应用申请已通过", "Cool app approved"},
	"evtype.coolapp.rejected":      {"酷应用申请被驳回", "Cool app rejected"},
	"evtype.cool_app.installed":    {"酷应用已添加到群", "Cool app added to a group"},
	"evtype.group.members_changed": {"群成员已变更", "Group members changed"},
	"evtype.lead.created":          {"新商机", "Lead created"},
	"evtype.lead.updated":          {"商机已更新", "Lead updated"},
	"evtype.ticket.created":        {"新服务工单", "Ticket opened"},
	"evtype.ticket.replied":        {"服务工单有新回复", "Ticket replied"},
	"evtype.code_hint":             {"事件代码", "Event code"},

	// Kinds of object in the audit log.
	"auditobj.app":                 {"应用", "App"},
	"auditobj.category":            {"分类", "Category"},
	"auditobj.commission_rate":     {"佣金比例", "Commission rate"},
	"auditobj.coolapp_application": {"酷应用申请", "Cool app application"},
	"auditobj.featured":            {"精选位", "Featured slot"},
	"auditobj.group":               {"群", "Group"},
	"auditobj.installation":        {"安装", "Installation"},
	"auditobj.invitation":          {"邀请", "Invitation"},
	"auditobj.lead":                {"商机", "Lead"},
	"auditobj.listing":             {"上架应用", "Listing"},
	"auditobj.membership":          {"成员", "Membership"},
	"auditobj.order":               {"订单", "Order"},
	"auditobj.org":                 {"组织", "Org"},
	"auditobj.partner_application": {"合作伙伴申请", "Partner application"},
	"auditobj.promo_channel":       {"推广渠道", "Promotion channel"},
	"auditobj.rating":              {"评价", "Review"},
	"auditobj.revision":            {"版本", "Revision"},
	"auditobj.statement":           {"结算单", "Statement"},
	"auditobj.subscription":        {"订阅", "Subscription"},
	"auditobj.ticket":              {"服务工单", "Ticket"},
	"auditobj.user":                {"用户", "User"},
	"auditobj.other":               {"其他", "Other"},

	// A session's device: "Chrome · Android", and its approximate address.
	"device.browser_on":  {"%s · %s", "%s on %s"},
	"device.unknown":     {"未知设备", "Unknown device"},
	"device.other":       {"其他浏览器", "Other browser"},
	"device.browser_cli": {"命令行工具", "Command-line tool"},
	"device.address":     {"大致地址", "Approximate address"},
	"device.no_address":  {"地址未知", "Address unknown"},
	"device.this":        {"本设备", "This device"},
	"device.col":         {"设备", "Device"},
}
