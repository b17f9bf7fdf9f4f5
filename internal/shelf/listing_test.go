package shelf

import (
	"strconv"
	"strings"
	"testing"
)

// validRevision returns a complete revision that passes CheckComplete: the
// HR/attendance example of docs/listing.md.
func validRevision() *Revision {
	return &Revision{
		Name:           "智能考勤",
		NameEn:         "Smart Attendance",
		Subtitle:       "排班、打卡、假期一站式管理",
		SubtitleEn:     "Shifts, clock-in and leave in one place",
		Description:    strings.Repeat("智能考勤帮助企业管理排班、打卡和假期。", 5),
		DescriptionEn:  "Smart Attendance manages shifts, clock-ins and leave.",
		CategoryID:     "cat_hrattendance",
		Tags:           []string{"考勤", "HR"},
		SupportContact: "support@example.com",
		PrivacyURL:     "https://example.com/privacy",
		PricingRule:    PricingPerUser,
		Specs: []Spec{
			{Code: "free", Name: "免费版", NameEn: "Free", MinUsers: 1, MaxUsers: 10, Free: true},
			{Code: "std-m-50", Name: "标准版 50 人", NameEn: "Standard, 50", MinUsers: 1, MaxUsers: 50, Period: PeriodMonth, Price: 1200, Currency: "CNY"},
			{Code: "std-m-200", Name: "标准版 200 人", NameEn: "Standard, 200", MinUsers: 51, MaxUsers: 200, Period: PeriodMonth, Price: 1000, Currency: "CNY"},
			{Code: "std-y-50", Name: "标准版 50 人（年）", NameEn: "Standard, 50 (yearly)", MinUsers: 1, MaxUsers: 50, Period: PeriodYear, Price: 12000, Currency: "CNY"},
		},
		Trial:          &Trial{Days: 15, MaxUsers: 50},
		Activation:     ActivationTrialThenPaid,
		PromotionModes: []PromotionMode{PromotionMarket, PromotionOwnChannel},
	}
}

func TestValidRevisionPasses(t *testing.T) {
	r := validRevision()
	r.Normalize()
	if err := r.CheckDraft(); err != nil {
		t.Fatalf("CheckDraft: %v", err)
	}
	if err := r.CheckComplete(); err != nil {
		t.Fatalf("CheckComplete: %v", err)
	}
}

func TestEmptyDraftPasses(t *testing.T) {
	if err := (&Revision{}).CheckDraft(); err != nil {
		t.Fatalf("an empty draft must save: %v", err)
	}
}

// ruleCase changes a valid revision so that exactly one rule breaks and says
// which field and code must be reported first.
type ruleCase struct {
	name   string
	edit   func(r *Revision)
	field  string
	code   string
	draft  bool // also refused by CheckDraft (present and invalid), not only by CheckComplete
	inText string
}

