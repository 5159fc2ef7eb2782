package tui

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/funcemu/funcemu/emulator"
)

const (
	parentID = "5f2a9c1e-0000-4000-8000-000000000001"
	childID  = "77c0ffee-0000-4000-8000-000000000002"
)

func TestUpdateKeys(t *testing.T) {
	orders := &fakeController{
		queues: []QueueInfo{{Name: "orders", Depth: 1, PoisonDepth: 1}, {Name: "audit"}},
		messages: map[string][]Message{
			"orders":        {{ID: "live-1", Body: "a", DequeueCount: 0, InsertionTime: t0}},
			"orders-poison": {{ID: "dead-1", Body: "b", DequeueCount: 5, InsertionTime: t0}},
		},
	}
	tests := []struct {
		name  string
		ctrl  *fakeController
		keys  []string
		check func(t *testing.T, m *model, c *fakeController)
	}{
		{"number keys switch views", nil, []string{"3"}, func(t *testing.T, m *model, _ *fakeController) {
			wantView(t, m, "Logs")
		}},
		{"tab wraps forward", nil, []string{"6", "tab"}, func(t *testing.T, m *model, _ *fakeController) {
			wantView(t, m, "Functions")
		}},
		{"shift+tab wraps back", nil, []string{"shift+tab"}, func(t *testing.T, m *model, _ *fakeController) {
			wantView(t, m, "Tables")
		}},
		{"j and k move and clamp", nil, []string{"j", "j", "down", "k", "j", "j", "j", "j", "j", "j"}, func(t *testing.T, m *model, _ *fakeController) {
			if got, want := functionsOf(m).cursor, len(functionsOf(m).rows())-1; got != want {
				t.Fatalf("cursor %d, want last row %d", got, want)
			}
		}},
		{"G and g jump to the ends", nil, []string{"G", "up", "g"}, func(t *testing.T, m *model, _ *fakeController) {
			if functionsOf(m).cursor != 0 {
				t.Fatalf("cursor %d, want 0", functionsOf(m).cursor)
			}
		}},
		{"enter opens the invocation detail", nil, []string{"2", "enter", "G"}, func(t *testing.T, m *model, _ *fakeController) {
			if invocationsOf(m).detail.id != childID {
				t.Fatalf("detail %q, want newest invocation %q", invocationsOf(m).detail.id, childID)
			}
			wantScreen(t, m, "Dequeue count  1", "Parent    "+parentID+" (HttpExample, succeeded)", "order 42 has no customer", "processing order 42")
		}},
		{"parent detail lists the child and outputs", nil, []string{"2", "j", "enter"}, func(t *testing.T, m *model, _ *fakeController) {
			wantScreen(t, m, "Children  "+childID+" (MyQueueFunction, failed)", "POST /api/HttpExample?name=ada",
				"Content-Type: application/json", `"order": 42`, "res: HTTP 200", "queued order 42", "out: queue orders")
		}},
		{"esc leaves the detail", nil, []string{"2", "enter", "esc"}, func(t *testing.T, m *model, _ *fakeController) {
			if invocationsOf(m).detail.id != "" {
				t.Fatalf("detail still open: %q", invocationsOf(m).detail.id)
			}
		}},
		{"enter on a function shows its invocations", nil, []string{"j", "enter"}, func(t *testing.T, m *model, _ *fakeController) {
			wantView(t, m, "Invocations")
			if n, _ := invocationsOf(m).list(); m.filter.Value() != "HttpExample" || n != 1 {
				t.Fatalf("filter %q shows %d rows, want HttpExample and 1", m.filter.Value(), n)
			}
		}},
		{"slash filters and esc clears", nil, []string{"2", "/", "Q", "u", "e"}, func(t *testing.T, m *model, _ *fakeController) {
			if n, _ := invocationsOf(m).list(); n != 1 || !m.filtering {
				t.Fatalf("typing filter: %d rows, filtering %v", n, m.filtering)
			}
			press(m, "enter")
			if m.filtering || m.filter.Value() != "Que" {
				t.Fatalf("after enter: filtering %v value %q", m.filtering, m.filter.Value())
			}
			press(m, "esc")
			if n, _ := invocationsOf(m).list(); n != 2 || m.filter.Value() != "" {
				t.Fatalf("after esc: %d rows, filter %q", n, m.filter.Value())
			}
		}},
		{"slash in the detail goes back to the list to filter it", nil, []string{"2", "enter", "/", "H"}, func(t *testing.T, m *model, _ *fakeController) {
			if invocationsOf(m).detail.id != "" || m.filter.Value() != "H" {
				t.Fatalf("detail %q filter %q", invocationsOf(m).detail.id, m.filter.Value())
			}
			wantScreen(t, m, "/H")
		}},
		{"esc while typing the filter clears it", nil, []string{"3", "/", "z", "z", "esc"}, func(t *testing.T, m *model, _ *fakeController) {
			if m.filtering || m.filter.Value() != "" {
				t.Fatalf("filtering %v value %q", m.filtering, m.filter.Value())
			}
		}},
		{"question mark toggles help", nil, []string{"?"}, func(t *testing.T, m *model, _ *fakeController) {
			wantScreen(t, m, "Keys (? or esc to close)", "replay selected invocation", "move poison message back")
			press(m, "esc")
			if m.help {
				t.Fatal("help still open after esc")
			}
		}},
		{"x fires the selected function with the typed payload", nil, []string{"j", "x", "i", "h", "i", "enter"}, func(t *testing.T, m *model, c *fakeController) {
			wantCalls(t, c, "invoke HttpExample hi")
			if m.prompt != nil || m.status != "fired Functions.HttpExample" {
				t.Fatalf("prompt %v status %q", m.prompt, m.status)
			}
		}},
		{"the prompt remembers the last payload", nil, []string{"j", "x", "i", "a", "enter", "x", "enter"}, func(t *testing.T, m *model, c *fakeController) {
			wantCalls(t, c, "invoke HttpExample a", "invoke HttpExample a")
		}},
		{"esc cancels the prompt", nil, []string{"x", "esc"}, func(t *testing.T, m *model, c *fakeController) {
			if m.prompt != nil || len(c.Calls()) != 0 {
				t.Fatalf("prompt %v calls %v", m.prompt, c.Calls())
			}
		}},
		{"x on a broken function explains why", nil, []string{"G", "x"}, func(t *testing.T, m *model, c *fakeController) {
			if m.prompt != nil || !m.statusIsErr || !strings.Contains(m.status, "bindings[0].type") {
				t.Fatalf("prompt %v status %q", m.prompt, m.status)
			}
		}},
		{"r replays the selected invocation", nil, []string{"2", "j", "r"}, func(t *testing.T, m *model, c *fakeController) {
			wantCalls(t, c, "replay "+parentID)
		}},
		{"r in the detail replays it", nil, []string{"2", "enter", "r"}, func(t *testing.T, m *model, c *fakeController) {
			wantCalls(t, c, "replay "+childID)
		}},
		{"b rebuilds from any view", nil, []string{"3", "b"}, func(t *testing.T, m *model, c *fakeController) {
			wantCalls(t, c, "rebuild")
		}},
		{"controller errors land in the status bar", &fakeController{err: errors.New("handler is not running")},
			[]string{"b"}, func(t *testing.T, m *model, _ *fakeController) {
				if !m.statusIsErr || m.status != "rebuild: handler is not running" {
					t.Fatalf("status %q (error %v)", m.status, m.statusIsErr)
				}
				wantScreen(t, m, "error: rebuild: handler is not running")
			}},
		{"f toggles follow", nil, []string{"3", "f"}, func(t *testing.T, m *model, _ *fakeController) {
			if logsOf(m).follow {
				t.Fatal("still following after f")
			}
			wantScreen(t, m, "Logs · paused")
			press(m, "f")
			if !logsOf(m).follow || logsOf(m).scroll != 0 {
				t.Fatalf("follow %v scroll %d", logsOf(m).follow, logsOf(m).scroll)
			}
		}},
		{"scrolling up pauses follow and G resumes it", nil, []string{"3", "k", "k"}, func(t *testing.T, m *model, _ *fakeController) {
			if logsOf(m).follow || logsOf(m).scroll != 2 {
				t.Fatalf("follow %v scroll %d, want paused at 2", logsOf(m).follow, logsOf(m).scroll)
			}
			press(m, "G")
			if !logsOf(m).follow || logsOf(m).scroll != 0 {
				t.Fatalf("after G: follow %v scroll %d", logsOf(m).follow, logsOf(m).scroll)
			}
		}},
		{"scrolling back down to the newest resumes follow", nil, []string{"3", "k", "j"}, func(t *testing.T, m *model, _ *fakeController) {
			if !logsOf(m).follow {
				t.Fatal("not following at the newest entry")
			}
		}},
		{"queues load and peek with poison", orders, []string{"4", "enter"}, func(t *testing.T, m *model, c *fakeController) {
			wantCalls(t, c, "queues", "peek orders", "peek orders-poison")
			wantScreen(t, m, "live-1", "dead-1", "poison")
		}},
		{"m moves a poison message back", orders, []string{"4", "enter", "j", "m"}, func(t *testing.T, m *model, c *fakeController) {
			calls := c.Calls()
			if len(calls) < 4 || calls[3] != "requeue orders dead-1" {
				t.Fatalf("calls %q, want requeue orders dead-1 fourth", calls)
			}
			if m.status != "moved dead-1 back to orders" {
				t.Fatalf("status %q", m.status)
			}
		}},
		{"m on a live message refuses", orders, []string{"4", "enter", "m"}, func(t *testing.T, m *model, c *fakeController) {
			if !m.statusIsErr || !strings.Contains(m.status, "live-1 is not in orders-poison") {
				t.Fatalf("status %q", m.status)
			}
		}},
		{"esc closes the messages pane", orders, []string{"4", "enter", "esc"}, func(t *testing.T, m *model, c *fakeController) {
			if queuesOf(m).msgs.name != "" {
				t.Fatalf("queue %q still open", queuesOf(m).msgs.name)
			}
		}},
		{"build view shows the last build", nil, []string{"5"}, func(t *testing.T, m *model, _ *fakeController) {
			wantScreen(t, m, "State       succeeded", "Last build  succeeded in 1.2s")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.ctrl
			if c == nil {
				c = &fakeController{}
			}
			c.calls = nil
			m := newTestModel(c)
			feed(m, scenario()...)
			press(m, tt.keys...)
			tt.check(t, m, c)
		})
	}
}

