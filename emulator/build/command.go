package build

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/funcemu/funcemu/emulator"
)

// Command is a custom build command (--build "..."), run by the shell in
// the app folder instead of go build. The command writes the executable
// itself; funcemu swaps the handler in only when the command succeeds.
type Command struct {
	Line string   // the command line, as the user typed it
	Dir  string   // where it runs: the app folder
	Env  []string // its environment; nil means funcemu's own
	// Parse finds compiler diagnostics in the output; none when nil.
	Parse func(output string) []emulator.CompileError
	Clock emulator.Clock
}

// Build runs the command. Canceling ctx stops the command and everything
// it started (the whole process group on Unix). The returned Build holds
// the output and its diagnostics; the error is non-nil when the command
// failed or was canceled.
func (c Command) Build(ctx context.Context) (*emulator.Build, error) {
	if strings.TrimSpace(c.Line) == "" {
		return nil, errors.New("build command: empty command line")
	}
	clock := c.Clock
	if clock == nil {
		clock = emulator.SystemClock{}
	}
	b := &emulator.Build{State: emulator.BuildRunning, Start: clock.Now()}
	cmd := shellCommand(ctx, c.Line)
	cmd.Dir = c.Dir
	cmd.Env = c.Env
	out, err := run(cmd)
	b.Duration = clock.Now().Sub(b.Start)
	b.Output = string(out)
	if err == nil {
		b.State = emulator.BuildSucceeded
		return b, nil
	}
	b.State = emulator.BuildFailed
	if c.Parse != nil {
		b.Errors = c.Parse(b.Output)
	}
	if ctx.Err() != nil {
		return b, fmt.Errorf("build command canceled: %w", ctx.Err())
	}
	return b, fmt.Errorf("build command %q: %w", c.Line, err)
}
