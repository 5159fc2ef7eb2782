package queue

import (
	"math/rand/v2"
	"time"
)

// minPollingInterval is the host's shortest delay between empty polls.
const minPollingInterval = 100 * time.Millisecond

// backoff is the host's RandomizedExponentialBackoffStrategy, the delay
// after an empty receive when the store cannot notify: 100 ms, then
// 100 ms + r*2^(k-1)*100 ms with r in [0.8, 1.2), growing until
// maxPollingInterval; a receive that finds messages starts it over.
type backoff struct {
	max    time.Duration
	k      int
	capped bool
	random func() float64 // in [0, 1)
}

func newBackoff(max time.Duration) *backoff {
	if max < minPollingInterval {
		max = minPollingInterval
	}
	return &backoff{max: max, random: rand.Float64}
}

func (b *backoff) next() time.Duration {
	if b.capped {
		return b.max
	}
	d := minPollingInterval
	if b.k > 0 {
		r := 0.8 + 0.4*b.random()
		d += time.Duration(r * float64(int64(1)<<min(b.k-1, 30)) * float64(minPollingInterval))
	}
	b.k++
	if d >= b.max {
		b.capped = true
		return b.max
	}
	return d
}

func (b *backoff) reset() { b.k, b.capped = 0, false }
