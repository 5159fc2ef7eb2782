package tui

import (
	"context"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/clock"
)

func TestMain(m *testing.M) {
	// Text renderings in tests and goldens carry no colour codes.
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Exit(m.Run())
}

// fakeController records calls and answers from its fields.
type fakeController struct {
	mu       sync.Mutex
	calls    []string
	err      error
	queues   []QueueInfo
	messages map[string][]Message
	tables   []TableInfo
	entities map[string][]Entity
}

func (f *fakeController) record(call string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, call)
	return f.err
}

func (f *fakeController) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

func (f *fakeController) Invoke(_ context.Context, fn, input string) error {
	return f.record("invoke " + fn + " " + input)
}
func (f *fakeController) Replay(_ context.Context, id string) error { return f.record("replay " + id) }
func (f *fakeController) Rebuild(context.Context) error             { return f.record("rebuild") }
func (f *fakeController) Queues(context.Context) ([]QueueInfo, error) {
	if err := f.record("queues"); err != nil {
		return nil, err
	}
	return f.queues, nil
}
func (f *fakeController) PeekMessages(_ context.Context, q string, n int) ([]Message, error) {
	if err := f.record("peek " + q); err != nil {
		return nil, err
	}
	return f.messages[q], nil
}
func (f *fakeController) RequeuePoison(_ context.Context, q, id string) error {
	return f.record("requeue " + q + " " + id)
}

func (f *fakeController) Tables(context.Context) ([]TableInfo, error) {
	if err := f.record("tables"); err != nil {
		return nil, err
	}
	return f.tables, nil
}
func (f *fakeController) Entities(_ context.Context, table string, n int) ([]Entity, error) {
	if err := f.record("entities " + table + " " + strconv.Itoa(n)); err != nil {
		return nil, err
	}
	return f.entities[table], nil
}

// viewOf returns the model's view of type T.
func viewOf[T view](m *model) T {
	for _, v := range m.views {
		if t, ok := v.(T); ok {
			return t
		}
	}
	panic("no such view")
}

func functionsOf(m *model) *functionsView     { return viewOf[*functionsView](m) }
func invocationsOf(m *model) *invocationsView { return viewOf[*invocationsView](m) }
func logsOf(m *model) *logsView               { return viewOf[*logsView](m) }
func queuesOf(m *model) *queuesView           { return viewOf[*queuesView](m) }
func tablesOf(m *model) *tablesView           { return viewOf[*tablesView](m) }

func newTestModel(c Controller) *model {
	m := newModel(context.Background(), c, nil, Options{Clock: clock.NewVirtual(t0)})
	m.queueRefresh = 0
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	return m
}

// feed sends events to Update as one batch.
func feed(m *model, events ...emulator.Event) {
	m.Update(eventsMsg{events: events})
}

// press sends keys to Update and runs the commands they return, feeding
// their messages back, the way the program loop would (ticks excluded).
func press(m *model, keys ...string) {
	for _, k := range keys {
		run(m, m.handleKeyMsg(keyMsg(k)))
	}
}

func (m *model) handleKeyMsg(k tea.KeyMsg) tea.Cmd {
	_, cmd := m.Update(k)
	return cmd
}

func run(m *model, cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	msg := cmd()
	switch msg := msg.(type) {
	case tea.BatchMsg:
		for _, c := range msg {
			run(m, c)
		}
	case opDoneMsg, queuesMsg, messagesMsg, tablesMsg, entitiesMsg, editorDoneMsg:
		_, next := m.Update(msg)
		run(m, next)
	}
}

func keyMsg(k string) tea.KeyMsg {
	switch k {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "tab":
		return tea.KeyMsg{Type: tea.KeyTab}
	case "shift+tab":
		return tea.KeyMsg{Type: tea.KeyShiftTab}
	case "up":
		return tea.KeyMsg{Type: tea.KeyUp}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "ctrl+c":
		return tea.KeyMsg{Type: tea.KeyCtrlC}
	case "backspace":
		return tea.KeyMsg{Type: tea.KeyBackspace}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

// scenario is a small app at work: startup, a build, invocations with a
// parent and child, logs, and a failure.
func scenario() []emulator.Event {
	app := sampleApp()
	app.Dir = "/home/dev/orders-app"
	parentStart := startedEvent(100, "HttpExample", "5f2a9c1e-0000-4000-8000-000000000001")
	parentStart.Invocation.Input = &emulator.Input{HTTP: &emulator.HTTPRequest{
		Method: "POST", URL: "/api/HttpExample?name=ada",
		Headers: map[string][]string{"Content-Type": {"application/json"}},
		Body:    []byte(`{"order":42}`),
	}}
	parentEnd := finishedEvent(131, 31, "HttpExample", "5f2a9c1e-0000-4000-8000-000000000001", emulator.StatusSucceeded, "")
	parentEnd.Invocation.Outputs = []emulator.Output{
		{Binding: "res", HTTP: &emulator.HTTPResponse{Status: 200, Body: []byte("queued order 42")}},
		{Binding: "out", Queue: &emulator.QueueOutput{Queue: "orders", Message: `{"order":42}`}},
	}
	child := startedEvent(140, "MyQueueFunction", "77c0ffee-0000-4000-8000-000000000002")
	child.Invocation.Trigger, child.Invocation.ParentID = emulator.TriggerQueue, "5f2a9c1e-0000-4000-8000-000000000001"
	child.Invocation.Reason = "New queue message detected on 'orders'."
	child.Invocation.Input = &emulator.Input{Queue: &emulator.QueueMessage{
		Queue: "orders", ID: "m-1", Body: `{"order":42}`, DequeueCount: 1, InsertionTime: at(135)}}
	childLog := logEvent(150, emulator.LevelInfo, emulator.CategoryFunction, "processing order 42")
	childLog.Log.InvocationID, childLog.Log.Function = "77c0ffee-0000-4000-8000-000000000002", "MyQueueFunction"
	childEnd := finishedEvent(160, 20, "MyQueueFunction", "77c0ffee-0000-4000-8000-000000000002", emulator.StatusFailed,
		"Result: Failure\nException: order 42 has no customer")
	childEnd.Invocation.Trigger, childEnd.Invocation.ParentID = emulator.TriggerQueue, "5f2a9c1e-0000-4000-8000-000000000001"
	childEnd.Invocation.Reason = child.Invocation.Reason
	return []emulator.Event{
		{Time: at(0), Kind: emulator.EventBuildStarted},
		{Time: at(50), Kind: emulator.EventBuildFinished, Build: &emulator.Build{State: emulator.BuildSucceeded, Start: at(0), Duration: 1200 * time.Millisecond}},
		{Time: at(60), Kind: emulator.EventAppLoaded, App: app},
		{Time: at(70), Kind: emulator.EventReady, Ready: &emulator.Endpoints{HTTP: "http://127.0.0.1:7071",
			Blob: "http://127.0.0.1:10000/devstoreaccount1", Queue: "http://127.0.0.1:10001/devstoreaccount1",
			Table: "http://127.0.0.1:10002/devstoreaccount1"}},
		logEvent(80, emulator.LevelWarning, emulator.CategoryHost, "Skipping 'X' from local settings as it's already defined in current environment variables."),
		parentStart, parentEnd, child, childLog, childEnd,
	}
}
