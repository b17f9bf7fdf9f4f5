package ui

// deviceLoginMessages are the strings of the device sign-in's approval page.
var deviceLoginMessages = map[string][2]string{
	"device.title":              {"登录设备", "Sign in a device"},
	"device.enter":              {"输入你的设备（例如运行下面这条命令的终端）上显示的代码。", "Enter the code your device shows (for example the terminal running the command below)."},
	"device.code":               {"代码", "Code"},
	"device.continue":           {"继续", "Continue"},
	"device.asks":               {"以下设备请求以你的身份访问本站 API：", "This device asks to use this site's API as you:"},
	"device.client":             {"设备", "Device"},
	"device.account":            {"账户", "Account"},
	"device.warn":               {"只有当这个代码是你刚刚在自己的设备上看到的时候才批准。任何人都不应要求你输入别人给的代码。", "Approve only if you just saw this code on your own device. Nobody should ask you to enter a code they gave you."},
	"device.approve":            {"批准", "Approve"},
	"device.deny":               {"拒绝", "Deny"},
	"device.approved":           {"已批准。回到你的设备，它会在几秒内完成登录。", "Approved. Go back to your device: it finishes signing in within seconds."},
	"device.denied":             {"已拒绝。该设备没有获得任何访问权限。", "Denied. The device got no access."},
	"device.revoke_hint":        {"批准会创建一个个人令牌，可随时在账户页撤销。", "Approving creates a personal token; revoke it on your account page at any time."},
	"err.device_code_unknown":   {"没有等待此代码的登录：请核对代码，或在设备上重新开始。", "No sign-in waits for this code: check it, or start again on the device."},
	"err.device_login_expired":  {"此代码已过期：请在设备上重新开始登录。", "This code has expired: start the sign-in on the device again."},
	"err.device_login_decided":  {"此登录已被批准或拒绝。", "This sign-in was already approved or denied."},
	"err.authorization_pending": {"等待批准中。", "Waiting for approval."},
	"err.slow_down":             {"请求过于频繁，请稍后再试。", "Too frequent: wait a little longer between tries."},
	"err.access_denied":         {"登录被拒绝。", "The sign-in was denied."},
	"err.expired_token":         {"代码已过期或已被使用：请重新开始。", "The code has expired or was used: start again."},
}
