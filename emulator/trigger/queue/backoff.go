package queue

import "time"

// backoff is the polling delay for stores that cannot notify: it doubles
// from 100 ms after each empty receive up to the maximum, and starts over
// once a message is found (the host's randomized exponential backoff,
// without the randomness).
type backoff struct {
	max   time.Duration
	delay time.Duration
}

const minPollingInterval = 100 * time.Millisecond

func newBackoff(max time.Duration) *backoff {
	if max < minPollingInterval {
		max = minPollingInterval
	}
	return &backoff{max: max}
}

func (b *backoff) next() time.Duration {
	if b.delay == 0 {
		b.delay = minPollingInterval
	} else {
		b.delay = min(2*b.delay, b.max)
	}
	return b.delay
}

func (b *backoff) reset() { b.delay = 0 }
