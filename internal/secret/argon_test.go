package secret

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
)

// TestArgonBounded: however many sign-ins arrive at once, at most the
// bound of argon2id computations (19 MiB each) run at a time; the rest
// wait their turn.
func TestArgonBounded(t *testing.T) {
	const bound, callers = 2, 12
	var inside atomic.Int64
	release := make(chan struct{})
	l := newArgonLimiter(bound)
	var wg sync.WaitGroup
	for range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l.run(func() {
				inside.Add(1)
				<-release
				inside.Add(-1)
			})
		}()
	}
	// Every caller is inside or waiting for a slot once this settles.
	for inside.Load()+l.waiting.Load() != callers {
		runtime.Gosched()
	}
	if n := inside.Load(); n != bound {
		t.Errorf("%d computations at once, want %d (the bound)", n, bound)
	}
	close(release)
	wg.Wait()
}
