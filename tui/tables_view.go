package tui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

var tableColumns = []column{{title: "TABLE"}, {title: "ENTITIES", width: 9, right: true}}

var entityColumns = []column{
	{title: "PARTITIONKEY", width: 14}, {title: "ROWKEY", width: 14}, {title: "TIMESTAMP", width: 12, optional: true},
	{title: "PROPERTIES"},
}

func (m *model) tableRows() []TableInfo {
	var rows []TableInfo
	for _, t := range m.tables {
		if m.matches(t.Name) {
			rows = append(rows, t)
		}
	}
	return rows
}

// tablesView lists the tables; with one open, its first entities below,
// laid out as the Queues view lays out a queue's messages.
func (m *model) tablesView(w, h int) []string {
	cols := layoutColumns(tableColumns, w)
	rows := m.tableRows()
	lines := []string{headerRow(cols)}
	if len(rows) == 0 {
		return append(lines, emptyNote(w, m.filter.Value() != "", "tables"))
	}
	listH := h - 1
	if m.openTable != "" {
		listH = min(len(rows), max(3, h/3))
	}
	cur := clamp(m.cursor[viewTables], 0, len(rows)-1)
	start := window(cur, len(rows), listH)
	for i := start; i < len(rows) && i < start+listH; i++ {
		t := rows[i]
		selected := i == cur && m.openTable == ""
		line := renderRow(cols, []string{t.Name, strconv.Itoa(t.Entities)}, selected)
		if selected {
			line = styles.selected.Render(line)
		}
		lines = append(lines, line)
	}
	if m.openTable != "" {
		lines = append(lines, "")
		lines = append(lines, m.entitiesView(w, h-len(lines))...)
	}
	return lines
}

func (m *model) entitiesView(w, h int) []string {
	cols := layoutColumns(entityColumns, w)
	title := "First entities of " + m.openTable
	if len(m.entities) >= entityCount {
		title = "First " + strconv.Itoa(entityCount) + " entities of " + m.openTable
	}
	lines := []string{styles.header.Render(fit(title, w)), headerRow(cols)}
	if len(m.entities) == 0 {
		return append(lines, styles.dim.Render(fit("  no entities", w)))
	}
	listH := h - 2
	cur := clamp(m.entCursor, 0, len(m.entities)-1)
	start := window(cur, len(m.entities), listH)
	for i := start; i < len(m.entities) && i < start+listH; i++ {
		e := m.entities[i]
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

func (m *model) tablesKey(k tea.KeyMsg) tea.Cmd {
	if m.openTable != "" {
		return m.entitiesKey(k)
	}
	rows := m.tableRows()
	if m.moveInList(k, &m.cursor[viewTables], len(rows)) {
		return nil
	}
	switch {
	case key.Matches(k, m.keys.Back):
		m.filter.SetValue("")
	case key.Matches(k, m.keys.Enter) && len(rows) > 0:
		t := rows[clamp(m.cursor[viewTables], 0, len(rows)-1)]
		m.openTable, m.entities, m.entCursor = t.Name, nil, 0
		return loadEntitiesCmd(m.ctx, m.ctrl, t.Name)
	}
	return nil
}

func (m *model) entitiesKey(k tea.KeyMsg) tea.Cmd {
	if m.moveInList(k, &m.entCursor, len(m.entities)) {
		return nil
	}
	switch {
	case key.Matches(k, m.keys.Back):
		m.openTable, m.entities = "", nil
	case key.Matches(k, m.keys.Enter):
		return loadEntitiesCmd(m.ctx, m.ctrl, m.openTable)
	}
	return nil
}

// applyEntities shows a table's entities if the table is still open.
func (m *model) applyEntities(msg entitiesMsg) tea.Cmd {
	if msg.err != nil {
		m.setStatus("", msg.err)
		return nil
	}
	if msg.table == m.openTable {
		m.entities = msg.rows
		m.entCursor = clamp(m.entCursor, 0, len(msg.rows)-1)
	}
	return nil
}
