// Package reload is the inner loop's second half: it takes the watcher's
// batches of changed paths and acts on them. A source change rebuilds the
// handler and swaps the new build in without dropping an invocation; a
// function.json or host.json change reloads the function index; a
// local.settings.json change restarts the handler with its new
// environment. A failed build leaves the previous build serving and shows
// the compiler's errors.
//
// The package knows the worker, the builder and the host only through the
// functions and the Handler interface in Options, which cmd wires.
package reload

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/watcher"
)

// Handler is the running custom handler, as the worker supervises it.
type Handler interface {
	// Swap starts exe in a new process, sends new invocations to it once
	// it is ready, lets the old process finish what it is running and then
	// stops it. If the new process does not become ready the old one keeps
	// serving and Swap returns why.
	Swap(ctx context.Context, exe string) error
	// Restart replaces the handler, the way Swap does, with a process of
	// the same executable started with env.
	Restart(ctx context.Context, env []string) error
}

// Options wire a Controller to the rest of funcemu.
type Options struct {
	// Classify describes the app for watcher.Classify.
	Classify watcher.ClassifyOptions
	// Executable is the handler executable the build produces.
	Executable string
	// Build builds the handler, replacing the executable only when the
	// build succeeds, and stops when ctx is canceled. A failed build is
	// reported by an error or by a Build in state BuildFailed. Required
	// when Classify.Builds is set.
	Build func(ctx context.Context) (*emulator.Build, error)
	// Load reads the app folder again.
	Load func() (*emulator.App, error)
	// Apply hands a reloaded app to the host, which serves the new
	// function index from then on without stopping anything.
	Apply func(*emulator.App) error
	// Env is the handler's environment for an app.
	Env func(*emulator.App) []string
	// Handler is the handler to swap and restart.
	Handler Handler
	// Events receives build events, EventAppLoaded and log lines.
	Events emulator.Publisher
	// Clock times builds and swaps; the system clock when nil.
	Clock emulator.Clock
	// Early, when set, delivers the watcher's early looks at a burst of
	// changes (watcher.Watcher.Early): a pure source change starts its
	// build at once, while the debounce waits for quiet, and the build is
	// kept only if the burst's batch saw nothing after the look.
	Early <-chan watcher.Batch
}

// Controller runs the plan of every batch. Work on the handler (rebuild
// and swap, restart, index changes that must wait for them) runs one job
// at a time in arrival order; a new source change cancels the builds
// still in progress or waiting.
type Controller struct {
	opts    Options
	batches <-chan watcher.Batch
	// rebuilds asks the loop for a rebuild no file change asked for; one
	// pending request stands for any number.
	rebuilds chan struct{}

	mu      sync.Mutex
	loaded  *emulator.App // the newest app read from disk
	applied *emulator.App // the app the host serves
	started bool
	closed  bool
	cancel  context.CancelFunc
	done    chan struct{}

	// Owned by the loop goroutine.
	tail   chan struct{}        // closed when the last queued job is done
	builds []context.CancelFunc // cancel the builds not yet swapping
	jobs   sync.WaitGroup
	// ahead is the build started from an early look, waiting for the
	// batch that closes its burst; nil when none is.
	ahead *aheadBuild
	// seen is the Seq of the last batch: a look no newer is of a burst
	// already closed.
	seen uint64
}

// aheadBuild is a build started from an early look: the look's Seq and
// its go-ahead, true once the burst's batch saw nothing newer.
type aheadBuild struct {
	seq    uint64
	plan   watcher.Plan
	keep   chan bool // buffered: the verdict never waits for the build
	cancel context.CancelFunc
}

// New returns a Controller for app, the app as the host serves it now,
// reading batches until they are closed or the Controller is.
func New(app *emulator.App, batches <-chan watcher.Batch, opts Options) *Controller {
	if opts.Clock == nil {
		opts.Clock = emulator.SystemClock{}
	}
	if opts.Events == nil {
		opts.Events = emulator.NewBus()
	}
	return &Controller{opts: opts, batches: batches, rebuilds: make(chan struct{}, 1),
		loaded: app, applied: app, done: make(chan struct{})}
}

// Start begins acting on batches.
func (c *Controller) Start(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.started || c.closed {
		return errors.New("reload controller already started")
	}
	if c.opts.Classify.Builds && c.opts.Build == nil {
		return errors.New("reload controller: the app builds but no build function was given")
	}
	if c.opts.Load == nil || c.opts.Apply == nil || c.opts.Env == nil || c.opts.Handler == nil {
		return errors.New("reload controller: Load, Apply, Env and Handler are required")
	}
	c.started = true
	ctx, c.cancel = context.WithCancel(ctx)
	go func() {
		defer close(c.done)
		c.loop(ctx)
		c.jobs.Wait()
	}()
	return nil
}

// Close cancels the work in progress and waits for it to stop. The lock
// is not held while waiting: a job finishing after the cancel takes it.
func (c *Controller) Close() error {
	c.mu.Lock()
	wasClosed, started := c.closed, c.started
	c.closed = true
	if !started && !wasClosed {
		close(c.done)
	}
	c.mu.Unlock()
	if started && !wasClosed {
		c.cancel()
	}
	<-c.done
	return nil
}

