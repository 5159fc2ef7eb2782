package tui

import "github.com/charmbracelet/lipgloss"

// styles are the UI's colours. Layout never depends on them, so the text
// rendering (tests, README captures) is the same without colour.
var styles = struct {
	tab, tabActive, header, selected, dim lipgloss.Style
	err, warn, statusBar, statusErr       lipgloss.Style
}{
	tab:       lipgloss.NewStyle().Foreground(lipgloss.Color("245")),
	tabActive: lipgloss.NewStyle().Bold(true).Reverse(true),
	header:    lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("3")),
	selected:  lipgloss.NewStyle().Reverse(true),
	dim:       lipgloss.NewStyle().Foreground(lipgloss.Color("8")),
	err:       lipgloss.NewStyle().Foreground(lipgloss.Color("9")),
	warn:      lipgloss.NewStyle().Foreground(lipgloss.Color("11")),
	statusBar: lipgloss.NewStyle().Reverse(true),
	statusErr: lipgloss.NewStyle().Foreground(lipgloss.Color("9")).Bold(true),
}
