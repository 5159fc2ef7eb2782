package background

import (
	"context"
	"errors"
	"testing"
)

func TestCloseWaitsForRunningWork(t *testing.T) {
	t.Parallel()
	var g Group
	started, release := make(chan struct{}), make(chan struct{})
	finished := false
	if !g.Go(func() { close(started); <-release; finished = true }) {
		t.Fatal("Go refused work on an open group")
	}
	<-started
	closed := make(chan error, 1)
	go func() { closed <- g.Close(t.Context()) }()
	select {
	case err := <-closed:
		t.Fatalf("Close returned %v while work was running", err)
	default:
	}
	close(release)
	if err := <-closed; err != nil {
		t.Fatalf("Close: %v", err)
	}
	if !finished {
		t.Fatal("Close returned before the work finished")
	}
}

func TestCloseStopsWaitingAtTheDeadline(t *testing.T) {
	t.Parallel()
	var g Group
	release := make(chan struct{})
	defer close(release)
	g.Go(func() { <-release })
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := g.Close(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Close = %v, want the context's error", err)
	}
}

func TestGoAfterCloseRefuses(t *testing.T) {
	t.Parallel()
	var g Group
	if err := g.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	if g.Go(func() { t.Error("work ran after Close") }) {
		t.Fatal("Go accepted work after Close")
	}
}