var ruleCases = []ruleCase{
	// Texts.
	{name: "name missing", edit: func(r *Revision) { r.Name = "" }, field: "name", code: "required"},
	{name: "name_en missing", edit: func(r *Revision) { r.NameEn = "" }, field: "name_en", code: "required"},
	{name: "subtitle missing", edit: func(r *Revision) { r.Subtitle = "" }, field: "subtitle", code: "required"},
	{name: "subtitle_en missing", edit: func(r *Revision) { r.SubtitleEn = "" }, field: "subtitle_en", code: "required"},
	{name: "name too long", edit: func(r *Revision) { r.Name = strings.Repeat("考", MaxNameRunes+1) }, field: "name", code: "too_long", draft: true},
	{name: "name_en too long", edit: func(r *Revision) { r.NameEn = strings.Repeat("a", MaxNameEnRunes+1) }, field: "name_en", code: "too_long", draft: true},
	{name: "subtitle two lines", edit: func(r *Revision) { r.Subtitle = "a\nb" }, field: "subtitle", code: "invalid_character", draft: true},
	{name: "description missing", edit: func(r *Revision) { r.Description = "" }, field: "description", code: "required"},
	{name: "description too short", edit: func(r *Revision) { r.Description = strings.Repeat("短", MinDescriptionRunes-1) }, field: "description", code: "description_too_short"},
	{name: "description too long", edit: func(r *Revision) { r.Description = strings.Repeat("长", MaxDescriptionRunes+1) }, field: "description", code: "description_too_long", draft: true},
	// Category.
	{name: "category missing", edit: func(r *Revision) { r.CategoryID = "" }, field: "category_id", code: "required"},
	{name: "category not an id", edit: func(r *Revision) { r.CategoryID = "hr" }, field: "category_id", code: "category_invalid", draft: true},
	// Tags.
	{name: "too many tags", edit: func(r *Revision) { r.Tags = strings.Split("a b c d e f g h i j k", " ") }, field: "tags", code: "tags_too_many", draft: true},
	{name: "tag too long", edit: func(r *Revision) { r.Tags = []string{strings.Repeat("标", MaxTagRunes+1)} }, field: "tags[0]", code: "tag_too_long", draft: true},
	{name: "tag empty", edit: func(r *Revision) { r.Tags = []string{"HR", ""} }, field: "tags[1]", code: "tag_empty", draft: true},
	{name: "tag duplicate", edit: func(r *Revision) { r.Tags = []string{"HR", "hr"} }, field: "tags[1]", code: "tag_duplicate", draft: true},
	{name: "tag with comma", edit: func(r *Revision) { r.Tags = []string{"a,b"} }, field: "tags[0]", code: "tag_invalid", draft: true},
	// Support contact and URLs.
	{name: "support missing", edit: func(r *Revision) { r.SupportContact = "" }, field: "support_contact", code: "required"},
	{name: "support garbage", edit: func(r *Revision) { r.SupportContact = "call us" }, field: "support_contact", code: "support_contact_invalid", draft: true},
	{name: "support bad email", edit: func(r *Revision) { r.SupportContact = "a@@b" }, field: "support_contact", code: "support_contact_invalid", draft: true},
	{name: "support http url", edit: func(r *Revision) { r.SupportContact = "http://example.com/help" }, field: "support_contact", code: "url_insecure", draft: true},
	{name: "privacy missing", edit: func(r *Revision) { r.PrivacyURL = "" }, field: "privacy_url", code: "required"},
	{name: "privacy http", edit: func(r *Revision) { r.PrivacyURL = "http://example.com/privacy" }, field: "privacy_url", code: "url_insecure", draft: true},
	{name: "privacy relative", edit: func(r *Revision) { r.PrivacyURL = "/privacy" }, field: "privacy_url", code: "url_invalid", draft: true},
	{name: "privacy ftp", edit: func(r *Revision) { r.PrivacyURL = "ftp://example.com/privacy" }, field: "privacy_url", code: "url_invalid", draft: true},
	{name: "privacy javascript", edit: func(r *Revision) { r.PrivacyURL = "javascript:alert(1)" }, field: "privacy_url", code: "url_invalid", draft: true},
	{name: "privacy with userinfo", edit: func(r *Revision) { r.PrivacyURL = "https://u:p@example.com/" }, field: "privacy_url", code: "url_invalid", draft: true},
	// Pricing rule (seed step 3).
	{name: "pricing missing", edit: func(r *Revision) { r.PricingRule = "" }, field: "pricing_rule", code: "required"},
	{name: "pricing flat", edit: func(r *Revision) { r.PricingRule = "flat" }, field: "pricing_rule", code: "pricing_rule_unsupported", draft: true, inText: "按使用人数收费"},
	{name: "pricing per_org", edit: func(r *Revision) { r.PricingRule = "per_org" }, field: "pricing_rule", code: "pricing_rule_unsupported", draft: true},
	// Specs.
	{name: "no specs", edit: func(r *Revision) { r.Specs = nil; r.Activation = ActivationTrialThenPaid }, field: "specs", code: "specs_required"},
	{name: "only free spec", edit: func(r *Revision) { r.Specs = r.Specs[:1] }, field: "specs", code: "specs_paid_required"},
	{name: "spec code missing", edit: func(r *Revision) { r.Specs[1].Code = "" }, field: "specs[1].code", code: "required", draft: true},
	{name: "spec code malformed", edit: func(r *Revision) { r.Specs[1].Code = "标准 版" }, field: "specs[1].code", code: "spec_code_invalid", draft: true},
	{name: "spec code duplicate", edit: func(r *Revision) { r.Specs[2].Code = "std-m-50" }, field: "specs[2].code", code: "spec_code_duplicate", draft: true},
	{name: "spec name missing", edit: func(r *Revision) { r.Specs[1].Name = "" }, field: "specs[1].name", code: "required", draft: true},
	{name: "spec name too long", edit: func(r *Revision) { r.Specs[1].Name = strings.Repeat("名", MaxSpecNameRunes+1) }, field: "specs[1].name", code: "too_long", draft: true},
	{name: "spec min 0", edit: func(r *Revision) { r.Specs[1].MinUsers = 0 }, field: "specs[1].min_users", code: "spec_min_users_invalid", draft: true},
	{name: "spec min negative", edit: func(r *Revision) { r.Specs[1].MinUsers = -3 }, field: "specs[1].min_users", code: "spec_min_users_invalid", draft: true},
	{name: "spec max missing", edit: func(r *Revision) { r.Specs[1].MaxUsers = 0 }, field: "specs[1].max_users", code: "required", draft: true},
	{name: "spec max below min", edit: func(r *Revision) { r.Specs[2].MaxUsers = 40 }, field: "specs[2].max_users", code: "spec_range_invalid", draft: true},
	{name: "spec max above limit", edit: func(r *Revision) { r.Specs[2].MaxUsers = MaxSpecUsers + 1 }, field: "specs[2].max_users", code: "spec_range_invalid", draft: true},
	{name: "spec ranges overlap", edit: func(r *Revision) { r.Specs[2].MinUsers = 50 }, field: "specs[2].min_users", code: "spec_range_overlap", draft: true, inText: "std-m-50"},
	{name: "spec ranges not ascending", edit: func(r *Revision) {
		r.Specs[1], r.Specs[2] = r.Specs[2], r.Specs[1]
	}, field: "specs[2].min_users", code: "spec_range_not_ascending", draft: true},
	{name: "spec period missing", edit: func(r *Revision) { r.Specs[1].Period = "" }, field: "specs[1].period", code: "required", draft: true},
	{name: "spec period weekly", edit: func(r *Revision) { r.Specs[1].Period = "week" }, field: "specs[1].period", code: "spec_period_invalid", draft: true},
	{name: "spec price negative", edit: func(r *Revision) { r.Specs[1].Price = -1 }, field: "specs[1].price", code: "spec_price_invalid", draft: true},
	{name: "spec price huge", edit: func(r *Revision) { r.Specs[1].Price = MaxSpecPrice + 1 }, field: "specs[1].price", code: "spec_price_invalid", draft: true},
	{name: "paid spec price 0", edit: func(r *Revision) { r.Specs[1].Price = 0 }, field: "specs[1].price", code: "spec_price_zero_not_free", draft: true},
	{name: "free spec with price", edit: func(r *Revision) { r.Specs[0].Price = 100 }, field: "specs[0].price", code: "spec_free_price_nonzero", draft: true},
	{name: "free spec without cap", edit: func(r *Revision) { r.Specs[0].MaxUsers = 0 }, field: "specs[0].max_users", code: "spec_free_cap_required", draft: true},
	{name: "two free specs", edit: func(r *Revision) {
		r.Specs = append(r.Specs, Spec{Code: "free2", Name: "免费版二", MinUsers: 1, MaxUsers: 5, Free: true})
	}, field: "specs[4].free", code: "spec_free_duplicate", draft: true},
	{name: "free spec bad period", edit: func(r *Revision) { r.Specs[0].Period = "day" }, field: "specs[0].period", code: "spec_period_invalid", draft: true},
	{name: "currency lowercase", edit: func(r *Revision) { r.Specs[1].Currency = "cny" }, field: "specs[1].currency", code: "spec_currency_invalid", draft: true},
	{name: "currency long", edit: func(r *Revision) { r.Specs[1].Currency = "YUAN" }, field: "specs[1].currency", code: "spec_currency_invalid", draft: true},
	{name: "currency mixed", edit: func(r *Revision) { r.Specs[2].Currency = "USD" }, field: "specs[2].currency", code: "spec_currency_mixed", draft: true},
	{name: "too many specs", edit: func(r *Revision) {
		for i := range MaxSpecs {
			n := 1000 + i*10
			r.Specs = append(r.Specs, Spec{Code: "x" + strconv.Itoa(i), Name: "x", MinUsers: n, MaxUsers: n + 5, Period: PeriodMonth, Price: 1})
		}
	}, field: "specs", code: "specs_too_many", draft: true},
	// Trial.
	{name: "trial 0 days", edit: func(r *Revision) { r.Trial.Days = 0 }, field: "trial.days", code: "trial_days_invalid", draft: true},
	{name: "trial 91 days", edit: func(r *Revision) { r.Trial.Days = 91 }, field: "trial.days", code: "trial_days_invalid", draft: true},
	{name: "trial 0 users", edit: func(r *Revision) { r.Trial.MaxUsers = 0 }, field: "trial.max_users", code: "trial_max_users_invalid", draft: true},
	// Activation order (seed step 4).
	{name: "activation missing", edit: func(r *Revision) { r.Activation = "" }, field: "activation_order", code: "required"},
	{name: "activation trial_then_free", edit: func(r *Revision) { r.Activation = ActivationTrialThenFree }, field: "activation_order", code: "activation_order_unsupported", draft: true, inText: "优先试用，到期自动转免费"},
	{name: "activation unknown", edit: func(r *Revision) { r.Activation = "free_forever" }, field: "activation_order", code: "activation_order_invalid", draft: true},
	{name: "trial_then_paid without trial", edit: func(r *Revision) { r.Trial = nil }, field: "activation_order", code: "activation_order_needs_trial", draft: true},
	{name: "free_then_paid without free spec", edit: func(r *Revision) {
		r.Activation = ActivationFreeThenPaid
		r.Specs = r.Specs[1:]
	}, field: "activation_order", code: "activation_order_needs_free_spec", draft: true},
	// Promotion modes (seed step 5).
	{name: "no promotion mode", edit: func(r *Revision) { r.PromotionModes = nil }, field: "promotion_modes", code: "promotion_modes_required"},
	{name: "promotion unknown", edit: func(r *Revision) { r.PromotionModes = []PromotionMode{"billboard"} }, field: "promotion_modes[0]", code: "promotion_mode_invalid", draft: true},
	{name: "promotion duplicate", edit: func(r *Revision) { r.PromotionModes = []PromotionMode{"market", "market"} }, field: "promotion_modes[1]", code: "promotion_mode_duplicate", draft: true},
	// Media.
	{name: "too many screenshots", edit: func(r *Revision) { r.Screenshots = make([]Image, MaxScreenshots+1) }, field: "screenshots", code: "screenshots_too_many", draft: true},
}

