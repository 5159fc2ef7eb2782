package tui

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/clock"
)

func printAll(opts PrinterOptions, events ...emulator.Event) []string {
	var buf bytes.Buffer
	p := NewPrinter(&buf, opts)
	for _, e := range events {
		p.Print(e)
	}
	return strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
}

func assertLines(t *testing.T, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d lines, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d:\n got %q\nwant %q", i+1, got[i], want[i])
		}
	}
}

func TestPrinterTextStartupBlock(t *testing.T) {
	got := printAll(PrinterOptions{},
		emulator.Event{Time: at(0), Kind: emulator.EventAppLoaded, App: sampleApp()},
		emulator.Event{Time: at(1), Kind: emulator.EventReady, Ready: &emulator.Endpoints{HTTP: "http://127.0.0.1:7071"}},
	)
	assertLines(t, got, []string{
		"[2024-05-01T12:00:05.679Z] Skipping 'X' from local settings as it's already defined in current environment variables.",
		"",
		"Functions:",
		"",
		"\tHttpExample: [GET,POST] http://localhost:7071/api/HttpExample",
		"",
		"\tProducts:  http://localhost:7071/api/products/{id:int?}",
		"",
		"\tMyQueueFunction: queueTrigger",
		"",
		"\tMyTimer: timerTrigger",
		"",
		"Function Disabled1 is disabled.",
		"The following 1 functions are in error:",
		"Broken: Broken/function.json: bindings[0].type: missing",
		"For detailed output, run funcemu with --verbose flag.",
	})
}

func TestPrinterTextReadyVariants(t *testing.T) {
	noPrefix := &emulator.App{Functions: []*emulator.Function{
		{Name: "Hello", Bindings: []*emulator.Binding{{Type: "httpTrigger", Methods: []string{"get"}, Route: "hello/{name}"}}},
	}}
	tests := []struct {
		name    string
		app     *emulator.App
		http    string
		verbose bool
		want    []string
	}{
		{
			name: "empty route prefix and wildcard host",
			app:  noPrefix, http: "http://0.0.0.0:8080/",
			want: []string{"", "Functions:", "", "\tHello: [GET] http://localhost:8080/hello/{name}", "", verboseHint},
		},
		{
			name: "verbose drops the hint and keeps a real host name",
			app:  noPrefix, http: "http://myhost:7071", verbose: true,
			want: []string{"", "Functions:", "", "\tHello: [GET] http://myhost:7071/hello/{name}", ""},
		},
		{
			name: "no functions says so instead of a block",
			app:  &emulator.App{Dir: "/apps/empty"}, http: "http://127.0.0.1:7071",
			want: []string{"No job functions found. A function is a folder of /apps/empty with a function.json; funcemu new --template http --name hello adds one.", verboseHint},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := printAll(PrinterOptions{Verbose: tt.verbose},
				emulator.Event{Time: at(0), Kind: emulator.EventAppLoaded, App: tt.app},
				emulator.Event{Time: at(1), Kind: emulator.EventReady, Ready: &emulator.Endpoints{HTTP: tt.http}},
			)
			assertLines(t, got, tt.want)
		})
	}
}

