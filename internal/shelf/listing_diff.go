package shelf

import (
	"fmt"
	"strconv"
	"strings"
)

// FieldChange is one line of the reviewer's diff between the live revision
// and the one under review. Key tells specs apart by code, so a reordered
// list shows no change and a changed price shows on its own spec.
type FieldChange struct {
	Field  string `json:"field"`
	Key    string `json:"key,omitempty"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// Diff lists what draft changes compared with live, in contract field order
// (specs in draft order, removed ones after). live may be nil for a first
// submission: every present field is then a change. Values are rendered as
// short texts for display; absent values are "".
func Diff(live, draft *Revision) []FieldChange {
	if live == nil {
		live = &Revision{}
	}
	if draft == nil {
		draft = &Revision{}
	}
	var out []FieldChange
	add := func(field, before, after string) {
		if before != after {
			out = append(out, FieldChange{Field: field, Before: before, After: after})
		}
	}
	add("name", live.Name, draft.Name)
	add("name_en", live.NameEn, draft.NameEn)
	add("subtitle", live.Subtitle, draft.Subtitle)
	add("subtitle_en", live.SubtitleEn, draft.SubtitleEn)
	add("description", live.Description, draft.Description)
	add("description_en", live.DescriptionEn, draft.DescriptionEn)
	add("category_id", live.CategoryID, draft.CategoryID)
	add("tags", strings.Join(live.Tags, ", "), strings.Join(draft.Tags, ", "))
	add("support_contact", live.SupportContact, draft.SupportContact)
	add("privacy_url", live.PrivacyURL, draft.PrivacyURL)
	add("pricing_rule", string(live.PricingRule), string(draft.PricingRule))
	out = append(out, diffSpecs(live.Specs, draft.Specs)...)
	add("trial", formatTrial(live.Trial), formatTrial(draft.Trial))
	add("activation_order", string(live.Activation), string(draft.Activation))
	add("promotion_modes", joinModes(live.PromotionModes), joinModes(draft.PromotionModes))
	add("icon", imageID(live.Icon), imageID(draft.Icon))
	add("screenshots", imageIDs(live.Screenshots), imageIDs(draft.Screenshots))
	return out
}

func diffSpecs(live, draft []Spec) []FieldChange {
	var out []FieldChange
	before := map[string]Spec{}
	for _, s := range live {
		before[s.Code] = s
	}
	seen := map[string]bool{}
	for _, s := range draft {
		seen[s.Code] = true
		b, had := before[s.Code]
		switch {
		case !had:
			out = append(out, FieldChange{Field: "specs", Key: s.Code, After: FormatSpec(s)})
		case b != s:
			out = append(out, FieldChange{Field: "specs", Key: s.Code, Before: FormatSpec(b), After: FormatSpec(s)})
		}
	}
	for _, s := range live {
		if !seen[s.Code] {
			out = append(out, FieldChange{Field: "specs", Key: s.Code, Before: FormatSpec(s)})
		}
	}
	return out
}

// FormatSpec renders a spec in one line, e.g. "标准版 (std-m): 1–50 users,
// 12.00 CNY per user per month" or "免费版 (free): 1–5 users, free".
func FormatSpec(s Spec) string {
	head := fmt.Sprintf("%s (%s): %d–%d users", s.Name, s.Code, s.MinUsers, s.MaxUsers)
	if s.Free {
		return head + ", free"
	}
	cur := s.Currency
	if cur == "" {
		cur = DefaultCurrency
	}
	return fmt.Sprintf("%s, %s %s per user per %s", head, FormatMinor(s.Price, cur), cur, s.Period)
}

// zeroDecimal reports the common ISO 4217 currencies without minor units.
func zeroDecimal(currency string) bool {
	switch currency {
	case "JPY", "KRW", "VND", "CLP", "ISK":
		return true
	}
	return false
}

// FormatMinor renders an amount of minor units as a decimal: 1250 CNY is
// "12.50", 1250 JPY is "1250".
func FormatMinor(amount int64, currency string) string {
	if zeroDecimal(currency) {
		return strconv.FormatInt(amount, 10)
	}
	sign := ""
	if amount < 0 {
		sign, amount = "-", -amount
	}
	return fmt.Sprintf("%s%d.%02d", sign, amount/100, amount%100)
}

func formatTrial(t *Trial) string {
	if t == nil {
		return ""
	}
	return fmt.Sprintf("%d days, up to %d users", t.Days, t.MaxUsers)
}

func joinModes(ms []PromotionMode) string {
	s := make([]string, len(ms))
	for i, m := range ms {
		s[i] = string(m)
	}
	return strings.Join(s, ", ")
}

func imageID(im *Image) string {
	if im == nil {
		return ""
	}
	return im.ID
}

func imageIDs(ims []Image) string {
	s := make([]string, len(ims))
	for i := range ims {
		s[i] = ims[i].ID
	}
	return strings.Join(s, ", ")
}
