package shelf

import "testing"

func TestDeviceOf(t *testing.T) {
	for _, c := range []struct{ ua, browser, os string }{
		{"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36", "Chrome", "Android"},
		{"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", "Safari", "iOS"},
		{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0", "Edge", "Windows"},
		{"Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox", "macOS"},
		{"Mozilla/5.0 (Linux; Android 13; V2227A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0 Mobile Safari/537.36 MicroMessenger/8.0.49", "WeChat", "Android"},
		{"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36", "Chrome", "Linux"},
		{"shelf/1.4 (linux; amd64)", "Shelf CLI", ""},
		{"", "", ""},
	} {
		d := DeviceOf(c.ua, "")
		if d.Browser != c.browser || d.OS != c.os {
			t.Errorf("DeviceOf(%q) = %q on %q, want %q on %q", c.ua, d.Browser, d.OS, c.browser, c.os)
		}
	}
}

func TestMaskAddr(t *testing.T) {
	for in, want := range map[string]string{
		"203.0.113.77":                      "203.0.113.*",
		"::ffff:198.51.100.9":               "198.51.100.*",
		"2001:db8:abcd:12:3456:789a:bcde:1": "2001:db8:abcd::/48",
		"fe80::1%eth0":                      "fe80::/48",
		"203.0.113.*":                       "203.0.113.*",
		"2001:db8:abcd::/48":                "2001:db8:abcd::/48",
		"not an address":                    "",
		"":                                  "",
	} {
		if got := MaskAddr(in); got != want {
			t.Errorf("MaskAddr(%q) = %q, want %q", in, got, want)
		}
	}
}
