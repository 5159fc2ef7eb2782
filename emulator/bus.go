package emulator

import (
	"sync"
	"sync/atomic"
)

// Bus fans events out to subscribers. Publish never blocks: a subscriber
// that falls behind by more than its buffer loses events, counted in
// Dropped, so a slow screen can never stall an invocation.
type Bus struct {
	mu      sync.RWMutex
	subs    map[chan Event]struct{}
	dropped atomic.Int64
}

// NewBus returns an empty Bus.
func NewBus() *Bus {
	return &Bus{subs: make(map[chan Event]struct{})}
}

// Publish sends e to every subscriber that has room for it.
func (b *Bus) Publish(e Event) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	for ch := range b.subs {
		select {
		case ch <- e:
		default:
			b.dropped.Add(1)
		}
	}
}

// Subscribe returns a channel of events and a function that ends the
// subscription and closes the channel.
func (b *Bus) Subscribe(buffer int) (<-chan Event, func()) {
	ch := make(chan Event, buffer)
	b.mu.Lock()
	b.subs[ch] = struct{}{}
	b.mu.Unlock()
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			b.mu.Lock()
			delete(b.subs, ch)
			b.mu.Unlock()
			close(ch)
		})
	}
}

// Dropped counts events lost to full subscribers.
func (b *Bus) Dropped() int64 { return b.dropped.Load() }
