package tui

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// View draws the whole screen: tabs, the current view, status bar, footer.
func (m *model) View() string {
	w, h := max(m.width, 20), max(m.height, 6)
	bh := m.bodyHeight()
	var body []string
	switch {
	case m.help:
		body = m.helpView(w, bh)
	default:
		body = m.bodyView(w, bh)
	}
	body = padLines(body, bh)
	if m.prompt != nil {
		box := m.promptView(w)
		copy(body[max(0, bh-len(box)):], box)
	}
	lines := make([]string, 0, h)
	lines = append(lines, m.tabsView(w))
	lines = append(lines, body...)
	lines = append(lines, m.statusBarView(w), m.footerView(w))
	for i, l := range lines {
		lines[i] = ansi.Truncate(l, w, "")
	}
	return strings.Join(lines, "\n")
}

// bodyHeight is what is left for a view between tabs and the two bottom lines.
func (m *model) bodyHeight() int { return max(m.height, 6) - 3 }

func (m *model) bodyView(w, h int) []string {
	switch m.view {
	case viewFunctions:
		return m.functionsView(w, h)
	case viewInvocations:
		if m.detailID != "" {
			return m.detailView(w, h)
		}
		return m.invocationsView(w, h)
	case viewLogs:
		return m.logsView(w, h)
	case viewQueues:
		return m.queuesView(w, h)
	case viewTables:
		return m.tablesView(w, h)
	}
	return m.buildView(w, h)
}

// tabsView shows the views with their keys; the current one is bracketed
// so it shows without colour too.
func (m *model) tabsView(w int) string {
	var b strings.Builder
	for v := viewID(0); v < numViews; v++ {
		label := fmt.Sprintf("%d %s", v+1, v)
		if v == m.view {
			b.WriteString(styles.tabActive.Render("[" + label + "]"))
		} else {
			b.WriteString(styles.tab.Render(" " + label + " "))
		}
	}
	return b.String()
}

// footerView is the last line: the filter being typed, the last action's
// outcome, or short help.
func (m *model) footerView(w int) string {
	switch {
	case m.filtering:
		return m.filter.View()
	case m.status != "" && m.statusIsErr:
		return styles.statusErr.Render(fit("error: "+m.status, w))
	case m.status != "":
		return fit(m.status, w)
	}
	help := m.shortHelp()
	if f := m.filter.Value(); f != "" {
		help = "filter: " + f + " (esc clears) · " + help
	}
	return styles.dim.Render(fit(help, w))
}

func (m *model) shortHelp() string {
	switch {
	case m.view == viewFunctions:
		return "x fire · / filter · b rebuild · ? help · q quit"
	case m.view == viewInvocations && m.detailID != "":
		return "↑↓ scroll · r replay · x fire again · esc back · ? help"
	case m.view == viewInvocations:
		return "enter detail · r replay · x fire · / filter · ? help · q quit"
	case m.view == viewLogs:
		return "f follow · ↑↓ scroll · G newest · / filter · ? help · q quit"
	case m.view == viewQueues && m.openQueue != "":
		return "↑↓ select · m move poison message back · esc back · ? help"
	case m.view == viewQueues:
		return "enter peek · / filter · ? help · q quit"
	case m.view == viewTables && m.openTable != "":
		return "↑↓ select · enter reload · esc back · ? help"
	case m.view == viewTables:
		return "enter entities · / filter · ? help · q quit"
	}
	return "b rebuild · ? help · q quit"
}

// matches reports whether any field contains the filter, ignoring case.
func (m *model) matches(fields ...string) bool {
	f := strings.ToLower(m.filter.Value())
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

// padLines cuts or pads lines to exactly h.
func padLines(lines []string, h int) []string {
	if len(lines) > h {
		return lines[:h]
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return lines
}

// wrapLines wraps text to width, keeping its line breaks.
func wrapLines(text string, width int) []string {
	if width < 1 {
		width = 1
	}
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(text, "\t", "    "), "\n") {
		for _, w := range strings.Split(ansi.Wrap(strings.TrimRight(l, "\r"), width, " ,/"), "\n") {
			if ansi.StringWidth(w) > width { // Wrap can leave a leading blank over
				w = ansi.Hardwrap(w, width, true)
			}
			out = append(out, strings.Split(w, "\n")...)
		}
	}
	return out
}

// emptyNote is shown in a list with no rows.
func emptyNote(w int, filtered bool, what string) string {
	if filtered {
		return styles.dim.Render(fit("  no "+what+" match the filter", w))
	}
	return styles.dim.Render(fit("  no "+what+" yet", w))
}

// errorf is fmt.Errorf for status messages.
func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
