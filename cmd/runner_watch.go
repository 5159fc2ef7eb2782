package cmd

import (
	"context"
	"path/filepath"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/app"
	"github.com/funcemu/funcemu/emulator/build"
	"github.com/funcemu/funcemu/emulator/reload"
	"github.com/funcemu/funcemu/emulator/worker"
	"github.com/funcemu/funcemu/watcher"
)

// startWatch runs the inner loop: it watches the app folder and rebuilds
// and swaps the handler, reloads the function index or restarts the
// handler as the changes ask. --no-watch turns it off. Its timing (the
// debounce, build durations) is the developer's wall clock, never the
// runner's clock, which may be virtual.
func (r *runner) startWatch(ctx context.Context) error {
	if r.opts.noWatch {
		return nil
	}
	rebuild := withSpareSupervisor(r.rebuildFunc())
	exe := r.exeInApp()
	wopts := watcher.Options{
		Debounce: r.opts.debounce,
		DataDir:  r.dataDir(),
		// Build temporaries stay in <app>/.funcemu whatever --data-dir says.
		Ignore: []string{watcher.DefaultDataDir},
		Warn:   func(err error) { r.log(emulator.LevelWarning, "%v", err) },
	}
	if exe != "" {
		if rebuild != nil {
			wopts.Ignore = append(wopts.Ignore, exe) // a build output
		} else {
			wopts.Keep = []string{exe} // watched even when .gitignore lists it
		}
	}
	w, err := watcher.New(r.app.Dir, wopts)
	if err != nil {
		return err
	}
	c := reload.New(r.app, w.Batches(), reload.Options{
		Classify:   watcher.ClassifyOptions{Builds: rebuild != nil, Executable: exe},
		Executable: r.exe,
		Build:      rebuild,
		Load: func() (*emulator.App, error) {
			return app.Load(r.app.Dir, app.Options{Environ: r.environ(), Functions: r.opts.functions})
		},
		Apply:   r.switchApp,
		Env:     func(a *emulator.App) []string { return app.HandlerEnv(a, r.environ()) },
		Handler: r.sup,
		Events:  r.bus,
		Early:   w.Early(),
	})
	if err := w.Start(ctx); err != nil {
		return err
	}
	if err := c.Start(ctx); err != nil {
		w.Close()
		return err
	}
	r.reload = c
	r.onClose(func() {
		w.Close()
		c.Close()
	})
	return nil
}

// switchApp hands a reloaded app to the host and to every part that serves
// functions, without stopping any of them.
func (r *runner) switchApp(a *emulator.App) error {
	for _, switchTo := range r.onAppReload {
		if err := switchTo(a); err != nil {
			return err
		}
	}
	r.host.SetApp(a) // last: it cannot fail, the parts above can
	return nil
}

// rebuildFunc is how a change is built: the --build command, else go build
// for a Go module; nil when the app has no build step or --no-build.
func (r *runner) rebuildFunc() func(context.Context) (*emulator.Build, error) {
	switch {
	case r.opts.noBuild:
		return nil
	case r.opts.buildCmd != "":
		return r.buildCommand().Build
	case fileExists(filepath.Join(r.app.Dir, "go.mod")):
		return func(ctx context.Context) (*emulator.Build, error) {
			// The controller publishes the build events, so that a build
			// canceled by a newer change is not reported as failed.
			return build.Run(ctx, build.Options{
				Dir: r.app.Dir, Output: r.exe, TempDir: r.buildDir(),
			})
		}
	}
	return nil
}

// buildCommand is the --build command line, run by the shell in the app
// folder.
func (r *runner) buildCommand() build.Command {
	return build.Command{Line: r.opts.buildCmd, Dir: r.app.Dir, Parse: build.ParseErrors}
}

// runBuildCommand builds the handler with --build before it first starts.
func (r *runner) runBuildCommand(ctx context.Context) error {
	start := r.clock.Now()
	r.publish(emulator.Event{Kind: emulator.EventBuildStarted, Build: &emulator.Build{State: emulator.BuildRunning, Start: start}})
	b, err := r.buildCommand().Build(ctx)
	if b != nil {
		r.publish(emulator.Event{Kind: emulator.EventBuildFinished, Build: b})
	}
	return err
}

// exeInApp is the handler executable relative to the app folder,
// slash-separated, or "" when it lies elsewhere (a command on PATH).
func (r *runner) exeInApp() string {
	if !filepath.IsAbs(r.exe) {
		return ""
	}
	rel, err := filepath.Rel(r.app.Dir, r.exe)
	if err != nil || !filepath.IsLocal(rel) {
		return ""
	}
	return filepath.ToSlash(rel)
}

// withSpareSupervisor has a spare handler supervisor readied while build
// runs, so the swap that follows starts the new handler at once: after a
// swap the next spare waits a second, and a quick save-build-save loop
// comes back sooner than that.
func withSpareSupervisor(build func(context.Context) (*emulator.Build, error)) func(context.Context) (*emulator.Build, error) {
	if build == nil {
		return nil
	}
	return func(ctx context.Context) (*emulator.Build, error) {
		worker.Prewarm()
		return build(ctx)
	}
}
