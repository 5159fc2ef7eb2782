package tui

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/funcemu/funcemu/emulator/clock"
)

// echoView is a view only this test knows: it counts the event batches it
// saw and answers to a key of its own, p.
type echoView struct {
	c              *common
	ping           key.Binding
	batches, pings int
}

func newEchoView(c *common) *echoView {
	return &echoView{c: c, ping: key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "ping the echo view"))}
}

func (v *echoView) Title() string             { return "Echo" }
func (v *echoView) Refresh() tea.Cmd          { return nil }
func (v *echoView) ShortHelp() []key.Binding  { return []key.Binding{hint("p", "ping", v.ping)} }
func (v *echoView) FullHelp() [][]key.Binding { return [][]key.Binding{{v.ping}} }

func (v *echoView) Update(msg tea.Msg) (view, tea.Cmd) {
	switch msg := msg.(type) {
	case eventsMsg:
		v.batches++
	case tea.KeyMsg:
		if key.Matches(msg, v.ping) {
			v.pings++
			v.c.setStatus("pong", nil)
		}
	}
	return v, nil
}

func (v *echoView) View(w, h int) string {
	return "batches " + strconv.Itoa(v.batches) + " pings " + strconv.Itoa(v.pings)
}

// TestAViewIsAddedThroughTheInterfaceAlone registers a seventh view
// without touching the six and checks that it gets a tab, a number key,
// the event stream, its keys, footer hints and help entries, while the
// other views draw exactly as before.
func TestAViewIsAddedThroughTheInterfaceAlone(t *testing.T) {
	withEcho := func(c *common) []view { return append(newViews(c), newEchoView(c)) }
	m := newModelWithViews(context.Background(), captureController(), nil, Options{Clock: clock.NewVirtual(t0)}, withEcho)
	m.queueRefresh = 0
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	feed(m, scenario()...)

	press(m, "7")
	wantView(t, m, "Echo")
	wantScreen(t, m, "[7 Echo]", "batches 1 pings 0", "p ping")
	press(m, "p")
	wantScreen(t, m, "pings 1", "pong")
	press(m, "?")
	wantScreen(t, m, "1-7", "ping the echo view")
	press(m, "esc", "tab")
	wantView(t, m, "Functions")
	wantScreen(t, m, "x fire · / filter · b rebuild · ? help · q quit") // the footer follows the view
	press(m, "shift+tab")
	wantView(t, m, "Echo")

	plain := newTestModel(captureController())
	feed(plain, scenario()...)
	for _, keys := range [][]string{{"1", "j"}, {"2", "enter"}, {"3"}, {"4", "enter"}, {"5"}, {"6", "enter"}} {
		press(m, keys...)
		press(plain, keys...)
		if got, want := body(m), body(plain); got != want {
			t.Fatalf("after %q the view differs with the extra view:\n%s\nwant:\n%s", keys, got, want)
		}
	}
}

// body is the screen without its tab line.
func body(m *model) string {
	_, rest, _ := strings.Cut(m.View(), "\n")
	return rest
}
