package ui

import (
	"fmt"
	"strings"

	"github.com/shelfhq/shelf/internal/shelf"
)

// reviewRow is one changed field of a revision as a reviewer reads it: the
// field's label, the live and the new value in the reader's language (a
// category's path, a plan's price and period, the trial's terms), and
// images as images, old beside new.
type reviewRow struct {
	Label         string
	Before, After string
	BeforeImages  []string // media ids
	AfterImages   []string
}

// reviewRows turns the diff's keys and codes into what a person reads.
func reviewRows(lang string, cats map[string]shelf.Category, live, draft *shelf.Revision, changes []shelf.FieldChange) []reviewRow {
	if live == nil {
		live = &shelf.Revision{}
	}
	specs := func(r *shelf.Revision, code string) string {
		for _, s := range r.Specs {
			if s.Code == code {
				return specText(lang, s)
			}
		}
		return ""
	}
	out := make([]reviewRow, 0, len(changes))
	for _, c := range changes {
		row := reviewRow{Label: fieldLabel(lang, c.Field), Before: c.Before, After: c.After}
		switch c.Field {
		case "category_id":
			row.Before, row.After = categoryPath(lang, cats, c.Before), categoryPath(lang, cats, c.After)
		case "pricing_rule":
			row.Before, row.After = pricingRule(lang, c.Before), pricingRule(lang, c.After)
		case "activation_order":
			row.Before, row.After = translate(lang, "activation."+c.Before), translate(lang, "activation."+c.After)
		case "trial":
			row.Before, row.After = trialText(lang, live.Trial), trialText(lang, draft.Trial)
		case "promotion_modes":
			row.Before, row.After = modesText(lang, live.PromotionModes), modesText(lang, draft.PromotionModes)
		case "specs":
			row.Label += " · " + c.Key
			row.Before, row.After = specs(live, c.Key), specs(draft, c.Key)
		case "icon":
			row.Before, row.After = "", ""
			row.BeforeImages, row.AfterImages = iconIDs(live.Icon), iconIDs(draft.Icon)
		case "screenshots":
			row.Before, row.After = "", ""
			row.BeforeImages, row.AfterImages = imageIDs(live.Screenshots...), imageIDs(draft.Screenshots...)
		}
		out = append(out, row)
	}
	return out
}

func iconIDs(im *shelf.Image) []string {
	if im == nil {
		return nil
	}
	return []string{im.ID}
}

func imageIDs(ims ...shelf.Image) []string {
	out := make([]string, len(ims))
	for i, im := range ims {
		out[i] = im.ID
	}
	return out
}

// categoryPath names a category with its parent: "人事管理 › 考勤排班".
func categoryPath(lang string, cats map[string]shelf.Category, id string) string {
	c, ok := cats[id]
	if !ok {
		return ""
	}
	name := pick(lang, c.Name, c.NameEn)
	if p, ok := cats[c.ParentID]; ok {
		return pick(lang, p.Name, p.NameEn) + " › " + name
	}
	return name
}

func pricingRule(lang, rule string) string {
	if rule == "" {
		return ""
	}
	return translate(lang, "editor.per_user")
}

// specText is a plan in one line: "标准版 · 1–50 人 · ¥9.00/人/月".
func specText(lang string, s shelf.Spec) string {
	head := fmt.Sprintf("%s · %d–%d %s", s.Name, s.MinUsers, s.MaxUsers, translate(lang, "market.users"))
	if s.Free {
		return head + " · " + translate(lang, "market.free")
	}
	price := templateFuncs["money"].(func(int64, string) string)(s.Price, s.Currency)
	return fmt.Sprintf("%s · %s/%s/%s", head, price, translate(lang, "market.per_user"), translate(lang, "period."+string(s.Period)))
}

// trialText is a trial's terms: "15 天，最多 20 人".
func trialText(lang string, t *shelf.Trial) string {
	if t == nil {
		return ""
	}
	return fmt.Sprintf(translate(lang, "qreview.trial"), t.Days, t.MaxUsers)
}

func modesText(lang string, ms []shelf.PromotionMode) string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = translate(lang, "promotion."+string(m))
	}
	return strings.Join(out, lang2sep(lang))
}

func lang2sep(lang string) string {
	if lang == langEN {
		return ", "
	}
	return "、"
}
