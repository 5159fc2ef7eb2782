package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
)

// detailPane is one invocation's detail inside the Invocations view:
// summary, input, outputs, error, logs, parent and children, scrolled in
// a viewport. Its text is rebuilt when drawn, so a running invocation's
// new logs show up.
type detailPane struct {
	c     *common
	id    string // the invocation shown; "" when closed
	vp    viewport.Model
	hints []key.Binding
}

func newDetailPane(c *common) *detailPane {
	k := &c.keys
	return &detailPane{c: c, vp: viewport.New(0, 0), hints: []key.Binding{
		hint("↑↓", "scroll", k.Up, k.Down), hint("r", "replay", k.Replay), hint("x", "fire again", k.Fire),
		hint("esc", "back", k.Back), hint("?", "help", k.Help),
	}}
}

func (p *detailPane) open() bool               { return p.id != "" }
func (p *detailPane) close()                   { p.id = "" }
func (p *detailPane) ShortHelp() []key.Binding { return p.hints }

// openOn shows invocation id from its first line.
func (p *detailPane) openOn(id string) {
	p.id = id
	p.vp.SetYOffset(0)
}

// View draws the detail; the first line shown is the header.
func (p *detailPane) View(w, h int) string {
	if p.c.st.invocation(p.id) == nil {
		return styles.dim.Render(fit("  invocation "+p.id+" is no longer in history (esc back)", w))
	}
	p.layout(w, h)
	out := p.vp.View()
	first, rest, _ := strings.Cut(out, "\n")
	return styles.header.Render(first) + "\n" + rest
}

// layout fills the viewport with the detail wrapped to w, keeping the
// scroll position within the text.
func (p *detailPane) layout(w, h int) {
	var lines []string
	if rec := p.c.st.invocation(p.id); rec != nil {
		for _, l := range detailLines(p.c.st, rec) {
			lines = append(lines, wrapLines(l, w)...)
		}
	}
	p.vp.Width, p.vp.Height = w, h
	p.vp.SetContent(strings.Join(lines, "\n"))
	p.vp.SetYOffset(p.vp.YOffset)
}

// key scrolls, replays or fires again; esc closes the detail.
func (p *detailPane) key(k tea.KeyMsg) tea.Cmd {
	c := p.c
	p.layout(max(c.width, 20), c.bodyHeight())
	page := max(1, c.bodyHeight()-1)
	switch {
	case key.Matches(k, c.keys.Back):
		p.close()
	case key.Matches(k, c.keys.Up):
		p.vp.ScrollUp(1)
	case key.Matches(k, c.keys.Down):
		p.vp.ScrollDown(1)
	case key.Matches(k, c.keys.PageUp):
		p.vp.ScrollUp(page)
	case key.Matches(k, c.keys.PageDown):
		p.vp.ScrollDown(page)
	case key.Matches(k, c.keys.Top):
		p.vp.GotoTop()
	case key.Matches(k, c.keys.Bottom):
		p.vp.GotoBottom()
	case key.Matches(k, c.keys.Replay):
		return replayCmd(c.ctx, c.ctrl, p.id)
	case key.Matches(k, c.keys.Fire):
		if rec := c.st.invocation(p.id); rec != nil {
			c.root.fire(rec.inv.Function)
		}
	}
	return nil
}
