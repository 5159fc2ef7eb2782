// Package clock has the virtual clock behind --clock virtual: time starts at
// the real time and moves only when told, so timers, visibility timeouts and
// message lifetimes elapse with no waiting.
package clock

import (
	"container/heap"
	"sort"
	"sync"
	"time"

	"github.com/funcemu/funcemu/emulator"
)

// defaultCallbackWait bounds how long Advance waits for one callback before
// going on to the next, so a callback that blocks cannot stall the clock
// forever.
const defaultCallbackWait = 5 * time.Second

// Virtual is an emulator.Clock that moves only on Advance or Set.
type Virtual struct {
	mu     sync.Mutex
	now    time.Time
	timers timerHeap
	seq    uint64 // orders timers with the same deadline by creation
	// advancing serializes Advance calls so callbacks fire in order.
	advancing sync.Mutex
	// callbackWait is how long Set waits for each fired callback.
	callbackWait time.Duration
}

// NewVirtual returns a virtual clock reading start.
func NewVirtual(start time.Time) *Virtual {
	return &Virtual{now: start, callbackWait: defaultCallbackWait}
}

// WaitForCallbacks sets how long Advance and Set wait for each fired
// callback to return (5 s by default). Zero fires callbacks without
// waiting, as the system clock does: a caller that blocks in a callback
// while time moves on (a run outlasting its schedule) needs that.
// Call it before the clock is shared.
func (v *Virtual) WaitForCallbacks(d time.Duration) {
	v.callbackWait = d
}

// Now returns the clock's time.
func (v *Virtual) Now() time.Time {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.now
}

// AfterFunc calls f once the clock has been advanced by d or more.
func (v *Virtual) AfterFunc(d time.Duration, f func()) emulator.Timer {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.seq++
	t := &timer{clock: v, deadline: v.now.Add(d), seq: v.seq, f: f, index: -1}
	heap.Push(&v.timers, t)
	return t
}

// Advance moves the clock forward by d. Timers due on the way fire one by
// one in deadline order, with the clock reading each one's deadline while
// it runs, so a timer that re-arms itself (a daily schedule) fires once per
// period crossed. It returns the number of callbacks run.
func (v *Virtual) Advance(d time.Duration) int {
	if d < 0 {
		d = 0
	}
	return v.Set(v.Now().Add(d))
}

// Set moves the clock to t, firing due timers as Advance does. A t before
// the current time fires nothing and leaves the clock where it is.
func (v *Virtual) Set(target time.Time) int {
	v.advancing.Lock()
	defer v.advancing.Unlock()
	fired := 0
	for {
		v.mu.Lock()
		if len(v.timers) == 0 || v.timers[0].deadline.After(target) {
			if target.After(v.now) {
				v.now = target
			}
			v.mu.Unlock()
			return fired
		}
		t := heap.Pop(&v.timers).(*timer)
		if t.deadline.After(v.now) {
			v.now = t.deadline
		}
		v.mu.Unlock()

		fired++
		if v.callbackWait <= 0 {
			go t.f()
			continue
		}
		done := make(chan struct{})
		go func() {
			defer close(done)
			t.f()
		}()
		select {
		case <-done:
		case <-time.After(v.callbackWait):
		}
	}
}

// Pending is the number of timers not yet fired or stopped.
func (v *Virtual) Pending() int {
	v.mu.Lock()
	defer v.mu.Unlock()
	return len(v.timers)
}

// Deadlines are the due times of the pending timers, earliest first.
func (v *Virtual) Deadlines() []time.Time {
	v.mu.Lock()
	defer v.mu.Unlock()
	at := make([]time.Time, len(v.timers))
	for i, t := range v.timers {
		at[i] = t.deadline
	}
	sort.Slice(at, func(i, j int) bool { return at[i].Before(at[j]) })
	return at
}

type timer struct {
	clock    *Virtual
	deadline time.Time
	seq      uint64
	f        func()
	index    int // in the heap; -1 when fired or stopped
}

// Stop prevents the call if it has not happened.
func (t *timer) Stop() bool {
	v := t.clock
	v.mu.Lock()
	defer v.mu.Unlock()
	if t.index < 0 {
		return false
	}
	heap.Remove(&v.timers, t.index)
	return true
}

// timerHeap orders timers by deadline, then creation.
type timerHeap []*timer

func (h timerHeap) Len() int { return len(h) }
func (h timerHeap) Less(i, j int) bool {
	if h[i].deadline.Equal(h[j].deadline) {
		return h[i].seq < h[j].seq
	}
	return h[i].deadline.Before(h[j].deadline)
}
func (h timerHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index = i
	h[j].index = j
}
func (h *timerHeap) Push(x any) {
	t := x.(*timer)
	t.index = len(*h)
	*h = append(*h, t)
}
func (h *timerHeap) Pop() any {
	old := *h
	t := old[len(old)-1]
	old[len(old)-1] = nil
	t.index = -1
	*h = old[:len(old)-1]
	return t
}
