package ui

// vendorcliMessages are the strings of the shelf command's browser sign-in.
var vendorcliMessages = map[string][2]string{
	"vendorcli.title":       {"授权 shelf 命令行", "Authorize the shelf command"},
	"vendorcli.explain":     {"你电脑上的 shelf 命令行请求以你的身份访问本站 API。只有当你刚刚运行了 shelf login 时才批准。", "The shelf command on your computer asks to use this site's API as you. Approve only if you just ran shelf login."},
	"vendorcli.approve":     {"批准并返回命令行", "Approve and return to the command line"},
	"vendorcli.cancel":      {"取消", "Cancel"},
	"err.invalid_cli_login": {"请从 shelf login --web 打开此页面。", "Open this page from shelf login --web."},
	"err.replay_too_large":  {"该时间范围内的事件过多，一次最多重放 10,000 个：请缩小范围。", "The range holds too many events; replay at most 10,000 at once: narrow it."},
	"vendorcli.revoke_hint": {"批准会创建一个个人令牌，可随时在账户页撤销。", "Approving creates a personal token; revoke it on your account page at any time."},
}
