package tui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/funcemu/funcemu/emulator"
)

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
func (m *model) functionRows() []functionRow {
	app := m.st.app
	if app == nil {
		return nil
	}
	base := "http://localhost"
	if m.st.endpoints != nil {
		base = displayBaseURL(m.st.endpoints.HTTP)
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
			if t.Kind() == emulator.BindingTimerTrigger && m.opts.NextRun != nil && !f.Disabled {
				if next, ok := m.opts.NextRun(f, m.opts.Clock.Now()); ok {
					r.detail += " → " + next.Format("15:04:05")
					r.more += " · next " + next.Format("2006-01-02 15:04:05 MST")
				}
			}
		}
		if st := m.st.stats[f.Name]; st != nil {
			r.count, r.last = st.count, string(st.last)
		}
		if m.matches(r.name, r.trigger, r.detail, r.state) {
			rows = append(rows, r)
		}
	}
	for _, fe := range app.Broken {
		r := functionRow{name: fe.Name, state: "broken", last: "-", detail: errText(fe.Err), more: errText(fe.Err)}
		if m.matches(r.name, r.detail, r.state) {
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

func (m *model) functionsView(w, h int) []string {
	cols := layoutColumns(functionColumns, w)
	rows := m.functionRows()
	lines := []string{headerRow(cols)}
	if len(rows) == 0 {
		return append(lines, emptyNote(w, m.filter.Value() != "", "functions"))
	}
	cur := clamp(m.cursor[viewFunctions], 0, len(rows)-1)
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

func (m *model) functionsKey(k tea.KeyMsg) tea.Cmd {
	rows := m.functionRows()
	if m.moveInList(k, &m.cursor[viewFunctions], len(rows)) {
		return nil
	}
	switch {
	case key.Matches(k, m.keys.Back):
		m.filter.SetValue("")
	case key.Matches(k, m.keys.Enter) && len(rows) > 0:
		// A function's detail is its invocations.
		r := rows[clamp(m.cursor[viewFunctions], 0, len(rows)-1)]
		cmd := m.switchView(viewInvocations)
		m.filter.SetValue(r.name)
		m.cursor[viewInvocations] = 0
		return cmd
	case key.Matches(k, m.keys.Fire) && len(rows) > 0:
		r := rows[clamp(m.cursor[viewFunctions], 0, len(rows)-1)]
		if r.state == "broken" {
			m.setStatus("", errorf("function %s failed to load: %s", r.name, r.more))
			return nil
		}
		return m.openFirePrompt(r.name)
	}
	return nil
}
