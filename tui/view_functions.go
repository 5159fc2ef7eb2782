package tui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/funcemu/funcemu/emulator"
)

// functionsView lists the app's functions: trigger, route or schedule,
// state and counters; enter shows a function's invocations.
type functionsView struct {
	c      *common
	cursor int
	hints  []key.Binding
}

func newFunctionsView(c *common) *functionsView {
	k := &c.keys
	return &functionsView{c: c, hints: []key.Binding{
		hint("x", "fire", k.Fire), hint("/", "filter", k.Filter), hint("b", "rebuild", k.Rebuild),
		hint("?", "help", k.Help), hint("q", "quit", k.Quit),
	}}
}

func (v *functionsView) Title() string            { return "Functions" }
func (v *functionsView) Refresh() tea.Cmd         { return nil }
func (v *functionsView) ShortHelp() []key.Binding { return v.hints }
func (v *functionsView) FullHelp() [][]key.Binding {
	return [][]key.Binding{{v.c.keys.Enter, v.c.keys.Fire}}
}

// functionRow is one line of the Functions view.
type functionRow struct {
	name, trigger, detail, state, last string
	count                              int
	more                               string // shown under the list for the selected row
}

var functionColumns = []column{
	{title: "NAME", width: 18}, {title: "TRIGGER", width: 7}, {title: "ROUTE/QUEUE/PATH/SCHEDULE"},
	{title: "STATE", width: 8, optional: true}, {title: "LAST", width: 9, optional: true},
	{title: "RUNS", width: 5, right: true, optional: true},
}

// functionRows lists loaded functions in app order, then broken ones.
func (v *functionsView) rows() []functionRow {
	c := v.c
	app := c.st.app
	if app == nil {
		return nil
	}
	base := "http://localhost"
	if c.st.endpoints != nil {
		base = displayBaseURL(c.st.endpoints.HTTP)
	}
	var rows []functionRow
	for _, f := range app.Functions {
		r := functionRow{name: f.Name, state: "enabled", last: "-"}
		if f.Disabled {
			r.state = "disabled"
		}
		if t := f.Trigger(); t != nil {
			r.trigger = strings.TrimSuffix(t.Kind(), "trigger")
			r.detail, r.more = triggerDetail(t, f, app.Host.RoutePrefix, base)
			if t.Kind() == emulator.BindingTimerTrigger && c.opts.NextRun != nil && !f.Disabled {
				if next, ok := c.opts.NextRun(f, c.opts.Clock.Now()); ok {
					r.detail += " → " + next.Format("15:04:05")
					r.more += " · next " + next.Format("2006-01-02 15:04:05 MST")
				}
			}
		}
		if st := c.st.stats[f.Name]; st != nil {
			r.count, r.last = st.count, string(st.last)
		}
		if c.matches(r.name, r.trigger, r.detail, r.state) {
			rows = append(rows, r)
		}
	}
	for _, fe := range app.Broken {
		r := functionRow{name: fe.Name, state: "broken", last: "-", detail: errText(fe.Err), more: errText(fe.Err)}
		if c.matches(r.name, r.detail, r.state) {
			rows = append(rows, r)
		}
	}
	return rows
}

// triggerDetail is the short column text and the longer selected-row text.
func triggerDetail(t *emulator.Binding, f *emulator.Function, prefix, base string) (short, long string) {
	switch t.Kind() {
	case emulator.BindingHTTPTrigger:
		methods := strings.Trim(methodsText(t.Methods), "[]")
		if methods == "" {
			methods = "ANY"
		}
		url := functionURL(base, prefix, f)
		return methods + " " + strings.TrimPrefix(url, base), methods + " " + url
	case emulator.BindingQueueTrigger:
		return t.QueueName, "queue " + t.QueueName
	case emulator.BindingBlobTrigger:
		return t.Path, "blob path " + t.Path
	case emulator.BindingTimerTrigger:
		long := "schedule " + t.Schedule
		if t.RunOnStartup {
			long += " · runs on startup"
		}
		return t.Schedule, long
	}
	if t.NotEmulated {
		return "not emulated", t.Type + " is not emulated: fire it with x (or i to type its input), as POST /admin/functions/" + f.Name + " does"
	}
	return "", t.Type
}

func (v *functionsView) View(w, h int) string {
	return strings.Join(v.lines(w, h), "\n")
}

func (v *functionsView) lines(w, h int) []string {
	cols := layoutColumns(functionColumns, w)
	rows := v.rows()
	lines := []string{headerRow(cols)}
	if len(rows) == 0 {
		return append(lines, emptyNote(w, v.c.filtered(), "functions"))
	}
	cur := clamp(v.cursor, 0, len(rows)-1)
	listH := h - 3 // header, blank, detail line
	start := window(cur, len(rows), listH)
	for i := start; i < len(rows) && i < start+listH; i++ {
		r := rows[i]
		line := renderRow(cols, []string{r.name, r.trigger, r.detail, r.state, r.last, strconv.Itoa(r.count)}, i == cur)
		switch {
		case i == cur:
			line = styles.selected.Render(line)
		case r.state == "broken" || r.last == string(emulator.StatusFailed):
			line = styles.err.Render(line)
		case r.state == "disabled":
			line = styles.dim.Render(line)
		}
		lines = append(lines, line)
	}
	lines = padLines(lines, h-1)
	more := rows[cur].more
	if rows[cur].state == "broken" {
		return append(lines, styles.err.Render(fit("  "+more, w)))
	}
	return append(lines, styles.dim.Render(fit("  "+more, w)))
}

func (v *functionsView) Update(msg tea.Msg) (view, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		return v, v.key(msg)
	case filterEditedMsg:
		v.cursor = 0
	}
	return v, nil
}

func (v *functionsView) key(k tea.KeyMsg) tea.Cmd {
	c := v.c
	rows := v.rows()
	if c.listKey(k, &v.cursor, len(rows)) {
		return nil
	}
	switch {
	case key.Matches(k, c.keys.Enter) && len(rows) > 0:
		// A function's detail is its invocations.
		r := rows[clamp(v.cursor, 0, len(rows)-1)]
		return c.root.show("Invocations", r.name)
	case key.Matches(k, c.keys.Fire) && len(rows) > 0:
		r := rows[clamp(v.cursor, 0, len(rows)-1)]
		if r.state == "broken" {
			c.setStatus("", errorf("function %s failed to load: %s", r.name, r.more))
			return nil
		}
		c.root.fire(r.name)
	}
	return nil
}
