package tui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/funcemu/funcemu/emulator"
)

var invocationColumns = []column{
	{title: "TIME", width: 12}, {title: "FUNCTION"}, {title: "TRIGGER", width: 7},
	{title: "STATUS", width: 9}, {title: "DURATION", width: 8, right: true}, {title: "ID", width: 8, optional: true},
}

// invocationList returns the rows of the Invocations view, newest first.
// Without a filter it indexes the ring directly, so a large history costs
// nothing until it is filtered.
func (m *model) invocationList() (n int, at func(int) *invRecord) {
	r := m.st.invs
	if m.filter.Value() == "" {
		return r.len(), func(i int) *invRecord { return r.at(r.len() - 1 - i) }
	}
	var rows []*invRecord
	for i := r.len() - 1; i >= 0; i-- {
		rec := r.at(i)
		if m.matches(rec.inv.Function, rec.inv.Trigger, string(rec.inv.Status), rec.inv.ID, rec.inv.ParentID) {
			rows = append(rows, rec)
		}
	}
	return len(rows), func(i int) *invRecord { return rows[i] }
}

func (m *model) invocationsView(w, h int) []string {
	cols := layoutColumns(invocationColumns, w)
	lines := []string{headerRow(cols)}
	n, at := m.invocationList()
	if n == 0 {
		return append(lines, emptyNote(w, m.filter.Value() != "", "invocations"))
	}
	cur := clamp(m.cursor[viewInvocations], 0, n-1)
	listH := h - 1
	start := window(cur, n, listH)
	for i := start; i < n && i < start+listH; i++ {
		inv := &at(i).inv
		line := renderRow(cols, []string{
			inv.Start.UTC().Format("15:04:05.000"), inv.Function, inv.Trigger,
			string(inv.Status), durationText(inv), shortID(inv.ID),
		}, i == cur)
		switch {
		case i == cur:
			line = styles.selected.Render(line)
		case inv.Status == emulator.StatusFailed:
			line = styles.err.Render(line)
		case inv.Status == emulator.StatusRunning:
			line = styles.warn.Render(line)
		}
		lines = append(lines, line)
	}
	return lines
}

func (m *model) invocationsKey(k tea.KeyMsg) tea.Cmd {
	n, at := m.invocationList()
	if m.moveInList(k, &m.cursor[viewInvocations], n) {
		return nil
	}
	if key.Matches(k, m.keys.Back) {
		m.filter.SetValue("")
		return nil
	}
	if n == 0 {
		return nil
	}
	rec := at(clamp(m.cursor[viewInvocations], 0, n-1))
	switch {
	case key.Matches(k, m.keys.Enter):
		m.detailID, m.detailScroll = rec.inv.ID, 0
	case key.Matches(k, m.keys.Replay):
		return replayCmd(m.ctx, m.ctrl, rec.inv.ID)
	case key.Matches(k, m.keys.Fire):
		return m.openFirePrompt(rec.inv.Function)
	}
	return nil
}

func durationText(inv *emulator.Invocation) string {
	if inv.Status == emulator.StatusRunning {
		return "…"
	}
	return formatMs(inv.Duration().Milliseconds())
}

func formatMs(ms int64) string {
	if ms >= 10_000 {
		return itoa(ms/1000) + "s"
	}
	return itoa(ms) + "ms"
}

// shortID is enough of an invocation id to tell rows apart.
func shortID(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return id
}
