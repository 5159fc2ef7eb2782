package journal

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/clock"
)

// t0 is the fake clock's start; every test time is an offset from it.
var t0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

func openMemory(t testing.TB, opts Options) *Journal {
	t.Helper()
	if opts.Clock == nil {
		opts.Clock = clock.NewVirtual(t0)
	}
	j, err := Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	return j
}

func openFile(t testing.TB, opts Options) *Journal {
	t.Helper()
	opts.Path = filepath.Join(t.TempDir(), FileName)
	return openMemory(t, opts)
}

func at(seconds int) time.Time { return t0.Add(time.Duration(seconds) * time.Second) }

func started(id, function string, start time.Time) emulator.Event {
	return emulator.Event{Time: start, Kind: emulator.EventInvocationStarted, Invocation: &emulator.Invocation{
		ID: id, Function: function, Trigger: emulator.TriggerHTTP, Reason: "This function was programmatically called via the host APIs.",
		Start: start, Status: emulator.StatusRunning,
		Input: &emulator.Input{HTTP: &emulator.HTTPRequest{Method: "GET", URL: "/api/" + function,
			Headers: map[string][]string{"Accept": {"*/*"}}}},
	}}
}

func finished(id, function string, start, end time.Time, errText string) emulator.Event {
	status := emulator.StatusSucceeded
	if errText != "" {
		status = emulator.StatusFailed
	}
	e := started(id, function, start)
	e.Kind, e.Time = emulator.EventInvocationFinished, end
	e.Invocation.End, e.Invocation.Status, e.Invocation.Error = end, status, errText
	e.Invocation.Outputs = []emulator.Output{{Binding: "res", HTTP: &emulator.HTTPResponse{Status: 200, Body: []byte("ok")}}}
	return e
}

func logLine(id string, when time.Time, level emulator.Level, msg string) emulator.Event {
	return emulator.Event{Time: when, Kind: emulator.EventLog, Log: &emulator.LogEntry{
		Level: level, Category: emulator.CategoryFunction, Message: msg, InvocationID: id,
	}}
}

func record(t testing.TB, j *Journal, events ...emulator.Event) {
	t.Helper()
	for _, e := range events {
		if err := j.Record(context.Background(), e); err != nil {
			t.Fatalf("record %s: %v", e.Kind, err)
		}
	}
}

func ids(invs []emulator.Invocation) []string {
	out := make([]string, len(invs))
	for i, inv := range invs {
		out[i] = inv.ID
	}
	return out
}

// totals reads the trigger-kept totals and recounts them the slow way.
func totals(t testing.TB, j *Journal) (kept, counted [2]int64) {
	t.Helper()
	if err := j.db.QueryRow(`SELECT invocations, bytes FROM totals`).Scan(&kept[0], &kept[1]); err != nil {
		t.Fatal(err)
	}
	if err := j.db.QueryRow(`SELECT (SELECT count(*) FROM invocations),
		coalesce((SELECT sum(size) FROM invocations), 0) +
		coalesce((SELECT sum(48 + length(CAST(message AS BLOB))) FROM logs), 0) +
		coalesce((SELECT sum(size) FROM exchanges), 0)`).Scan(&counted[0], &counted[1]); err != nil {
		t.Fatal(err)
	}
	return kept, counted
}