func TestUpdateQuit(t *testing.T) {
	tests := []struct {
		name string
		keys []string
	}{
		{"q", []string{"q"}},
		{"ctrl+c", []string{"ctrl+c"}},
		{"ctrl+c inside the prompt", []string{"x", "i", "ctrl+c"}},
		{"q from help", []string{"?", "q"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newTestModel(&fakeController{})
			feed(m, scenario()...)
			var cmd tea.Cmd
			for _, k := range tt.keys {
				_, cmd = m.Update(keyMsg(k))
			}
			if cmd == nil {
				t.Fatal("no command; want tea.Quit")
			}
			if _, ok := cmd().(tea.QuitMsg); !ok {
				t.Fatal("last key did not quit")
			}
		})
	}
}

func TestUpdateQInsidePromptTypes(t *testing.T) {
	c := &fakeController{}
	m := newTestModel(c)
	feed(m, scenario()...)
	press(m, "x", "i", "q", "enter")
	wantCalls(t, c, "invoke MyQueueFunction q")
}

func TestUpdateEditorResult(t *testing.T) {
	m := newTestModel(&fakeController{})
	feed(m, scenario()...)
	press(m, "x")
	m.Update(editorDoneMsg{function: "MyQueueFunction", payload: `{"order":7}`})
	if got := m.prompt.input.Value(); got != `{"order":7}` {
		t.Fatalf("prompt payload %q", got)
	}
	m.Update(editorDoneMsg{function: "MyQueueFunction", err: errors.New("editor vi: exit status 1")})
	if !m.statusIsErr || m.status != "editor vi: exit status 1" {
		t.Fatalf("status %q", m.status)
	}
}

