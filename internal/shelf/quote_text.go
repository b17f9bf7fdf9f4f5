package shelf

import (
	"fmt"
	"strings"
)

// Lang is a language people read Shelf in.
type Lang string

// The languages: Simplified Chinese (the default) and English.
const (
	LangZH Lang = "zh-CN"
	LangEn Lang = "en"
)

// DescribeQuote writes an order's computation for people, a line each,
// the total last: "25 users × ¥9.00/month × 12 months = ¥2,700.00".
func DescribeQuote(q *Quote, lang Lang) []string {
	out := make([]string, 0, len(q.Lines)+2)
	for _, l := range q.Lines {
		out = append(out, describeLine(l, q.Currency, lang))
	}
	total := FormatMoney(q.ListAmount, q.Currency)
	if lang == LangEn {
		out = append(out, "Total "+total+" (rounded once, half up)")
		if q.Test {
			out = append(out, "Test organization: not charged")
		}
	} else {
		out = append(out, "合计 "+total+"（最后一次四舍五入）")
		if q.Test {
			out = append(out, "体验测试组织：不收费")
		}
	}
	return out
}

func describeLine(l QuoteLine, currency string, lang Lang) string {
	price := FormatMoney(l.UnitPrice, currency)
	amount := FormatMoney(abs(l.Amount), currency)
	t := describeTime(l.Time, lang)
	if lang == LangEn {
		unit := map[Period]string{PeriodMonth: "month", PeriodYear: "year"}[l.Time.Period]
		if l.Kind == LineCredit {
			return fmt.Sprintf("− credit for the unused %s of %d users × %s/%s (%s): %s", t, l.Users, price, unit, l.SpecCode, amount)
		}
		return fmt.Sprintf("%d users × %s/%s × %s (%s, %s to %s): %s", l.Users, price, unit, t, l.SpecCode,
			l.From.Format("2006-01-02"), l.To.Format("2006-01-02"), amount)
	}
	unit := map[Period]string{PeriodMonth: "月", PeriodYear: "年"}[l.Time.Period]
	if l.Kind == LineCredit {
		return fmt.Sprintf("− 抵扣未使用的 %s：%d 人 × %s/%s（%s）：%s", t, l.Users, price, unit, l.SpecCode, amount)
	}
	return fmt.Sprintf("%d 人 × %s/%s × %s（%s，%s 至 %s）：%s", l.Users, price, unit, t, l.SpecCode,
		l.From.Format("2006-01-02"), l.To.Format("2006-01-02"), amount)
}

// describeTime writes "12 months", "1 month and 14 of 28 days",
// "14 of 28 days" (or in Chinese).
func describeTime(r Remaining, lang Lang) string {
	var parts []string
	if lang == LangEn {
		unit := map[Period]string{PeriodMonth: "month", PeriodYear: "year"}[r.Period]
		if r.Whole > 0 || r.Days == 0 {
			s := fmt.Sprintf("%d %s", r.Whole, unit)
			if r.Whole != 1 {
				s += "s"
			}
			parts = append(parts, s)
		}
		if r.Days > 0 {
			parts = append(parts, fmt.Sprintf("%d of %d days", r.Days, r.PeriodDays))
		}
		return strings.Join(parts, " and ")
	}
	unit := map[Period]string{PeriodMonth: "个月", PeriodYear: "年"}[r.Period]
	if r.Whole > 0 || r.Days == 0 {
		parts = append(parts, fmt.Sprintf("%d %s", r.Whole, unit))
	}
	if r.Days > 0 {
		parts = append(parts, fmt.Sprintf("%d/%d 天", r.Days, r.PeriodDays))
	}
	return strings.Join(parts, "又 ")
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// DecimalAmount writes an amount in minor units as a plain decimal for
// files and machines: "1234.50", "-0.05", "1500" (JPY).
func DecimalAmount(amount int64, currency string) string {
	s := FormatMoney(amount, "XXX")
	s = strings.Replace(s, "XXX ", "", 1)
	return strings.ReplaceAll(s, ",", "")
}
