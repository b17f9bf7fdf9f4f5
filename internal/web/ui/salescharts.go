package ui

import (
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
)

// revenueDays is the window of the sales page's revenue chart.
const revenueDays = 90

// revenueChart is the geometry of the sales page's revenue chart: a column
// per day over the last 90 (UTC), the money of the orders paid that day
// (refunded and test orders left out), in one currency.
type revenueChart struct {
	Width, Height int // of the plot, in viewBox units
	ViewHeight    int // the plot and the axis labels below it
	LabelY        int
	Bars          []revenueBar
	Labels        []chartLabel
	Currency      string
	Top           string // the scale's top, as money
	Total         string
	Paid          int // orders counted
}

// revenueBar is one day with revenue.
type revenueBar struct {
	X, Y, W, H int
	Day        string
	Amount     string
}

// chartLabel names a day on the axis.
type chartLabel struct {
	X    int
	Text string
}

const (
	revenueCol    = 6
	revenueHeight = 120
)

// newRevenueChart lays out the paid orders (any order: the store returns
// the newest first) over the days ending today. The chart's currency is
// that of the newest paid order; others are left out of it.
func newRevenueChart(orders []shelf.Order, today time.Time) revenueChart {
	first := today.UTC().Truncate(24*time.Hour).AddDate(0, 0, 1-revenueDays)
	currency := shelf.DefaultCurrency
	byDay := map[int]int64{}
	paid := 0
	chosen := false
	for _, o := range orders {
		if (o.State != shelf.OrderPaid && o.State != shelf.OrderFulfilled) || o.Test || o.PaidAt == nil || o.PaidAt.Before(first) {
			continue
		}
		if !chosen {
			currency, chosen = o.Currency, true
		}
		if o.Currency != currency {
			continue
		}
		byDay[int(o.PaidAt.Sub(first)/(24*time.Hour))] += o.Amount
		paid++
	}
	c := dayChart(first, revenueDays, revenueCol, byDay, func(v int64) string { return shelf.FormatMoney(v, currency) })
	c.Currency, c.Paid = currency, paid
	return c
}

// dayChart lays out one figure per day (byDay, indexed from first) as
// columns col units wide, formatted by format; the sales page's revenue
// and the channel funnel's charts share it.
func dayChart(first time.Time, days, col int, byDay map[int]int64, format func(int64) string) revenueChart {
	c := revenueChart{Width: days * col, Height: revenueHeight, ViewHeight: revenueHeight + 24, LabelY: revenueHeight + 18}
	var most, total int64
	for _, v := range byDay {
		most, total = max(most, v), total+v
	}
	top := niceTop(max(most, 1))
	c.Top, c.Total = format(top), format(total)
	for i := range days {
		day := first.AddDate(0, 0, i)
		if day.Day() == 1 || i == 0 {
			c.Labels = addLabel(c.Labels, chartLabel{X: min(i*col, c.Width-labelWidth), Text: day.Format("01-02")})
		}
		if v := byDay[i]; v > 0 {
			h := max(1, int(v*revenueHeight/top))
			c.Bars = append(c.Bars, revenueBar{X: i * col, Y: revenueHeight - h, W: col - 1, H: h,
				Day: day.Format(time.DateOnly), Amount: format(v)})
		}
	}
	return c
}

// labelWidth is a day label's width ("12-01" at the charts' 16 units a
// character height): a label starts at most this far from the right edge,
// so none is cut there.
const labelWidth = 48

// addLabel adds l, replacing the label before it when they would overlap
// (the first day's, when a month begins a day or two later).
func addLabel(labels []chartLabel, l chartLabel) []chartLabel {
	if n := len(labels); n > 0 && l.X-labels[n-1].X < labelWidth {
		labels = labels[:n-1]
	}
	return append(labels, l)
}

// niceTop rounds n up to 1, 2 or 5 times a power of ten, so a chart's
// scale ends on a round figure.
func niceTop(n int64) int64 {
	for step := int64(1); ; step *= 10 {
		for _, m := range []int64{1, 2, 5} {
			if n <= m*step {
				return m * step
			}
		}
	}
}

// statusBar is one subscription status and how many orgs are in it.
type statusBar struct {
	Status shelf.SubStatus
	Count  int
}

// subStatuses is the order the status bars are shown in.
var subStatuses = []shelf.SubStatus{shelf.SubActive, shelf.SubTrial, shelf.SubFree, shelf.SubOverLimit, shelf.SubTrialExpired, shelf.SubExpired, shelf.SubCancelled}

// subsByStatus counts subscriptions by status, the statuses no
// subscription is in left out; most is the largest count.
func subsByStatus(subs []shelf.Subscription) (bars []statusBar, most int) {
	n := map[shelf.SubStatus]int{}
	for _, s := range subs {
		n[s.Status]++
	}
	for _, st := range subStatuses {
		if n[st] > 0 {
			bars = append(bars, statusBar{Status: st, Count: n[st]})
			most = max(most, n[st])
		}
	}
	return bars, most
}
