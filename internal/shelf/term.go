package shelf

import (
	"fmt"
	"math/big"
	"time"
)

// Terms are counted on the calendar in UTC: a month runs from a day of one
// month to the same day of the next, a year to the same day a year later.
// A term bought on the 31st ends on the last day of shorter months (and on
// 28 February for a 29 February start in other years); the anchor day keeps
// later renewals on the 31st wherever a month has one.

// Period limits of one order (the contract).
const (
	MaxMonths = 36
	MaxYears  = 5
)

// monthsOf is the number of months in n periods.
func monthsOf(p Period, n int) int {
	if p == PeriodYear {
		return 12 * n
	}
	return n
}

// AddPeriods moves t forward by n periods, landing on the anchor day (1–31)
// or the month's last day when it is shorter; n may be negative.
func AddPeriods(t time.Time, p Period, n, anchorDay int) time.Time {
	t = t.UTC()
	months := int(t.Month()) - 1 + monthsOf(p, n)
	year := t.Year() + floorDiv(months, 12)
	month := time.Month(months - 12*floorDiv(months, 12) + 1)
	day := min(anchorDay, daysIn(year, month))
	return time.Date(year, month, day, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
}

func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func daysIn(year int, m time.Month) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// Remaining is how much of a term is left, in periods: Whole periods plus
// Days of a partial period PeriodDays long. The partial period is the one
// the moment falls in, counted back from the term's end; days are whole
// days, the part of today already begun counting as used.
type Remaining struct {
	Period     Period `json:"period"`
	Whole      int    `json:"whole"`
	Days       int    `json:"days"`
	PeriodDays int    `json:"period_days"`
}

// RemainingAt measures what is left at now of a term ending at end.
func RemainingAt(now, end time.Time, p Period, anchorDay int) Remaining {
	r := Remaining{Period: p}
	if !now.Before(end) {
		return r
	}
	b := end // the boundary of the whole periods counted so far
	for {
		prev := AddPeriods(end, p, -(r.Whole + 1), anchorDay)
		if prev.Before(now) {
			r.Days = int(b.Sub(now) / (24 * time.Hour))
			r.PeriodDays = int(b.Sub(prev).Round(24*time.Hour) / (24 * time.Hour))
			if r.Days == 0 {
				r.PeriodDays = 0
			}
			return r
		}
		r.Whole++
		b = prev
	}
}

// Rat is the remaining time as an exact fraction of periods.
func (r Remaining) Rat() *big.Rat {
	q := new(big.Rat).SetInt64(int64(r.Whole))
	if r.Days > 0 && r.PeriodDays > 0 {
		q.Add(q, big.NewRat(int64(r.Days), int64(r.PeriodDays)))
	}
	return q
}

// IsZero reports whether nothing is left.
func (r Remaining) IsZero() bool { return r.Whole == 0 && r.Days == 0 }

// String writes the remaining time for logs and tests: "9 month + 14/28 d".
func (r Remaining) String() string {
	return fmt.Sprintf("%d %s + %d/%d d", r.Whole, r.Period, r.Days, r.PeriodDays)
}
