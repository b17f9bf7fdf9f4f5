package shelf

import (
	"fmt"
	"net/netip"
	"strings"
)

// SessionDevice is what a web session remembers of the browser that
// started it, for its owner to recognise it on the account page: the
// browser's and system's names read from the User-Agent (never the header
// itself) and the client address with its host part masked. Nothing more
// is stored than the page shows.
type SessionDevice struct {
	Browser string `json:"browser,omitempty"` // "Chrome"; "" when not recognised
	OS      string `json:"os,omitempty"`      // "Android"; "" when not recognised
	Addr    string `json:"addr,omitempty"`    // "203.0.113.*", "2001:db8:abcd::/48"; "" when unknown
}

// Clean is the device as a store keeps it: the names bounded and the
// address masked, whoever made it.
func (d SessionDevice) Clean() SessionDevice {
	bound := func(s string) string {
		if r := []rune(s); len(r) > 40 {
			return string(r[:40])
		}
		return s
	}
	return SessionDevice{Browser: bound(d.Browser), OS: bound(d.OS), Addr: MaskAddr(d.Addr)}
}

// DeviceOf reads a session's device from a request's User-Agent and
// client address.
func DeviceOf(userAgent, addr string) SessionDevice {
	return SessionDevice{Browser: firstMatch(userAgent, uaBrowsers), OS: firstMatch(userAgent, uaSystems), Addr: MaskAddr(addr)}
}

// uaMark names a browser or system by a token its User-Agent carries.
type uaMark struct{ token, name string }

// uaBrowsers are tried in order: most browsers also claim to be Chrome or
// Safari, so the specific ones (and the in-app browsers of the office
// suites Shelf's customers use) come first.
var uaBrowsers = []uaMark{
	{"MicroMessenger/", "WeChat"}, {"Lark/", "Feishu"}, {"Feishu", "Feishu"}, {"DingTalk", "DingTalk"},
	{"Edg/", "Edge"}, {"EdgA/", "Edge"}, {"EdgiOS/", "Edge"}, {"OPR/", "Opera"}, {"SamsungBrowser/", "Samsung Internet"},
	{"UCBrowser/", "UC"}, {"QQBrowser/", "QQ"}, {"Firefox/", "Firefox"}, {"FxiOS/", "Firefox"},
	{"HeadlessChrome/", "Chrome"}, {"Chromium/", "Chromium"}, {"Chrome/", "Chrome"}, {"CriOS/", "Chrome"},
	{"Safari/", "Safari"}, {"shelf/", "Shelf CLI"}, {"curl/", "curl"},
}

// uaSystems are tried in order: Android's User-Agent says Linux, and an
// iPhone's says "like Mac OS X".
var uaSystems = []uaMark{
	{"HarmonyOS", "HarmonyOS"}, {"OpenHarmony", "HarmonyOS"}, {"Android", "Android"}, {"iPhone", "iOS"}, {"iPad", "iPadOS"},
	{"CrOS", "ChromeOS"}, {"Windows", "Windows"}, {"Mac OS X", "macOS"}, {"Macintosh", "macOS"}, {"Linux", "Linux"},
}

func firstMatch(ua string, marks []uaMark) string {
	for _, m := range marks {
		if strings.Contains(ua, m.token) {
			return m.name
		}
	}
	return ""
}

// MaskAddr keeps the network part of a client address: an IPv4 address
// without its last octet ("203.0.113.*"), an IPv6 address without its
// last 80 bits ("2001:db8:abcd::/48"). Enough for a person to tell home
// from an unknown place, too little to find a household. A masked address
// stays as it is; not an address: "".
func MaskAddr(addr string) string {
	if strings.HasSuffix(addr, ".*") {
		addr = strings.TrimSuffix(addr, "*") + "0"
	} else if p, err := netip.ParsePrefix(addr); err == nil {
		addr = p.Addr().String()
	}
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return ""
	}
	ip = ip.Unmap()
	if ip.Is4() {
		b := ip.As4()
		return fmt.Sprintf("%d.%d.%d.*", b[0], b[1], b[2])
	}
	p, err := ip.WithZone("").Prefix(48)
	if err != nil {
		return ""
	}
	return p.String()
}