func TestPrinterTextEvents(t *testing.T) {
	failedBuild := &emulator.Build{State: emulator.BuildFailed, Duration: 1250 * time.Millisecond, Errors: []emulator.CompileError{
		{File: "handler/main.go", Line: 12, Column: 5, Message: "undefined: foo"},
		{File: "handler/util.go", Line: 3, Message: "syntax error"},
	}}
	tests := []struct {
		name    string
		event   emulator.Event
		verbose bool
		want    []string
	}{
		{"user log", logEvent(0, emulator.LevelInfo, emulator.CategoryFunction, "hello"),
			false, []string{"[2024-05-01T12:00:05.678Z] hello"}},
		{"multi-line message prefixes every line", logEvent(0, emulator.LevelInfo, emulator.CategoryConsole, "one\r\ntwo\n"),
			false, []string{"[2024-05-01T12:00:05.678Z] one", "[2024-05-01T12:00:05.678Z] two"}},
		{"user debug hidden", logEvent(0, emulator.LevelDebug, "Function.Hello.User", "dbg"), true, nil},
		{"host info hidden", logEvent(0, emulator.LevelInfo, emulator.CategoryHost, "Host started"), false, nil},
		{"host info shown when verbose", logEvent(0, emulator.LevelInfo, emulator.CategoryHost, "Host started"),
			true, []string{"[2024-05-01T12:00:05.678Z] Host started"}},
		{"build info hidden", logEvent(0, emulator.LevelInfo, emulator.CategoryBuild, "go build ./..."), false, nil},
		{"host warning shown", logEvent(0, emulator.LevelWarning, emulator.CategoryHost, "slow"),
			false, []string{"[2024-05-01T12:00:05.678Z] slow"}},
		{"allow-listed host line", logEvent(0, emulator.LevelInfo, emulator.CategoryHost, "Host lock lease acquired by instance ID '0000'."),
			false, []string{"[2024-05-01T12:00:05.678Z] Host lock lease acquired by instance ID '0000'."}},
		{"executing", startedEvent(3334, "HttpExample", "5f2a"), false, []string{
			"[2024-05-01T12:00:09.012Z] Executing 'Functions.HttpExample' (Reason='This function was programmatically called via the host APIs.', Id=5f2a)"}},
		{"executed", finishedEvent(3362, 31, "HttpExample", "5f2a", emulator.StatusSucceeded, ""), false, []string{
			"[2024-05-01T12:00:09.040Z] Executed 'Functions.HttpExample' (Succeeded, Id=5f2a, Duration=31ms)"}},
		{"failed with error", finishedEvent(0, 7, "Q", "ab", emulator.StatusFailed, "Result: Failure\nException: boom"), false, []string{
			"[2024-05-01T12:00:05.678Z] Executed 'Functions.Q' (Failed, Id=ab, Duration=7ms)",
			"[2024-05-01T12:00:05.678Z] Result: Failure",
			"[2024-05-01T12:00:05.678Z] Exception: boom"}},
		{"build started", emulator.Event{Time: at(0), Kind: emulator.EventBuildStarted, Build: &emulator.Build{State: emulator.BuildRunning}},
			false, []string{"[2024-05-01T12:00:05.678Z] Build started"}},
		{"build succeeded", emulator.Event{Time: at(0), Kind: emulator.EventBuildFinished, Build: &emulator.Build{State: emulator.BuildSucceeded, Duration: 1200 * time.Millisecond}},
			false, []string{"[2024-05-01T12:00:05.678Z] Build succeeded in 1.2s"}},
		{"build failed lists compiler errors", emulator.Event{Time: at(0), Kind: emulator.EventBuildFinished, Build: failedBuild}, false, []string{
			"[2024-05-01T12:00:05.678Z] Build failed in 1.2s",
			"[2024-05-01T12:00:05.678Z] handler/main.go:12:5: undefined: foo",
			"[2024-05-01T12:00:05.678Z] handler/util.go:3: syntax error"}},
		{"build failed without parsed errors shows output", emulator.Event{Time: at(0), Kind: emulator.EventBuildFinished,
			Build: &emulator.Build{State: emulator.BuildFailed, Output: "go: no go files\n"}}, false, []string{
			"[2024-05-01T12:00:05.678Z] Build failed in 0.0s",
			"[2024-05-01T12:00:05.678Z] go: no go files"}},
		{"app loaded before ready prints nothing", emulator.Event{Time: at(0), Kind: emulator.EventAppLoaded, App: sampleApp()}, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			NewPrinter(&buf, PrinterOptions{Verbose: tt.verbose}).Print(tt.event)
			var got []string
			if buf.Len() > 0 {
				got = strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
			}
			assertLines(t, got, tt.want)
		})
	}
}

