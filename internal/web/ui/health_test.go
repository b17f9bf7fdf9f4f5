package ui

import (
	"testing"
	"time"

	"github.com/shelfhq/shelf/internal/shelf"
)

func TestHealthChart(t *testing.T) {
	today := time.Date(2026, 11, 27, 15, 0, 0, 0, time.UTC)
	days := []shelf.DayStats{
		{Day: "2026-11-24", Attempts: 10, Succeeded: 10, P95: 80 * time.Millisecond},
		{Day: "2026-11-25", Attempts: 100, Succeeded: 95, P95: 160 * time.Millisecond},
		{Day: "2026-11-27", Attempts: 4, Succeeded: 1, P95: 5 * time.Millisecond},
		{Day: "2026-10-01", Attempts: 9, Succeeded: 9}, // outside the window
	}
	c := newHealthChart(days, today, 4)
	if c.Width != 4*colWidth || len(c.Columns) != 4 || c.MaxP95 != 200*time.Millisecond {
		t.Fatalf("chart = %+v", c)
	}
	want := []struct {
		day         string
		attempts    int
		grade       string
		rateH, p95H int
		label       bool
	}{
		{"11-24", 10, "good", 60, 24, true},
		{"11-25", 100, "fair", 57, 48, false},
		{"11-26", 0, "", 0, 0, false}, // no attempts: an empty column
		{"11-27", 4, "poor", 15, 2, true},
	}
	for i, w := range want {
		col := c.Columns[i]
		if col.Day != w.day || col.Attempts != w.attempts || col.Grade != w.grade || col.RateHeight != w.rateH || col.P95Height != w.p95H || col.Label != w.label {
			t.Errorf("column %d = %+v, want %+v", i, col, w)
		}
		if col.X != i*colWidth {
			t.Errorf("column %d at x %d", i, col.X)
		}
	}
}

func TestNiceCeiling(t *testing.T) {
	for _, tc := range []struct{ in, want time.Duration }{
		{0, 10 * time.Millisecond},
		{10 * time.Millisecond, 10 * time.Millisecond},
		{11 * time.Millisecond, 20 * time.Millisecond},
		{160 * time.Millisecond, 200 * time.Millisecond},
		{3 * time.Second, 5 * time.Second},
		{9 * time.Second, 10 * time.Second},
	} {
		if got := niceCeiling(tc.in); got != tc.want {
			t.Errorf("niceCeiling(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}
