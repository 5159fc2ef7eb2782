package tui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// queueMessageRow is a peeked message and whether it sits in the poison queue.
type queueMessageRow struct {
	Message
	poison bool
}

var queueColumns = []column{{title: "QUEUE"}, {title: "DEPTH", width: 7, right: true}, {title: "POISON", width: 7, right: true}}

var messageColumns = []column{
	{title: "WHERE", width: 6}, {title: "ID", width: 12}, {title: "INSERTED", width: 12, optional: true},
	{title: "DEQ", width: 4, right: true, optional: true}, {title: "BODY"},
}

func (m *model) queueRows() []QueueInfo {
	var rows []QueueInfo
	for _, q := range m.queues {
		if m.matches(q.Name) {
			rows = append(rows, q)
		}
	}
	return rows
}

func (m *model) queuesView(w, h int) []string {
	cols := layoutColumns(queueColumns, w)
	rows := m.queueRows()
	lines := []string{headerRow(cols)}
	if len(rows) == 0 {
		return append(lines, emptyNote(w, m.filter.Value() != "", "queues"))
	}
	listH := h - 1
	if m.openQueue != "" {
		listH = min(len(rows), max(3, h/3))
	}
	cur := clamp(m.cursor[viewQueues], 0, len(rows)-1)
	start := window(cur, len(rows), listH)
	for i := start; i < len(rows) && i < start+listH; i++ {
		q := rows[i]
		line := renderRow(cols, []string{q.Name, strconv.Itoa(q.Depth), strconv.Itoa(q.PoisonDepth)}, i == cur && m.openQueue == "")
		switch {
		case i == cur && m.openQueue == "":
			line = styles.selected.Render(line)
		case q.PoisonDepth > 0:
			line = styles.warn.Render(line)
		}
		lines = append(lines, line)
	}
	if m.openQueue != "" {
		lines = append(lines, "")
		lines = append(lines, m.messagesView(w, h-len(lines))...)
	}
	return lines
}

func (m *model) messagesView(w, h int) []string {
	cols := layoutColumns(messageColumns, w)
	lines := []string{
		styles.header.Render(fit("Messages in "+m.openQueue+" and "+PoisonQueueName(m.openQueue), w)),
		headerRow(cols),
	}
	if len(m.messages) == 0 {
		return append(lines, styles.dim.Render(fit("  no messages", w)))
	}
	listH := h - 2
	cur := clamp(m.msgCursor, 0, len(m.messages)-1)
	start := window(cur, len(m.messages), listH)
	for i := start; i < len(m.messages) && i < start+listH; i++ {
		msg := m.messages[i]
		where := "queue"
		if msg.poison {
			where = "poison"
		}
		line := renderRow(cols, []string{where, msg.ID, msg.InsertionTime.UTC().Format("15:04:05.000"),
			strconv.FormatInt(msg.DequeueCount, 10), strings.ReplaceAll(messageBodyText(msg.Body), "\n", " ")}, i == cur)
		switch {
		case i == cur:
			line = styles.selected.Render(line)
		case msg.poison:
			line = styles.warn.Render(line)
		}
		lines = append(lines, line)
	}
	return lines
}

func (m *model) queuesKey(k tea.KeyMsg) tea.Cmd {
	if m.openQueue != "" {
		return m.messagesKey(k)
	}
	rows := m.queueRows()
	if m.moveInList(k, &m.cursor[viewQueues], len(rows)) {
		return nil
	}
	switch {
	case key.Matches(k, m.keys.Back):
		m.filter.SetValue("")
	case key.Matches(k, m.keys.Enter) && len(rows) > 0:
		q := rows[clamp(m.cursor[viewQueues], 0, len(rows)-1)]
		m.openQueue, m.messages, m.msgCursor = q.Name, nil, 0
		return peekCmd(m.ctx, m.ctrl, q.Name)
	}
	return nil
}

func (m *model) messagesKey(k tea.KeyMsg) tea.Cmd {
	if m.moveInList(k, &m.msgCursor, len(m.messages)) {
		return nil
	}
	switch {
	case key.Matches(k, m.keys.Back):
		m.openQueue, m.messages = "", nil
	case key.Matches(k, m.keys.Enter):
		return peekCmd(m.ctx, m.ctrl, m.openQueue)
	case key.Matches(k, m.keys.Requeue) && len(m.messages) > 0:
		msg := m.messages[clamp(m.msgCursor, 0, len(m.messages)-1)]
		if !msg.poison {
			m.setStatus("", errorf("message %s is not in %s", msg.ID, PoisonQueueName(m.openQueue)))
			return nil
		}
		return requeueCmd(m.ctx, m.ctrl, m.openQueue, msg.ID)
	}
	return nil
}

// applyMessages shows peeked messages if their queue is still open.
func (m *model) applyMessages(msg messagesMsg) tea.Cmd {
	if msg.err != nil {
		m.setStatus("", msg.err)
		return nil
	}
	if msg.queue == m.openQueue {
		m.messages = msg.rows
		m.msgCursor = clamp(m.msgCursor, 0, len(msg.rows)-1)
	}
	return nil
}
