// Package background tracks work started outside any request, such as an
// invocation that POST /admin/functions/{name} or the terminal UI fires
// and does not wait for, so that shutdown can wait for it instead of
// cutting it off mid-run.
package background

import (
	"context"
	"fmt"
	"sync"
)

// Group runs functions in goroutines and waits for them at Close. The
// zero Group is ready to use.
type Group struct {
	mu     sync.Mutex
	closed bool
	wg     sync.WaitGroup
}

// Go runs f in a goroutine, unless the group is closing: then f does not
// run and Go reports false.
func (g *Group) Go(f func()) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed {
		return false
	}
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		f()
	}()
	return true
}

// Close refuses new work and waits for the running work to end, or for
// ctx to end first, which it reports as an error.
func (g *Group) Close(ctx context.Context) error {
	g.mu.Lock()
	g.closed = true
	g.mu.Unlock()
	done := make(chan struct{})
	go func() {
		g.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("background work still running: %w", ctx.Err())
	}
}
