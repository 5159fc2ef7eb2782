package cmd

import (
	"context"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/admin"
	"github.com/funcemu/funcemu/emulator/host"
	"github.com/funcemu/funcemu/emulator/journal"
	"github.com/funcemu/funcemu/emulator/keys"
	"github.com/funcemu/funcemu/emulator/reload"
	"github.com/funcemu/funcemu/emulator/storage"
	"github.com/funcemu/funcemu/emulator/worker"
	"github.com/funcemu/funcemu/internal/background"
	"github.com/funcemu/funcemu/internal/starttrace"
)

// runner is one running funcemu app: the parts of `start` (and `exec`),
// each opened by a step in its own runner_*.go file, in order, and closed in
// reverse. It is the one place where the emulator's packages meet.
type runner struct {
	opts    *startOptions
	stdout  io.Writer
	started time.Time

	app       *emulator.App
	bus       *emulator.Bus
	clock     emulator.Clock
	endpoints emulator.Endpoints
	exe       string // handler executable
	data      string // the data folder (see dataDir)

	sup  *worker.Supervisor
	host *host.Host
	// store is the embedded storage, for the triggers.
	store *storage.Store
	// storageOpening is the store while it opens, beside the handler.
	storageOpening chan storageOpened
	// triggers are the queue and blob listeners and bindings.
	triggers *storageTriggers
	idle     *admin.Idle

	// onAppReload are the parts that switch to a reloaded app (routes,
	// triggers) without stopping.
	onAppReload []func(*emulator.App) error

	// keys are enforced when set: beyond loopback or with --enable-auth.
	keys *keys.Store

	journal *journal.Journal
	// journalOpening is the journal while it opens, after HTTP is served.
	journalOpening *journalOpening
	reload         *reload.Controller // nil with --no-watch

	// httpListener is the HTTP port, bound before the handler starts and
	// served once every part a request needs is open.
	httpListener net.Listener

	// eventGrid is the subscriptions, topics and webhooks of Event Grid.
	eventGrid *eventGridPart

	// background runs the invocations fired without waiting (admin API,
	// UI); shutdown waits for them.
	background background.Group

	closers []func()
	// closeBy is the one deadline every closer shares (see closeContext).
	closeBy time.Time
	fatal   chan error // a part that stopped on its own
	// opened is closed once every step has run.
	opened chan struct{}
	// quit ends funcemu start as Ctrl-C does; nil for other commands.
	quit context.CancelFunc
}

// step is one part of opening a runner.
type step struct {
	name string
	run  func(ctx context.Context) error
}

// runStart runs funcemu start until ctx is canceled.
func runStart(ctx context.Context, o *startOptions, stdout io.Writer) error {
	ctx, quit := context.WithCancel(ctx)
	defer quit()
	r := newRunner(o, stdout)
	r.quit = quit
	defer r.close()
	if err := r.open(ctx); err != nil {
		if ctx.Err() != nil {
			return nil // Ctrl-C while starting, e.g. waiting for a fix
		}
		return err
	}
	return r.wait(ctx)
}

func newRunner(o *startOptions, stdout io.Writer) *runner {
	return &runner{opts: o, stdout: stdout, started: time.Now(), clock: emulator.SystemClock{},
		bus: emulator.NewBus(), fatal: make(chan error, 1), opened: make(chan struct{})}
}

// open runs every step; on error the parts already open are closed by close.
func (r *runner) open(ctx context.Context) error {
	defer pauseGC()()
	for _, s := range r.steps() {
		starttrace.Mark("step " + s.name)
		if err := s.run(ctx); err != nil {
			return err
		}
	}
	close(r.opened)
	starttrace.Mark("opened")
	return nil
}

// steps are the parts of a runner in the order they open.
func (r *runner) steps() []step {
	return []step{
		{"profiler", r.serveProfiler},
		{"handler supervisor", r.prewarmSupervisor},
		{"load app", r.loadApp},
		{"data folder", r.lockData},
		{"ports", r.checkPorts},
		{"event grid subscriptions", r.loadEventGrid},
		{"clock", r.setClock},
		{"storage accounts", r.checkStorageAccounts},
		{"output", r.openOutput},
		{"storage ports", r.bindStorage},
		{"build", r.buildHandler},
		{"http port", r.bindHTTP},
		{"handler", r.startHandler},
		// The journal's and the idle tracker's subscriptions (buffers of
		// thousands of events) are made while the handler starts, not
		// before: they record invocations, and none can run before the
		// host exists.
		{"journal", r.openJournal},
		{"storage", r.awaitStorage},
		{"host", r.startHost},
		{"keys", r.openKeys},
		{"event grid", r.startEventGrid},
		{"http", r.serveHTTP},
		// What the first request does not need comes after HTTP is
		// served: a request before the listeners start is served all the
		// same, and what it enqueues waits for them in the store.
		{"journal file", r.openJournalFile},
		{"timers", r.startTimers},
		{"triggers", r.startTriggers},
		{"watch", r.startWatch},
		{"journal ready", r.awaitJournal},
		{"ready", r.announceReady},
	}
}

// onClose registers f to run at close, before the parts opened earlier.
func (r *runner) onClose(f func()) { r.closers = append(r.closers, f) }

// closeBudget is the whole of a shutdown: the README promises that
// Ctrl-C stops funcemu within 5 s.
const closeBudget = 5 * time.Second

// close closes the parts in reverse order of opening, within closeBudget.
func (r *runner) close() {
	r.closeBy = time.Now().Add(closeBudget)
	for i := len(r.closers) - 1; i >= 0; i-- {
		r.closers[i]()
	}
	r.closers = nil
}

// closeContext bounds one closer's wait: grace at most, and never past
// the deadline all closers share, so their waits cannot add up beyond the
// budget.
func (r *runner) closeContext(grace time.Duration) (context.Context, context.CancelFunc) {
	deadline := time.Now().Add(grace)
	if !r.closeBy.IsZero() && r.closeBy.Before(deadline) {
		deadline = r.closeBy
	}
	return context.WithDeadline(context.Background(), deadline)
}

// fail reports a part that stopped on its own; the first one ends wait.
func (r *runner) fail(err error) {
	select {
	case r.fatal <- err:
	default:
	}
}

// wait blocks until ctx is canceled or a part fails.
func (r *runner) wait(ctx context.Context) error {
	select {
	case <-ctx.Done():
		return nil
	case err := <-r.fatal:
		return err
	}
}

// publish sends an event stamped with the runner's clock.
func (r *runner) publish(e emulator.Event) {
	if e.Time.IsZero() {
		e.Time = r.clock.Now()
	}
	r.bus.Publish(e)
}

// log publishes a host log line.
func (r *runner) log(level emulator.Level, format string, args ...any) {
	r.publish(emulator.Event{Kind: emulator.EventLog, Log: &emulator.LogEntry{
		Level: level, Category: emulator.CategoryHost, Message: fmt.Sprintf(format, args...),
	}})
}

// environ is the process environment the app sees.
func (r *runner) environ() []string { return r.opts.system().Environ() }
