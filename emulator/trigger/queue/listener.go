// Package queue is the queue trigger: it receives messages from a queue of
// the store as the host's QueueListener does (batches, new-batch
// threshold, visibility renewal, dequeue counts, poison queue) and invokes
// the function for each. It waits on the store's change notification
// instead of polling, so a message starts its function as soon as it is
// written.
package queue

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/poll"
)

// receiveVisibility is how long a received message stays invisible while
// its function runs; the host uses 10 minutes and renews it.
const receiveVisibility = 10 * time.Minute

// Options configure a Listener.
type Options struct {
	Function  *emulator.Function
	App       *emulator.App // host.json's extensions.queues
	Store     emulator.QueueStore
	Invoker   emulator.Invoker
	Clock     emulator.Clock     // default emulator.SystemClock
	Publisher emulator.Publisher // may be nil
	Account   string             // recorded on invocation inputs
	// Setting is the connection setting of the trigger, named in
	// storage error logs; default AzureWebJobsStorage.
	Setting string
}

// Listener runs one queue-triggered function.
type Listener struct {
	opts    Options
	trigger *emulator.Binding
	queue   string
	cfg     emulator.QueuesOptions
	// reason is every invocation's reason, the same for each message.
	reason string

	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu       sync.Mutex
	inflight int
	settled  chan struct{} // a message finished; buffer of one
	// delayed says a failed message was made visible again later: the
	// idle wait re-reads the earliest visibility time.
	delayed chan struct{}
}

// NewListener checks opts and applies defaults. The function must have a
// queueTrigger binding.
func NewListener(opts Options) (*Listener, error) {
	if opts.Function == nil || opts.App == nil || opts.Store == nil || opts.Invoker == nil {
		return nil, errors.New("queue listener: Function, App, Store and Invoker are required")
	}
	t := opts.Function.Trigger()
	if t == nil || t.Kind() != emulator.BindingQueueTrigger {
		return nil, fmt.Errorf("queue listener: function %s has no queueTrigger binding", opts.Function.Name)
	}
	if opts.Clock == nil {
		opts.Clock = emulator.SystemClock{}
	}
	cfg := opts.App.Host.Queues
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = 16
	}
	if cfg.MaxDequeueCount <= 0 {
		cfg.MaxDequeueCount = 5
	}
	if cfg.MessageEncoding == "" {
		cfg.MessageEncoding = "base64"
	}
	if cfg.MaxPollingInterval <= 0 {
		cfg.MaxPollingInterval = 2 * time.Second
	}
	return &Listener{
		opts:    opts,
		trigger: t,
		queue:   t.QueueName,
		cfg:     cfg,
		reason:  fmt.Sprintf("New queue message detected on '%s'.", t.QueueName),
		settled: make(chan struct{}, 1),
		delayed: make(chan struct{}, 1),
	}, nil
}

// Queue is the name of the queue the listener reads.
func (l *Listener) Queue() string { return l.queue }

// Function is the name of the function the listener triggers.
func (l *Listener) Function() string { return l.opts.Function.Name }

// Start starts receiving. A disabled function gets no listener: Start
// logs so and returns.
func (l *Listener) Start(ctx context.Context) error {
	if l.opts.Function.Disabled {
		l.log(emulator.LevelInfo, fmt.Sprintf("Function 'Functions.%s' is disabled", l.opts.Function.Name))
		return nil
	}
	ctx, l.cancel = context.WithCancel(ctx)
	l.wg.Add(1)
	go l.run(ctx)
	return nil
}

// Close stops receiving, cancels running invocations and waits for them.
func (l *Listener) Close() error {
	if l.cancel != nil {
		l.cancel()
	}
	l.wg.Wait()
	return nil
}

