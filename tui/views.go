package tui

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// view is one tab of the UI, a sub-model of the root model in the way of
// charm's larger apps. The root model routes keys to the view shown only,
// after its own keys (quit, help, view switching, filter, rebuild); every
// other message reaches every view, so each keeps up with the event state
// and with the loads it started.
type view interface {
	// Title names the tab.
	Title() string
	// Refresh reloads what the view shows from outside the event stream;
	// it runs when the view is shown and periodically while it stays
	// shown. It is nil for views that draw the event state alone.
	Refresh() tea.Cmd
	// Update handles one message.
	Update(msg tea.Msg) (view, tea.Cmd)
	// View draws the body: at most height lines of at most width cells.
	View(width, height int) string
	// ShortHelp are the footer's hints for what the view shows now;
	// FullHelp are the keys the view answers to, which the help overlay
	// lists after the global ones.
	help.KeyMap
}

// newViews are the tabs in order, numbered from 1. Adding a view is a file
// with its type and one line here.
func newViews(c *common) []view {
	return []view{
		newFunctionsView(c),
		newInvocationsView(c),
		newLogsView(c),
		newQueuesView(c),
		newBuildView(c),
		newTablesView(c),
	}
}

// Messages the root model sends to the view shown.
type (
	// filterEditedMsg says the user changed the filter text.
	filterEditedMsg struct{}
	// filterOpenedMsg says the user started typing a filter.
	filterOpenedMsg struct{}
)

// hint is a footer entry: label and desc for the keys of bindings.
func hint(label, desc string, bindings ...key.Binding) key.Binding {
	var keys []string
	for _, b := range bindings {
		keys = append(keys, b.Keys()...)
	}
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(label, desc))
}
