package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
)

// footerHelp renders a view's ShortHelp as the footer's hints,
// "x fire · / filter", with help.Model. It adds no colour of its own (the
// footer dims the whole line), and renders again only when the hints
// change, since styling every key and description would cost every frame.
type footerHelp struct {
	model      help.Model
	key, shown string // the hints last rendered, and their rendering
}

func newFooterHelp() footerHelp {
	h := help.New()
	h.ShortSeparator = " · "
	plain := lipgloss.NewStyle()
	h.Styles = help.Styles{Ellipsis: plain, ShortKey: plain, ShortDesc: plain, ShortSeparator: plain,
		FullKey: plain, FullDesc: plain, FullSeparator: plain}
	return footerHelp{model: h}
}

func (f *footerHelp) render(bindings []key.Binding) string {
	var b strings.Builder
	for _, k := range bindings {
		if k.Enabled() {
			h := k.Help()
			b.WriteString(h.Key)
			b.WriteByte(0)
			b.WriteString(h.Desc)
			b.WriteByte(0)
		}
	}
	if b.String() != f.key || f.key == "" {
		f.key, f.shown = b.String(), f.model.ShortHelpView(bindings)
	}
	return f.shown
}

// helpBindings are the help overlay's entries: the global keys first, then
// the keys views add, each once.
func (m *model) helpBindings() []key.Binding {
	var out []key.Binding
	seen := make(map[string]bool)
	add := func(groups [][]key.Binding) {
		for _, group := range groups {
			for _, b := range group {
				if id := b.Help().Key + "\x00" + b.Help().Desc; b.Enabled() && !seen[id] {
					seen[id] = true
					out = append(out, b)
				}
			}
		}
	}
	add(m.keys.FullHelp())
	for _, v := range m.views {
		add(v.FullHelp())
	}
	return out
}

// helpView lists every key, in two columns when one does not fit. It lays
// the entries out itself because help.Model's full view puts each group
// in a column of its own, three of which do not fit 80 columns.
func (m *model) helpView(w, h int) []string {
	var entries []string
	for _, b := range m.helpBindings() {
		entries = append(entries, "  "+fit(b.Help().Key, 10)+" "+b.Help().Desc)
	}
	lines := []string{styles.header.Render(fit("Keys (? or esc to close)", w)), ""}
	if len(entries)+2 <= h {
		for _, e := range entries {
			lines = append(lines, fit(e, w))
		}
		return lines
	}
	half := (len(entries) + 1) / 2
	colW := w / 2
	for i := 0; i < half; i++ {
		right := ""
		if half+i < len(entries) {
			right = entries[half+i]
		}
		lines = append(lines, fit(entries[i], colW)+fit(right, w-colW))
	}
	return lines
}