func TestUpdateStreamClosedQuits(t *testing.T) {
	m := newTestModel(&fakeController{})
	_, cmd := m.Update(eventsMsg{events: scenario(), closed: true})
	if _, ok := cmd().(tea.QuitMsg); !ok || !m.closed {
		t.Fatal("closed stream did not quit")
	}
}

func TestUpdateSpinnerRunsOnlyWhileBuilding(t *testing.T) {
	m := newTestModel(&fakeController{})
	_, cmd := m.Update(eventsMsg{events: []emulator.Event{{Time: t0, Kind: emulator.EventBuildStarted}}})
	if cmd == nil {
		t.Fatal("build start did not start the spinner")
	}
	wantScreen(t, m, "building")
	before := m.spinner.View()
	_, next := m.Update(m.spinner.Tick())
	if next == nil || m.spinner.View() == before {
		t.Fatal("spinner did not advance while building")
	}
	feed(m, emulator.Event{Time: t0, Kind: emulator.EventBuildFinished, Build: &emulator.Build{State: emulator.BuildFailed,
		Errors: []emulator.CompileError{{File: "main.go", Line: 3, Column: 1, Message: "undefined: x"}}}})
	if _, next := m.Update(m.spinner.Tick()); next != nil {
		t.Fatal("spinner still ticking after the build")
	}
	press(m, "5")
	wantScreen(t, m, "build failed", "Compiler errors (1)", "main.go:3:1: undefined: x")
}

