// Package timer runs timerTrigger functions on their schedules the way the
// Functions host's TimerListener does: runOnStartup, the schedule monitor
// with past-due catch-up, one run at a time, the host's log lines and the
// TimerInfo payload. All time comes from an emulator.Clock.
package timer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/bindexpr"
	"github.com/funcemu/funcemu/emulator/schedule"
)

// Invoke runs fn once. timerInfo is the TimerInfo JSON for the trigger
// binding, reason the text of the Executing line, details the trigger
// details the host logs for unscheduled runs (may be empty). Its error is
// the run's failure, which never stops the schedule.
type Invoke func(ctx context.Context, fn *emulator.Function, timerInfo json.RawMessage, reason string, details map[string]string) error

// Options configure a Listener.
type Options struct {
	Invoke Invoke // required
	// Clock drives the schedule; the wall clock when nil.
	Clock emulator.Clock
	// Location is the schedule's time zone; time.Local when nil (see
	// schedule.Location for WEBSITE_TIME_ZONE and TZ).
	Location *time.Location
	// Settings resolves %Setting% in the schedule; none resolve when nil.
	Settings func(string) (string, bool)
	// Store keeps schedule status across restarts. When nil, or when the
	// binding sets useMonitor false, or the schedule fires more than once
	// a minute, monitoring is off and TimerInfo.ScheduleStatus is null.
	Store MonitorStore
	// Events receives the listener's log lines; optional.
	Events emulator.Publisher
}

// Listener fires one timer function on its schedule.
type Listener struct {
	fn         *emulator.Function
	trigger    *emulator.Binding
	sched      schedule.Schedule
	opts       Options
	store      MonitorStore // nil when monitoring is off
	logName    string       // "Functions.<Name>"
	ctx        context.Context
	cancel     context.CancelFunc
	running    sync.WaitGroup // a timer callback in progress
	invokeMu   sync.Mutex     // serializes runs: no overlap
	mu         sync.Mutex     // guards the fields below
	started    bool
	closed     bool
	pending    emulator.Timer
	status     Status
	startupRun *startupRun // the immediate run armed at start, if any
}

// startupRun is an unscheduled run armed at start.
type startupRun struct {
	pastDue          bool
	originalSchedule time.Time
}

// New prepares a listener for fn, whose trigger must be a timerTrigger.
// The schedule, with %Setting% resolved, is parsed here, so errors name
// the function and its schedule.
func New(fn *emulator.Function, opts Options) (*Listener, error) {
	trigger := fn.Trigger()
	if trigger == nil || trigger.Kind() != emulator.BindingTimerTrigger {
		return nil, fmt.Errorf("function %s: not a timerTrigger function", fn.Name)
	}
	if opts.Invoke == nil {
		return nil, errors.New("timer: Options.Invoke is required")
	}
	if opts.Clock == nil {
		opts.Clock = emulator.SystemClock{}
	}
	if opts.Location == nil {
		opts.Location = time.Local
	}
	if opts.Settings == nil {
		opts.Settings = func(string) (string, bool) { return "", false }
	}
	expr, err := bindexpr.ResolveSettings(trigger.Schedule, opts.Settings)
	if err != nil {
		return nil, fmt.Errorf("function %s: timerTrigger schedule: %w", fn.Name, err)
	}
	sched, err := schedule.Parse(expr)
	if err != nil {
		return nil, fmt.Errorf("function %s: timerTrigger schedule: %w", fn.Name, err)
	}
	l := &Listener{fn: fn, trigger: trigger, sched: sched, opts: opts, logName: "Functions." + fn.Name}
	if trigger.UseMonitor && !schedule.MonitorDisabled(sched) {
		l.store = opts.Store
	}
	return l, nil
}

// Schedule is the parsed schedule.
func (l *Listener) Schedule() schedule.Schedule { return l.sched }

// Monitored reports whether schedule status is kept in the store.
func (l *Listener) Monitored() bool { return l.store != nil }

// Start checks the schedule monitor, logs the next five occurrences and
// arms the timer: at once when a run is past due or runOnStartup is set,
// else for the next occurrence. It returns once armed.
func (l *Listener) Start(ctx context.Context) error {
	l.mu.Lock()
	if l.started {
		l.mu.Unlock()
		return fmt.Errorf("timer %s: already started", l.fn.Name)
	}
	l.started = true
	// Runs outlive Start's context; Close cancels them.
	l.ctx, l.cancel = context.WithCancel(context.WithoutCancel(ctx))
	l.mu.Unlock()

	now := l.now()
	l.log(emulator.LevelDebug, fmt.Sprintf("The '%s' timer is using the schedule '%s' and the local time zone: '%s'", l.logName, l.sched, l.opts.Location))
	var status *Status
	pastDue := false
	if l.store != nil {
		stored, ok, err := l.store.Load(ctx, l.fn.Name)
		if err != nil {
			return fmt.Errorf("timer %s: load schedule status: %w", l.fn.Name, err)
		}
		if ok {
			status = &stored
			l.log(emulator.LevelDebug, fmt.Sprintf("Function '%s' initial status: Last='%s', Next='%s', LastUpdated='%s'",
				l.logName, roundTrip(stored.Last), roundTrip(stored.Next), roundTrip(stored.LastUpdated)))
		}
		if pastDue, err = checkPastDue(ctx, l.store, l.fn.Name, now, l.sched, status); err != nil {
			return fmt.Errorf("timer %s: save schedule status: %w", l.fn.Name, err)
		}
	}
	if status == nil {
		status = &Status{Next: l.sched.Next(now)}
	}
	l.log(emulator.LevelInfo, nextOccurrencesMessage(l.logName, l.sched, now))

	l.mu.Lock()
	defer l.mu.Unlock()
	l.status = *status
	switch {
	case pastDue:
		l.startupRun = &startupRun{pastDue: true, originalSchedule: status.Next}
		l.arm(0)
	case l.trigger.RunOnStartup:
		l.startupRun = &startupRun{}
		l.arm(0)
	default:
		l.armForNext(now)
	}
	return nil
}

