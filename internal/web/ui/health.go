package ui

import (
	"fmt"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
)

// healthChart is the geometry of the events page's delivery-health chart:
// a column per day (a day without attempts stays empty), success rate
// above, p95 latency below.
type healthChart struct {
	Width   int // of the SVG viewBox; each column is colWidth wide
	Columns []healthColumn
	MaxP95  time.Duration // the latency scale's top, labelled by the page in its language
}

// healthColumn is one day. Heights are in viewBox units (0–chartHeight).
type healthColumn struct {
	X, Mid     int
	Day        string // MM-DD
	Label      bool   // whether the axis names this day
	Attempts   int
	RateHeight int
	Rate       string
	Grade      string // good (≥ 99%), fair (≥ 90%), poor: the bar's colour
	P95Height  int
	P95        time.Duration
	// FailHeight is the failed share of the day's attempts, drawn above the
	// successes: a failing app's chart shows red, not an empty sliver.
	FailHeight int
}

const (
	colWidth    = 20
	chartHeight = 60
)

// newHealthChart lays out days (oldest first, as the store returns them)
// over the n days ending today (UTC).
func newHealthChart(days []shelf.DayStats, today time.Time, n int) healthChart {
	byDay := map[string]shelf.DayStats{}
	var most time.Duration
	for _, d := range days {
		byDay[d.Day] = d
		most = max(most, d.P95)
	}
	scale := niceCeiling(most)
	c := healthChart{Width: n * colWidth, MaxP95: scale}
	first := today.UTC().Truncate(24*time.Hour).AddDate(0, 0, 1-n)
	for i := range n {
		day := first.AddDate(0, 0, i)
		col := healthColumn{X: i * colWidth, Mid: i*colWidth + colWidth/2, Day: day.Format("01-02"), Label: (n-1-i)%3 == 0}
		if d, ok := byDay[day.Format(time.DateOnly)]; ok && d.Attempts > 0 {
			rate := d.SuccessRate()
			col.Attempts, col.Rate, col.P95 = d.Attempts, fmt.Sprintf("%.1f%%", rate*100), d.P95
			col.RateHeight = int(rate*chartHeight + 0.5)
			if d.Succeeded > 0 {
				col.RateHeight = max(1, col.RateHeight)
			}
			col.FailHeight = chartHeight - col.RateHeight
			col.P95Height = max(1, int(float64(d.P95)/float64(scale)*chartHeight+0.5))
			switch {
			case rate >= 0.99:
				col.Grade = "good"
			case rate >= 0.9:
				col.Grade = "fair"
			default:
				col.Grade = "poor"
			}
		}
		c.Columns = append(c.Columns, col)
	}
	return c
}

// niceCeiling rounds a latency up to 1, 2 or 5 times a power of ten
// milliseconds (at least 10 ms), so the scale's top is a round figure.
func niceCeiling(d time.Duration) time.Duration {
	return time.Duration(niceTop(int64(max(d, 10*time.Millisecond))))
}
