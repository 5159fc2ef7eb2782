package journal

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/clock"
)

func TestRecordFilesOneRowPerInvocationWhateverTheOrder(t *testing.T) {
	start, end := at(1), at(2)
	s, f := started("inv-1", "Hello", start), finished("inv-1", "Hello", start, end, "")
	tests := []struct {
		name   string
		events []emulator.Event
	}{
		{"started then finished", []emulator.Event{s, f}},
		{"each twice", []emulator.Event{s, s, f, f}},
		{"finished then late started", []emulator.Event{f, s}},
		{"finished only", []emulator.Event{f}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := openMemory(t, Options{})
			record(t, j, tt.events...)
			got, err := j.Get(context.Background(), "inv-1")
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != emulator.StatusSucceeded || !got.Start.Equal(start) || !got.End.Equal(end) {
				t.Errorf("status %s, start %v, end %v; want succeeded, %v, %v", got.Status, got.Start, got.End, start, end)
			}
			if got.Input == nil || got.Input.HTTP == nil || got.Input.HTTP.URL != "/api/Hello" {
				t.Errorf("input = %+v, want the HTTP request", got.Input)
			}
			if len(got.Outputs) != 1 || string(got.Outputs[0].HTTP.Body) != "ok" {
				t.Errorf("outputs = %+v, want the HTTP response", got.Outputs)
			}
			all, err := j.List(context.Background(), Filter{})
			if err != nil {
				t.Fatal(err)
			}
			if len(all) != 1 {
				t.Errorf("%d rows, want 1", len(all))
			}
		})
	}
}

func TestRecordStartedShowsRunning(t *testing.T) {
	j := openMemory(t, Options{})
	record(t, j, started("inv-1", "Hello", at(1)))
	got, err := j.Get(context.Background(), "inv-1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != emulator.StatusRunning || !got.End.IsZero() || got.Outputs != nil {
		t.Fatalf("got status %s, end %v, outputs %v; want running with no end or outputs", got.Status, got.End, got.Outputs)
	}
}

func TestRecordFinishedInfersStatusFromError(t *testing.T) {
	j := openMemory(t, Options{})
	f := finished("inv-1", "Hello", at(1), at(2), "boom")
	f.Invocation.Status = emulator.StatusRunning // a host that only sets Error
	record(t, j, f)
	got, err := j.Get(context.Background(), "inv-1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != emulator.StatusFailed || got.Error != "boom" {
		t.Fatalf("status %s, error %q; want failed, boom", got.Status, got.Error)
	}
}

func TestRecordKeepsLogsInOrder(t *testing.T) {
	j := openMemory(t, Options{})
	record(t, j,
		started("inv-1", "Hello", at(1)),
		logLine("inv-1", at(1), emulator.LevelInfo, "first"),
		logLine("inv-1", at(1), emulator.LevelInfo, "first"), // same instant, same text: still two lines
		logLine("inv-1", at(2), emulator.LevelError, "second"),
		logLine("", at(2), emulator.LevelInfo, "host line, not an invocation's"),
	)
	got, err := j.Get(context.Background(), "inv-1")
	if err != nil {
		t.Fatal(err)
	}
	want := []Log{
		{Time: at(1), Level: emulator.LevelInfo, Message: "first"},
		{Time: at(1), Level: emulator.LevelInfo, Message: "first"},
		{Time: at(2), Level: emulator.LevelError, Message: "second"},
	}
	if !reflect.DeepEqual(got.Logs, want) {
		t.Fatalf("logs = %+v\nwant %+v", got.Logs, want)
	}
}

func TestRecordLogBeforeItsInvocationKeepsTheLine(t *testing.T) {
	j := openMemory(t, Options{})
	l := logLine("inv-1", at(3), emulator.LevelWarning, "early")
	l.Log.Function = "Hello"
	record(t, j, l)
	got, err := j.Get(context.Background(), "inv-1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Function != "Hello" || got.Status != emulator.StatusRunning || len(got.Logs) != 1 {
		t.Fatalf("placeholder = %+v, want Hello running with one line", got)
	}
	record(t, j, started("inv-1", "Hello", at(1)), finished("inv-1", "Hello", at(1), at(4), ""))
	got, err = j.Get(context.Background(), "inv-1")
	if err != nil {
		t.Fatal(err)
	}
	if !got.Start.Equal(at(1)) || got.Status != emulator.StatusSucceeded || len(got.Logs) != 1 {
		t.Fatalf("after the invocation's events: start %v, status %s, %d logs", got.Start, got.Status, len(got.Logs))
	}
}

func TestRecordUsesClockWhenEventHasNoTime(t *testing.T) {
	j := openMemory(t, Options{Clock: clock.NewVirtual(at(42))})
	l := logLine("inv-1", at(0), emulator.LevelInfo, "x")
	l.Time = time.Time{}
	record(t, j, l)
	got, err := j.Get(context.Background(), "inv-1")
	if err != nil {
		t.Fatal(err)
	}
	if !got.Logs[0].Time.Equal(at(42)) || !got.Start.Equal(at(42)) {
		t.Fatalf("log time %v, start %v; want the clock's %v", got.Logs[0].Time, got.Start, at(42))
	}
}

func TestRecordRejectsMalformedEvents(t *testing.T) {
	tests := []struct {
		name string
		e    emulator.Event
	}{
		{"started without invocation", emulator.Event{Kind: emulator.EventInvocationStarted}},
		{"finished without id", emulator.Event{Kind: emulator.EventInvocationFinished, Invocation: &emulator.Invocation{Function: "Hello"}}},
		{"log without entry", emulator.Event{Kind: emulator.EventLog}},
	}
	j := openMemory(t, Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := j.Record(context.Background(), tt.e)
			if emulator.ErrorCode(err) != emulator.EINVALID {
				t.Fatalf("err = %v, want an invalid-event error", err)
			}
		})
	}
}

func TestRecordIgnoresOtherKinds(t *testing.T) {
	j := openMemory(t, Options{})
	record(t, j, emulator.Event{Kind: emulator.EventBuildStarted, Build: &emulator.Build{}}, emulator.Event{Kind: emulator.EventReady})
	all, err := j.List(context.Background(), Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 0 {
		t.Fatalf("%d rows, want none", len(all))
	}
}

func TestRecordStartsNoTransactionForEventsItDoesNotKeep(t *testing.T) {
	j := openMemory(t, Options{})
	j.Close() // any database access now fails
	hostLog := logLine("", at(1), emulator.LevelInfo, "Host started")
	for _, e := range []emulator.Event{hostLog, {Kind: emulator.EventReady, Ready: &emulator.Endpoints{}}} {
		if err := j.Record(context.Background(), e); err != nil {
			t.Fatalf("Record(%s) = %v, want nil without touching the database", e.Kind, err)
		}
	}
	if err := j.Record(context.Background(), started("inv-1", "Hello", at(1))); err == nil {
		t.Fatal("Record on a closed journal succeeded; the test above proves nothing")
	}
}
