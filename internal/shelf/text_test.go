package shelf

import "testing"

func TestCleanNameRule(t *testing.T) {
	for _, tc := range []struct {
		in, want, code string
	}{
		{"  Acme 钉钉  ", "Acme 钉钉", ""},
		{"\u200b Acme \u200b", "Acme", ""},
		{"👩\u200d💻 Dev", "👩\u200d💻 Dev", ""}, // a joiner inside an emoji sequence stays
		{"Acme\a", "", "invalid_character"},
		{"Ac\tme", "", "invalid_character"},
		{"Acme\u0085", "", "invalid_character"},
		{"Acme\u2028x", "", "invalid_character"},
		{"Acme\u2029x", "", "invalid_character"},
		{"abc\u202Egpj.exe", "", "invalid_character"},
		{"abc\u2066x\u2069", "", "invalid_character"},
		{"a\u200Fb", "", "invalid_character"},
		{"a\x00b", "", "invalid_character"},
		{"a\ue000b", "", "invalid_character"},
		{"a\uFFFEb", "", "invalid_character"},
		{"a\xffb", "", "invalid_character"},
		{"a\nb", "", "invalid_character"},
		{"", "", "required"},
		{"   ", "", "required"},
		{"\u200b\u200c\u200d\u2060\ufeff", "", "required"},
		{"\u3164\u3000", "", "required"},
	} {
		got, err := CleanName("name", tc.in, 100)
		if tc.code == "" {
			if err != nil || got != tc.want {
				t.Errorf("CleanName(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
			}
			continue
		}
		if e, ok := AsError(err); !ok || e.Code != tc.code || e.Field != "name" {
			t.Errorf("CleanName(%q) = %q, %v; want %s", tc.in, got, err, tc.code)
		}
	}
}

func TestRevisionLinesFollowTheRule(t *testing.T) {
	r := &Revision{Name: "钉钉\u202E", NameEn: "\u200b", Subtitle: "a\u0085b", Tags: []string{"ok", "\u200b", "x\ty"},
		Specs: []Spec{{Code: "s", Name: "Pro\a"}}}
	r.Normalize()
	err := r.CheckDraft()
	want := map[string]string{"name": "invalid_character", "subtitle": "invalid_character",
		"tags[1]": "tag_empty", "tags[2]": "invalid_character", "specs[0].name": "invalid_character"}
	got := map[string]string{}
	for _, e := range AllErrors(err) {
		got[e.Field] = e.Code
	}
	for f, code := range want {
		if got[f] != code {
			t.Errorf("%s: %q, want %q (all: %v)", f, got[f], code, err)
		}
	}
}