func TestRevisionRules(t *testing.T) {
	for _, tc := range ruleCases {
		t.Run(tc.name, func(t *testing.T) {
			r := validRevision()
			tc.edit(r)
			err := r.CheckComplete()
			checkFirst(t, "CheckComplete", err, tc.field, tc.code)
			if e, ok := AsError(err); ok && tc.inText != "" && !strings.Contains(e.Message, tc.inText) {
				t.Errorf("message %q does not mention %q", e.Message, tc.inText)
			}
			err = r.CheckDraft()
			if tc.draft {
				checkFirst(t, "CheckDraft", err, tc.field, tc.code)
			} else if err != nil {
				t.Errorf("CheckDraft refused an incomplete but valid draft: %v", err)
			}
		})
	}
}

func checkFirst(t *testing.T, what string, err error, field, code string) {
	t.Helper()
	e, ok := AsError(err)
	if !ok {
		t.Fatalf("%s: got %v, want %s on %s", what, err, code, field)
	}
	if e.Code != code || e.Field != field || e.Kind != KindInvalid {
		t.Errorf("%s: first error %s %q on %q, want %q on %q (all: %v)", what, e.Kind, e.Code, e.Field, code, field, err)
	}
}

func TestAllErrorsReported(t *testing.T) {
	r := validRevision()
	r.PricingRule = "flat"
	r.Specs[1].Price = 0
	r.Activation = ActivationTrialThenFree
	es := AllErrors(r.CheckDraft())
	var got []string
	for _, e := range es {
		got = append(got, e.Field+":"+e.Code)
	}
	want := "pricing_rule:pricing_rule_unsupported specs[1].price:spec_price_zero_not_free activation_order:activation_order_unsupported"
	if g := strings.Join(got, " "); g != want {
		t.Errorf("got %s\nwant %s", g, want)
	}
	if k := ErrorKind(r.CheckDraft()); k != KindInvalid {
		t.Errorf("kind %s, want invalid", k)
	}
}

