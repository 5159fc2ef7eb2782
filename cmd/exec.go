package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"time"

	"github.com/spf13/cobra"

	"github.com/funcemu/funcemu/emulator"
)

// execOptions are the flags of funcemu exec.
type execOptions struct {
	start       startOptions
	idleTimeout time.Duration
	junit       string
	failOnError bool
}

func newExecCmd(sys *Factory) *cobra.Command {
	o := &execOptions{start: startOptions{sys: sys}}
	c := &cobra.Command{
		Use:   "exec [DIR] [flags] -- COMMAND [ARGS...]",
		Short: "Start the app, run a command against it, wait until idle, stop",
		Long: `Start the function app in DIR (default: the current folder) headless, wait until it
serves, run COMMAND with FUNCEMU_URL (and FUNCEMU_BLOB_URL, FUNCEMU_QUEUE_URL and
AzureWebJobsStorage when storage runs) in its environment, wait until no invocation runs,
print a summary, stop, and exit with COMMAND's exit code.

Each run starts from a clean state: storage and the journal live in a temporary data
folder, removed afterwards. --data-dir uses and keeps the given folder instead.`,
		Args: func(cmd *cobra.Command, args []string) error {
			dash := cmd.ArgsLenAtDash()
			if dash < 0 || dash == len(args) {
				return errors.New("give the command to run after --, as in funcemu exec -- go test ./...")
			}
			if dash > 1 {
				return fmt.Errorf("one app folder before --, got %d", dash)
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			dash := cmd.ArgsLenAtDash()
			o.start.dir = "."
			if dash == 1 {
				o.start.dir = args[0]
			}
			o.start.markSet(cmd.Flags())
			// The command finds the app through FUNCEMU_URL: a free port
			// beats local.settings.json's LocalHttpPort in CI.
			o.start.portSet = true
			o.start.noTUI, o.start.noWatch = true, true
			return o.run(cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr(), args[dash:])
		},
	}
	f := c.Flags()
	o.start.addFlags(f)
	// In CI every port is picked free unless given, so parallel jobs never
	// collide, and nothing is watched or drawn.
	for name, v := range map[string]*int{"port": &o.start.port, "blob-port": &o.start.storageOpts.blobPort, "queue-port": &o.start.storageOpts.queuePort, "table-port": &o.start.storageOpts.tablePort} {
		*v = 0
		f.Lookup(name).DefValue = "0"
	}
	f.Lookup("data-dir").Usage = "use and keep this data folder (default: a temporary one, removed after the run)"
	f.Lookup("port").Usage = "local port to listen on (0 picks a free port; Host.LocalHttpPort is not used)"
	for _, name := range []string{"no-tui", "no-watch", "debounce", "build"} {
		_ = f.MarkHidden(name)
	}
	f.DurationVar(&o.idleTimeout, "idle-timeout", 30*time.Second, "after the command, how long to wait for running invocations")
	f.StringVar(&o.junit, "junit", "", "write a JUnit XML report of the invocations to this file")
	f.BoolVar(&o.failOnError, "fail-on-error", false, "exit 1 when an invocation failed or a message was poisoned, even if the command succeeded")
	return c
}

func (o *execOptions) run(ctx context.Context, stdout, stderr io.Writer, command []string) error {
	stdout, stderr = sharedOutput(stdout, stderr)
	cleanup, err := o.useDataDir()
	if err != nil {
		return err
	}
	defer cleanup()
	r := newRunner(&o.start, stdout)
	defer r.close()
	rep := &execReport{}
	events, stopCollecting := r.bus.Subscribe(execReportBuffer)
	collected := make(chan struct{})
	go func() { defer close(collected); rep.collect(events) }()
	defer stopCollecting()
	if err := r.open(ctx); err != nil {
		return err
	}
	poisonBefore, poisonErr := r.poisonCounts(ctx)
	code, err := runCommand(ctx, command, r.endpoints, o.start.system(), stdout, stderr)
	if err != nil {
		return err
	}
	waitCtx, cancel := context.WithTimeout(ctx, o.idleTimeout)
	idleErr := r.idle.Wait(waitCtx)
	cancel()
	running := r.idle.Running()
	poisonAfter, err := r.poisonCounts(ctx)
	if poisonErr == nil {
		poisonErr = err
	}
	rep.setPoison(poisonBefore, poisonAfter)
	r.close() // ends every invocation, so each is counted
	stopCollecting()
	<-collected

	fmt.Fprintf(stderr, "funcemu: %s\n", rep.summary())
	if poisonErr != nil {
		fmt.Fprintf(stderr, "funcemu: could not count poison messages: %v\n", poisonErr)
	}
	if idleErr != nil {
		fmt.Fprintf(stderr, "funcemu: not idle after %s: %d invocations still running\n", o.idleTimeout, running)
	}
	if o.junit != "" {
		if err := writeJUnitReport(o.junit, rep); err != nil {
			return err
		}
	}
	_, failed, _, poison := rep.counts()
	return execOutcome(code, idleErr == nil, failed+poison, o.failOnError)
}

// execReportBuffer is the event backlog exec's report may fall behind by.
const execReportBuffer = 1 << 16

// execOutcome is exec's result: the command's exit code; else 1 when
// funcemu did not go idle, or under --fail-on-error when an invocation
// failed or a message was poisoned (problems counts both).
func execOutcome(code int, idle bool, problems int, failOnError bool) error {
	switch {
	case code != 0:
		return &exitError{code: code}
	case !idle, failOnError && problems > 0:
		return &exitError{code: 1}
	}
	return nil
}

// runCommand runs command on sys's input and environment, with the
// endpoints added to it, and returns its exit code; an error means it
// could not run at all.
func runCommand(ctx context.Context, command []string, e emulator.Endpoints, sys *Factory, stdout, stderr io.Writer) (int, error) {
	c := exec.CommandContext(ctx, command[0], command[1:]...)
	c.Stdin, c.Stdout, c.Stderr = sys.IO.In, stdout, stderr
	c.Env = append(sys.Environ(), "FUNCEMU_URL="+e.HTTP)
	if e.Blob != "" {
		c.Env = append(c.Env, "FUNCEMU_BLOB_URL="+e.Blob)
	}
	if e.Queue != "" {
		c.Env = append(c.Env, "FUNCEMU_QUEUE_URL="+e.Queue)
	}
	if e.Table != "" {
		c.Env = append(c.Env, "FUNCEMU_TABLE_URL="+e.Table)
	}
	if e.Blob != "" && e.Queue != "" {
		c.Env = append(c.Env, "AzureWebJobsStorage="+devConnectionString(e))
	}
	err := c.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode(), nil
	}
	if err != nil {
		return 0, fmt.Errorf("exec %s: %w", command[0], err)
	}
	return 0, nil
}

// devConnectionString is the storage emulator's connection string with the
// well-known development account and the ports it serves on.
func devConnectionString(e emulator.Endpoints) string {
	return "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
		"AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
		"BlobEndpoint=" + e.Blob + ";QueueEndpoint=" + e.Queue + ";" + tableEndpoint(e)
}

func tableEndpoint(e emulator.Endpoints) string {
	if e.Table == "" {
		return ""
	}
	return "TableEndpoint=" + e.Table + ";"
}
