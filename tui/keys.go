package tui

import "github.com/charmbracelet/bubbles/key"

// keyMap lists every key the UI answers to; the help overlay shows them all.
type keyMap struct {
	Views, NextView, PrevView         key.Binding
	Up, Down, Top, Bottom             key.Binding
	PageUp, PageDown                  key.Binding
	Enter, Back, Filter, Help         key.Binding
	Fire, Edit, Inline, Replay        key.Binding
	Rebuild, Follow, Requeue          key.Binding
	Quit, ForceQuit                   key.Binding
	View1, View2, View3, View4, View5 key.Binding
	View6                             key.Binding
}

func newKeyMap() keyMap {
	b := func(help, desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
	}
	return keyMap{
		Views:     b("1-6", "switch view"),
		View1:     b("1", "functions", "1"),
		View2:     b("2", "invocations", "2"),
		View3:     b("3", "logs", "3"),
		View4:     b("4", "queues", "4"),
		View5:     b("5", "build", "5"),
		View6:     b("6", "tables", "6"),
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

// helpGroups are the help overlay's columns.
func (k keyMap) helpGroups() [][]key.Binding {
	return [][]key.Binding{
		{k.Views, k.NextView, k.PrevView, k.Up, k.Down, k.Top, k.Bottom, k.PageUp, k.PageDown},
		{k.Enter, k.Back, k.Filter, k.Help, k.Quit, k.ForceQuit},
		{k.Fire, k.Edit, k.Inline, k.Replay, k.Rebuild, k.Follow, k.Requeue},
	}
}
