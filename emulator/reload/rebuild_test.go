package reload

import (
	"context"
	"testing"
	"testing/synctest"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/watcher"
)

func TestRebuildBuildsAndSwapsWithoutAChange(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, goApp)
		if err := r.c.Rebuild(); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		r.wantCalls("build")
		r.wantLog("Rebuild requested.")
		r.finishBuild(&emulator.Build{State: emulator.BuildSucceeded}, nil)
		r.wantCalls("build", "swap")
		if n := r.count(emulator.EventBuildStarted); n != 1 {
			t.Fatalf("%d build.started events, want 1", n)
		}
	})
}

func TestRebuildSupersedesABuildInProgress(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, goApp)
		r.send("main.go")
		if err := r.c.Rebuild(); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		r.wantCalls("build", "build")
		r.mu.Lock()
		first := r.buildCtx[0]
		r.mu.Unlock()
		if first.Err() == nil {
			t.Fatal("the build in progress was not canceled by the requested rebuild")
		}
		r.finishBuild(&emulator.Build{State: emulator.BuildSucceeded}, nil)
		r.wantCalls("build", "build", "swap")
	})
}

func TestRebuildRefusals(t *testing.T) {
	tests := []struct {
		name     string
		classify watcher.ClassifyOptions
		closeIt  bool
	}{
		{"app without a build step", watcher.ClassifyOptions{Executable: "handler"}, false},
		{"closed controller", goApp, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				r := newRig(t, tc.classify)
				if tc.closeIt {
					r.c.Close()
				}
				if err := r.c.Rebuild(); err == nil {
					t.Fatal("Rebuild succeeded, want an error")
				}
				synctest.Wait()
				r.wantCalls()
			})
		})
	}
}

// swapUntilCanceled is a handler whose swap runs until shutdown.
type swapUntilCanceled struct{ swapping chan struct{} }

func (h swapUntilCanceled) Swap(ctx context.Context, exe string) error {
	close(h.swapping)
	<-ctx.Done()
	return ctx.Err()
}

func (h swapUntilCanceled) Restart(context.Context, []string) error { return nil }

// A job that finishes after Close cancels it still takes the controller's
// lock; Close must not hold it while waiting for that job.
func TestCloseDuringASwapReturns(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := swapUntilCanceled{swapping: make(chan struct{})}
		app := &emulator.App{Dir: "/app"}
		c := New(app, make(chan watcher.Batch), Options{
			Classify:   goApp,
			Executable: "/app/handler",
			Build: func(context.Context) (*emulator.Build, error) {
				return &emulator.Build{State: emulator.BuildSucceeded}, nil
			},
			Load:    func() (*emulator.App, error) { return app, nil },
			Apply:   func(*emulator.App) error { return nil },
			Env:     func(*emulator.App) []string { return nil },
			Handler: h,
		})
		if err := c.Start(t.Context()); err != nil {
			t.Fatal(err)
		}
		if err := c.Rebuild(); err != nil {
			t.Fatal(err)
		}
		<-h.swapping
		c.Close() // hangs if it waits for the job while holding the lock
		select {
		case <-c.Done():
		default:
			t.Fatal("Done is open after Close returned")
		}
	})
}
