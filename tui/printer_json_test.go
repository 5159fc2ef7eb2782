package tui

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator"
)

func TestPrinterJSONLines(t *testing.T) {
	failedBuild := &emulator.Build{State: emulator.BuildFailed, Duration: 900 * time.Millisecond, Output: "x\n",
		Errors: []emulator.CompileError{{File: "main.go", Line: 1, Column: 2, Message: "bad"}}}
	withParent := finishedEvent(0, 12, "Q", "c1", emulator.StatusFailed, "boom")
	withParent.Invocation.ParentID, withParent.Invocation.RetryCount, withParent.Invocation.Trigger = "p1", 2, emulator.TriggerQueue
	tests := []struct {
		name  string
		event emulator.Event
		want  string // "" when filtered out
	}{
		{"user log", logEvent(0, emulator.LevelInfo, emulator.CategoryFunction, "hi"),
			`{"time":"2024-05-01T12:00:05.678Z","level":"info","category":"Function","kind":"log","message":"hi"}`},
		{"host info filtered", logEvent(0, emulator.LevelInfo, emulator.CategoryHost, "x"), ""},
		{"started", startedEvent(0, "H", "i1"),
			`{"time":"2024-05-01T12:00:05.678Z","level":"info","category":"Function","kind":"invocation.started","message":"Executing 'Functions.H' (Reason='This function was programmatically called via the host APIs.', Id=i1)","function":"H","invocationId":"i1","trigger":"http","reason":"This function was programmatically called via the host APIs.","status":"running"}`},
		{"succeeded with zero duration keeps durationMs", finishedEvent(0, 0, "H", "i1", emulator.StatusSucceeded, ""),
			`{"time":"2024-05-01T12:00:05.678Z","level":"info","category":"Function","kind":"invocation.finished","message":"Executed 'Functions.H' (Succeeded, Id=i1, Duration=0ms)","function":"H","invocationId":"i1","trigger":"http","reason":"This function was programmatically called via the host APIs.","status":"succeeded","durationMs":0}`},
		{"failed child", withParent,
			`{"time":"2024-05-01T12:00:05.678Z","level":"error","category":"Function","kind":"invocation.finished","message":"Executed 'Functions.Q' (Failed, Id=c1, Duration=12ms)","function":"Q","invocationId":"c1","parentId":"p1","trigger":"queue","reason":"This function was programmatically called via the host APIs.","status":"failed","durationMs":12,"retryCount":2,"error":"boom"}`},
		{"build failed", emulator.Event{Time: at(0), Kind: emulator.EventBuildFinished, Build: failedBuild},
			`{"time":"2024-05-01T12:00:05.678Z","level":"error","category":"Build","kind":"build.finished","message":"Build failed in 0.9s","status":"failed","durationMs":900,"error":"x","errors":[{"file":"main.go","line":1,"column":2,"message":"bad"}]}`},
		{"build started", emulator.Event{Time: at(0), Kind: emulator.EventBuildStarted},
			`{"time":"2024-05-01T12:00:05.678Z","level":"info","category":"Build","kind":"build.started","message":"Build started","status":"building"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := printAll(PrinterOptions{JSON: true}, tt.event)
			if tt.want == "" {
				assertLines(t, got, []string{""})
				return
			}
			assertLines(t, got, []string{tt.want})
		})
	}
}

func TestPrinterJSONReady(t *testing.T) {
	got := printAll(PrinterOptions{JSON: true},
		emulator.Event{Time: at(0), Kind: emulator.EventAppLoaded, App: sampleApp()},
		emulator.Event{Time: at(1), Kind: emulator.EventReady, Ready: &emulator.Endpoints{
			HTTP: "http://127.0.0.1:7071", Queue: "http://127.0.0.1:10001/devstoreaccount1"}},
	)
	if len(got) != 2 {
		t.Fatalf("got %d lines, want 2: %q", len(got), got)
	}
	var ready struct {
		Kind      string `json:"kind"`
		Level     string `json:"level"`
		HTTP      string `json:"http"`
		Queue     string `json:"queue"`
		Functions []struct {
			Name, Trigger, URL string
			Methods            []string
			Disabled           bool
		} `json:"functions"`
		Broken []struct{ Name, Error string } `json:"broken"`
	}
	if err := json.Unmarshal([]byte(got[1]), &ready); err != nil {
		t.Fatalf("ready line is not JSON: %v\n%s", err, got[1])
	}
	if ready.Kind != "ready" || ready.Level != "error" || ready.HTTP != "http://127.0.0.1:7071" ||
		ready.Queue != "http://127.0.0.1:10001/devstoreaccount1" {
		t.Errorf("ready header fields = %+v", ready)
	}
	if len(ready.Functions) != 5 {
		t.Fatalf("functions = %+v", ready.Functions)
	}
	if f := ready.Functions[1]; f.Name != "HttpExample" || f.URL != "http://localhost:7071/api/HttpExample" || len(f.Methods) != 2 {
		t.Errorf("HttpExample = %+v", f)
	}
	if f := ready.Functions[4]; !f.Disabled {
		t.Errorf("Disabled1 = %+v", f)
	}
	if len(ready.Broken) != 1 || ready.Broken[0].Error != "Broken/function.json: bindings[0].type: missing" {
		t.Errorf("broken = %+v", ready.Broken)
	}
}
