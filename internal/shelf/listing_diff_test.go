package shelf

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestDiff(t *testing.T) {
	live := validRevision()
	draft := validRevision()
	draft.Subtitle = "排班打卡"
	draft.Specs[1].Price = 1500
	draft.Specs = append(draft.Specs[:2], draft.Specs[3:]...) // drop std-m-200
	draft.Specs = append(draft.Specs, Spec{Code: "std-y-200", Name: "标准版 200 人（年）", MinUsers: 51, MaxUsers: 200, Period: PeriodYear, Price: 10000, Currency: "CNY"})
	draft.Trial = nil
	draft.Activation = ActivationPaidFirst
	draft.PromotionModes = []PromotionMode{PromotionOwnChannel}

	var got []string
	for _, c := range Diff(live, draft) {
		got = append(got, fmt.Sprintf("%s[%s]: %q → %q", c.Field, c.Key, c.Before, c.After))
	}
	want := []string{
		`subtitle[]: "排班、打卡、假期一站式管理" → "排班打卡"`,
		`specs[std-m-50]: "标准版 50 人 (std-m-50): 1–50 users, 12.00 CNY per user per month" → "标准版 50 人 (std-m-50): 1–50 users, 15.00 CNY per user per month"`,
		`specs[std-y-200]: "" → "标准版 200 人（年） (std-y-200): 51–200 users, 100.00 CNY per user per year"`,
		`specs[std-m-200]: "标准版 200 人 (std-m-200): 51–200 users, 10.00 CNY per user per month" → ""`,
		`trial[]: "15 days, up to 50 users" → ""`,
		`activation_order[]: "trial_then_paid" → "paid_first"`,
		`promotion_modes[]: "market, own_channel" → "own_channel"`,
	}
	if g, w := strings.Join(got, "\n"), strings.Join(want, "\n"); g != w {
		t.Errorf("got\n%s\nwant\n%s", g, w)
	}
	if d := Diff(live, validRevision()); len(d) != 0 {
		t.Errorf("identical revisions differ: %v", d)
	}
	// Reordering specs is not a change.
	re := validRevision()
	re.Specs[0], re.Specs[3] = re.Specs[3], re.Specs[0]
	if d := Diff(live, re); len(d) != 0 {
		t.Errorf("reordered specs differ: %v", d)
	}
	if d := Diff(nil, &Revision{Name: "新"}); len(d) != 1 || d[0].Field != "name" {
		t.Errorf("first submission: %v", d)
	}
}

func TestFormatSpec(t *testing.T) {
	if got, want := FormatSpec(Spec{Code: "free", Name: "免费版", MinUsers: 1, MaxUsers: 10, Free: true}), "免费版 (free): 1–10 users, free"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got, want := FormatMinor(5, "CNY"), "0.05"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got, want := FormatMinor(1200, "JPY"), "1200"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func findingKeys(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, string(f.Severity)+" "+f.Field+" "+f.Code)
	}
	return out
}

func TestPrecheck(t *testing.T) {
	good := func() *Revision {
		r := validRevision()
		r.Description = strings.Repeat("智能考勤帮助企业管理排班、打卡和假期。", 15)
		r.Icon = &Image{ID: "img_icon", ImageInfo: ImageInfo{Format: ImagePNG, Width: 512, Height: 512}}
		r.Screenshots = []Image{{ID: "img_1", ImageInfo: ImageInfo{Format: ImagePNG, Width: 1920, Height: 1080}}}
		return r
	}
	if fs := Precheck(good()); len(fs) != 0 {
		t.Fatalf("a good revision has findings: %v", findingKeys(fs))
	}
	for _, tc := range []struct {
		name  string
		edit  func(r *Revision)
		want  string
		block bool
	}{
		{"missing en name", func(r *Revision) { r.NameEn = "" }, "error name_en required", true},
		{"missing zh subtitle", func(r *Revision) { r.Subtitle = "" }, "error subtitle required", true},
		{"description too short", func(r *Revision) { r.Description = "太短" }, "error description description_too_short", true},
		{"description too long", func(r *Revision) { r.Description = strings.Repeat("长", MaxDescriptionRunes+1) }, "error description description_too_long", true},
		{"description thin", func(r *Revision) { r.Description = strings.Repeat("考", 100) }, "warning description description_short", false},
		{"zh name in English", func(r *Revision) { r.Name = "Smart Attendance" }, "warning name text_not_chinese", false},
		{"en name in Chinese", func(r *Revision) { r.NameEn = "智能考勤" }, "warning name_en text_not_english", false},
		{"no tags", func(r *Revision) { r.Tags = nil }, "warning tags tags_missing", false},
		{"no en description", func(r *Revision) { r.DescriptionEn = "" }, "warning description_en english_missing", false},
		{"en description in Chinese", func(r *Revision) { r.DescriptionEn = "智能考勤" }, "warning description_en text_not_english", false},
		{"no en spec name", func(r *Revision) { r.Specs[1].NameEn = "" }, "warning specs[1].name_en english_missing", false},
		{"en spec name too long", func(r *Revision) { r.Specs[1].NameEn = strings.Repeat("a", MaxSpecNameEnRunes+1) }, "error specs[1].name_en too_long", true},
		{"no icon", func(r *Revision) { r.Icon = nil }, "error icon icon_required", true},
		{"icon not square", func(r *Revision) { r.Icon.Width = 300 }, "error icon icon_not_square", true},
		{"no screenshots", func(r *Revision) { r.Screenshots = nil }, "warning screenshots screenshots_missing", false},
		{"screenshot 4:3", func(r *Revision) { r.Screenshots[0].Height = 1440 }, "error screenshots[0] screenshot_ratio_invalid", true},
		{"range gap", func(r *Revision) { r.Specs[2].MinUsers = 60 }, "warning specs[2].min_users spec_range_gap", false},
		{"trial above specs", func(r *Revision) { r.Trial.MaxUsers = 500 }, "warning trial.max_users trial_max_users_above_specs", false},
		{"trial_then_free", func(r *Revision) { r.Activation = ActivationTrialThenFree }, "error activation_order activation_order_unsupported", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := good()
			tc.edit(r)
			fs := Precheck(r)
			keys := findingKeys(fs)
			if len(keys) != 1 || keys[0] != tc.want {
				t.Errorf("got %q, want [%s]", keys, tc.want)
			}
			if BlocksSubmission(fs) != tc.block {
				t.Errorf("BlocksSubmission = %v, want %v", !tc.block, tc.block)
			}
		})
	}
}

// fakeLinks answers per URL: nil, a plain error or a guard's *Error.
type fakeLinks map[string]error

func (f fakeLinks) CheckLink(_ context.Context, u string) error { return f[u] }

func TestCheckLinks(t *testing.T) {
	r := validRevision()
	r.SupportContact = "https://help.example.com"
	links := append(r.Links(), Link{"homepage", "https://10.0.0.1/"})
	lc := fakeLinks{
		"https://help.example.com": errors.New("HTTP 404"),
		"https://10.0.0.1/":        Errorf(KindInvalid, "link_private_address", "private address"),
	}
	got := findingKeys(CheckLinks(context.Background(), lc, links))
	want := []string{"error support_contact link_unreachable", "error homepage link_private_address"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %q, want %q", got, want)
	}
	r.SupportContact = "support@example.com"
	if l := r.Links(); len(l) != 1 || l[0].Field != "privacy_url" {
		t.Errorf("Links: %v", l)
	}
}
