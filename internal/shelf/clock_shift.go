package shelf

import (
	"sync/atomic"
	"time"
)

// ShiftClock is the system clock moved by an offset, zero unless set: the
// demo data set writes a few months of history through it (orders, a
// closed statement, tickets) before the server starts, then resets it.
type ShiftClock struct{ off atomic.Int64 }

// Now returns the current UTC time plus the offset.
func (c *ShiftClock) Now() time.Time { return time.Now().UTC().Add(time.Duration(c.off.Load())) }

// Set moves the clock to t.
func (c *ShiftClock) Set(t time.Time) { c.off.Store(int64(time.Until(t))) }

// Reset takes the offset away: the clock is the system clock again.
func (c *ShiftClock) Reset() { c.off.Store(0) }