func TestPrinterReportsReloadProblemsAfterReady(t *testing.T) {
	got := printAll(PrinterOptions{Verbose: true},
		emulator.Event{Time: at(0), Kind: emulator.EventAppLoaded, App: &emulator.App{}},
		emulator.Event{Time: at(0), Kind: emulator.EventReady, Ready: &emulator.Endpoints{HTTP: "http://127.0.0.1:7071"}},
		emulator.Event{Time: at(0), Kind: emulator.EventAppLoaded, App: sampleApp()},
	)
	assertLines(t, got[:4], []string{
		"No job functions found. A function is a folder of  with a function.json; funcemu new --template http --name hello adds one.",
		"[2024-05-01T12:00:05.678Z] Skipping 'X' from local settings as it's already defined in current environment variables.",
		"[2024-05-01T12:00:05.678Z] The following 1 functions are in error:",
		"[2024-05-01T12:00:05.678Z] Broken: Broken/function.json: bindings[0].type: missing",
	})
	// The reload added functions: their block is printed again.
	assertLines(t, got[4:9], []string{"", "Functions:", "", "\tHttpExample: [GET,POST] http://localhost:7071/api/HttpExample", ""})
}

func TestPrinterReprintsFunctionsOnlyWhenTheyChange(t *testing.T) {
	rerouted := sampleApp()
	rerouted.Host.RoutePrefix = "v2"
	got := printAll(PrinterOptions{},
		emulator.Event{Time: at(0), Kind: emulator.EventAppLoaded, App: sampleApp()},
		emulator.Event{Time: at(0), Kind: emulator.EventReady, Ready: &emulator.Endpoints{HTTP: "http://127.0.0.1:7071"}},
		emulator.Event{Time: at(0), Kind: emulator.EventAppLoaded, App: sampleApp()},
		emulator.Event{Time: at(0), Kind: emulator.EventAppLoaded, App: rerouted},
	)
	text := strings.Join(got, "\n")
	if n := strings.Count(text, "Functions:"); n != 2 {
		t.Fatalf("Functions: printed %d times, want 2 (start, then the routePrefix change):\n%s", n, text)
	}
	if !strings.Contains(text, "http://localhost:7071/v2/HttpExample") {
		t.Errorf("the reprinted block lacks the new route:\n%s", text)
	}
}

func TestPrinterColours(t *testing.T) {
	tests := []struct {
		name  string
		event emulator.Event
		want  string
	}{
		{"error red", logEvent(0, emulator.LevelError, emulator.CategoryFunction, "bad"),
			"\x1b[90m[2024-05-01T12:00:05.678Z]\x1b[0m \x1b[91mbad\x1b[0m\n"},
		{"warning yellow", logEvent(0, emulator.LevelWarning, emulator.CategoryFunction, "hm"),
			"\x1b[90m[2024-05-01T12:00:05.678Z]\x1b[0m \x1b[93mhm\x1b[0m\n"},
		{"info plain", logEvent(0, emulator.LevelInfo, emulator.CategoryFunction, "ok"),
			"\x1b[90m[2024-05-01T12:00:05.678Z]\x1b[0m ok\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			NewPrinter(&buf, PrinterOptions{Color: true}).Print(tt.event)
			if buf.String() != tt.want {
				t.Fatalf("got %q, want %q", buf.String(), tt.want)
			}
		})
	}
	var buf bytes.Buffer
	p := NewPrinter(&buf, PrinterOptions{Color: true})
	p.Print(emulator.Event{Time: at(0), Kind: emulator.EventAppLoaded, App: sampleApp()})
	p.Print(emulator.Event{Time: at(0), Kind: emulator.EventReady, Ready: &emulator.Endpoints{HTTP: "http://127.0.0.1:7071"}})
	if !strings.Contains(buf.String(), "\x1b[33mFunctions:\x1b[0m\n") {
		t.Errorf("Functions header not dark yellow:\n%q", buf.String())
	}
}

