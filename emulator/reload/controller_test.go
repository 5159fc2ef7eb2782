package reload

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/watcher"
)

// rig is a Controller wired to fakes that record, in order, every call the
// controller makes. Tests run inside a synctest bubble: synctest.Wait
// returns once every goroutine is blocked, so "nothing else happened" can
// be asserted without sleeping.
type rig struct {
	t       *testing.T
	c       *Controller
	batches chan watcher.Batch
	early   chan watcher.Batch

	mu       sync.Mutex
	calls    []string
	events   []emulator.Event
	apps     []*emulator.App // Load returns these in turn
	loadErr  error
	swapErr  error
	builds   chan buildResult // each Build waits for one result
	buildCtx []context.Context
}

type buildResult struct {
	b   *emulator.Build
	err error
}

func newRig(t *testing.T, classify watcher.ClassifyOptions) *rig {
	r := &rig{t: t, batches: make(chan watcher.Batch), early: make(chan watcher.Batch), builds: make(chan buildResult)}
	initial := &emulator.App{Dir: "/app"}
	r.c = New(initial, r.batches, Options{
		Classify:   classify,
		Executable: "/app/handler",
		Build: func(ctx context.Context) (*emulator.Build, error) {
			r.record("build")
			r.mu.Lock()
			r.buildCtx = append(r.buildCtx, ctx)
			r.mu.Unlock()
			select {
			case res := <-r.builds:
				return res.b, res.err
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		},
		Load: func() (*emulator.App, error) {
			r.record("load")
			r.mu.Lock()
			defer r.mu.Unlock()
			if r.loadErr != nil {
				return nil, r.loadErr
			}
			app := &emulator.App{Dir: "/app"}
			if len(r.apps) > 0 {
				app, r.apps = r.apps[0], r.apps[1:]
			}
			return app, nil
		},
		Apply:   func(a *emulator.App) error { r.record("apply"); return nil },
		Env:     func(a *emulator.App) []string { return []string{"FROM=" + a.Dir} },
		Handler: fakeHandler{r},
		Events:  publisherFunc(func(e emulator.Event) { r.mu.Lock(); r.events = append(r.events, e); r.mu.Unlock() }),
		Early:   r.early,
	})
	if err := r.c.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.c.Close() })
	return r
}

type fakeHandler struct{ r *rig }

func (h fakeHandler) Swap(ctx context.Context, exe string) error {
	h.r.record("swap")
	if exe != "/app/handler" {
		h.r.t.Errorf("Swap(%q), want the built executable /app/handler", exe)
	}
	h.r.mu.Lock()
	defer h.r.mu.Unlock()
	return h.r.swapErr
}

func (h fakeHandler) Restart(ctx context.Context, env []string) error {
	h.r.record("restart " + strings.Join(env, " "))
	return nil
}

type publisherFunc func(emulator.Event)

func (f publisherFunc) Publish(e emulator.Event) { f(e) }

func (r *rig) record(call string) {
	r.mu.Lock()
	r.calls = append(r.calls, call)
	r.mu.Unlock()
}

// send delivers a batch and waits until the controller has done all it
// can with it.
func (r *rig) send(paths ...string) {
	r.batches <- watcher.Batch{Paths: paths}
	synctest.Wait()
}

func (r *rig) finishBuild(b *emulator.Build, err error) {
	r.builds <- buildResult{b, err}
	synctest.Wait()
}

func (r *rig) wantCalls(want ...string) {
	r.t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if !slices.Equal(r.calls, want) {
		r.t.Fatalf("calls = %q, want %q", r.calls, want)
	}
}

// logs returns the messages logged so far.
func (r *rig) logs() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, e := range r.events {
		if e.Kind == emulator.EventLog {
			out = append(out, e.Log.Message)
		}
	}
	return out
}

func (r *rig) wantLog(part string) {
	r.t.Helper()
	for _, l := range r.logs() {
		if strings.Contains(l, part) {
			return
		}
	}
	r.t.Fatalf("no log line contains %q; logs: %q", part, r.logs())
}

