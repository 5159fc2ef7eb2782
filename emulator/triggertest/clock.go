// Package triggertest has in-memory fakes of the store interfaces, an
// invoker and an event recorder for the tests of the triggers and
// bindings, and the clock they move by hand. (emulator/storetest is the
// other kind: one contract every real store passes.)
package triggertest

import (
	"time"

	"github.com/funcemu/funcemu/emulator/clock"
)

// NewClock returns a virtual clock set to now whose due callbacks run in
// their own goroutines without being waited for, as on the system clock,
// so a test can move time while a listener's callback is still running.
func NewClock(now time.Time) *clock.Virtual {
	c := clock.NewVirtual(now)
	c.WaitForCallbacks(0)
	return c
}

// Delays are how long from now each pending timer on c falls due, earliest
// first.
func Delays(c *clock.Virtual) []time.Duration {
	now := c.Now()
	var ds []time.Duration
	for _, at := range c.Deadlines() {
		ds = append(ds, at.Sub(now))
	}
	return ds
}
