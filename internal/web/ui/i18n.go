package ui

import (
	"net/http"
	"strings"
)

// Languages. zh-CN is the default: the market's first users read Chinese.
const (
	langZH = "zh-CN"
	langEN = "en"
)

// langCookie remembers the chosen language.
const langCookie = "shelf_lang"

// language picks the page language: ?lang=, then the cookie, then zh-CN.
// Accept-Language is deliberately not used: the product's default is
// Chinese whatever the browser says, and one click switches.
func language(r *http.Request) string {
	if l := normLang(r.URL.Query().Get("lang")); l != "" {
		return l
	}
	if c, err := r.Cookie(langCookie); err == nil {
		if l := normLang(c.Value); l != "" {
			return l
		}
	}
	return langZH
}

func normLang(s string) string {
	switch strings.ToLower(s) {
	case "zh", "zh-cn", "zh_cn":
		return langZH
	case "en", "en-us", "en-gb":
		return langEN
	}
	return ""
}

// translate returns the message for key in lang; a missing key shows the
// key itself so it is noticed (and TestCatalogComplete fails).
func translate(lang, key string) string {
	m, ok := catalog[key]
	if !ok {
		return key
	}
	if lang == langEN {
		return m[1]
	}
	return m[0]
}

// catalog holds every UI string: key → {zh-CN, en}, gathered from the
// catalogs of each area.
var catalog = mergeCatalogs(identityMessages, workflowMessages, salesMessages, commerceMessages, channelMessages, searchMessages, selfopMessages, vendorcliMessages, hardeningMessages, deviceLoginMessages, qualityMessages, coolMessages, selfop2Messages, pagingMessages, labelMessages)

// mergeCatalogs gathers the areas' catalogs into one. A key defined in two
// areas is a programming error that once hid twenty messages (the later
// file silently won), so it stops the program at its start, which every
// test of this package sees.
func mergeCatalogs(parts ...map[string][2]string) map[string][2]string {
	out := map[string][2]string{}
	for _, p := range parts {
		for k, v := range p {
			if _, dup := out[k]; dup {
				panic("ui: catalog key " + k + " is defined twice")
			}
			out[k] = v
		}
	}
	return out
}

