package tui

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/funcemu/funcemu/emulator"
)

// readiness bounds how long a flow waits for the screen or the fake
// controller to catch up; it is a ceiling, never an expectation.
const readiness = 10 * time.Second

// startFlow runs the UI under teatest, fed from a channel through the
// real batcher, on an 80x24 terminal.
func startFlow(t *testing.T, c Controller, opts Options) (*teatest.TestModel, chan<- emulator.Event) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	opts.BatchInterval = time.Millisecond
	opts = opts.withDefaults()
	events := make(chan emulator.Event, 64)
	b := newBatcher(opts.BatchInterval, 1000)
	go b.run(ctx, events)
	m := newModel(ctx, c, b, opts)
	m.queueRefresh = 0
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	t.Cleanup(func() { _ = tm.Quit() })
	return tm, events
}

func waitScreen(t *testing.T, tm *teatest.TestModel, text string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(text)) },
		teatest.WithDuration(readiness), teatest.WithCheckInterval(5*time.Millisecond))
}

func waitCall(t *testing.T, c *fakeController, call string) {
	t.Helper()
	deadline := time.Now().Add(readiness)
	for time.Now().Before(deadline) {
		for _, got := range c.Calls() {
			if got == call {
				return
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("controller never got %q; calls: %q", call, c.Calls())
}

func sendKeys(tm *teatest.TestModel, keys ...string) {
	for _, k := range keys {
		tm.Send(keyMsg(k))
	}
}

// TestFlowInspectAndReplay follows a developer from the function list to a
// failed queue invocation's detail, replays it and quits.
func TestFlowInspectAndReplay(t *testing.T) {
	c := &fakeController{}
	tm, events := startFlow(t, c, Options{})
	for _, e := range scenario() {
		events <- e
	}
	waitScreen(t, tm, "GET,POST /api/HttpExample")
	sendKeys(tm, "2")
	waitScreen(t, tm, "77c0ffee")
	sendKeys(tm, "enter")
	waitScreen(t, tm, "Dequeue count")
	sendKeys(tm, "r")
	waitCall(t, c, "replay "+childID)
	sendKeys(tm, "q")
	final := tm.FinalModel(t, teatest.WithFinalTimeout(readiness)).(*model)
	golden.RequireEqual(t, []byte(capture(final)))
}

// TestFlowFireWithEditor fires a function with a payload written in the
// editor, through tea.ExecProcess.
func TestFlowFireWithEditor(t *testing.T) {
	editor := filepath.Join(t.TempDir(), "editor.sh")
	script := "#!/bin/sh\nprintf '{\"order\":7}' > \"$1\"\n"
	if err := os.WriteFile(editor, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	c := &fakeController{}
	tm, events := startFlow(t, c, Options{Editor: editor})
	for _, e := range scenario() {
		events <- e
	}
	waitScreen(t, tm, "MyQueueFunction")
	sendKeys(tm, "x")
	waitScreen(t, tm, "Fire Functions.MyQueueFunction")
	sendKeys(tm, "e")
	waitScreen(t, tm, `input> {"order":7}`)
	sendKeys(tm, "enter")
	waitCall(t, c, `invoke MyQueueFunction {"order":7}`)
	waitScreen(t, tm, "fired Functions.MyQueueFunction")
	sendKeys(tm, "ctrl+c")
	tm.WaitFinished(t, teatest.WithFinalTimeout(readiness))
}

// TestFlowResize redraws at a new size.
func TestFlowResize(t *testing.T) {
	tm, events := startFlow(t, &fakeController{}, Options{})
	for _, e := range scenario() {
		events <- e
	}
	waitScreen(t, tm, "HttpExample")
	tm.Send(tea.WindowSizeMsg{Width: 60, Height: 12})
	sendKeys(tm, "q")
	final := tm.FinalModel(t, teatest.WithFinalTimeout(readiness)).(*model)
	golden.RequireEqual(t, []byte(capture(final)))
}

func TestRunEndsWithContextOrStream(t *testing.T) {
	tests := []struct {
		name string
		stop func(cancel context.CancelFunc, events chan emulator.Event)
	}{
		{"context cancelled", func(cancel context.CancelFunc, _ chan emulator.Event) { cancel() }},
		{"stream closed", func(_ context.CancelFunc, events chan emulator.Event) { close(events) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			events := make(chan emulator.Event, 8)
			in, inW := ioPipe(t)
			var out syncBuffer
			done := make(chan error, 1)
			go func() {
				done <- Run(ctx, events, &fakeController{}, Options{Input: in, Output: &out, BatchInterval: time.Millisecond})
			}()
			events <- emulator.Event{Time: t0, Kind: emulator.EventAppLoaded, App: sampleApp()}
			deadline := time.Now().Add(readiness)
			for !strings.Contains(out.String(), "HttpExample") && time.Now().Before(deadline) {
				time.Sleep(5 * time.Millisecond)
			}
			tt.stop(cancel, events)
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("Run = %v, want nil", err)
				}
			case <-time.After(readiness):
				t.Fatal("Run did not return")
			}
			_ = inW.Close()
		})
	}
}
