package tui

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// View draws the whole screen: tabs, the view shown, status bar, footer.
func (m *model) View() string {
	w, h := max(m.width, 20), max(m.height, 6)
	bh := m.bodyHeight()
	var body []string
	switch {
	case m.help:
		body = m.helpView(w, bh)
	default:
		body = strings.Split(m.views[m.current].View(w, bh), "\n")
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

// tabsView shows the views with their keys; the current one is bracketed
// so it shows without colour too.
func (m *model) tabsView(w int) string {
	var b strings.Builder
	for i, v := range m.views {
		label := strconv.Itoa(i+1) + " " + v.Title()
		if i == m.current {
			b.WriteString(styles.tabActive.Render("[" + label + "]"))
		} else {
			b.WriteString(styles.tab.Render(" " + label + " "))
		}
	}
	return b.String()
}

// footerView is the last line: the filter being typed, the last action's
// outcome, or the view's short help.
func (m *model) footerView(w int) string {
	switch {
	case m.filtering:
		return m.filter.View()
	case m.status != "" && m.statusIsErr:
		return styles.statusErr.Render(fit("error: "+m.status, w))
	case m.status != "":
		return fit(m.status, w)
	}
	help := m.footerHelp.render(m.views[m.current].ShortHelp())
	if f := m.filter.Value(); f != "" {
		help = "filter: " + f + " (esc clears) · " + help
	}
	return styles.dim.Render(fit(help, w))
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
