// Package build runs every build of a custom handler: go build, replacing
// the executable only when the build succeeds, or a --build command line
// (Command). Both run in a process group of their own, killed whole on
// cancel. It also parses the compiler's errors.
package build

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/funcemu/funcemu/emulator"
)

// Options configure a build.
type Options struct {
	Dir    string // the Go module to build (the app folder)
	Output string // the executable path to produce
	// TempDir receives the build output before it is moved onto Output;
	// it must be on the same file system. Default: Output's folder.
	TempDir   string
	Env       []string // go's environment; nil means os.Environ()
	Go        string   // the go command; default "go"
	Clock     emulator.Clock
	Publisher emulator.Publisher // receives EventBuildStarted/Finished; may be nil
}

// Run builds the module in opts.Dir into opts.Output. The result is
// returned in both cases; the error is non-nil when the build failed or
// was canceled, and Output is then left as it was.
func Run(ctx context.Context, opts Options) (*emulator.Build, error) {
	if opts.Clock == nil {
		opts.Clock = emulator.SystemClock{}
	}
	if opts.Go == "" {
		opts.Go = "go"
	}
	b := &emulator.Build{State: emulator.BuildRunning, Start: opts.Clock.Now()}
	publish(opts, emulator.EventBuildStarted, b)

	out, err := compile(ctx, opts)
	b.Output = string(out)
	b.Duration = opts.Clock.Now().Sub(b.Start)
	if err != nil {
		b.State = emulator.BuildFailed
		b.Errors = ParseErrors(b.Output)
	} else {
		b.State = emulator.BuildSucceeded
	}
	done := *b
	publish(opts, emulator.EventBuildFinished, &done)
	return b, err
}

// compile runs go build into a temporary file and renames it onto Output.
func compile(ctx context.Context, opts Options) ([]byte, error) {
	tempDir := opts.TempDir
	if tempDir == "" {
		tempDir = filepath.Dir(opts.Output)
	}
	if err := os.MkdirAll(tempDir, 0o755); err != nil {
		return nil, fmt.Errorf("build: create %s: %w", tempDir, err)
	}
	f, err := os.CreateTemp(tempDir, ".funcemu-build-*")
	if err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	tmp := f.Name()
	f.Close()
	defer os.Remove(tmp) // gone already after a successful rename

	cmd := exec.CommandContext(ctx, opts.Go, "build", "-o", tmp, ".")
	cmd.Dir = opts.Dir
	cmd.Env = opts.Env
	out, err := run(cmd)
	if err != nil {
		if ctx.Err() != nil {
			return out, fmt.Errorf("build canceled: %w", ctx.Err())
		}
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return out, emulator.Errorf(emulator.EINVALID, "go build in %s failed:\n%s", opts.Dir, bytes.TrimSpace(out))
		}
		return out, fmt.Errorf("build: run go: %w", err)
	}
	if err := os.Rename(tmp, opts.Output); err != nil {
		return out, fmt.Errorf("build: move the executable to %s: %w", opts.Output, err)
	}
	return out, nil
}

func publish(opts Options, kind emulator.EventKind, b *emulator.Build) {
	if opts.Publisher == nil {
		return
	}
	c := *b
	opts.Publisher.Publish(emulator.Event{Time: opts.Clock.Now(), Kind: kind, Build: &c})
}
