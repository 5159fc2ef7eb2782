package cmd

import (
	"context"
	"errors"
	"fmt"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/watcher"
)

// buildFailed is the error of a first build that failed. The compiler's
// errors were shown with the build's events already, so a failure of go
// build is not repeated in full.
func buildFailed(err error) error {
	if emulator.ErrorCode(err) == emulator.EINVALID {
		return errors.New("the handler did not build; the compiler's errors are above")
	}
	return err
}

// waitForFix waits, after the first build failed, for a change to the app
// folder and builds again until a build succeeds, as a reload would; then
// start goes on, with the app read again. Ctrl-C ends the wait.
func (r *runner) waitForFix(ctx context.Context, first error) error {
	if emulator.ErrorCode(first) != emulator.EINVALID {
		r.log(emulator.LevelError, "%v", first) // not a compiler error: the build events do not carry it
	}
	wopts := watcher.Options{Debounce: r.opts.debounce, DataDir: r.dataDir(),
		Warn: func(err error) { r.log(emulator.LevelWarning, "%v", err) }}
	if exe := r.exeInApp(); exe != "" {
		wopts.Ignore = []string{exe}
	}
	w, err := watcher.New(r.app.Dir, wopts)
	if err != nil {
		return fmt.Errorf("watch for a fix: %w", err)
	}
	if err := w.Start(ctx); err != nil {
		return fmt.Errorf("watch for a fix: %w", err)
	}
	defer w.Close()
	r.log(emulator.LevelWarning, "The handler did not build. funcemu builds again when you save a change (Ctrl-C to stop).")
	classify := watcher.ClassifyOptions{Builds: true, Executable: r.exeInApp()}
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case b, ok := <-w.Batches():
			if !ok {
				return errors.New("watch for a fix: the watcher stopped")
			}
			if watcher.Classify(b.Paths, classify).Actions == watcher.Nothing {
				continue
			}
			err := r.buildOnce(ctx)
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if err != nil {
				if emulator.ErrorCode(err) != emulator.EINVALID {
					r.log(emulator.LevelError, "%v", err)
				}
				continue
			}
			r.reloadAfterFix()
			return nil
		}
	}
}

// reloadAfterFix reads the app folder again, since function.json files may
// have changed during the wait; a broken app keeps the one read at start.
func (r *runner) reloadAfterFix() {
	a, err := loadApp(r.opts.dir, r.opts.functions, r.environ())
	if err != nil {
		r.log(emulator.LevelError, "Reloading the app failed; using the app as it was at start: %v", err)
		return
	}
	r.opts.resolve(a)
	r.app = a
	r.exe = executablePath(a)
	r.appLoaded(a)
}
