package timer

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator"
)

// call is one recorded invocation.
type call struct {
	info    string
	reason  string
	details map[string]string
}

// recorder returns an Invoke that reports each call on a channel and then
// returns the result of respond (nil when respond is nil).
func recorder(respond func() error) (Invoke, chan call) {
	calls := make(chan call, 16)
	return func(ctx context.Context, fn *emulator.Function, info json.RawMessage, reason string, details map[string]string) error {
		calls <- call{string(info), reason, details}
		if respond != nil {
			return respond()
		}
		return nil
	}, calls
}

func timerFunction(schedule string, runOnStartup, useMonitor bool) *emulator.Function {
	return &emulator.Function{Name: "Nightly", Bindings: []*emulator.Binding{{
		Type: "timerTrigger", Direction: "in", Name: "myTimer",
		Schedule: schedule, RunOnStartup: runOnStartup, UseMonitor: useMonitor,
	}}}
}

func receive(t *testing.T, calls <-chan call) call {
	t.Helper()
	select {
	case c := <-calls:
		return c
	case <-time.After(10 * time.Second):
		t.Fatal("no invocation")
		return call{}
	}
}

func startListener(t *testing.T, fn *emulator.Function, opts Options) *Listener {
	t.Helper()
	l, err := New(fn, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

var may1 = time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)

func TestDailyTimerFiresThreeTimes(t *testing.T) {
	clock := newFakeClock(may1)
	invoke, calls := recorder(nil)
	store := &MemoryStore{}
	startListener(t, timerFunction("0 0 12 * * *", false, true), Options{Invoke: invoke, Clock: clock, Location: time.UTC, Store: store})

	wantInfos := []string{
		`{"Schedule":{"AdjustForDST":true},"ScheduleStatus":{"Last":"0001-01-01T00:00:00+00:00","Next":"2026-05-01T12:00:00+00:00","LastUpdated":"0001-01-01T00:00:00+00:00"},"IsPastDue":false}`,
		`{"Schedule":{"AdjustForDST":true},"ScheduleStatus":{"Last":"2026-05-01T12:00:00+00:00","Next":"2026-05-02T12:00:00+00:00","LastUpdated":"2026-05-01T12:00:00+00:00"},"IsPastDue":false}`,
		`{"Schedule":{"AdjustForDST":true},"ScheduleStatus":{"Last":"2026-05-02T12:00:00+00:00","Next":"2026-05-03T12:00:00+00:00","LastUpdated":"2026-05-02T12:00:00+00:00"},"IsPastDue":false}`,
	}
	for day, want := range wantInfos {
		due := waitArmed(t, clock)
		wantDue := time.Date(2026, 5, 1+day, 12, 0, 0, 0, time.UTC)
		if !due.Equal(wantDue) {
			t.Fatalf("run %d armed for %s, want %s", day+1, due, wantDue)
		}
		clock.Advance(due.Sub(clock.Now()))
		c := receive(t, calls)
		if c.info != want {
			t.Fatalf("run %d TimerInfo\n got %s\nwant %s", day+1, c.info, want)
		}
		if wantReason := "Timer fired at " + wantDue.Format("2006-01-02T15:04:05") + ".0000000+00:00"; c.reason != wantReason {
			t.Fatalf("run %d reason %q, want %q", day+1, c.reason, wantReason)
		}
		if len(c.details) != 0 {
			t.Fatalf("scheduled run has details %v", c.details)
		}
	}
	waitArmed(t, clock)
	st, ok, _ := store.Load(context.Background(), "Nightly")
	if !ok || !st.Last.Equal(time.Date(2026, 5, 3, 12, 0, 0, 0, time.UTC)) || !st.Next.Equal(time.Date(2026, 5, 4, 12, 0, 0, 0, time.UTC)) {
		t.Fatalf("stored status after three runs = %+v", st)
	}
}

func TestRunOnStartup(t *testing.T) {
	clock := newFakeClock(may1)
	invoke, calls := recorder(nil)
	startListener(t, timerFunction("0 0 12 * * *", true, false), Options{Invoke: invoke, Clock: clock, Location: time.UTC})

	fireDue(t, clock)
	c := receive(t, calls)
	if want := map[string]string{"UnscheduledInvocationReason": "RunOnStartup"}; !reflect.DeepEqual(c.details, want) {
		t.Fatalf("details = %v, want %v", c.details, want)
	}
	if want := `{"Schedule":{"AdjustForDST":true},"ScheduleStatus":null,"IsPastDue":false}`; c.info != want {
		t.Fatalf("TimerInfo = %s, want %s", c.info, want)
	}
	if due := waitArmed(t, clock); !due.Equal(time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)) {
		t.Fatalf("after the startup run the timer is armed for %s, want today's 12:00", due)
	}
}