func TestNormalize(t *testing.T) {
	r := &Revision{Name: "  智能考勤 ", Specs: []Spec{{Code: " a ", Currency: ""}}, Tags: []string{" HR "}}
	r.Normalize()
	if r.Name != "智能考勤" || r.Specs[0].Code != "a" || r.Specs[0].Currency != "CNY" || r.Tags[0] != "HR" {
		t.Errorf("Normalize: %+v", r)
	}
}

func TestAcceptedValues(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(r *Revision)
	}{
		{"support phone", func(r *Revision) { r.SupportContact = "400-123-4567" }},
		{"support intl phone", func(r *Revision) { r.SupportContact = "+86 10 1234 5678 ext. 12" }},
		{"support https", func(r *Revision) { r.SupportContact = "https://help.example.com" }},
		{"privacy localhost http", func(r *Revision) { r.PrivacyURL = "http://localhost:8080/privacy" }},
		{"privacy loopback http", func(r *Revision) { r.PrivacyURL = "http://127.0.0.1/privacy" }},
		{"paid first", func(r *Revision) { r.Activation = ActivationPaidFirst; r.Trial = nil }},
		{"free then paid", func(r *Revision) { r.Activation = ActivationFreeThenPaid }},
		{"own channel only", func(r *Revision) { r.PromotionModes = []PromotionMode{PromotionOwnChannel} }},
		{"no free spec", func(r *Revision) { r.Specs = r.Specs[1:] }},
		{"trial 1 day", func(r *Revision) { r.Trial.Days = 1 }},
		{"trial 90 days", func(r *Revision) { r.Trial.Days = 90 }},
		{"usd", func(r *Revision) {
			for i := range r.Specs {
				r.Specs[i].Currency = "USD"
			}
		}},
		{"adjacent ranges", func(r *Revision) { r.Specs[2].MinUsers = 51 }},
		{"ten tags", func(r *Revision) { r.Tags = strings.Split("a b c d e f g h i j", " ") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := validRevision()
			tc.edit(r)
			if err := r.CheckComplete(); err != nil {
				t.Errorf("refused: %v", err)
			}
		})
	}
}