// finished returns the builds of the build.finished events, in order.
func (r *rig) finished() []*emulator.Build {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []*emulator.Build
	for _, e := range r.events {
		if e.Kind == emulator.EventBuildFinished {
			out = append(out, e.Build)
		}
	}
	return out
}

// buildStates returns the states of the finished builds, in order.
func (r *rig) buildStates() []emulator.BuildState {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []emulator.BuildState
	for _, e := range r.events {
		if e.Kind == emulator.EventBuildFinished {
			out = append(out, e.Build.State)
		}
	}
	return out
}

func (r *rig) count(kind emulator.EventKind) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, e := range r.events {
		if e.Kind == kind {
			n++
		}
	}
	return n
}

var goApp = watcher.ClassifyOptions{Builds: true, Executable: "handler"}

func TestSourceChangeRebuildsAndSwaps(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, goApp)
		r.send("main.go")
		r.wantCalls("build")
		r.finishBuild(&emulator.Build{State: emulator.BuildSucceeded}, nil)
		r.wantCalls("build", "swap")
		if got := r.buildStates(); !slices.Equal(got, []emulator.BuildState{emulator.BuildSucceeded}) {
			t.Fatalf("finished builds = %v", got)
		}
		if r.count(emulator.EventBuildStarted) != 1 {
			t.Fatal("no build.started event")
		}
		r.wantLog("rebuild: main.go")
		r.wantLog("Swapped in the new build")
	})
}

func TestFailedBuildKeepsTheOldHandlerAndShowsErrors(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, goApp)
		r.send("main.go")
		r.finishBuild(&emulator.Build{State: emulator.BuildFailed, Errors: []emulator.CompileError{
			{File: "main.go", Line: 12, Column: 5, Message: "undefined: x"},
			{File: "util.go", Line: 3, Message: "missing return"},
		}}, nil)
		r.wantCalls("build")
		r.wantLog("previous build keeps serving")
		finished := r.finished()
		if len(finished) != 1 || finished[0].State != emulator.BuildFailed || len(finished[0].Errors) != 2 ||
			finished[0].Errors[0].File != "main.go" || finished[0].Errors[0].Line != 12 {
			t.Fatalf("finished builds = %+v, want one failed with both compiler errors", finished)
		}
	})
}

func TestBuildErrorWithoutParsedDiagnosticsShowsTheOutput(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, goApp)
		r.send("go.mod")
		r.finishBuild(nil, errors.New("go: cannot find main module"))
		r.wantCalls("build")
		finished := r.finished()
		if len(finished) != 1 || finished[0].State != emulator.BuildFailed || finished[0].Output != "go: cannot find main module" {
			t.Fatalf("finished builds = %+v, want one failed with the error as output", finished)
		}
	})
}

func TestNewChangeCancelsTheBuildInProgress(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, goApp)
		r.send("a.go")
		r.send("b.go")
		r.mu.Lock()
		first := r.buildCtx[0]
		r.mu.Unlock()
		if first.Err() == nil {
			t.Fatal("first build's context still live after a newer change")
		}
		r.wantCalls("build", "build")
		r.finishBuild(&emulator.Build{State: emulator.BuildSucceeded}, nil)
		r.wantCalls("build", "build", "swap")
		// The canceled build gets no finished event: the next one starts.
		want := []emulator.BuildState{emulator.BuildSucceeded}
		if got := r.buildStates(); !slices.Equal(got, want) {
			t.Fatalf("finished builds = %v, want %v", got, want)
		}
		if n := r.count(emulator.EventBuildStarted); n != 2 {
			t.Fatalf("%d build.started events, want 2", n)
		}
		r.wantLog("Build canceled")
	})
}

func TestChangesDuringABuildCoalesceIntoOneMoreBuild(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, goApp)
		for i := range 5 {
			r.send(fmt.Sprintf("f%d.go", i))
		}
		r.finishBuild(&emulator.Build{State: emulator.BuildSucceeded}, nil)
		r.wantCalls("build", "build", "build", "build", "build", "swap")
		if n := len(r.buildStates()); n != 1 {
			t.Fatalf("%d builds finished, want 1 (4 canceled)", n)
		}
	})
}

