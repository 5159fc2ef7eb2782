package cmd

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/journal"
)

// runFuncemu runs funcemu with args and returns stdout.
func runFuncemu(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	return runFuncemuEnv(t, stdin, nil, args...)
}

// runFuncemuEnv is runFuncemu with env's KEY=value lines added to the
// environment the command sees.
func runFuncemuEnv(t *testing.T, stdin string, env []string, args ...string) (string, error) {
	t.Helper()
	f, _ := newTestFactory(t, stdin, env...)
	root := newRootCmd(f)
	var out syncBuffer
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs(args)
	err := root.ExecuteContext(context.Background())
	return out.String(), err
}

// seedApp makes an app folder whose journal holds a small history: a
// Hello call that queued work for Worker, which failed, and a running Echo.
func seedApp(t *testing.T) string {
	t.Helper()
	app := t.TempDir()
	if err := os.MkdirAll(filepath.Join(app, ".funcemu"), 0o755); err != nil {
		t.Fatal(err)
	}
	j, err := journal.Open(journal.Options{Path: journal.PathIn(filepath.Join(app, ".funcemu"))})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	now := time.Now()
	hello := &emulator.Invocation{ID: "11111111-hello", Function: "Hello", Trigger: emulator.TriggerHTTP,
		Status: emulator.StatusSucceeded, Start: now.Add(-3 * time.Hour), End: now.Add(-3*time.Hour + 2*time.Millisecond),
		Input: &emulator.Input{HTTP: &emulator.HTTPRequest{Method: "POST", URL: "/api/hello?x=1",
			Headers: map[string][]string{"Content-Type": {"application/json"}}, Body: []byte(`{"name":"Ada"}`)}},
		Outputs: []emulator.Output{
			{Binding: "res", HTTP: &emulator.HTTPResponse{Status: 200, Body: []byte("Hello, Ada")}},
			{Binding: "msg", Queue: &emulator.QueueOutput{Queue: "work", Message: "job-1"}},
		}}
	worker := &emulator.Invocation{ID: "22222222-worker", Function: "Worker", Trigger: emulator.TriggerQueue,
		ParentID: hello.ID, RetryCount: 1, Status: emulator.StatusFailed, Error: "handler returned 500\nstack...",
		Start: now.Add(-90 * time.Minute), End: now.Add(-90*time.Minute + 1500*time.Millisecond),
		Input: &emulator.Input{Queue: &emulator.QueueMessage{Queue: "work", ID: "m-1", Body: "job-1", DequeueCount: 2}}}
	echo := &emulator.Invocation{ID: "33333333-echo", Function: "Echo", Trigger: emulator.TriggerManual,
		Status: emulator.StatusRunning, Start: now.Add(-time.Minute),
		Input: &emulator.Input{Manual: &emulator.ManualInput{Input: "ping"}}}
	events := []emulator.Event{
		{Kind: emulator.EventInvocationFinished, Invocation: hello},
		{Kind: emulator.EventLog, Time: hello.Start, Log: &emulator.LogEntry{InvocationID: hello.ID, Level: emulator.LevelInfo, Message: "greeting Ada"}},
		{Kind: emulator.EventInvocationFinished, Invocation: worker},
		{Kind: emulator.EventLog, Time: worker.Start, Log: &emulator.LogEntry{InvocationID: worker.ID, Level: emulator.LevelError, Message: "disk on fire"}},
		{Kind: emulator.EventInvocationStarted, Invocation: echo},
	}
	for _, e := range events {
		if err := j.Record(context.Background(), e); err != nil {
			t.Fatal(err)
		}
	}
	return app
}