// identityMessages are the strings of sign-in, orgs and platform pages.
var identityMessages = map[string][2]string{
	"app.name":    {"Shelf 应用市场", "Shelf Market"},
	"app.tagline": {"发现、试用并购买适合团队的 SaaS 应用", "Find, try and buy SaaS apps for your team"},
	"app.footer":  {"Shelf：开源 SaaS 应用市场平台", "Shelf: the open-source SaaS app marketplace"},

	"nav.market":     {"应用市场", "Market"},
	"nav.orgs":       {"我的组织", "My orgs"},
	"nav.admin":      {"平台管理", "Platform"},
	"nav.account":    {"账号", "Account"},
	"nav.signin":     {"登录", "Sign in"},
	"nav.signup":     {"注册", "Sign up"},
	"nav.signout":    {"退出", "Sign out"},
	"nav.switch_org": {"切换组织", "Switch org"},
	"nav.go":         {"前往", "Go"},
	"nav.language":   {"English", "中文"},

	"home.search_placeholder": {"搜索应用，如：考勤、CRM、审批", "Search apps, such as attendance, CRM, approval"},
	"home.search":             {"搜索", "Search"},
	"home.categories":         {"应用分类", "Categories"},
	"home.featured":           {"精选应用", "Featured apps"},
	"home.empty":              {"暂无上架应用。服务商上架并通过审核后将显示在这里。", "No apps are listed yet. Apps appear here once partners list them and they pass review."},
	"home.for_partners":       {"我是服务商：上架我的应用", "I am a vendor: list my app"},
	"home.for_customers":      {"我是企业管理员：为团队选购应用", "I run an org: get apps for my team"},

	"auth.email":            {"邮箱", "Email"},
	"auth.password":         {"密码", "Password"},
	"auth.name":             {"姓名", "Name"},
	"auth.signin_title":     {"登录 Shelf", "Sign in to Shelf"},
	"auth.signup_title":     {"注册 Shelf 账号", "Create your Shelf account"},
	"auth.no_account":       {"还没有账号？", "No account yet?"},
	"auth.have_account":     {"已有账号？", "Already have an account?"},
	"auth.password_hint":    {"至少 8 个字符", "At least 8 characters"},
	"auth.demo_hint_before": {"演示账号的密码均为", "Demo accounts all use the password"},
	"auth.signed_out":       {"您已退出登录。", "You are signed out."},
	"auth.welcome":          {"欢迎，", "Welcome, "},

	"orgs.title":         {"我的组织", "My organizations"},
	"orgs.none":          {"您还不属于任何组织。创建一个吧。", "You are not in any org yet. Create one."},
	"orgs.create":        {"创建组织", "Create an org"},
	"orgs.name":          {"组织名称", "Org name"},
	"orgs.kind":          {"类型", "Kind"},
	"orgs.role":          {"我的角色", "My role"},
	"orgs.open":          {"打开", "Open"},
	"kind.platform":      {"平台", "Platform"},
	"kind.partner":       {"服务商", "Partner"},
	"kind.customer":      {"企业客户", "Customer"},
	"kind.test":          {"体验测试组织", "Test org"},
	"role.admin":         {"管理员", "Admin"},
	"role.member":        {"成员", "Member"},
	"org.members":        {"成员", "Members"},
	"org.member_count":   {"共 %d 名成员", "%d members in all"},
	"org.groups":         {"群组", "Groups"},
	"org.test_orgs":      {"体验测试组织", "Test orgs"},
	"org.add_member":     {"添加成员", "Add a member"},
	"org.add":            {"添加", "Add"},
	"org.invitations":    {"待接受的邀请", "Pending invitations"},
	"org.invited":        {"对方尚未注册。请把下面的一次性邀请链接发给对方：用该邮箱注册或登录后即可加入。链接只显示这一次。", "They have no account yet. Send them this one-time invitation link: they join after signing up or in with that email. The link is shown only now."},
	"invite.title":       {"组织邀请", "Invitation"},
	"invite.to":          {"邀请您加入", "You are invited to join"},
	"invite.for":         {"邀请对象", "For"},
	"invite.expires":     {"有效期至", "valid until"},
	"invite.sign_in":     {"请先用受邀邮箱登录或注册。", "Sign in or sign up with the invited email first."},
	"invite.accept":      {"接受邀请并加入", "Accept and join"},
	"invite.other_email": {"您当前登录的账号与受邀邮箱不一致，请用以下邮箱登录：", "You are signed in with another email; sign in as"},
	"invite.joined":      {"已加入组织。", "You joined the org."},
	"org.added":          {"已添加成员。", "Member added."},
	"org.remove":         {"移除", "Remove"},
	"org.make_admin":     {"设为管理员", "Make admin"},
	"org.make_member":    {"设为成员", "Make member"},
	"org.joined":         {"加入时间", "Joined"},
	"org.role":           {"角色", "Role"},
	"org.group_name":     {"群名称", "Group name"},
	"org.group_owner":    {"群主", "Owner"},
	"org.group_members":  {"人数", "Members"},
	"org.create_group":   {"创建群组", "Create a group"},
	"org.no_groups":      {"还没有群组。", "No groups yet."},
	"org.test_orgs_hint": {"体验测试组织免费、不计费、不计入统计，用于在上架前自测应用。", "Test orgs are free, never billed and left out of statistics: self-test your apps there before listing."},
	"org.create_test":    {"创建体验测试组织", "Create a test org"},
	"org.no_test_orgs":   {"还没有体验测试组织。", "No test orgs yet."},
	"org.admin_only":     {"仅管理员可管理成员。", "Only admins manage members."},

	"admin.categories":   {"应用分类", "Categories"},
	"admin.cat_name":     {"中文名", "Chinese name"},
	"admin.cat_name_en":  {"英文名", "English name"},
	"admin.cat_parent":   {"上级分类", "Parent"},
	"admin.cat_none":     {"（顶级）", "(top level)"},
	"admin.cat_position": {"排序", "Order"},
	"admin.cat_create":   {"新建分类", "New category"},
	"admin.cat_save":     {"保存", "Save"},
	"admin.cat_archive":  {"归档", "Archive"},
	"admin.cat_restore":  {"恢复", "Restore"},
	"admin.archived":     {"已归档", "Archived"},
	"admin.operators":    {"类目运营", "Operators"},
	"admin.assign":       {"指派", "Assign"},
	"admin.unassign":     {"取消", "Unassign"},
	"admin.no_operators": {"未指派", "None assigned"},

	"account.title":        {"账号", "Account"},
	"account.tokens":       {"个人访问令牌", "Personal access tokens"},
	"account.token_name":   {"令牌名称", "Token name"},
	"account.token_create": {"创建令牌", "Create token"},
	"account.token_once":   {"请立即复制此令牌，它只显示这一次：", "Copy this token now; it is shown only once:"},
	"account.revoke":       {"撤销", "Revoke"},
	"account.no_tokens":    {"没有令牌。", "No tokens."},
	"account.last_used":    {"最近使用", "Last used"},
	"account.never":        {"从未", "never"},

	"apps.title":          {"应用", "Apps"},
	"apps.app":            {"应用详情", "App"},
	"apps.none":           {"还没有应用。", "No apps yet."},
	"apps.register":       {"注册应用", "Register an app"},
	"apps.name":           {"应用名称", "Name"},
	"apps.kind":           {"类型", "Kind"},
	"apps.kind_org":       {"组织应用", "Org app"},
	"apps.kind_cool":      {"酷应用", "Cool app"},
	"apps.homepage":       {"主页地址", "Homepage URL"},
	"apps.launch":         {"启动地址", "Launch URL"},
	"apps.webhook":        {"事件接收地址", "Webhook URL"},
	"apps.client_id":      {"客户端 ID", "Client ID"},
	"apps.secrets_once":   {"请立即保存以下密钥：它们只显示这一次。", "Save these secrets now: they are shown only this once."},
	"apps.client_secret":  {"Client Secret", "Client secret"},
	"apps.webhook_secret": {"事件签名密钥", "Webhook signing secret"},
	"apps.endpoint":       {"事件接收地址", "Event endpoint"},
	"apps.save":           {"保存", "Save"},
	"apps.saved":          {"已保存。", "Saved."},
	"apps.rotate":         {"轮换签名密钥", "Rotate the signing secret"},
	"apps.rotate_hint":    {"轮换后 24 小时内新旧密钥同时签名，请在此期间部署新密钥。", "For 24 hours after a rotation both the old and the new secret sign: deploy the new one meanwhile."},
	"apps.rotating_until": {"旧密钥仍签名至", "The previous secret signs until"},
	"apps.new_secret":     {"新的签名密钥（只显示这一次）", "The new signing secret (shown only this once)"},
	"apps.test":           {"发送测试事件", "Send a test event"},
	"apps.test_sent":      {"测试事件已加入发送队列。", "The test event is on its way."},
	"apps.health":         {"投递健康度（近 14 天）", "Delivery health (last 14 days)"},
	"apps.day":            {"日期", "Day"},
	"apps.attempts":       {"尝试次数", "Attempts"},
	"apps.success_rate":   {"成功率", "Success rate"},
	"apps.p95":            {"P95 延迟", "p95 latency"},
	"apps.no_attempts":    {"还没有投递记录。", "No deliveries yet."},
	"apps.failed_banner":  {"有事件在 72 小时内未能送达，已标记为失败。", "Some events could not be delivered within 72 hours and are marked failed."},
	"apps.resend_failed":  {"重发近 7 天的失败事件", "Resend the failed events of the last 7 days"},
	"apps.log":            {"投递日志", "Delivery log"},
	"apps.filter":         {"筛选", "Filter"},
	"apps.all_types":      {"全部类型", "All types"},
	"apps.all_states":     {"全部状态", "All states"},
	"apps.event":          {"事件", "Event"},
	"apps.state":          {"状态", "State"},
	"apps.created":        {"时间", "Created"},
	"apps.last":           {"最近尝试", "Latest attempts"},
	"apps.resend":         {"重发", "Resend"},
	"apps.resent":         {"已重新加入发送队列。", "Queued to be sent again."},
	"state.pending":       {"等待中", "Pending"},
	"state.parked":        {"单独重试中", "Parked"},
	"state.delivered":     {"已送达", "Delivered"},
	"state.failed":        {"失败", "Failed"},

	"error.title":     {"出错了", "Something went wrong"},
	"error.not_found": {"页面不存在", "Page not found"},
	"error.back":      {"返回首页", "Back to the market"},
}