// Rebuild queues a rebuild and swap of the handler, as a source change
// would, for a developer who asks for one. It returns at once; the build
// events report the outcome.
func (c *Controller) Rebuild() error {
	if !c.opts.Classify.Builds {
		return errors.New("the app has no build step")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.started || c.closed {
		return errors.New("reload controller is not running")
	}
	select {
	case c.rebuilds <- struct{}{}:
	default: // a rebuild is already asked for and not yet queued
	}
	return nil
}

// Done is closed once the controller has stopped: after Close, or when
// the batches channel closes and the last job is finished.
func (c *Controller) Done() <-chan struct{} { return c.done }

func (c *Controller) loop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case b, ok := <-c.batches:
			if !ok {
				return
			}
			c.seen = max(c.seen, b.Seq)
			if c.settleAhead(b) {
				continue
			}
			c.handle(ctx, b)
		case b := <-c.opts.Early:
			c.buildAhead(ctx, b)
		case <-c.rebuilds:
			c.log(emulator.LevelInfo, emulator.CategoryHost, "Rebuild requested.")
			c.dropAhead()
			_ = c.queueRebuild(ctx, false, nil, nil)
		}
	}
}

// handle runs the plan for one batch. Reading the app folder happens at
// once, so a broken file is reported while the developer looks; what the
// handler and host do with it is queued behind earlier jobs.
func (c *Controller) handle(ctx context.Context, b watcher.Batch) {
	plan := watcher.Classify(b.Paths, c.opts.Classify)
	if plan.Actions == watcher.Nothing {
		return
	}
	c.log(emulator.LevelInfo, emulator.CategoryHost, "Change detected: "+strings.Join(plan.Reasons, "; "))

	restart := false
	var env []string
	if plan.Actions&(watcher.ReloadIndex|watcher.RestartHandler) != 0 {
		app, err := c.opts.Load()
		if err != nil {
			c.log(emulator.LevelError, emulator.CategoryHost, "Reloading the app failed; still serving the previous version: "+err.Error())
		} else {
			c.mu.Lock()
			old := c.loaded
			if plan.Actions.Has(watcher.ReloadIndex) {
				c.loaded = app
			}
			c.mu.Unlock()
			restart = plan.Actions.Has(watcher.RestartHandler) || handlerChanged(old, app)
			env = c.opts.Env(app)
		}
	}

	switch {
	case plan.Actions.Has(watcher.Rebuild):
		_ = c.queueRebuild(ctx, restart, env, nil)
	case restart:
		c.enqueue(func() { c.restart(ctx, env) })
	default:
		c.enqueue(func() { c.applyLatest() })
	}
}

// buildAhead starts the build of an early look at a burst that changes
// only sources; settleAhead keeps or drops it once the burst is over.
// Anything else (an index, settings) waits for the burst's batch as usual.
func (c *Controller) buildAhead(ctx context.Context, b watcher.Batch) {
	if b.Seq <= c.seen {
		return // its burst's batch came first
	}
	plan := watcher.Classify(b.Paths, c.opts.Classify)
	if plan.Actions != watcher.Rebuild {
		return
	}
	c.dropAhead()
	keep := make(chan bool, 1)
	c.ahead = &aheadBuild{seq: b.Seq, plan: plan, keep: keep}
	c.ahead.cancel = c.queueRebuild(ctx, false, nil, keep)
}

// settleAhead decides the build started ahead, if any, with the batch
// that closes its burst: kept when nothing changed after the look (the
// build read the sources the batch names) and the batch asks for nothing
// but a rebuild, which settles the batch; dropped otherwise, and the
// batch is handled as usual.
func (c *Controller) settleAhead(b watcher.Batch) bool {
	a := c.ahead
	if a == nil {
		return false
	}
	c.ahead = nil
	if b.Seq != a.seq || watcher.Classify(b.Paths, c.opts.Classify).Actions != watcher.Rebuild {
		a.drop()
		return false
	}
	c.log(emulator.LevelInfo, emulator.CategoryHost, "Change detected: "+strings.Join(a.plan.Reasons, "; "))
	a.keep <- true
	return true
}

// dropAhead drops the build started ahead, if any.
func (c *Controller) dropAhead() {
	if c.ahead != nil {
		c.ahead.drop()
		c.ahead = nil
	}
}

// drop cancels the build; a rebuild job that has not begun skips it.
func (a *aheadBuild) drop() {
	a.cancel()
	a.keep <- false
}

// queueRebuild cancels the builds not yet swapping and queues a new one,
// after a restart with env when restart is set. A build started ahead
// waits for its verdict on keep before it reports or swaps; nil keep is a
// build on a closed batch.
func (c *Controller) queueRebuild(ctx context.Context, restart bool, env []string, keep <-chan bool) context.CancelFunc {
	for _, cancel := range c.builds {
		cancel()
	}
	buildCtx, cancel := context.WithCancel(ctx)
	c.builds = []context.CancelFunc{cancel}
	if restart {
		c.enqueue(func() { c.restart(ctx, env) })
	}
	c.enqueue(func() {
		defer cancel()
		c.rebuild(ctx, buildCtx, cancel, keep)
	})
	return cancel
}

// enqueue runs job once every job queued before it has finished.
func (c *Controller) enqueue(job func()) {
	prev := c.tail
	next := make(chan struct{})
	c.tail = next
	c.jobs.Add(1)
	go func() {
		defer c.jobs.Done()
		defer close(next)
		if prev != nil {
			<-prev
		}
		job()
	}()
}

// handlerChanged reports whether host.json changed how the handler is
// started, which only a restart applies.
func handlerChanged(old, app *emulator.App) bool {
	if old == nil {
		return false
	}
	a, b := old.Host.CustomHandler, app.Host.CustomHandler
	return a.ExecutablePath != b.ExecutablePath || a.WorkingDirectory != b.WorkingDirectory ||
		!slices.Equal(a.Arguments, b.Arguments)
}
