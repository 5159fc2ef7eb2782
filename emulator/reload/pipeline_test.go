//go:build unix

package reload

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/build"
	"github.com/funcemu/funcemu/watcher"
)

// TestWatcherToSwapWithARealBuild runs the real watcher and a real go build
// into the controller, with the handler faked: a saved edit is built and
// swapped in, a syntax error is shown with its file and line and swaps
// nothing, and the build's own output never triggers another build.
// Waiting uses generous timeouts for readiness only; nothing is timed.
func TestWatcherToSwapWithARealBuild(t *testing.T) {
	dir := t.TempDir()
	// Files are saved the way most editors do, into a temporary file
	// renamed over the old one, so a save is one event however loaded the
	// machine is.
	write := func(rel, content string) {
		t.Helper()
		tmp := filepath.Join(dir, rel+".tmp")
		if err := os.WriteFile(tmp, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, filepath.Join(dir, rel)); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module app\n\ngo 1.22\n")
	write("main.go", "package main\n\nfunc main() { println(1) }\n")
	write("host.json", `{"version":"2.0"}`)
	exe := filepath.Join(dir, "handler")

	w, err := watcher.New(dir, watcher.Options{Debounce: 10 * time.Millisecond, Ignore: []string{exe}})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })

	rec := &recorder{changed: make(chan struct{}, 1)}
	c := New(&emulator.App{Dir: dir}, w.Batches(), Options{
		Classify:   watcher.ClassifyOptions{Builds: true, Executable: "handler"},
		Executable: exe,
		Build:      build.Command{Line: "go build -o handler .", Dir: dir, Parse: build.ParseErrors}.Build,
		Load:       func() (*emulator.App, error) { return &emulator.App{Dir: dir}, nil },
		Apply:      func(*emulator.App) error { rec.add("apply"); return nil },
		Env:        func(*emulator.App) []string { return nil },
		Handler:    rec,
		Events:     rec,
	})
	if err := c.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })

	write("main.go", "package main\n\nfunc main() { println(2) }\n")
	rec.waitFor(t, func(r *recorder) bool { return r.count("swap") == 1 })
	if fi, err := os.Stat(exe); err != nil || fi.Mode()&0o111 == 0 {
		t.Fatalf("no executable at %s after the build: %v", exe, err)
	}

	write("main.go", "package main\n\nfunc main() { println(notDeclared) }\n")
	rec.waitFor(t, func(r *recorder) bool { return r.failed != nil })
	if got := rec.failed.Errors; len(got) == 0 || got[0].File != "main.go" || got[0].Line != 3 {
		t.Fatalf("compile errors = %+v, want one at main.go:3", got)
	}

	// host.json is the sentinel: its batch comes after any batch the
	// builds themselves caused, and is applied after their jobs.
	write("host.json", `{"version":"2.0","functionTimeout":"00:01:00"}`)
	rec.waitFor(t, func(r *recorder) bool { return r.count("apply") == 1 })
	if n := rec.count("swap"); n != 1 {
		t.Fatalf("%d swaps, want 1 (the failed build swaps nothing)", n)
	}
	for _, e := range rec.events {
		if e.Log != nil {
			t.Log(e.Log.Message)
		}
	}
	if n := rec.builds(); n != 2 {
		t.Fatalf("%d builds, want 2: the build output must not trigger builds", n)
	}
}

// recorder is a Handler and a Publisher that remembers what happened.
type recorder struct {
	mu      sync.Mutex
	calls   []string
	events  []emulator.Event
	failed  *emulator.Build
	changed chan struct{}
}

func (r *recorder) Swap(ctx context.Context, exe string) error { r.add("swap"); return nil }
func (r *recorder) Restart(ctx context.Context, env []string) error {
	r.add("restart")
	return nil
}

func (r *recorder) Publish(e emulator.Event) {
	r.mu.Lock()
	r.events = append(r.events, e)
	if e.Kind == emulator.EventBuildFinished && e.Build.State == emulator.BuildFailed {
		r.failed = e.Build
	}
	r.mu.Unlock()
	r.poke()
}

func (r *recorder) add(call string) {
	r.mu.Lock()
	r.calls = append(r.calls, call)
	r.mu.Unlock()
	r.poke()
}

func (r *recorder) poke() {
	select {
	case r.changed <- struct{}{}:
	default:
	}
}

func (r *recorder) count(call string) int {
	n := 0
	for _, c := range r.calls {
		if c == call {
			n++
		}
	}
	return n
}

func (r *recorder) builds() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, e := range r.events {
		if e.Kind == emulator.EventBuildStarted {
			n++
		}
	}
	return n
}

// waitFor waits until cond holds, checking after every change.
func (r *recorder) waitFor(t *testing.T, cond func(*recorder) bool) {
	t.Helper()
	deadline := time.After(60 * time.Second)
	for {
		r.mu.Lock()
		ok := cond(r)
		r.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-r.changed:
		case <-deadline:
			r.mu.Lock()
			defer r.mu.Unlock()
			t.Fatalf("gave up waiting; calls %q, %d events", r.calls, len(r.events))
		}
	}
}
