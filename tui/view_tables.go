package tui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// tablesView lists the account's tables with their entity counts; enter
// shows a table's first entities below the list, laid out as the Queues
// view lays out a queue's messages.
type tablesView struct {
	c         *common
	tables    []TableInfo
	cursor    int
	ents      pane[Entity]  // the entities of the table opened
	hints     []key.Binding // for the list
	openHints []key.Binding // with a table open
}

func newTablesView(c *common) *tablesView {
	k := &c.keys
	return &tablesView{c: c,
		hints: []key.Binding{hint("enter", "entities", k.Enter), hint("/", "filter", k.Filter),
			hint("?", "help", k.Help), hint("q", "quit", k.Quit)},
		openHints: []key.Binding{hint("↑↓", "select", k.Up, k.Down), hint("enter", "reload", k.Enter),
			hint("esc", "back", k.Back), hint("?", "help", k.Help)},
	}
}

func (v *tablesView) Title() string             { return "Tables" }
func (v *tablesView) FullHelp() [][]key.Binding { return [][]key.Binding{{v.c.keys.Enter}} }

func (v *tablesView) ShortHelp() []key.Binding {
	if v.ents.isOpen() {
		return v.openHints
	}
	return v.hints
}

// Refresh reloads the tables, and the open table's entities.
func (v *tablesView) Refresh() tea.Cmd {
	c := v.c
	if v.ents.isOpen() {
		return tea.Batch(loadTablesCmd(c.ctx, c.ctrl), loadEntitiesCmd(c.ctx, c.ctrl, v.ents.name))
	}
	return loadTablesCmd(c.ctx, c.ctrl)
}

func (v *tablesView) Update(msg tea.Msg) (view, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		if v.ents.isOpen() {
			return v, v.entitiesKey(msg)
		}
		return v, v.key(msg)
	case filterEditedMsg:
		v.cursor = 0
	case tablesMsg:
		if msg.err != nil {
			v.c.setStatus("", msg.err)
			return v, nil
		}
		v.tables = msg.tables
	case entitiesMsg:
		v.ents.show(v.c, msg.table, msg.rows, msg.err)
	}
	return v, nil
}

var tableColumns = []column{{title: "TABLE"}, {title: "ENTITIES", width: 9, right: true}}

var entityColumns = []column{
	{title: "PARTITIONKEY", width: 14}, {title: "ROWKEY", width: 14}, {title: "TIMESTAMP", width: 12, optional: true},
	{title: "PROPERTIES"},
}

func (v *tablesView) rows() []TableInfo {
	return byName(v.c, v.tables, func(t *TableInfo) string { return t.Name })
}

func (v *tablesView) View(w, h int) string {
	return strings.Join(v.lines(w, h), "\n")
}

func (v *tablesView) lines(w, h int) []string {
	cols := layoutColumns(tableColumns, w)
	rows := v.rows()
	lines := []string{headerRow(cols)}
	if len(rows) == 0 {
		return append(lines, emptyNote(w, v.c.filtered(), "tables"))
	}
	listH := listHeight(h, len(rows), v.ents.isOpen())
	cur := clamp(v.cursor, 0, len(rows)-1)
	start := window(cur, len(rows), listH)
	for i := start; i < len(rows) && i < start+listH; i++ {
		t := rows[i]
		selected := i == cur && !v.ents.isOpen()
		line := renderRow(cols, []string{t.Name, strconv.Itoa(t.Entities)}, selected)
		if selected {
			line = styles.selected.Render(line)
		}
		lines = append(lines, line)
	}
	if v.ents.isOpen() {
		lines = append(lines, "")
		lines = append(lines, v.entitiesView(w, h-len(lines))...)
	}
	return lines
}

func (v *tablesView) entitiesView(w, h int) []string {
	cols := layoutColumns(entityColumns, w)
	title := "First entities of " + v.ents.name
	if len(v.ents.rows) >= entityCount {
		title = "First " + strconv.Itoa(entityCount) + " entities of " + v.ents.name
	}
	lines := []string{styles.header.Render(fit(title, w)), headerRow(cols)}
	if len(v.ents.rows) == 0 {
		return append(lines, styles.dim.Render(fit("  no entities", w)))
	}
	listH := h - 2
	cur := clamp(v.ents.cursor, 0, len(v.ents.rows)-1)
	start := window(cur, len(v.ents.rows), listH)
	for i := start; i < len(v.ents.rows) && i < start+listH; i++ {
		e := v.ents.rows[i]
		line := renderRow(cols, []string{e.PartitionKey, e.RowKey, e.Timestamp.UTC().Format("15:04:05.000"),
			propertiesText(e.Properties)}, i == cur)
		if i == cur {
			line = styles.selected.Render(line)
		}
		lines = append(lines, line)
	}
	return lines
}

// propertiesText is an entity's properties on one line, Name=value each.
func propertiesText(ps []Property) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = p.Name + "=" + strings.ReplaceAll(p.Value, "\n", " ")
	}
	return strings.Join(parts, " ")
}

func (v *tablesView) key(k tea.KeyMsg) tea.Cmd {
	c := v.c
	rows := v.rows()
	if c.listKey(k, &v.cursor, len(rows)) {
		return nil
	}
	switch {
	case key.Matches(k, c.keys.Enter) && len(rows) > 0:
		t := rows[clamp(v.cursor, 0, len(rows)-1)]
		v.ents.openOn(t.Name)
		return loadEntitiesCmd(c.ctx, c.ctrl, t.Name)
	}
	return nil
}

func (v *tablesView) entitiesKey(k tea.KeyMsg) tea.Cmd {
	c := v.c
	if !v.ents.key(c, k) && key.Matches(k, c.keys.Enter) {
		return loadEntitiesCmd(c.ctx, c.ctrl, v.ents.name)
	}
	return nil
}
