package tui

import (
	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
)

// handleKey routes a key: quit first, then whatever has the keyboard (fire
// prompt, filter line, help), then global keys, then the current view.
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
	case key.Matches(k, m.keys.View1):
		return m.switchView(viewFunctions)
	case key.Matches(k, m.keys.View2):
		return m.switchView(viewInvocations)
	case key.Matches(k, m.keys.View3):
		return m.switchView(viewLogs)
	case key.Matches(k, m.keys.View4):
		return m.switchView(viewQueues)
	case key.Matches(k, m.keys.View5):
		return m.switchView(viewBuild)
	case key.Matches(k, m.keys.View6):
		return m.switchView(viewTables)
	case key.Matches(k, m.keys.NextView):
		return m.switchView((m.view + 1) % numViews)
	case key.Matches(k, m.keys.PrevView):
		return m.switchView((m.view + numViews - 1) % numViews)
	case key.Matches(k, m.keys.Filter):
		m.filtering = true
		m.detailID = "" // a filter narrows a list: show it
		return m.filter.Focus()
	case key.Matches(k, m.keys.Rebuild):
		return rebuildCmd(m.ctx, m.ctrl)
	default:
		return m.viewKey(k)
	}
	return nil
}

func (m *model) switchView(v viewID) tea.Cmd {
	if v == m.view {
		return nil
	}
	m.view = v
	m.filter.SetValue("")
	load := m.storageLoad()
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

// storageLoad reloads what the current view shows of the store: the
// queues, or the tables and the open table's entities; nil in the other
// views, which stops the periodic reload.
func (m *model) storageLoad() tea.Cmd {
	switch m.view {
	case viewQueues:
		return loadQueuesCmd(m.ctx, m.ctrl)
	case viewTables:
		if m.openTable != "" {
			return tea.Batch(loadTablesCmd(m.ctx, m.ctrl), loadEntitiesCmd(m.ctx, m.ctrl, m.openTable))
		}
		return loadTablesCmd(m.ctx, m.ctrl)
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
	m.cursor[m.view] = 0
	m.logScroll = 0
	return cmd
}

func (m *model) viewKey(k tea.KeyMsg) tea.Cmd {
	switch m.view {
	case viewFunctions:
		return m.functionsKey(k)
	case viewInvocations:
		if m.detailID != "" {
			return m.detailKey(k)
		}
		return m.invocationsKey(k)
	case viewLogs:
		return m.logsKey(k)
	case viewQueues:
		return m.queuesKey(k)
	case viewTables:
		return m.tablesKey(k)
	}
	if key.Matches(k, m.keys.Back) {
		m.filter.SetValue("")
	}
	return nil
}

// moveInList applies movement keys to a list of n rows; it reports
// whether k was one of them.
func (m *model) moveInList(k tea.KeyMsg, cursor *int, n int) bool {
	page := max(1, m.bodyHeight()-2)
	switch {
	case key.Matches(k, m.keys.Up):
		*cursor--
	case key.Matches(k, m.keys.Down):
		*cursor++
	case key.Matches(k, m.keys.PageUp):
		*cursor -= page
	case key.Matches(k, m.keys.PageDown):
		*cursor += page
	case key.Matches(k, m.keys.Top):
		*cursor = 0
	case key.Matches(k, m.keys.Bottom):
		*cursor = n - 1
	default:
		return false
	}
	*cursor = clamp(*cursor, 0, n-1)
	return true
}

// openFirePrompt asks for the payload of function, starting from the last
// one fired.
func (m *model) openFirePrompt(function string) tea.Cmd {
	in := textinput.New()
	in.Prompt = "input> "
	in.Cursor.SetMode(cursor.CursorStatic)
	in.Placeholder = "payload (text or JSON)"
	in.SetValue(m.payloads[function])
	m.prompt = &firePrompt{function: function, input: in}
	return nil
}
