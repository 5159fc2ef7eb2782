package cmd

import (
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator"
)

func TestNextTimerRunUsesTheAppsTimeZone(t *testing.T) {
	t.Parallel()
	r := newRunner(&startOptions{}, nil)
	r.app = &emulator.App{Settings: emulator.Settings{Values: map[string]string{"WEBSITE_TIME_ZONE": "Europe/Berlin"}}}
	timer := &emulator.Function{Name: "Nightly", Bindings: []*emulator.Binding{{Type: "timerTrigger", Direction: "in", Schedule: "0 30 2 * * *"}}}
	after := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

	next, ok := r.nextTimerRun(timer, after)
	if !ok {
		t.Fatal("no next run")
	}
	// 02:30 in Berlin (UTC+1 in November) the next day is 01:30 UTC.
	if want := time.Date(2026, 11, 28, 1, 30, 0, 0, time.UTC); !next.Equal(want) {
		t.Fatalf("next = %v, want %v", next, want)
	}

	http := &emulator.Function{Name: "Hello", Bindings: []*emulator.Binding{{Type: "httpTrigger", Direction: "in"}}}
	if _, ok := r.nextTimerRun(http, after); ok {
		t.Fatal("an HTTP function has a next run")
	}
	broken := &emulator.Function{Name: "Bad", Bindings: []*emulator.Binding{{Type: "timerTrigger", Direction: "in", Schedule: "not a schedule"}}}
	if _, ok := r.nextTimerRun(broken, after); ok {
		t.Fatal("an unparsable schedule has a next run")
	}
}
