package triggertest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator"
)

// Invoker is a fake emulator.Invoker: it records every request and
// answers with Func (success when nil).
type Invoker struct {
	Func func(ctx context.Context, req emulator.InvokeRequest) error

	mu       sync.Mutex
	requests []emulator.InvokeRequest
	running  int
	maxRun   int
}

// Invoke records req and calls Func.
func (i *Invoker) Invoke(ctx context.Context, req emulator.InvokeRequest) (*emulator.Result, error) {
	i.mu.Lock()
	i.requests = append(i.requests, req)
	i.running++
	i.maxRun = max(i.maxRun, i.running)
	i.mu.Unlock()
	var err error
	if i.Func != nil {
		err = i.Func(ctx, req)
	}
	i.mu.Lock()
	i.running--
	i.mu.Unlock()
	inv := &emulator.Invocation{ID: emulator.NewGUID(), Function: req.Function}
	return &emulator.Result{Invocation: inv}, err
}

// Requests returns the requests so far.
func (i *Invoker) Requests() []emulator.InvokeRequest {
	i.mu.Lock()
	defer i.mu.Unlock()
	return append([]emulator.InvokeRequest(nil), i.requests...)
}

// MaxConcurrent is the most invocations that ran at once.
func (i *Invoker) MaxConcurrent() int {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.maxRun
}

// Eventually polls cond until it holds, failing the test after a generous
// timeout. It waits for readiness only; it measures nothing.
func Eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}