func TestUpdateKeepsBoundedHistory(t *testing.T) {
	m := newModel(t.Context(), &fakeController{}, nil, Options{MaxInvocations: 10, MaxLogLines: 15})
	var events []emulator.Event
	for i := 0; i < 25; i++ {
		id := fmt.Sprintf("inv-%02d", i)
		events = append(events, startedEvent(i, "F", id), finishedEvent(i, 0, "F", id, emulator.StatusSucceeded, ""))
	}
	feed(m, events...)
	if m.st.invs.len() != 10 || len(m.st.byID) != 10 || m.st.logs.len() != 15 {
		t.Fatalf("kept %d invocations (%d indexed) and %d logs; want 10, 10, 15",
			m.st.invs.len(), len(m.st.byID), m.st.logs.len())
	}
	if m.st.invocation("inv-14") != nil || m.st.invocation("inv-15") == nil {
		t.Fatal("evicted the wrong invocations")
	}
	if st := m.st.stats["F"]; st.count != 25 || len(m.st.running) != 0 {
		t.Fatalf("count %d running %d; want 25 and 0", st.count, len(m.st.running))
	}
}

func TestUpdateSelectionStaysOnItsRow(t *testing.T) {
	m := newTestModel(&fakeController{})
	feed(m, scenario()...)
	press(m, "2", "j") // the parent, second newest
	feed(m, startedEvent(500, "HttpExample", "new-1"), startedEvent(501, "HttpExample", "new-2"))
	_, at := invocationsOf(m).list()
	if got := at(invocationsOf(m).cursor).inv.ID; got != parentID {
		t.Fatalf("selection moved to %s", got)
	}

	press(m, "3", "k") // paused logs
	top := m.View()
	feed(m, logEvent(600, emulator.LevelInfo, emulator.CategoryConsole, "later line"))
	if m.View() != top {
		t.Fatal("paused log view moved when a line arrived")
	}
}

func TestViewFitsEveryTerminalSize(t *testing.T) {
	sizes := [][2]int{{80, 24}, {60, 15}, {120, 40}, {200, 50}}
	for _, size := range sizes {
		m := newTestModel(captureController())
		feed(m, scenario()...)
		m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		for _, k := range []string{"1", "2", "enter", "esc", "3", "4", "5", "6", "enter", "?"} {
			press(m, k)
			lines := strings.Split(m.View(), "\n")
			if len(lines) != size[1] {
				t.Fatalf("%dx%d after %q: %d lines", size[0], size[1], k, len(lines))
			}
			for i, l := range lines {
				if w := ansi.StringWidth(l); w > size[0] {
					t.Fatalf("%dx%d after %q: line %d is %d wide: %q", size[0], size[1], k, i, w, l)
				}
			}
		}
	}
}

func wantView(t *testing.T, m *model, title string) {
	t.Helper()
	if got := m.views[m.current].Title(); got != title {
		t.Fatalf("view %s, want %s", got, title)
	}
}

func wantScreen(t *testing.T, m *model, parts ...string) {
	t.Helper()
	screen := m.View()
	for _, p := range parts {
		if !strings.Contains(screen, p) {
			t.Errorf("screen lacks %q:\n%s", p, screen)
		}
	}
}

func wantCalls(t *testing.T, c *fakeController, want ...string) {
	t.Helper()
	got := c.Calls()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("controller calls %q, want %q", got, want)
	}
}

func TestLayoutColumnsHidesOptionalColumnsWhenNarrow(t *testing.T) {
	cols := []column{{title: "A", width: 10}, {title: "FLEX"}, {title: "B", width: 10, optional: true}, {title: "C", width: 10, optional: true}}
	tests := []struct {
		total      int
		flex       int
		hiddenB, C bool
	}{
		{80, 80 - 2 - 30 - 3, false, false},
		{50, 50 - 2 - 30 - 3, false, false},
		{45, 45 - 2 - 20 - 2, false, true},
		{30, 30 - 2 - 10 - 1, true, true},
		{10, 6, true, true},
	}
	for _, tt := range tests {
		got := layoutColumns(cols, tt.total)
		if got[1].width != tt.flex || got[2].hidden != tt.hiddenB || got[3].hidden != tt.C {
			t.Errorf("total %d: flex %d hidden %v/%v; want %d %v/%v",
				tt.total, got[1].width, got[2].hidden, got[3].hidden, tt.flex, tt.hiddenB, tt.C)
		}
		if row := renderRow(got, []string{"a", "f", "b", "c"}, false); len([]rune(row)) > max(tt.total, 2+10+1+6) {
			t.Errorf("total %d: row %q too wide", tt.total, row)
		}
	}
}
