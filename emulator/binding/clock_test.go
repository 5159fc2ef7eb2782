package binding

import (
	"time"

	"github.com/funcemu/funcemu/emulator"
)

// fixedClock is a Clock stopped at one instant; templates only read Now.
type fixedClock struct{ now time.Time }

func (c fixedClock) Now() time.Time { return c.now }

func (c fixedClock) AfterFunc(time.Duration, func()) emulator.Timer {
	panic("templates never schedule")
}

var may1 = fixedClock{time.Date(2024, 5, 1, 13, 45, 7, 123456700, time.UTC)}
