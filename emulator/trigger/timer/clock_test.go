package timer

import (
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator/clock"
	"github.com/funcemu/funcemu/emulator/triggertest"
)

// newFakeClock is the trigger tests' hand-moved clock: due callbacks run
// without being waited for, so a test can move time on while a run is
// blocked.
var newFakeClock = triggertest.NewClock

// waitArmed waits until exactly one timer is armed and returns its due
// time. The timeout only bounds a broken test; it asserts nothing timed.
func waitArmed(t *testing.T, c *clock.Virtual) time.Time {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if p := c.Deadlines(); len(p) == 1 {
			return p[0]
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatalf("no single timer armed; pending: %v", c.Deadlines())
	return time.Time{}
}

// fireDue waits for the run the listener armed to happen at once (a timer
// due now, as for a past-due or catch-up run) and fires it: on the virtual
// clock such a timer runs on the clock's next move.
func fireDue(t *testing.T, c *clock.Virtual) {
	t.Helper()
	if due := waitArmed(t, c); due.After(c.Now()) {
		t.Fatalf("timer armed for %s, after now %s; want one due at once", due, c.Now())
	}
	c.Advance(0)
}