func TestPrinterStampsUntimedEventsFromClock(t *testing.T) {
	var buf bytes.Buffer
	p := NewPrinter(&buf, PrinterOptions{Clock: clock.NewVirtual(at(1000))})
	p.Print(emulator.Event{Kind: emulator.EventLog, Log: &emulator.LogEntry{Level: emulator.LevelInfo, Category: emulator.CategoryConsole, Message: "x"}})
	if want := "[2024-05-01T12:00:06.678Z] x\n"; buf.String() != want {
		t.Fatalf("got %q, want %q", buf.String(), want)
	}
}

func TestPrinterRunStopsOnCloseAndCancel(t *testing.T) {
	var buf bytes.Buffer
	p := NewPrinter(&buf, PrinterOptions{})
	ch := make(chan emulator.Event, 2)
	ch <- logEvent(0, emulator.LevelInfo, emulator.CategoryFunction, "a")
	ch <- logEvent(1, emulator.LevelInfo, emulator.CategoryFunction, "b")
	close(ch)
	if err := p.Run(context.Background(), ch); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if got := strings.Count(buf.String(), "\n"); got != 2 {
		t.Fatalf("printed %d lines, want 2", got)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := p.Run(ctx, make(chan emulator.Event)); err != nil {
		t.Fatalf("Run after cancel: %v", err)
	}
}

type failingWriter struct{ writes int }

func (w *failingWriter) Write([]byte) (int, error) { w.writes++; return 0, errors.New("disk full") }

func TestPrinterRunReturnsWriteError(t *testing.T) {
	w := &failingWriter{}
	p := NewPrinter(w, PrinterOptions{})
	ch := make(chan emulator.Event, 2)
	ch <- logEvent(0, emulator.LevelInfo, emulator.CategoryFunction, "a")
	ch <- logEvent(1, emulator.LevelInfo, emulator.CategoryFunction, "b")
	close(ch)
	err := p.Run(context.Background(), ch)
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("Run error = %v, want disk full", err)
	}
	if w.writes != 1 {
		t.Fatalf("wrote %d times after failure, want 1", w.writes)
	}
}

func TestCIEnvironment(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want bool
	}{
		{map[string]string{}, false},
		{map[string]string{"CI": "true"}, true},
		{map[string]string{"CONTINUOUS_INTEGRATION": "1"}, true},
		{map[string]string{"BUILD_NUMBER": "7"}, true},
		{map[string]string{"RUN_ID": "x"}, true},
		{map[string]string{"HOME": "/root"}, false},
	}
	for _, tt := range tests {
		if got := CIEnvironment(func(k string) string { return tt.env[k] }); got != tt.want {
			t.Errorf("CIEnvironment(%v) = %v, want %v", tt.env, got, tt.want)
		}
	}
}

// countingWriter keeps what was written and how many writes it took.
type countingWriter struct {
	bytes.Buffer
	writes int
}

func (w *countingWriter) Write(b []byte) (int, error) { w.writes++; return w.Buffer.Write(b) }

func TestPrinterRunWritesQueuedLinesTogether(t *testing.T) {
	events := []emulator.Event{
		logEvent(0, emulator.LevelInfo, emulator.CategoryFunction, "first"),
		logEvent(1, emulator.LevelWarning, emulator.CategoryFunction, "second"),
		logEvent(2, emulator.LevelError, emulator.CategoryFunction, "third"),
	}
	var oneByOne bytes.Buffer
	single := NewPrinter(&oneByOne, PrinterOptions{})
	for _, e := range events {
		single.Print(e)
	}

	w := &countingWriter{}
	p := NewPrinter(w, PrinterOptions{})
	ch := make(chan emulator.Event, len(events))
	for _, e := range events {
		ch <- e
	}
	close(ch)
	if err := p.Run(context.Background(), ch); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if w.String() != oneByOne.String() {
		t.Errorf("Run printed\n%s\nPrint one at a time printed\n%s", w.String(), oneByOne.String())
	}
	if w.writes != 1 {
		t.Errorf("three queued events took %d writes, want 1", w.writes)
	}
}
