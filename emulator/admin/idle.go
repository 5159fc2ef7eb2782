package admin

import (
	"context"
	"sync"
	"time"

	"github.com/funcemu/funcemu/emulator"
)

// idleRecheck is how often Wait asks Check again while nothing runs but
// Check says work is still waiting (a visible queue message).
const idleRecheck = 25 * time.Millisecond

// Idle tells when the emulator has nothing left to do: no invocation
// running and, through Check, nothing waiting to trigger one. It learns
// what runs from the invocation events.
type Idle struct {
	// Check, when set, reports whether the parts that hold pending work
	// (queues) are idle too. Nil means they are.
	Check func(ctx context.Context) (bool, error)
	clock emulator.Clock

	mu      sync.Mutex
	running map[string]bool
	changed chan struct{} // closed and replaced whenever running changes
	total   int
	failed  int
}

// NewIdle returns a tracker that has seen nothing run. clock may be nil.
func NewIdle(clock emulator.Clock) *Idle {
	if clock == nil {
		clock = emulator.SystemClock{}
	}
	return &Idle{clock: clock, running: map[string]bool{}, changed: make(chan struct{})}
}

// Run observes events until ctx ends or events is closed.
func (i *Idle) Run(ctx context.Context, events <-chan emulator.Event) {
	for {
		select {
		case <-ctx.Done():
			return
		case e, ok := <-events:
			if !ok {
				return
			}
			i.Observe(e)
		}
	}
}

// Observe takes note of one event.
func (i *Idle) Observe(e emulator.Event) {
	if e.Invocation == nil {
		return
	}
	i.mu.Lock()
	defer i.mu.Unlock()
	switch e.Kind {
	case emulator.EventInvocationStarted:
		i.running[e.Invocation.ID] = true
	case emulator.EventInvocationFinished:
		delete(i.running, e.Invocation.ID)
		i.total++
		if e.Invocation.Status == emulator.StatusFailed {
			i.failed++
		}
	default:
		return
	}
	close(i.changed)
	i.changed = make(chan struct{})
}

// Counts returns how many invocations finished and how many of them failed.
func (i *Idle) Counts() (finished, failed int) {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.total, i.failed
}

// Running is how many invocations are running now.
func (i *Idle) Running() int {
	i.mu.Lock()
	defer i.mu.Unlock()
	return len(i.running)
}

// Wait returns once nothing runs and Check agrees, or with ctx's error.
func (i *Idle) Wait(ctx context.Context) error {
	for {
		i.mu.Lock()
		busy, changed := len(i.running) > 0, i.changed
		i.mu.Unlock()
		var recheck <-chan struct{}
		if !busy {
			idle, err := i.checkRest(ctx)
			if err != nil {
				return err
			}
			if idle {
				return nil
			}
			recheck = i.after(idleRecheck)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-changed:
		case <-recheck:
		}
	}
}

func (i *Idle) checkRest(ctx context.Context) (bool, error) {
	if i.Check == nil {
		return true, nil
	}
	return i.Check(ctx)
}

func (i *Idle) after(d time.Duration) <-chan struct{} {
	ch := make(chan struct{})
	i.clock.AfterFunc(d, func() { close(ch) })
	return ch
}
