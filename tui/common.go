package tui

import (
	"context"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
)

// common is what every view shares with the root model, by pointer: the
// emulator, the state learnt from the event stream, the screen size, the
// filter line and the status line. The root model writes it; views read
// it and report through setStatus and root.
type common struct {
	ctx  context.Context
	ctrl Controller
	opts Options
	keys keyMap
	st   *state
	root root

	width, height int

	filter  textinput.Model // applies to the list of the view shown
	spinner spinner.Model   // turns while a build runs

	status      string
	statusIsErr bool
}

// root is what a view may ask of the root model beyond the shared state:
// the actions that reach past one view.
type root interface {
	// show switches to the view titled title, with the filter set to
	// filter, as if the user had typed it there.
	show(title, filter string) tea.Cmd
	// fire opens the fire prompt for function.
	fire(function string)
}

// setStatus shows text, or err as an error, in the footer until the next key.
func (c *common) setStatus(text string, err error) {
	if err != nil {
		c.status, c.statusIsErr = err.Error(), true
		return
	}
	c.status, c.statusIsErr = text, false
}

// bodyHeight is what is left for a view between tabs and the two bottom lines.
func (c *common) bodyHeight() int { return max(c.height, 6) - 3 }

// filtered reports whether a filter is set.
func (c *common) filtered() bool { return c.filter.Value() != "" }

// matches reports whether any field contains the filter, ignoring case.
func (c *common) matches(fields ...string) bool {
	f := strings.ToLower(c.filter.Value())
	if f == "" {
		return true
	}
	for _, s := range fields {
		if strings.Contains(strings.ToLower(s), f) {
			return true
		}
	}
	return false
}

// moveInList applies movement keys to a list of n rows; it reports
// whether k was one of them.
func (c *common) moveInList(k tea.KeyMsg, cursor *int, n int) bool {
	page := max(1, c.bodyHeight()-2)
	switch {
	case key.Matches(k, c.keys.Up):
		*cursor--
	case key.Matches(k, c.keys.Down):
		*cursor++
	case key.Matches(k, c.keys.PageUp):
		*cursor -= page
	case key.Matches(k, c.keys.PageDown):
		*cursor += page
	case key.Matches(k, c.keys.Top):
		*cursor = 0
	case key.Matches(k, c.keys.Bottom):
		*cursor = n - 1
	default:
		return false
	}
	*cursor = clamp(*cursor, 0, n-1)
	return true
}

// listKey does what every list does with a key: move the cursor, or
// clear the filter on esc. It reports whether it took k.
func (c *common) listKey(k tea.KeyMsg, cursor *int, n int) bool {
	if c.moveInList(k, cursor, n) {
		return true
	}
	if key.Matches(k, c.keys.Back) {
		c.filter.SetValue("")
		return true
	}
	return false
}

// byName keeps the items whose name matches the filter.
func byName[T any](c *common, items []T, name func(*T) string) []T {
	var rows []T
	for i := range items {
		if c.matches(name(&items[i])) {
			rows = append(rows, items[i])
		}
	}
	return rows
}

// listHeight is how many rows of a list fit in h lines: all but the
// header, or a third when a pane below it is open (a queue's messages, a
// table's entities).
func listHeight(h, rows int, paneOpen bool) int {
	if paneOpen {
		return min(rows, max(3, h/3))
	}
	return h - 1
}

func clamp(v, lo, hi int) int {
	if hi < lo {
		return lo
	}
	return max(lo, min(v, hi))
}
