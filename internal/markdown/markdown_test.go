package markdown

import (
	"strings"
	"testing"
)

func TestRenderKeepsMarkdown(t *testing.T) {
	got := string(Render("# 智能考勤\n\n**排班**、打卡和 [帮助](https://example.com/help)。\n\n| 版本 | 价格 |\n|---|---|\n| 标准版 | 12 元 |\n\n- [x] 支持钉钉\n"))
	for _, want := range []string{
		"<h1", "智能考勤</h1>", "<strong>排班</strong>",
		`href="https://example.com/help"`, `rel="nofollow noreferrer noopener"`, `target="_blank"`,
		"<table>", "<td>标准版</td>",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
}

func TestRenderRemovesDangerousContent(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		banned    []string
	}{
		{"script tag", "hello <script>alert(1)</script> world", []string{"<script", "alert(1)"}},
		{"script block", "<script>\nalert(1)\n</script>\n", []string{"<script", "alert"}},
		{"javascript link", "[click](javascript:alert(1))", []string{"javascript:"}},
		{"javascript link html", `<a href="javascript:alert(1)">x</a>`, []string{"javascript:"}},
		{"javascript link entity", `<a href="jav&#x09;ascript:alert(1)">x</a>`, []string{"ascript:"}},
		{"data link", "[x](data:text/html;base64,PHNjcmlwdD4=)", []string{"data:"}},
		{"event handler", `<img src="https://example.com/a.png" onerror="alert(1)">`, []string{"onerror", "alert"}},
		{"event handler on div", `<div onclick="steal()">x</div>`, []string{"onclick", "steal"}},
		{"style", `<p style="position:fixed;top:0">x</p>`, []string{"style", "position"}},
		{"iframe", `<iframe src="https://evil.example"></iframe>`, []string{"<iframe", "evil"}},
		{"form", `<form action="https://evil.example"><input name="p"></form>`, []string{"<form", "<input"}},
		{"svg", `<svg onload="alert(1)"><circle/></svg>`, []string{"<svg", "onload"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := string(Render(tc.src))
			for _, b := range tc.banned {
				if strings.Contains(strings.ToLower(got), strings.ToLower(b)) {
					t.Errorf("%q survived in %s", b, got)
				}
			}
		})
	}
}
