package ui

import (
	"testing"
	"time"
)

// TestDayChartLabels: no day label is cut at the chart's right edge, and
// none overlaps the one before it.
func TestDayChartLabels(t *testing.T) {
	cases := []struct {
		name      string
		first     time.Time
		days, col int
		want      []string
	}{
		{"a month begins on the last day", time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC), 30, 18, []string{"11-02", "12-01"}},
		{"a month begins on the second day", time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC), 30, 18, []string{"12-01"}},
		{"the sales page's 90 days", time.Date(2026, 9, 4, 0, 0, 0, 0, time.UTC), 90, 6, []string{"09-04", "10-01", "11-01", "12-01"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := dayChart(tc.first, tc.days, tc.col, nil, func(int64) string { return "" })
			var got []string
			for i, l := range c.Labels {
				got = append(got, l.Text)
				if l.X < 0 || l.X+labelWidth > c.Width {
					t.Errorf("%s at %d: outside 0–%d", l.Text, l.X, c.Width)
				}
				if i > 0 && l.X-c.Labels[i-1].X < labelWidth {
					t.Errorf("%s at %d overlaps %s at %d", l.Text, l.X, c.Labels[i-1].Text, c.Labels[i-1].X)
				}
			}
			if len(got) != len(tc.want) {
				t.Fatalf("labels %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("labels %v, want %v", got, tc.want)
				}
			}
		})
	}
}
