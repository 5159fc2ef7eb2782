package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/funcemu/funcemu/emulator"
)

// invocationsView lists the invocations newest first; enter opens one's
// detail, which then has the view until esc.
type invocationsView struct {
	c      *common
	cursor int
	seen   int // invocations ever added when last drawn, to keep the selection still
	detail *detailPane
	hints  []key.Binding
}

func newInvocationsView(c *common) *invocationsView {
	k := &c.keys
	return &invocationsView{c: c, detail: newDetailPane(c), hints: []key.Binding{
		hint("enter", "detail", k.Enter), hint("r", "replay", k.Replay), hint("x", "fire", k.Fire),
		hint("/", "filter", k.Filter), hint("?", "help", k.Help), hint("q", "quit", k.Quit),
	}}
}

func (v *invocationsView) Title() string    { return "Invocations" }
func (v *invocationsView) Refresh() tea.Cmd { return nil }

func (v *invocationsView) ShortHelp() []key.Binding {
	if v.detail.open() {
		return v.detail.ShortHelp()
	}
	return v.hints
}

func (v *invocationsView) FullHelp() [][]key.Binding {
	return [][]key.Binding{{v.c.keys.Enter, v.c.keys.Replay, v.c.keys.Fire}}
}

var invocationColumns = []column{
	{title: "TIME", width: 12}, {title: "FUNCTION"}, {title: "TRIGGER", width: 7},
	{title: "STATUS", width: 9}, {title: "DURATION", width: 8, right: true}, {title: "ID", width: 8, optional: true},
}

// invocationList returns the rows of the Invocations view, newest first.
// Without a filter it indexes the ring directly, so a large history costs
// nothing until it is filtered.
func (v *invocationsView) list() (n int, at func(int) *invRecord) {
	c := v.c
	r := c.st.invs
	if c.filter.Value() == "" {
		return r.len(), func(i int) *invRecord { return r.at(r.len() - 1 - i) }
	}
	var rows []*invRecord
	for i := r.len() - 1; i >= 0; i-- {
		rec := r.at(i)
		if c.matches(rec.inv.Function, rec.inv.Trigger, string(rec.inv.Status), rec.inv.ID, rec.inv.ParentID) {
			rows = append(rows, rec)
		}
	}
	return len(rows), func(i int) *invRecord { return rows[i] }
}

func (v *invocationsView) View(w, h int) string {
	if v.detail.open() {
		return v.detail.View(w, h)
	}
	return strings.Join(v.lines(w, h), "\n")
}

func (v *invocationsView) lines(w, h int) []string {
	cols := layoutColumns(invocationColumns, w)
	lines := []string{headerRow(cols)}
	n, at := v.list()
	if n == 0 {
		return append(lines, emptyNote(w, v.c.filtered(), "invocations"))
	}
	cur := clamp(v.cursor, 0, n-1)
	listH := h - 1
	start := window(cur, n, listH)
	for i := start; i < n && i < start+listH; i++ {
		inv := &at(i).inv
		line := renderRow(cols, []string{
			inv.Start.UTC().Format("15:04:05.000"), inv.Function, inv.Trigger,
			string(inv.Status), durationText(inv), shortID(inv.ID),
		}, i == cur)
		switch {
		case i == cur:
			line = styles.selected.Render(line)
		case inv.Status == emulator.StatusFailed:
			line = styles.err.Render(line)
		case inv.Status == emulator.StatusRunning:
			line = styles.warn.Render(line)
		}
		lines = append(lines, line)
	}
	return lines
}

func (v *invocationsView) Update(msg tea.Msg) (view, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		if v.detail.open() {
			return v, v.detail.key(msg)
		}
		return v, v.key(msg)
	case eventsMsg:
		v.keepSelectionStill()
	case filterOpenedMsg:
		v.detail.close() // a filter narrows the list: show it
	case filterEditedMsg:
		v.cursor = 0
	}
	return v, nil
}

// keepSelectionStill shifts the cursor by the invocations that arrived,
// so the row under the user's eyes does not move.
func (v *invocationsView) keepSelectionStill() {
	st := v.c.st
	added := st.invAdded - v.seen
	v.seen = st.invAdded
	if v.cursor > 0 && !v.c.filtered() {
		v.cursor += added
	}
	v.cursor = clamp(v.cursor, 0, st.invs.len()-1)
}

func (v *invocationsView) key(k tea.KeyMsg) tea.Cmd {
	c := v.c
	n, at := v.list()
	if c.listKey(k, &v.cursor, n) || n == 0 {
		return nil
	}
	rec := at(clamp(v.cursor, 0, n-1))
	switch {
	case key.Matches(k, c.keys.Enter):
		v.detail.openOn(rec.inv.ID)
	case key.Matches(k, c.keys.Replay):
		return replayCmd(c.ctx, c.ctrl, rec.inv.ID)
	case key.Matches(k, c.keys.Fire):
		c.root.fire(rec.inv.Function)
	}
	return nil
}

func durationText(inv *emulator.Invocation) string {
	if inv.Status == emulator.StatusRunning {
		return "…"
	}
	return formatMs(inv.Duration().Milliseconds())
}

func formatMs(ms int64) string {
	if ms >= 10_000 {
		return itoa(ms/1000) + "s"
	}
	return itoa(ms) + "ms"
}

// shortID is enough of an invocation id to tell rows apart.
func shortID(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return id
}
