package host

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/funcemu/funcemu/emulator"
)

// nextDelay is the wait before retry number attempt (1-based).
func nextDelay(p *emulator.RetryPolicy, attempt int) time.Duration {
	if !strings.EqualFold(p.Strategy, "exponentialBackoff") {
		return p.DelayInterval
	}
	// Exponential with jitter between the minimum and maximum intervals,
	// like the SDK's randomized exponential backoff.
	d := p.MinimumInterval
	for i := 1; i < attempt && d < p.MaximumInterval; i++ {
		d *= 2
	}
	if d > 0 {
		d += time.Duration(rand.Int64N(int64(d)/5 + 1))
	}
	return min(max(d, p.MinimumInterval), p.MaximumInterval)
}

// formatTimeSpan writes d as .NET prints a TimeSpan: hh:mm:ss[.fffffff].
func formatTimeSpan(d time.Duration) string {
	h := int(d / time.Hour)
	m := int(d % time.Hour / time.Minute)
	s := int(d % time.Minute / time.Second)
	frac := int(d % time.Second / 100)
	if frac != 0 {
		return fmt.Sprintf("%02d:%02d:%02d.%07d", h, m, s, frac)
	}
	return fmt.Sprintf("%02d:%02d:%02d", h, m, s)
}
