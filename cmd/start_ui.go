package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/admin"
	"github.com/funcemu/funcemu/emulator/build"
	"github.com/funcemu/funcemu/emulator/host"
	"github.com/funcemu/funcemu/emulator/worker"
	"github.com/funcemu/funcemu/tui"
)

// errNoStorage answers the UI's queue actions until start runs the
// storage emulator.
var errNoStorage = errors.New("queues need the storage emulator, which funcemu start does not run yet")

// startController is what the terminal UI may do to a running start. Its
// parts are attached once they are up; calls before that fail politely.
type startController struct {
	mu      sync.Mutex
	ctx     context.Context // outlives UI calls; canceled at shutdown
	host    *host.Host
	sup     *worker.Supervisor
	bus     *emulator.Bus
	baseURL string
	appDir  string
	exe     string
	build   bool
}

var _ tui.Controller = (*startController)(nil)

func (c *startController) attach(h *host.Host, sup *worker.Supervisor, baseURL string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.host, c.sup, c.baseURL = h, sup, baseURL
}

func (c *startController) parts() (*host.Host, *worker.Supervisor, string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.host == nil {
		return nil, nil, "", errors.New("funcemu is still starting")
	}
	return c.host, c.sup, c.baseURL, nil
}

// Invoke runs a function with input bound to its trigger, as
// POST /admin/functions/{name} does, in the background.
func (c *startController) Invoke(_ context.Context, function, input string) error {
	h, _, base, err := c.parts()
	if err != nil {
		return err
	}
	a := h.App()
	fn := a.Function(function)
	if fn == nil {
		return fmt.Errorf("no function named %q", function)
	}
	req := admin.ManualRequest(a, fn, input, base)
	go func() { _, _ = h.Invoke(c.ctx, req) }()
	return nil
}

func (c *startController) Replay(context.Context, string) error {
	return errors.New("replay needs the invocation journal, which funcemu start does not keep yet")
}

// Rebuild builds the handler again and swaps it in; a failed build leaves
// the running handler serving.
func (c *startController) Rebuild(ctx context.Context) error {
	_, sup, _, err := c.parts()
	if err != nil {
		return err
	}
	if !c.build {
		return errors.New("the app has no go.mod (or --no-build is set): nothing to rebuild")
	}
	if _, err := build.Run(ctx, build.Options{Dir: c.appDir, Output: c.exe, TempDir: filepath.Join(c.appDir, ".funcemu", "build"), Publisher: c.bus}); err != nil {
		return err
	}
	return sup.Swap(ctx, c.exe)
}

func (c *startController) Queues(context.Context) ([]tui.QueueInfo, error) { return nil, errNoStorage }

func (c *startController) PeekMessages(context.Context, string, int) ([]tui.Message, error) {
	return nil, errNoStorage
}

func (c *startController) RequeuePoison(context.Context, string, string) error { return errNoStorage }

// startDisplay shows the event stream: the terminal UI when stdin and
// stdout are terminals (and neither --no-tui nor --json is set), else
// func start-style lines. Quitting the UI cancels ctx. The returned
// function ends the display after printing what is pending.
func startDisplay(ctx context.Context, cancel context.CancelFunc, o *startOptions, stdout io.Writer, bus *emulator.Bus, ctrl *startController) func() {
	events, unsubscribe := bus.Subscribe(8192)
	done := make(chan struct{})
	verbose := o.verbose || tui.CIEnvironment(os.Getenv)
	if f, ok := stdout.(*os.File); ok && f == os.Stdout && !o.noTUI && !o.json && tui.Interactive(os.Stdin, os.Stdout) {
		go func() {
			defer close(done)
			_ = tui.Run(ctx, events, ctrl, tui.Options{Verbose: verbose, Editor: os.Getenv("EDITOR")})
			cancel()
		}()
	} else {
		printer := tui.NewPrinter(stdout, tui.PrinterOptions{JSON: o.json, Verbose: verbose, Color: !o.json && isTerminal(stdout)})
		go func() {
			defer close(done)
			_ = printer.Run(context.Background(), events) // until unsubscribed, to print everything
		}()
	}
	return func() {
		unsubscribe()
		<-done
	}
}
