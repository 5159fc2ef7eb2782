package tui

import (
	"fmt"

	"github.com/funcemu/funcemu/emulator"
)

// buildView shows the current build state, the last build's duration and
// its compiler errors.
func (m *model) buildView(w, h int) []string {
	b := m.st.build
	if b == nil {
		return []string{styles.dim.Render(fit("  no build yet (b builds now)", w))}
	}
	state := string(b.State)
	if b.State == emulator.BuildRunning {
		state = m.spinner.View() + " building"
	}
	lines := []string{fit("State       "+state, w)}
	if b.State == emulator.BuildRunning && !b.Start.IsZero() {
		lines = append(lines, fit("Started     "+stamp(b.Start), w))
	}
	if last := m.st.lastBuilt; last != nil {
		lines = append(lines, fit(fmt.Sprintf("Last build  %s in %.1fs (started %s)", last.State, last.Duration.Seconds(), stamp(last.Start)), w))
	}
	if b.State != emulator.BuildFailed {
		return lines
	}
	lines = append(lines, "", styles.header.Render(fit(fmt.Sprintf("Compiler errors (%d)", len(b.Errors)), w)))
	for _, l := range compileErrorLines(b) {
		for _, part := range wrapLines(l, w-2) {
			lines = append(lines, styles.err.Render("  "+part))
		}
	}
	return lines
}