func TestEventsListTable(t *testing.T) {
	t.Parallel()
	app := seedApp(t)
	out, err := runFuncemu(t, "", "events", "list", app)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "ID") {
		t.Fatalf("want a header and 3 rows, got:\n%s", out)
	}
	for i, want := range []string{"33333333-echo", "22222222-worker", "11111111-hello"} {
		if !strings.HasPrefix(lines[i+1], want) {
			t.Errorf("row %d = %q, want %s first (newest first)", i+1, lines[i+1], want)
		}
	}
	if !strings.Contains(lines[2], "handler returned 500 …") || !strings.Contains(lines[2], "1.5s") {
		t.Errorf("worker row %q lacks its error's first line or duration", lines[2])
	}
}

func TestEventsListFilters(t *testing.T) {
	t.Parallel()
	app := seedApp(t)
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"function", []string{"--function", "worker"}, []string{"22222222-worker"}},
		{"status", []string{"--status", "running"}, []string{"33333333-echo"}},
		{"since duration", []string{"--since", "2h"}, []string{"33333333-echo", "22222222-worker"}},
		{"since time", []string{"--since", time.Now().Add(-10 * time.Minute).UTC().Format(time.RFC3339)}, []string{"33333333-echo"}},
		{"limit", []string{"--limit", "1"}, []string{"33333333-echo"}},
		{"app flag", []string{"--app", app, "--limit", "2"}, []string{"33333333-echo", "22222222-worker"}},
		{"data-dir flag", []string{"--data-dir", filepath.Join(app, ".funcemu"), "--status", "succeeded"}, []string{"11111111-hello"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"events", "list", "--json"}, tt.args...)
			if !strings.Contains(strings.Join(tt.args, " "), "--app") && !strings.Contains(strings.Join(tt.args, " "), "--data-dir") {
				args = append(args, app)
			}
			out, err := runFuncemu(t, "", args...)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
				var s summary
				if err := json.Unmarshal([]byte(l), &s); err != nil {
					t.Fatalf("line %q: %v", l, err)
				}
				got = append(got, s.ID)
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Fatalf("listed %v, want %v", got, tt.want)
			}
		})
	}
}

func TestEventsListJSONHasDuration(t *testing.T) {
	t.Parallel()
	app := seedApp(t)
	out, err := runFuncemu(t, "", "events", "list", "--json", "--function", "Worker", app)
	if err != nil {
		t.Fatal(err)
	}
	var s summary
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatal(err)
	}
	if s.DurationMS == nil || *s.DurationMS != 1500 || s.Status != "failed" || s.ParentID != "11111111-hello" || s.RetryCount != 1 {
		t.Fatalf("summary = %+v", s)
	}
}

func TestEventsBadFlagsNameTheFlag(t *testing.T) {
	t.Parallel()
	app := seedApp(t)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"events", "list", "--status", "done", app}, "--status"},
		{[]string{"events", "list", "--since", "yesterday", app}, "--since"},
		{[]string{"events", "list", "--since", "-5m", app}, "--since"},
		{[]string{"events", "list", "--limit", "-1", app}, "--limit"},
		{[]string{"events", "list", t.TempDir()}, "no journal at"},
		{[]string{"events", "list", "--app", t.TempDir(), app}, "given twice"},
		{[]string{"events", "show", "--app", app, "nope"}, `"nope" not found`},
		{[]string{"events", "import", "--app", app, filepath.Join(app, "missing.jsonl")}, "missing.jsonl"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args[1:3], " "), func(t *testing.T) {
			_, err := runFuncemu(t, "", tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one mentioning %s", err, tt.want)
			}
		})
	}
}

func TestEventsShow(t *testing.T) {
	t.Parallel()
	app := seedApp(t)
	out, err := runFuncemu(t, "", "events", "show", "--app", app, "1111")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"ID         11111111-hello", "Function   Hello", "Status     succeeded",
		"Children   22222222-worker  Worker  failed",
		"POST /api/hello?x=1", "Content-Type: application/json", `{"name":"Ada"}`,
		"res: HTTP 200", "Hello, Ada", "msg: queue work", "job-1",
		"info     greeting Ada",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("show lacks %q:\n%s", want, out)
		}
	}
	out, err = runFuncemu(t, "", "events", "show", "--app", app, "22222222-worker")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Parent     11111111-hello", "Retry      1", "Error      handler returned 500", "disk on fire", "queue work, message m-1, dequeue count 2"} {
		if !strings.Contains(out, want) {
			t.Errorf("show lacks %q:\n%s", want, out)
		}
	}
}