func TestPastDueRunsAtOnceWithDetails(t *testing.T) {
	clock := newFakeClock(time.Date(2026, 5, 3, 10, 0, 0, 0, time.UTC))
	store := &MemoryStore{}
	missed := time.Date(2026, 5, 2, 12, 0, 0, 0, time.UTC)
	last := missed.Add(-24 * time.Hour)
	store.Save(context.Background(), "Nightly", Status{Last: last, Next: missed, LastUpdated: last})
	invoke, calls := recorder(nil)
	startListener(t, timerFunction("0 0 12 * * *", true, true), Options{Invoke: invoke, Clock: clock, Location: time.UTC, Store: store})

	fireDue(t, clock)
	c := receive(t, calls)
	wantDetails := map[string]string{"UnscheduledInvocationReason": "IsPastDue", "OriginalSchedule": "2026-05-02T12:00:00.0000000+00:00"}
	if !reflect.DeepEqual(c.details, wantDetails) {
		t.Fatalf("details = %v, want %v (past due wins over runOnStartup)", c.details, wantDetails)
	}
	if !strings.HasSuffix(c.info, `"IsPastDue":true}`) {
		t.Fatalf("TimerInfo = %s, want IsPastDue true", c.info)
	}
	if due := waitArmed(t, clock); !due.Equal(time.Date(2026, 5, 3, 12, 0, 0, 0, time.UTC)) {
		t.Fatalf("armed for %s after catch-up, want today's 12:00", due)
	}
	st, _, _ := store.Load(context.Background(), "Nightly")
	if want := clock.Now(); !st.Last.Equal(want) {
		t.Fatalf("Last = %s, want the catch-up time %s (not moved to Next)", st.Last, want)
	}
	clock.Advance(2 * time.Hour)
	if c := receive(t, calls); !strings.HasSuffix(c.info, `"IsPastDue":false}`) || len(c.details) != 0 {
		t.Fatalf("the scheduled run after catch-up: info %s, details %v", c.info, c.details)
	}
}

func TestMonitorOffCases(t *testing.T) {
	tests := []struct {
		name     string
		schedule string
		use      bool
		store    bool
	}{
		{"useMonitor false", "0 0 12 * * *", false, true},
		{"no store", "0 0 12 * * *", true, false},
		{"fires every ten seconds", "*/10 * * * * *", true, true},
		{"timespan under a minute", "00:00:30", true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := newFakeClock(may1)
			invoke, calls := recorder(nil)
			var store *MemoryStore
			opts := Options{Invoke: invoke, Clock: clock, Location: time.UTC}
			if tt.store {
				store = &MemoryStore{}
				opts.Store = store
			}
			l := startListener(t, timerFunction(tt.schedule, false, tt.use), opts)
			if l.Monitored() {
				t.Fatal("Monitored() = true")
			}
			due := waitArmed(t, clock)
			clock.Advance(due.Sub(clock.Now()))
			if c := receive(t, calls); !strings.Contains(c.info, `"ScheduleStatus":null`) {
				t.Fatalf("TimerInfo = %s, want a null ScheduleStatus", c.info)
			}
			if store != nil {
				if _, ok, _ := store.Load(context.Background(), "Nightly"); ok {
					t.Fatal("an unmonitored timer wrote a status")
				}
			}
		})
	}
}

func TestTimeSpanScheduleRunsFromLastRun(t *testing.T) {
	clock := newFakeClock(may1)
	invoke, calls := recorder(nil)
	startListener(t, timerFunction("00:05:00", false, true), Options{Invoke: invoke, Clock: clock, Location: time.UTC, Store: &MemoryStore{}})
	for i := 1; i <= 2; i++ {
		due := waitArmed(t, clock)
		if want := may1.Add(time.Duration(i) * 5 * time.Minute); !due.Equal(want) {
			t.Fatalf("run %d armed for %s, want %s", i, due, want)
		}
		clock.Advance(due.Sub(clock.Now()))
		if c := receive(t, calls); !strings.HasPrefix(c.info, `{"Schedule":{"AdjustForDST":false}`) {
			t.Fatalf("TimerInfo = %s, want AdjustForDST false for a TimeSpan", c.info)
		}
	}
}