// run is the receive loop of the host's QueueListener, with its polling
// delay replaced by the store's notification.
func (l *Listener) run(ctx context.Context) {
	defer l.wg.Done()
	watch, stop := l.opts.Store.Watch(l.queue)
	defer stop()
	w := &waiter{backoff: poll.NewBackoff(l.cfg.MaxPollingInterval)}
	report := &poll.Reporter{Function: l.opts.Function.Name, Setting: l.setting()}
	missingLogged := false
	for ctx.Err() == nil {
		msgs, err := l.opts.Store.Receive(ctx, l.queue, l.cfg.BatchSize, receiveVisibility)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			wait := waitRetry
			if emulator.ErrorCode(err) == emulator.ENOTFOUND && watch != nil {
				// The embedded store: a write will create the queue and
				// notify.
				wait = waitWrite
				if !missingLogged {
					l.log(emulator.LevelDebug, fmt.Sprintf("Queue '%s' does not exist yet; waiting for it", l.queue))
					missingLogged = true
				}
			} else if line, ok := report.Failure(err); ok {
				l.log(emulator.LevelWarning, line)
			}
			l.idle(ctx, watch, w, wait)
			continue
		}
		if line, ok := report.Success(); ok {
			l.log(emulator.LevelInfo, line)
		}
		if len(msgs) == 0 {
			l.idle(ctx, watch, w, waitVisible)
			continue
		}
		w.found = true
		for _, m := range msgs {
			l.begin()
			l.wg.Add(1)
			go l.process(ctx, m)
		}
		l.waitBelowThreshold(ctx)
		if len(msgs) < l.cfg.BatchSize && watch != nil {
			// A short batch drained the visible messages; a store that
			// notifies will say when there are more, so wait for that
			// instead of receiving an empty batch first.
			l.idle(ctx, watch, w, waitVisible)
		}
	}
}

// idleReason says what the receive loop waits for.
type idleReason int

const (
	// waitVisible: the queue is empty or every message is invisible.
	waitVisible idleReason = iota
	// waitWrite: the queue does not exist; a write will create it.
	waitWrite
	// waitRetry: the store failed; try again after maxPollingInterval.
	waitRetry
)

// waiter is the polling state for stores that cannot notify.
type waiter struct {
	backoff *poll.Backoff
	found   bool // a receive found messages since the last delay
}

// delay is the host's backoff after an empty or failed poll.
func (w *waiter) delay() time.Duration {
	d := w.backoff.Next(w.found)
	w.found = false
	return d
}

// setting is the trigger's connection setting, for error logs.
func (l *Listener) setting() string {
	if l.opts.Setting != "" {
		return l.opts.Setting
	}
	if l.trigger.Connection != "" {
		return l.trigger.Connection
	}
	return "AzureWebJobsStorage"
}

// idle is the one place the listener waits for work: the store's
// notification, the earliest invisible message becoming visible (on the
// clock), a failed message delayed by visibilityTimeout, or, when the
// store cannot notify, the host's polling backoff.
func (l *Listener) idle(ctx context.Context, watch <-chan struct{}, w *waiter, why idleReason) {
	wake := make(chan struct{}, 1)
	signal := func() {
		select {
		case wake <- struct{}{}:
		default:
		}
	}
	var timers []emulator.Timer
	switch {
	case watch == nil:
		timers = append(timers, l.opts.Clock.AfterFunc(w.delay(), signal))
	case why == waitRetry:
		timers = append(timers, l.opts.Clock.AfterFunc(l.cfg.MaxPollingInterval, signal))
	}
	if why == waitVisible {
		if t, ok, err := l.opts.Store.NextVisible(ctx, l.queue); err == nil && ok {
			d := t.Sub(l.opts.Clock.Now())
			if d < 0 {
				d = 0
			}
			timers = append(timers, l.opts.Clock.AfterFunc(d, signal))
		}
	}
	select {
	case <-ctx.Done():
	case <-watch:
	case <-wake:
	case <-l.delayed:
	}
	for _, t := range timers {
		t.Stop()
	}
}

func (l *Listener) begin() {
	l.mu.Lock()
	l.inflight++
	l.mu.Unlock()
}

func (l *Listener) finish() {
	l.mu.Lock()
	l.inflight--
	l.mu.Unlock()
	select {
	case l.settled <- struct{}{}:
	default:
	}
}

// waitBelowThreshold holds the next receive until no more than
// newBatchThreshold messages are in flight, as the host does.
func (l *Listener) waitBelowThreshold(ctx context.Context) {
	for {
		l.mu.Lock()
		n := l.inflight
		l.mu.Unlock()
		if n <= l.cfg.NewBatchThreshold {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-l.settled:
		}
	}
}

// log publishes a host log line for the function.
func (l *Listener) log(level emulator.Level, msg string) {
	if l.opts.Publisher == nil {
		return
	}
	l.opts.Publisher.Publish(emulator.Event{
		Time: l.opts.Clock.Now(),
		Kind: emulator.EventLog,
		Log: &emulator.LogEntry{Level: level, Category: emulator.CategoryHost,
			Message: msg, Function: l.opts.Function.Name},
	})
}

// Pending is how many messages, visible or not, wait in the listener's
// queue; 0 when the queue does not exist. funcemu exec's idle check uses
// it.
func (l *Listener) Pending(ctx context.Context) (int, error) {
	n, err := l.opts.Store.Count(ctx, l.queue)
	if emulator.ErrorCode(err) == emulator.ENOTFOUND {
		return 0, nil
	}
	return n, err
}
