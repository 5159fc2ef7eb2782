package tui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/funcemu/funcemu/emulator"
)

// logMatches applies the filter to one log entry.
func (m *model) logMatches(l *logLine) bool {
	return m.matches(l.message(), l.function, l.category, l.invocationID)
}

// logsView shows the newest entries that fit, or, while paused, those
// ending logScroll entries above the newest.
func (m *model) logsView(w, h int) []string {
	title := "Logs · following"
	if !m.follow {
		title = "Logs · paused (f or G to follow)"
	}
	lines := []string{styles.header.Render(fit(title, w))}
	room := h - 1
	var shown []string // newest first
	r := m.st.logs
	for i := r.len() - 1 - m.logScroll; i >= 0 && len(shown) < room; i-- {
		l := r.at(i)
		if !m.logMatches(&l) {
			continue
		}
		entry := logEntryLines(&l, w)
		for j := len(entry) - 1; j >= 0 && len(shown) < room; j-- {
			shown = append(shown, entry[j])
		}
	}
	if len(shown) == 0 {
		return append(lines, emptyNote(w, m.filter.Value() != "", "logs"))
	}
	for i := len(shown) - 1; i >= 0; i-- {
		lines = append(lines, shown[i])
	}
	return lines
}

// logEntryLines renders one entry as `[15:04:05.000] message` lines,
// coloured by level and wrapped to width.
func logEntryLines(l *logLine, w int) []string {
	ts := "[" + l.time.UTC().Format("15:04:05.000") + "] "
	style := styles.tab
	switch l.level {
	case emulator.LevelError:
		style = styles.err
	case emulator.LevelWarning:
		style = styles.warn
	case emulator.LevelInfo:
		style = styles.tab.UnsetForeground()
	}
	var out []string
	for _, line := range splitLines(l.message()) {
		for _, part := range wrapLines(line, max(10, w-len(ts))) {
			out = append(out, styles.dim.Render(ts)+style.Render(part))
		}
	}
	return out
}

// logsKey scrolls the log; scrolling up pauses follow, reaching the newest
// entry again resumes it.
func (m *model) logsKey(k tea.KeyMsg) tea.Cmd {
	page := max(1, m.bodyHeight()-2)
	switch {
	case key.Matches(k, m.keys.Follow):
		m.follow = !m.follow
		if m.follow {
			m.logScroll = 0
		}
	case key.Matches(k, m.keys.Up):
		m.scrollLogs(1)
	case key.Matches(k, m.keys.PageUp):
		m.scrollLogs(page)
	case key.Matches(k, m.keys.Down):
		m.scrollLogs(-1)
	case key.Matches(k, m.keys.PageDown):
		m.scrollLogs(-page)
	case key.Matches(k, m.keys.Top):
		m.scrollLogs(m.st.logs.len())
	case key.Matches(k, m.keys.Bottom):
		m.follow, m.logScroll = true, 0
	case key.Matches(k, m.keys.Back):
		m.filter.SetValue("")
	}
	return nil
}

// scrollLogs moves the view by n matching entries, up when n > 0.
func (m *model) scrollLogs(n int) {
	r := m.st.logs
	pos := r.len() - 1 - m.logScroll // the newest entry shown
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	for moved := 0; moved < n; {
		next := pos - step
		for next >= 0 && next < r.len() {
			l := r.at(next)
			if m.logMatches(&l) {
				break
			}
			next -= step
		}
		if next < 0 || next >= r.len() {
			break
		}
		pos = next
		moved++
	}
	m.logScroll = clamp(r.len()-1-pos, 0, max(0, r.len()-1))
	m.follow = m.logScroll == 0
}
