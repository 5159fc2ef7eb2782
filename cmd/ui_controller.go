package cmd

import (
	"context"
	"errors"
	"fmt"

	"github.com/funcemu/funcemu/emulator/admin"
	"github.com/funcemu/funcemu/emulator/adminclient"
	"github.com/funcemu/funcemu/tui"
)

// uiController is what the terminal UI does to the running app. Each
// action goes the way its command-line or admin API twin goes, so the UI
// shows nothing another client could not have caused.
type uiController struct {
	// ctx is the runner's: an invocation the UI fires outlives the key
	// press that fired it.
	ctx context.Context
	r   *runner
}

var _ tui.Controller = (*uiController)(nil)

func newUIController(ctx context.Context, r *runner) *uiController {
	return &uiController{ctx: ctx, r: r}
}

// errStarting answers an action asked for before every part is open.
var errStarting = errors.New("funcemu is still starting")

// errStopping answers an invocation asked for once shutdown has begun.
var errStopping = errors.New("funcemu is stopping")

// started reports whether the runner's parts may be used.
func (c *uiController) started() error {
	select {
	case <-c.r.opened:
		return nil
	default:
		return errStarting
	}
}

// Invoke fires function with input as POST /admin/functions/{name} does:
// the same request, run in the background; its events tell the outcome.
func (c *uiController) Invoke(_ context.Context, function, input string) error {
	if err := c.started(); err != nil {
		return err
	}
	a := c.r.host.App()
	fn := a.Function(function)
	if fn == nil {
		return fmt.Errorf("no function named %s", function)
	}
	req := admin.ManualRequest(a, fn, input, c.r.endpoints.HTTP)
	// The host's events report the outcome; shutdown waits for the run.
	if !c.r.background.Go(func() { _, _ = c.r.host.Invoke(c.ctx, req) }) {
		return errStopping
	}
	return nil
}

// Replay sends a recorded invocation's trigger input again, as funcemu
// replay does.
func (c *uiController) Replay(ctx context.Context, invocationID string) error {
	if err := c.started(); err != nil {
		return err
	}
	rec, err := c.r.journal.Get(ctx, invocationID)
	if err != nil {
		return err
	}
	key := ""
	if c.r.keys != nil {
		key = c.r.keys.MasterKey()
	}
	client := adminclient.New(c.r.endpoints.HTTP, key, c.r.opts.system().HTTPClient)
	_, err = sendReplay(ctx, client, rec, false)
	return err
}

// Rebuild asks the reload controller for a rebuild and swap.
func (c *uiController) Rebuild(context.Context) error {
	if err := c.started(); err != nil {
		return err
	}
	if c.r.reload == nil {
		return errors.New("rebuilding needs the folder watch, which --no-watch turned off")
	}
	return c.r.reload.Rebuild()
}