// ManualTimerInfo is the TimerInfo for a run not started by the schedule
// (admin API, replay): the stored status when monitored, never past due.
func (l *Listener) ManualTimerInfo(ctx context.Context) (json.RawMessage, error) {
	if l.store == nil {
		return TimerInfo(l.sched, nil, false), nil
	}
	s, ok, err := l.store.Load(ctx, l.fn.Name)
	if err != nil {
		return nil, fmt.Errorf("timer %s: load schedule status: %w", l.fn.Name, err)
	}
	if !ok {
		return TimerInfo(l.sched, nil, false), nil
	}
	return TimerInfo(l.sched, &s, false), nil
}

// Close stops the timer and waits for a run in progress to return.
func (l *Listener) Close() error {
	l.mu.Lock()
	l.closed = true
	if l.pending != nil {
		l.pending.Stop()
		l.pending = nil
	}
	cancel := l.cancel
	l.mu.Unlock()
	if cancel != nil {
		cancel()
	}
	l.running.Wait()
	return nil
}

// armForNext arms the timer for the status's Next occurrence. l.mu is held.
func (l *Listener) armForNext(now time.Time) {
	if l.status.Next.IsZero() {
		l.log(emulator.LevelWarning, fmt.Sprintf("The schedule of '%s' (%s) has no next occurrence; the timer will not fire.", l.logName, l.sched))
		return
	}
	l.arm(l.status.Next.Sub(now))
}

// arm schedules onTimer after d (at once when d <= 0). l.mu is held.
func (l *Listener) arm(d time.Duration) {
	if l.closed {
		return
	}
	l.pending = l.opts.Clock.AfterFunc(max(d, 0), l.onTimer)
}

// onTimer runs in the clock's goroutine when the timer fires.
func (l *Listener) onTimer() {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return
	}
	l.running.Add(1)
	l.pending = nil
	startup := l.startupRun
	l.startupRun = nil
	l.mu.Unlock()
	defer l.running.Done()

	switch {
	case startup != nil && startup.pastDue:
		l.log(emulator.LevelDebug, fmt.Sprintf("Function '%s' is past due on startup. Executing now.", l.logName))
		l.run(l.now(), true, false, startup.originalSchedule)
	case startup != nil:
		l.log(emulator.LevelDebug, fmt.Sprintf("Function '%s' is configured to run on startup. Executing now.", l.logName))
		l.run(l.now(), false, true, time.Time{})
	default:
		l.run(l.now(), false, false, time.Time{})
	}

	l.mu.Lock()
	defer l.mu.Unlock()
	l.armForNext(l.now())
}

// run invokes the function once and advances the status, as the host's
// InvokeJobFunction does.
func (l *Listener) run(firedAt time.Time, pastDue, onStartup bool, originalSchedule time.Time) {
	l.invokeMu.Lock()
	defer l.invokeMu.Unlock()
	if l.ctx.Err() != nil {
		return
	}
	l.mu.Lock()
	current := l.status
	l.mu.Unlock()

	var infoStatus *Status
	if l.store != nil {
		infoStatus = &current
	}
	details := map[string]string{}
	switch {
	case pastDue:
		details[DetailUnscheduledReason] = ReasonPastDue
	case onStartup:
		details[DetailUnscheduledReason] = ReasonRunOnStartup
	}
	if !originalSchedule.IsZero() {
		details[DetailOriginalSchedule] = originalSchedule.Format(roundTripLayout)
	}
	err := l.opts.Invoke(l.ctx, l.fn, TimerInfo(l.sched, infoStatus, pastDue), Reason(firedAt), details)
	if err != nil {
		l.log(emulator.LevelDebug, fmt.Sprintf("Timer run of '%s' failed: %v", l.logName, err))
	}

	// A timer that fires a little early counts as having fired on time,
	// so Next never repeats the same occurrence.
	at := firedAt
	if !pastDue && !onStartup && current.Next.After(firedAt) {
		at = current.Next
	}
	next := Status{Last: at, Next: l.sched.Next(at), LastUpdated: at}
	l.mu.Lock()
	l.status = next
	l.mu.Unlock()
	if l.store != nil {
		if err := l.store.Save(l.ctx, l.fn.Name, next); err != nil && l.ctx.Err() == nil {
			l.log(emulator.LevelWarning, fmt.Sprintf("Function '%s' could not save its schedule status: %v", l.logName, err))
		}
	}
}

// now is the clock's time in the schedule's zone.
func (l *Listener) now() time.Time { return l.opts.Clock.Now().In(l.opts.Location) }

func (l *Listener) log(level emulator.Level, msg string) {
	if l.opts.Events == nil {
		return
	}
	l.opts.Events.Publish(emulator.Event{
		Time: l.opts.Clock.Now(),
		Kind: emulator.EventLog,
		Log:  &emulator.LogEntry{Level: level, Category: emulator.CategoryHost, Message: msg, Function: l.fn.Name},
	})
}

// roundTrip prints a status time like .NET's "o" format (zero as year 1).
func roundTrip(t time.Time) string { return t.Format(roundTripLayout) }
