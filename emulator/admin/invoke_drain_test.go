package admin

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/internal/background"
)

// blockingInvoker holds each invocation until release is closed or the
// invocation's context ends.
type blockingInvoker struct {
	started chan struct{}
	release chan struct{}
}

func (b *blockingInvoker) Invoke(ctx context.Context, _ emulator.InvokeRequest) (*emulator.Result, error) {
	close(b.started)
	select {
	case <-b.release:
		return &emulator.Result{}, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func newDrainHandler(inv emulator.Invoker, bg *background.Group, done func(*emulator.Result, error)) *Handler {
	a := testApp()
	return New(Options{
		App: func() *emulator.App { return a }, Invoker: inv,
		BaseURL: func() string { return "http://localhost:7071" }, Background: bg, Done: done,
	})
}

func TestCloseWaitsForAnAdminInvocation(t *testing.T) {
	t.Parallel()
	inv := &blockingInvoker{started: make(chan struct{}), release: make(chan struct{})}
	var bg background.Group
	finished := make(chan error, 1)
	h := newDrainHandler(inv, &bg, func(_ *emulator.Result, err error) { finished <- err })
	if rec := serve(h, "POST", "/admin/functions/Jobs", `{"input":"x"}`); rec.Code != 202 {
		t.Fatalf("invoke answered %d", rec.Code)
	}
	<-inv.started

	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	closed := make(chan error, 1)
	go func() { closed <- bg.Close(ctx) }()
	select {
	case err := <-closed:
		t.Fatalf("Close returned %v with the invocation in flight", err)
	case <-time.After(50 * time.Millisecond):
	}
	close(inv.release)
	if err := <-closed; err != nil {
		t.Fatalf("Close: %v", err)
	}
	select {
	case err := <-finished:
		if err != nil {
			t.Fatalf("invocation: %v", err)
		}
	default:
		t.Fatal("Close returned before the invocation finished")
	}

	if rec := serve(h, "POST", "/admin/functions/Jobs", `{"input":"x"}`); rec.Code != 503 {
		t.Fatalf("invoke while stopping answered %d, want 503", rec.Code)
	}
}

func TestCloseGivesUpAtTheDeadline(t *testing.T) {
	t.Parallel()
	inv := &blockingInvoker{started: make(chan struct{}), release: make(chan struct{})}
	defer close(inv.release)
	var bg background.Group
	h := newDrainHandler(inv, &bg, nil)
	if rec := serve(h, "POST", "/admin/functions/Jobs", `{"input":"x"}`); rec.Code != 202 {
		t.Fatalf("invoke answered %d", rec.Code)
	}
	<-inv.started
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Millisecond)
	defer cancel()
	if err := bg.Close(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Close = %v, want the deadline's error", err)
	}
}
