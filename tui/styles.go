package tui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// styles are the UI's colours. Layout never depends on them, so the text
// rendering (tests, README captures) is the same without colour.
var styles = struct {
	tab, tabActive, header, selected, dim lipgloss.Style
	err, warn, ok, statusBar, statusErr   lipgloss.Style
}{
	tab:       lipgloss.NewStyle().Foreground(lipgloss.Color("245")),
	tabActive: lipgloss.NewStyle().Bold(true).Reverse(true),
	header:    lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("3")),
	selected:  lipgloss.NewStyle().Reverse(true),
	dim:       lipgloss.NewStyle().Foreground(lipgloss.Color("8")),
	err:       lipgloss.NewStyle().Foreground(lipgloss.Color("9")),
	warn:      lipgloss.NewStyle().Foreground(lipgloss.Color("11")),
	ok:        lipgloss.NewStyle().Foreground(lipgloss.Color("10")),
	statusBar: lipgloss.NewStyle().Reverse(true),
	statusErr: lipgloss.NewStyle().Foreground(lipgloss.Color("9")).Bold(true),
}

// fit truncates s to width cells (with an ellipsis) and pads it to width.
func fit(s string, width int) string {
	if width <= 0 {
		return ""
	}
	s = ansi.Truncate(s, width, "…")
	if w := ansi.StringWidth(s); w < width {
		s += strings.Repeat(" ", width-w)
	}
	return s
}

// fitRight is fit aligned to the right.
func fitRight(s string, width int) string {
	if ansi.StringWidth(s) >= width {
		return fit(s, width)
	}
	return strings.Repeat(" ", width-ansi.StringWidth(s)) + s
}

// column is one column of a list: its width, and whether it aligns right.
type column struct {
	title string
	width int
	right bool
}

// layoutColumns gives the flexible column (width 0) what the fixed ones
// leave of total, one space between columns and two for the cursor mark.
func layoutColumns(cols []column, total int) []column {
	out := append([]column(nil), cols...)
	used := 2 + len(cols) - 1
	flex := -1
	for i, c := range out {
		if c.width == 0 {
			flex = i
			continue
		}
		used += c.width
	}
	if flex >= 0 {
		out[flex].width = max(6, total-used)
	}
	return out
}

// renderRow joins cells into one line of a list; the selected row gets a
// mark so it shows even without colour.
func renderRow(cols []column, cells []string, selected bool) string {
	var b strings.Builder
	if selected {
		b.WriteString("▸ ")
	} else {
		b.WriteString("  ")
	}
	for i, c := range cols {
		if i > 0 {
			b.WriteByte(' ')
		}
		cell := ""
		if i < len(cells) {
			cell = cells[i]
		}
		if c.right {
			b.WriteString(fitRight(cell, c.width))
		} else {
			b.WriteString(fit(cell, c.width))
		}
	}
	return b.String()
}

// headerRow renders column titles.
func headerRow(cols []column) string {
	titles := make([]string, len(cols))
	for i, c := range cols {
		titles[i] = c.title
	}
	return styles.header.Render(renderRow(cols, titles, false))
}

// window returns the first row to show so that cursor is visible in a list
// of n rows with room for height rows.
func window(cursor, n, height int) int {
	if height <= 0 || n <= height {
		return 0
	}
	start := cursor - height/2
	return clamp(start, 0, n-height)
}
