package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/funcemu/funcemu/emulator"
)

// logsView is the log tail: it follows the newest entries, or, once
// scrolled up, holds still while entries arrive. It scrolls by entry, not
// by line, and draws only the entries that fit, so a history of thousands
// costs nothing until it is scrolled through.
type logsView struct {
	c      *common
	follow bool
	scroll int // entries hidden below the view while paused
	seen   int // entries ever added when last updated, to keep a paused view still
	hints  []key.Binding
}

func newLogsView(c *common) *logsView {
	k := &c.keys
	return &logsView{c: c, follow: true, hints: []key.Binding{
		hint("f", "follow", k.Follow), hint("↑↓", "scroll", k.Up, k.Down), hint("G", "newest", k.Bottom),
		hint("/", "filter", k.Filter), hint("?", "help", k.Help), hint("q", "quit", k.Quit),
	}}
}

func (v *logsView) Title() string             { return "Logs" }
func (v *logsView) Refresh() tea.Cmd          { return nil }
func (v *logsView) ShortHelp() []key.Binding  { return v.hints }
func (v *logsView) FullHelp() [][]key.Binding { return [][]key.Binding{{v.c.keys.Follow}} }

func (v *logsView) Update(msg tea.Msg) (view, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		v.key(msg)
	case eventsMsg:
		v.keepStill()
	case filterEditedMsg:
		v.scroll = 0
	}
	return v, nil
}

// keepStill moves a paused view up by the entries that arrived.
func (v *logsView) keepStill() {
	st := v.c.st
	added := st.logAdded - v.seen
	v.seen = st.logAdded
	if !v.follow {
		v.scroll = clamp(v.scroll+added, 0, st.logs.len()-1)
	}
}

// matches applies the filter to one log entry.
func (v *logsView) matches(l *logLine) bool {
	return v.c.matches(l.message(), l.function, l.category, l.invocationID)
}

// View shows the newest entries that fit, or, while paused, those ending
// scroll entries above the newest.
func (v *logsView) View(w, h int) string {
	return strings.Join(v.lines(w, h), "\n")
}

func (v *logsView) lines(w, h int) []string {
	title := "Logs · following"
	if !v.follow {
		title = "Logs · paused (f or G to follow)"
	}
	lines := []string{styles.header.Render(fit(title, w))}
	room := h - 1
	var shown []string // newest first
	r := v.c.st.logs
	for i := r.len() - 1 - v.scroll; i >= 0 && len(shown) < room; i-- {
		l := r.at(i)
		if !v.matches(&l) {
			continue
		}
		entry := logEntryLines(&l, w)
		for j := len(entry) - 1; j >= 0 && len(shown) < room; j-- {
			shown = append(shown, entry[j])
		}
	}
	if len(shown) == 0 {
		return append(lines, emptyNote(w, v.c.filtered(), "logs"))
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

// key scrolls the log; scrolling up pauses follow, reaching the newest
// entry again resumes it.
func (v *logsView) key(k tea.KeyMsg) {
	c := v.c
	page := max(1, c.bodyHeight()-2)
	switch {
	case key.Matches(k, c.keys.Follow):
		v.follow = !v.follow
		if v.follow {
			v.scroll = 0
		}
	case key.Matches(k, c.keys.Up):
		v.scrollBy(1)
	case key.Matches(k, c.keys.PageUp):
		v.scrollBy(page)
	case key.Matches(k, c.keys.Down):
		v.scrollBy(-1)
	case key.Matches(k, c.keys.PageDown):
		v.scrollBy(-page)
	case key.Matches(k, c.keys.Top):
		v.scrollBy(c.st.logs.len())
	case key.Matches(k, c.keys.Bottom):
		v.follow, v.scroll = true, 0
	case key.Matches(k, c.keys.Back):
		c.filter.SetValue("")
	}
}

// scrollBy moves the view by n matching entries, up when n > 0.
func (v *logsView) scrollBy(n int) {
	r := v.c.st.logs
	pos := r.len() - 1 - v.scroll // the newest entry shown
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	for moved := 0; moved < n; {
		next := pos - step
		for next >= 0 && next < r.len() {
			l := r.at(next)
			if v.matches(&l) {
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
	v.scroll = clamp(r.len()-1-pos, 0, max(0, r.len()-1))
	v.follow = v.scroll == 0
}