func TestRunsNeverOverlapAndFailuresKeepTheSchedule(t *testing.T) {
	clock := newFakeClock(may1)
	release := make(chan struct{})
	var inFlight, most atomic.Int32
	invoke, calls := recorder(func() error {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		<-release
		return errors.New("handler failed")
	})
	startListener(t, timerFunction("0 * * * * *", false, true), Options{Invoke: invoke, Clock: clock, Location: time.UTC, Store: &MemoryStore{}})

	due := waitArmed(t, clock)
	clock.Advance(due.Sub(clock.Now()))
	receive(t, calls)
	// While the run is blocked, minutes pass and nothing else is armed.
	clock.Advance(5 * time.Minute)
	if p := clock.Deadlines(); len(p) != 0 {
		t.Fatalf("timers armed during a run: %v", p)
	}
	release <- struct{}{}
	// The next occurrence is already past: it is armed at once, after the
	// first, and runs on the clock's next move.
	fireDue(t, clock)
	receive(t, calls)
	release <- struct{}{}
	due = waitArmed(t, clock)
	if want := time.Date(2026, 5, 1, 10, 7, 0, 0, time.UTC); !due.Equal(want) { // the next minute after the catch-up run at 10:06
		t.Fatalf("armed for %s, want %s", due, want)
	}
	if most.Load() != 1 {
		t.Fatalf("%d runs overlapped", most.Load())
	}
}

func TestCloseWaitsForTheRunAndStopsTheTimer(t *testing.T) {
	clock := newFakeClock(may1)
	release := make(chan struct{})
	invoke, calls := recorder(func() error { <-release; return nil })
	l := startListener(t, timerFunction("0 * * * * *", false, true), Options{Invoke: invoke, Clock: clock, Location: time.UTC})
	due := waitArmed(t, clock)
	clock.Advance(due.Sub(clock.Now()))
	receive(t, calls)

	closed := make(chan struct{})
	go func() { l.Close(); close(closed) }()
	select {
	case <-closed:
		t.Fatal("Close returned while a run was in progress")
	default:
	}
	close(release)
	<-closed
	if p := clock.Deadlines(); len(p) != 0 {
		t.Fatalf("timers armed after Close: %v", p)
	}
	clock.Advance(time.Hour)
	select {
	case c := <-calls:
		t.Fatalf("invoked after Close: %+v", c)
	default:
	}
}

func TestCloseStopsPendingTimer(t *testing.T) {
	clock := newFakeClock(may1)
	invoke, _ := recorder(nil)
	l := startListener(t, timerFunction("0 0 12 * * *", false, false), Options{Invoke: invoke, Clock: clock, Location: time.UTC})
	waitArmed(t, clock)
	l.Close()
	if p := clock.Deadlines(); len(p) != 0 {
		t.Fatalf("pending after Close: %v", p)
	}
}

func TestStartLogsNextFiveOccurrences(t *testing.T) {
	tests := []struct {
		name string
		loc  string
		want string
	}{
		{"utc", "UTC", "The next 5 occurrences of the 'Functions.Nightly' schedule (Cron: '0 30 9 * * 1-5') will be:\n" +
			"05/01/2026 09:30:00Z\n05/04/2026 09:30:00Z\n05/05/2026 09:30:00Z\n05/06/2026 09:30:00Z\n05/07/2026 09:30:00Z"},
		{"berlin", "Europe/Berlin", "The next 5 occurrences of the 'Functions.Nightly' schedule (Cron: '0 30 9 * * 1-5') will be:\n" +
			"05/01/2026 09:30:00+02:00 (05/01/2026 07:30:00Z)\n05/04/2026 09:30:00+02:00 (05/04/2026 07:30:00Z)\n" +
			"05/05/2026 09:30:00+02:00 (05/05/2026 07:30:00Z)\n05/06/2026 09:30:00+02:00 (05/06/2026 07:30:00Z)\n" +
			"05/07/2026 09:30:00+02:00 (05/07/2026 07:30:00Z)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc, err := time.LoadLocation(tt.loc)
			if err != nil {
				t.Fatal(err)
			}
			bus := emulator.NewBus()
			events, cancel := bus.Subscribe(16)
			defer cancel()
			invoke, _ := recorder(nil)
			startListener(t, timerFunction("0 30 9 * * 1-5", false, false), Options{
				Invoke: invoke, Clock: newFakeClock(time.Date(2026, 5, 1, 5, 0, 0, 0, time.UTC)), Location: loc, Events: bus,
			})
			for {
				select {
				case e := <-events:
					if e.Log != nil && e.Log.Level == emulator.LevelInfo {
						if e.Log.Message != tt.want {
							t.Fatalf("message\n%s\nwant\n%s", e.Log.Message, tt.want)
						}
						if e.Log.Function != "Nightly" || e.Log.Category != emulator.CategoryHost {
							t.Fatalf("log entry %+v", e.Log)
						}
						return
					}
				default:
					t.Fatal("no info log published by Start")
				}
			}
		})
	}
}

