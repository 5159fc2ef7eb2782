package tui

import (
	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
)

// handleKey routes a key: quit first, then whatever has the keyboard (fire
// prompt, filter line, help), then global keys, then the view shown.
func (m *model) handleKey(k tea.KeyMsg) tea.Cmd {
	if key.Matches(k, m.keys.ForceQuit) {
		return tea.Quit
	}
	if m.prompt != nil {
		return m.promptKey(k)
	}
	if m.filtering {
		return m.filterKey(k)
	}
	if m.help {
		switch {
		case key.Matches(k, m.keys.Quit):
			return tea.Quit
		case key.Matches(k, m.keys.Help), key.Matches(k, m.keys.Back):
			m.help = false
		}
		return nil
	}
	m.status, m.statusIsErr = "", false
	switch {
	case key.Matches(k, m.keys.Quit):
		return tea.Quit
	case key.Matches(k, m.keys.Help):
		m.help = true
	case key.Matches(k, m.keys.Views):
		return m.switchView(int(k.Runes[0] - '1'))
	case key.Matches(k, m.keys.NextView):
		return m.switchView((m.current + 1) % len(m.views))
	case key.Matches(k, m.keys.PrevView):
		return m.switchView((m.current + len(m.views) - 1) % len(m.views))
	case key.Matches(k, m.keys.Filter):
		m.filtering = true
		cmd := m.updateCurrent(filterOpenedMsg{})
		return tea.Batch(cmd, m.filter.Focus())
	case key.Matches(k, m.keys.Rebuild):
		return rebuildCmd(m.ctx, m.ctrl)
	default:
		return m.updateCurrent(k)
	}
	return nil
}

// switchView shows view i with no filter, loading what it shows of the
// store and starting the periodic reload if it needs one.
func (m *model) switchView(i int) tea.Cmd {
	if i == m.current {
		return nil
	}
	m.current = i
	m.filter.SetValue("")
	load := m.views[i].Refresh()
	if load == nil {
		return nil
	}
	cmds := []tea.Cmd{load}
	if !m.queueTicking && m.queueRefresh > 0 {
		m.queueTicking = true
		cmds = append(cmds, queueTick(m.queueRefresh))
	}
	return tea.Batch(cmds...)
}

// show switches to the view titled title and filters it by filter.
func (m *model) show(title, filter string) tea.Cmd {
	for i, v := range m.views {
		if v.Title() != title {
			continue
		}
		cmd := m.switchView(i)
		m.filter.SetValue(filter)
		return tea.Batch(cmd, m.updateCurrent(filterEditedMsg{}))
	}
	return nil
}

// filterKey edits the filter: enter keeps it, esc clears it.
func (m *model) filterKey(k tea.KeyMsg) tea.Cmd {
	switch k.Type {
	case tea.KeyEnter:
		m.filtering = false
		m.filter.Blur()
		return nil
	case tea.KeyEsc:
		m.filtering = false
		m.filter.Blur()
		m.filter.SetValue("")
		return nil
	}
	var cmd tea.Cmd
	m.filter, cmd = m.filter.Update(k)
	return tea.Batch(cmd, m.updateCurrent(filterEditedMsg{}))
}

// fire opens the fire prompt for function, starting from the last payload
// fired.
func (m *model) fire(function string) {
	in := textinput.New()
	in.Prompt = "input> "
	in.Cursor.SetMode(cursor.CursorStatic)
	in.Placeholder = "payload (text or JSON)"
	in.SetValue(m.payloads[function])
	m.prompt = &firePrompt{function: function, input: in}
}
