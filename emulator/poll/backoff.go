package poll

import (
	"math"
	"math/rand/v2"
	"time"
)

// MinPollingInterval is the host's shortest wait between empty polls, and
// the floor of host.json's extensions.queues.maxPollingInterval.
const MinPollingInterval = 100 * time.Millisecond

// randomization is the ±20% jitter of each increment.
const randomization = 0.2

// Backoff is the host's randomized exponential backoff between empty queue
// polls (RandomizedExponentialBackoffStrategy with min 100 ms and max
// maxPollingInterval). The listener asks for a delay only after a poll found
// nothing:
//
//	delay := b.Next(foundSinceLastDelay)
//
// If any poll since the previous delay found messages the delay drops to
// the minimum; otherwise it grows as min + rand[0.8,1.2) * 2^(k-1) * min
// (about 100 ms, 200, 300, 500, 900, 1.7 s, ...) until it reaches Max, and
// stays there. The zero value is not usable: use NewBackoff.
type Backoff struct {
	Min, Max time.Duration
	// Rand returns a number in [0, 1); tests replace it.
	Rand func() float64

	current  time.Duration
	exponent uint
}

// NewBackoff returns the host's queue backoff with maximum maxInterval (host.json's
// maxPollingInterval), which is raised to MinPollingInterval if lower.
func NewBackoff(maxInterval time.Duration) *Backoff {
	return &Backoff{Min: MinPollingInterval, Max: max(maxInterval, MinPollingInterval), Rand: rand.Float64}
}

// Next returns how long to wait before the next poll. foundMessages says
// whether any poll since the previous delay returned messages.
func (b *Backoff) Next(foundMessages bool) time.Duration {
	if foundMessages {
		b.current, b.exponent = b.Min, 1
		return b.current
	}
	if b.current == b.Max {
		return b.current
	}
	next := b.Min
	if b.exponent > 0 {
		factor := 1 - randomization + 2*randomization*b.Rand()
		inc := factor * math.Pow(2, float64(b.exponent-1)) * float64(b.Min)
		if inc >= float64(b.Max) {
			next = b.Max
		} else {
			next += time.Duration(inc)
		}
	}
	if next < b.Max {
		b.current = next
		b.exponent++
	} else {
		b.current = b.Max
	}
	return b.current
}
