package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/funcemu/funcemu/emulator"
)

// buildView shows the current build state, the last build's duration and
// its compiler errors; b (a global key) rebuilds.
type buildView struct {
	c     *common
	hints []key.Binding
}

func newBuildView(c *common) *buildView {
	k := &c.keys
	return &buildView{c: c, hints: []key.Binding{
		hint("b", "rebuild", k.Rebuild), hint("?", "help", k.Help), hint("q", "quit", k.Quit),
	}}
}

func (v *buildView) Title() string             { return "Build" }
func (v *buildView) Refresh() tea.Cmd          { return nil }
func (v *buildView) ShortHelp() []key.Binding  { return v.hints }
func (v *buildView) FullHelp() [][]key.Binding { return nil }

func (v *buildView) Update(msg tea.Msg) (view, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok && key.Matches(k, v.c.keys.Back) {
		v.c.filter.SetValue("")
	}
	return v, nil
}

func (v *buildView) View(w, h int) string {
	return strings.Join(v.lines(w), "\n")
}

func (v *buildView) lines(w int) []string {
	c := v.c
	b := c.st.build
	if b == nil {
		return []string{styles.dim.Render(fit("  no build yet (b builds now)", w))}
	}
	state := string(b.State)
	if b.State == emulator.BuildRunning {
		state = c.spinner.View() + " building"
	}
	lines := []string{fit("State       "+state, w)}
	if b.State == emulator.BuildRunning && !b.Start.IsZero() {
		lines = append(lines, fit("Started     "+stamp(b.Start), w))
	}
	if last := c.st.lastBuilt; last != nil {
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