func TestEventsShowJSONIsOneExportLine(t *testing.T) {
	t.Parallel()
	app := seedApp(t)
	out, err := runFuncemu(t, "", "events", "show", "--json", "--app", app, "3333")
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		V     int
		ID    string
		Input struct{ Manual struct{ Input string } }
	}
	if strings.Count(out, "\n") != 1 || json.Unmarshal([]byte(out), &v) != nil ||
		v.V != 1 || v.ID != "33333333-echo" || v.Input.Manual.Input != "ping" {
		t.Fatalf("show --json = %q", out)
	}
}

func TestEventsExportImportRoundTrip(t *testing.T) {
	t.Parallel()
	app := seedApp(t)
	file := filepath.Join(t.TempDir(), "history.jsonl")
	if out, err := runFuncemu(t, "", "events", "export", "--out", file, app); err != nil || out != "" {
		t.Fatalf("export: %v, printed %q", err, out)
	}
	exported, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(exported), "\n"); n != 3 {
		t.Fatalf("exported %d lines, want 3", n)
	}
	fresh := t.TempDir()
	out, err := runFuncemu(t, "", "events", "import", "--app", fresh, file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "imported 3 invocations") {
		t.Fatalf("import printed %q", out)
	}
	again, err := runFuncemu(t, "", "events", "export", fresh)
	if err != nil {
		t.Fatal(err)
	}
	if again != string(exported) {
		t.Fatalf("export after import differs:\n%s\nvs\n%s", again, exported)
	}
	out, err = runFuncemu(t, string(exported), "events", "import", "--app", fresh, "-")
	if err != nil || !strings.Contains(out, "imported 0 invocations") || !strings.Contains(out, "3 already there") {
		t.Fatalf("re-import from stdin: %v, %q", err, out)
	}
}

func TestEventsExportFilters(t *testing.T) {
	t.Parallel()
	app := seedApp(t)
	out, err := runFuncemu(t, "", "events", "export", "--status", "failed", app)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(out, "\n") != 1 || !strings.Contains(out, `"id":"22222222-worker"`) {
		t.Fatalf("export --status failed = %q", out)
	}
}

func TestEventsImportRejectsBadFileWhole(t *testing.T) {
	t.Parallel()
	app := seedApp(t)
	file := filepath.Join(t.TempDir(), "bad.jsonl")
	good := `{"v":1,"id":"new","function":"F","status":"running","start":"2026-03-01T09:00:00Z"}`
	if err := os.WriteFile(file, []byte(good+"\n{\"v\":1}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := runFuncemu(t, "", "events", "import", "--app", app, file)
	if err == nil || !strings.Contains(err.Error(), "bad.jsonl") || !strings.Contains(err.Error(), "line 2") {
		t.Fatalf("error %v, want one naming the file and line 2", err)
	}
	out, err := runFuncemu(t, "", "events", "list", "--json", app)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, `"new"`) {
		t.Fatal("the good line of a rejected file was imported")
	}
}

func TestParseSince(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in      string
		want    time.Time
		wantErr bool
	}{
		{"", time.Time{}, false},
		{"90m", now.Add(-90 * time.Minute), false},
		{"0s", now, false},
		{"2026-03-01T09:00:00Z", time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC), false},
		{"2026-03-01T10:00:00.5+01:00", time.Date(2026, 3, 1, 9, 0, 0, 5e8, time.UTC), false},
		{"-1h", time.Time{}, true},
		{"2026-03-01", time.Time{}, true},
		{"soon", time.Time{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseSince(tt.in, now)
			if (err != nil) != tt.wantErr || !got.Equal(tt.want) {
				t.Fatalf("parseSince(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
			}
		})
	}
}
