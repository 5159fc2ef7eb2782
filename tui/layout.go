package tui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

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

// column is one column of a list: its width (0 for the one that takes
// the rest), its alignment, and whether it may be hidden on narrow screens.
type column struct {
	title    string
	width    int
	right    bool
	optional bool
	hidden   bool
}

// minFlexWidth is the narrowest the flexible column may get before
// optional columns are hidden to make room.
const minFlexWidth = 14

// layoutColumns gives the flexible column what the fixed ones leave of
// total (one space between columns, two for the cursor mark), hiding
// optional columns from the right while the flexible one is too narrow.
func layoutColumns(cols []column, total int) []column {
	out := append([]column(nil), cols...)
	for {
		used, shown, flex := 2, 0, -1
		for i, c := range out {
			if c.hidden {
				continue
			}
			shown++
			if c.width == 0 {
				flex = i
				continue
			}
			used += c.width
		}
		used += shown - 1
		if flex < 0 {
			return out
		}
		out[flex].width = max(6, total-used)
		if total-used >= minFlexWidth {
			return out
		}
		last := -1
		for i, c := range out {
			if c.optional && !c.hidden {
				last = i
			}
		}
		if last < 0 {
			return out
		}
		out[last].hidden = true
		out[flex].width = 0
	}
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
	first := true
	for i, c := range cols {
		if c.hidden {
			continue
		}
		if !first {
			b.WriteByte(' ')
		}
		first = false
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
