// Package cmd holds funcemu's commands, one file each. It is the only
// package that wires the others together.
package cmd

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/funcemu/funcemu/internal/starttrace"
)

// exitError carries a process exit code through cobra.
type exitError struct{ code int }

func (e *exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// Main runs the command line and returns the process exit code.
func Main() int {
	starttrace.Mark("main")
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return run(ctx, processFactory(), os.Args[1:])
}

// run runs the command line args with f's streams and environment and
// returns the exit code; an error goes to f's error stream.
func run(ctx context.Context, f *Factory, args []string) int {
	root := newRootCmd(f)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	fmt.Fprintln(f.IO.ErrOut, "funcemu:", err)
	return 1
}

// newRootCmd is funcemu's command tree, reading and writing f's streams.
func newRootCmd(f *Factory) *cobra.Command {
	root := &cobra.Command{
		Use:           "funcemu",
		Short:         "Run Azure Functions custom-handler apps locally",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(f.IO.In)
	root.SetOut(f.IO.Out)
	root.SetErr(f.IO.ErrOut)
	root.AddCommand(newVersionCmd())
	root.AddCommand(newStartCmd(f))
	root.AddCommand(newInitCmd())
	root.AddCommand(newNewCmd())
	root.AddCommand(newEventsCmd())
	root.AddCommand(newReplayCmd(f))
	root.AddCommand(newExecCmd(f))
	root.AddCommand(newClockCmd(f))
	root.AddCommand(newStorageCmd(f))
	root.AddCommand(newInvokeCmd(f))
	return root
}
