package tui

import (
	"context"
	"sync"
	"time"

	"github.com/funcemu/funcemu/emulator"
)

// batcher drains the event channel as fast as events come, so the
// publisher never waits on the screen, and hands them to the UI in batches
// at most once per interval. When the UI falls behind, the oldest events
// beyond max are dropped and counted.
type batcher struct {
	interval time.Duration
	max      int

	mu      sync.Mutex
	buf     []emulator.Event
	dropped int
	closed  bool
	wake    chan struct{} // capacity 1: something new to hand over
}

// eventsMsg carries a batch of events to Update.
type eventsMsg struct {
	events  []emulator.Event
	dropped int  // lost since the last batch
	closed  bool // the channel is closed: no more batches
}

func newBatcher(interval time.Duration, max int) *batcher {
	return &batcher{interval: interval, max: max, wake: make(chan struct{}, 1)}
}

// run reads events until ctx ends or the channel closes.
func (b *batcher) run(ctx context.Context, events <-chan emulator.Event) {
	for {
		select {
		case <-ctx.Done():
			b.finish()
			return
		case e, ok := <-events:
			if !ok {
				b.finish()
				return
			}
			b.add(e)
		}
	}
}

func (b *batcher) add(e emulator.Event) {
	b.mu.Lock()
	if len(b.buf) >= b.max {
		drop := len(b.buf) - b.max + 1
		b.buf = append(b.buf[:0], b.buf[drop:]...)
		b.dropped += drop
	}
	b.buf = append(b.buf, e)
	b.mu.Unlock()
	b.signal()
}

func (b *batcher) finish() {
	b.mu.Lock()
	b.closed = true
	b.mu.Unlock()
	b.signal()
}

func (b *batcher) signal() {
	select {
	case b.wake <- struct{}{}:
	default:
	}
}

// next waits until there is something to deliver, lets the interval pass
// so more events join the batch, and takes the batch. It returns nil when
// ctx ends first.
func (b *batcher) next(ctx context.Context) *eventsMsg {
	select {
	case <-ctx.Done():
		return nil
	case <-b.wake:
	}
	if b.interval > 0 {
		t := time.NewTimer(b.interval)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	msg := &eventsMsg{events: b.buf, dropped: b.dropped, closed: b.closed}
	b.buf, b.dropped = nil, 0
	return msg
}
