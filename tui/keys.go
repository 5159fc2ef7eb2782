package tui

import (
	"strconv"

	"github.com/charmbracelet/bubbles/key"
)

// keyMap holds the keys of the root model and of the views that share
// them; the help overlay lists them all. A view may bind keys of its own
// and list them in its FullHelp.
type keyMap struct {
	Views, NextView, PrevView  key.Binding
	Up, Down, Top, Bottom      key.Binding
	PageUp, PageDown           key.Binding
	Enter, Back, Filter, Help  key.Binding
	Fire, Edit, Inline, Replay key.Binding
	Rebuild, Follow, Requeue   key.Binding
	Quit, ForceQuit            key.Binding
}

// newKeyMap binds the keys but Views, which depends on how many views
// there are (viewKeys).
func newKeyMap() keyMap {
	b := func(help, desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
	}
	return keyMap{
		NextView:  b("tab", "next view", "tab"),
		PrevView:  b("shift+tab", "previous view", "shift+tab"),
		Up:        b("↑/k", "up", "up", "k"),
		Down:      b("↓/j", "down", "down", "j"),
		Top:       b("g/home", "top", "g", "home"),
		Bottom:    b("G/end", "bottom (resumes follow)", "G", "end"),
		PageUp:    b("pgup", "page up", "pgup", "ctrl+u"),
		PageDown:  b("pgdn", "page down", "pgdown", "ctrl+d"),
		Enter:     b("enter", "open detail, queue, table", "enter"),
		Back:      b("esc", "back, close, clear filter", "esc"),
		Filter:    b("/", "filter the list", "/"),
		Help:      b("?", "this help", "?"),
		Fire:      b("x", "fire selected function", "x"),
		Edit:      b("e", "edit payload in $EDITOR", "e"),
		Inline:    b("i", "type payload inline", "i"),
		Replay:    b("r", "replay selected invocation", "r"),
		Rebuild:   b("b", "rebuild the handler now", "b"),
		Follow:    b("f", "toggle log follow", "f"),
		Requeue:   b("m", "move poison message back", "m"),
		Quit:      b("q", "quit", "q"),
		ForceQuit: b("ctrl+c", "quit", "ctrl+c"),
	}
}

// viewKeys binds 1 to n (at most 9) to the views in tab order.
func viewKeys(n int) key.Binding {
	n = min(n, 9)
	keys := make([]string, 0, n)
	for i := 1; i <= n; i++ {
		keys = append(keys, strconv.Itoa(i))
	}
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp("1-"+strconv.Itoa(n), "switch view"))
}

// FullHelp are the global keys and the actions the views share, in the
// help overlay's order.
func (k keyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Views, k.NextView, k.PrevView, k.Up, k.Down, k.Top, k.Bottom, k.PageUp, k.PageDown},
		{k.Enter, k.Back, k.Filter, k.Help, k.Quit, k.ForceQuit},
		{k.Fire, k.Edit, k.Inline, k.Replay, k.Rebuild, k.Follow, k.Requeue},
	}
}