func TestScheduleFromSetting(t *testing.T) {
	settings := map[string]string{"NIGHTLY": "0 0 3 * * *"}
	lookup := func(k string) (string, bool) { v, ok := settings[k]; return v, ok }
	clock := newFakeClock(may1)
	invoke, _ := recorder(nil)
	l := startListener(t, timerFunction("%NIGHTLY%", false, true), Options{Invoke: invoke, Clock: clock, Location: time.UTC, Settings: lookup})
	if got := l.Schedule().String(); got != "Cron: '0 0 3 * * *'" {
		t.Fatalf("schedule %q", got)
	}
	if due := waitArmed(t, clock); !due.Equal(time.Date(2026, 5, 2, 3, 0, 0, 0, time.UTC)) {
		t.Fatalf("armed for %s", due)
	}
}

func TestNewErrors(t *testing.T) {
	invoke, _ := recorder(nil)
	tests := []struct {
		name string
		fn   *emulator.Function
		opts Options
		want string
	}{
		{"missing setting", timerFunction("%NOPE%", false, true), Options{Invoke: invoke},
			"function Nightly: timerTrigger schedule: '%NOPE%' does not resolve to a value."},
		{"bad schedule", timerFunction("0 61 * * * *", false, true), Options{Invoke: invoke},
			"function Nightly: timerTrigger schedule: schedule expression '0 61 * * * *' was not recognized"},
		{"not a timer", &emulator.Function{Name: "Web", Bindings: []*emulator.Binding{{Type: "httpTrigger", Direction: "in"}}}, Options{Invoke: invoke},
			"function Web: not a timerTrigger function"},
		{"no invoke", timerFunction("0 0 12 * * *", false, true), Options{}, "Invoke is required"},
	}
	for _, tt := range tests {
		_, err := New(tt.fn, tt.opts)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.want)
		}
	}
}

func TestDaylightSavingInTheScheduleZone(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	// 2026-03-08 02:30 does not exist in New York: the run moves to 03:30.
	clock := newFakeClock(time.Date(2026, 3, 7, 12, 0, 0, 0, ny))
	invoke, calls := recorder(nil)
	startListener(t, timerFunction("0 30 2 * * *", false, false), Options{Invoke: invoke, Clock: clock, Location: ny})
	due := waitArmed(t, clock)
	if want := time.Date(2026, 3, 8, 3, 30, 0, 0, ny); !due.Equal(want) {
		t.Fatalf("armed for %s, want %s", due.In(ny), want)
	}
	clock.Advance(due.Sub(clock.Now()))
	if c := receive(t, calls); c.reason != "Timer fired at 2026-03-08T03:30:00.0000000-04:00" {
		t.Fatalf("reason %q", c.reason)
	}
}

func TestManualTimerInfo(t *testing.T) {
	invoke, _ := recorder(nil)
	store := &MemoryStore{}
	next := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	store.Save(context.Background(), "Nightly", Status{Next: next, LastUpdated: may1})
	tests := []struct {
		name       string
		useMonitor bool
		want       string
	}{
		{"monitored", true, `{"Schedule":{"AdjustForDST":true},"ScheduleStatus":{"Last":"0001-01-01T00:00:00+00:00","Next":"2026-05-01T12:00:00+00:00","LastUpdated":"2026-05-01T10:00:00+00:00"},"IsPastDue":false}`},
		{"unmonitored", false, `{"Schedule":{"AdjustForDST":true},"ScheduleStatus":null,"IsPastDue":false}`},
	}
	for _, tt := range tests {
		l, err := New(timerFunction("0 0 12 * * *", false, tt.useMonitor), Options{Invoke: invoke, Store: store, Location: time.UTC})
		if err != nil {
			t.Fatal(err)
		}
		got, err := l.ManualTimerInfo(context.Background())
		if err != nil || string(got) != tt.want {
			t.Errorf("%s: ManualTimerInfo = %s, %v\nwant %s", tt.name, got, err, tt.want)
		}
	}
}
