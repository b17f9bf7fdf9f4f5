// Package events delivers the outbox to vendors: it signs each event, POSTs
// it to the app's endpoint through a guard that refuses private addresses,
// retries on an exponential schedule with jitter, keeps each (app, org)
// stream in order up to a cap, and records every attempt. It depends on the
// domain and on the small Store interface below, never on the web layer.
package events

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// Schedule is the retry schedule: the n-th failed attempt (1-based) waits
// Base·Factor^(n-1), at most Max, then ±Jitter of that at random, so that
// many events failing together do not come back together.
type Schedule struct {
	Base   time.Duration
	Factor float64
	Max    time.Duration
	Jitter float64 // 0.2 means ±20%
}

// DefaultSchedule starts at 10 s and doubles up to 4 h: about 30 attempts
// in the 72-hour delivery window (the table is in docs/events.md).
var DefaultSchedule = Schedule{Base: 10 * time.Second, Factor: 2, Max: 4 * time.Hour, Jitter: 0.2}

// Delay is the wait after the n-th failed attempt; r in [0, 1) draws the
// jitter (0.5 is none).
func (s Schedule) Delay(n int, r float64) time.Duration {
	if n < 1 {
		n = 1
	}
	d := float64(s.Base) * math.Pow(s.Factor, float64(n-1))
	if d > float64(s.Max) || math.IsInf(d, 0) {
		d = float64(s.Max)
	}
	d *= 1 + s.Jitter*(2*r-1)
	return time.Duration(d)
}

// Table renders the schedule without jitter, attempt by attempt, until the
// window is spent: the published form.
func (s Schedule) Table(window time.Duration) string {
	var b strings.Builder
	b.WriteString("| attempt | waits before it | sent at (after the event) |\n|---|---|---|\n")
	b.WriteString("| 1 | 0 | 0 |\n")
	var at time.Duration
	for n := 1; ; n++ {
		d := s.Delay(n, 0.5)
		if at+d > window {
			break
		}
		at += d
		fmt.Fprintf(&b, "| %d | %s | %s |\n", n+1, short(d), short(at))
	}
	return b.String()
}

func short(d time.Duration) string {
	switch {
	case d >= time.Hour && d%time.Hour == 0:
		return fmt.Sprintf("%dh", d/time.Hour)
	case d >= time.Hour:
		return fmt.Sprintf("%dh%02dm", d/time.Hour, d%time.Hour/time.Minute)
	case d >= time.Minute && d%time.Minute/time.Second == 0:
		return fmt.Sprintf("%dm", d/time.Minute)
	case d >= time.Minute:
		return fmt.Sprintf("%dm%02ds", d/time.Minute, d%time.Minute/time.Second)
	}
	return d.Round(time.Second).String()
}