func TestFailedSwapIsReported(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, goApp)
		r.swapErr = errors.New("handler did not answer within 30s")
		r.send("main.go")
		r.finishBuild(&emulator.Build{State: emulator.BuildSucceeded}, nil)
		r.wantCalls("build", "swap")
		r.wantLog("The new build did not start; the previous build keeps serving: handler did not answer within 30s")
	})
}

func TestIndexChangeReloadsWithoutTouchingTheHandler(t *testing.T) {
	for _, path := range []string{"host.json", "orders/function.json"} {
		t.Run(path, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				r := newRig(t, goApp)
				r.send(path)
				r.wantCalls("load", "apply")
				if r.count(emulator.EventAppLoaded) != 1 {
					t.Fatal("no app.loaded event")
				}
			})
		})
	}
}

func TestBrokenReloadKeepsTheServedApp(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, goApp)
		r.loadErr = errors.New("host.json: version: must be \"2.0\"")
		r.send("host.json")
		r.wantCalls("load")
		r.wantLog(`still serving the previous version: host.json: version: must be "2.0"`)
		r.send("local.settings.json")
		r.wantCalls("load", "load") // no restart with settings that did not load
	})
}

func TestSettingsChangeRestartsWithTheNewEnvironment(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, goApp)
		r.apps = []*emulator.App{{Dir: "/app-v2"}}
		r.send("local.settings.json")
		r.wantCalls("load", "restart FROM=/app-v2", "apply")
	})
}

func TestHostJSONChangingTheHandlerCommandRestarts(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, goApp)
		app := &emulator.App{Dir: "/app"}
		app.Host.CustomHandler.Arguments = []string{"--verbose"}
		r.apps = []*emulator.App{app}
		r.send("host.json")
		r.wantCalls("load", "restart FROM=/app", "apply")
	})
}

func TestIndexChangeWithSourcesWaitsForTheNewBuild(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, goApp)
		r.send("main.go", "orders/function.json")
		r.wantCalls("load", "build") // new routes must not reach the old handler
		r.finishBuild(&emulator.Build{State: emulator.BuildSucceeded}, nil)
		r.wantCalls("load", "build", "swap", "apply")
	})
}

func TestIndexChangeQueuesBehindABuild(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, goApp)
		r.send("main.go")
		r.send("host.json")
		r.wantCalls("build", "load")
		r.finishBuild(&emulator.Build{State: emulator.BuildFailed}, nil)
		r.wantCalls("build", "load", "apply")
	})
}

func TestAppWithoutBuildRestartsWhenTheExecutableChanges(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, watcher.ClassifyOptions{Executable: "bin/handler"})
		r.send("bin/handler")
		r.wantCalls("load", "restart FROM=/app")
		r.send("static/index.html", "main_test.go")
		r.wantCalls("load", "restart FROM=/app")
	})
}

func TestCloseStopsABuildInProgress(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, goApp)
		r.send("main.go")
		if err := r.c.Close(); err != nil {
			t.Fatal(err)
		}
		r.wantCalls("build") // no swap after shutdown
		select {
		case <-r.c.Done():
		default:
			t.Fatal("Done open after Close")
		}
	})
}

func TestControllerStopsWhenBatchesClose(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newRig(t, goApp)
		r.send("main.go")
		close(r.batches)
		r.finishBuild(&emulator.Build{State: emulator.BuildSucceeded}, nil)
		<-r.c.Done()
		r.wantCalls("build", "swap") // the last job still finishes
	})
}

func TestStartChecksItsWiring(t *testing.T) {
	c := New(&emulator.App{}, nil, Options{Classify: goApp})
	if err := c.Start(t.Context()); err == nil || !strings.Contains(err.Error(), "build function") {
		t.Fatalf("Start without Build: %v", err)
	}
	c = New(&emulator.App{}, nil, Options{})
	if err := c.Start(t.Context()); err == nil || !strings.Contains(err.Error(), "required") {
		t.Fatalf("Start without Load and Handler: %v", err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	<-c.Done()
}
