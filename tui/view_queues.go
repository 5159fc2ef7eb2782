package tui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// queuesView lists the app's queues with their depths; enter peeks one
// and its poison queue below the list, where m moves a poison message
// back.
type queuesView struct {
	c         *common
	queues    []QueueInfo
	cursor    int
	msgs      pane[queueMessageRow] // the messages of the queue opened
	hints     []key.Binding         // for the list
	openHints []key.Binding         // with a queue open
}

func newQueuesView(c *common) *queuesView {
	k := &c.keys
	return &queuesView{c: c,
		hints: []key.Binding{hint("enter", "peek", k.Enter), hint("/", "filter", k.Filter),
			hint("?", "help", k.Help), hint("q", "quit", k.Quit)},
		openHints: []key.Binding{hint("↑↓", "select", k.Up, k.Down), hint("m", "move poison message back", k.Requeue),
			hint("esc", "back", k.Back), hint("?", "help", k.Help)},
	}
}

func (v *queuesView) Title() string { return "Queues" }
func (v *queuesView) FullHelp() [][]key.Binding {
	return [][]key.Binding{{v.c.keys.Enter, v.c.keys.Requeue}}
}

func (v *queuesView) ShortHelp() []key.Binding {
	if v.msgs.isOpen() {
		return v.openHints
	}
	return v.hints
}

// Refresh reloads the queues' depths.
func (v *queuesView) Refresh() tea.Cmd { return loadQueuesCmd(v.c.ctx, v.c.ctrl) }

func (v *queuesView) Update(msg tea.Msg) (view, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		if v.msgs.isOpen() {
			return v, v.messagesKey(msg)
		}
		return v, v.key(msg)
	case filterEditedMsg:
		v.cursor = 0
	case queuesMsg:
		if msg.err != nil {
			v.c.setStatus("", msg.err)
			return v, nil
		}
		v.queues = msg.queues
	case messagesMsg:
		v.msgs.show(v.c, msg.queue, msg.rows, msg.err)
	case opDoneMsg:
		if msg.err == nil && msg.refreshQueue != "" {
			return v, tea.Batch(v.Refresh(), peekCmd(v.c.ctx, v.c.ctrl, msg.refreshQueue))
		}
	}
	return v, nil
}

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

func (v *queuesView) rows() []QueueInfo {
	return byName(v.c, v.queues, func(q *QueueInfo) string { return q.Name })
}

func (v *queuesView) View(w, h int) string {
	return strings.Join(v.lines(w, h), "\n")
}

func (v *queuesView) lines(w, h int) []string {
	cols := layoutColumns(queueColumns, w)
	rows := v.rows()
	lines := []string{headerRow(cols)}
	if len(rows) == 0 {
		return append(lines, emptyNote(w, v.c.filtered(), "queues"))
	}
	listH := listHeight(h, len(rows), v.msgs.isOpen())
	cur := clamp(v.cursor, 0, len(rows)-1)
	start := window(cur, len(rows), listH)
	for i := start; i < len(rows) && i < start+listH; i++ {
		q := rows[i]
		line := renderRow(cols, []string{q.Name, strconv.Itoa(q.Depth), strconv.Itoa(q.PoisonDepth)}, i == cur && !v.msgs.isOpen())
		switch {
		case i == cur && !v.msgs.isOpen():
			line = styles.selected.Render(line)
		case q.PoisonDepth > 0:
			line = styles.warn.Render(line)
		}
		lines = append(lines, line)
	}
	if v.msgs.isOpen() {
		lines = append(lines, "")
		lines = append(lines, v.messagesView(w, h-len(lines))...)
	}
	return lines
}

func (v *queuesView) messagesView(w, h int) []string {
	cols := layoutColumns(messageColumns, w)
	lines := []string{
		styles.header.Render(fit("Messages in "+v.msgs.name+" and "+PoisonQueueName(v.msgs.name), w)),
		headerRow(cols),
	}
	if len(v.msgs.rows) == 0 {
		return append(lines, styles.dim.Render(fit("  no messages", w)))
	}
	listH := h - 2
	cur := clamp(v.msgs.cursor, 0, len(v.msgs.rows)-1)
	start := window(cur, len(v.msgs.rows), listH)
	for i := start; i < len(v.msgs.rows) && i < start+listH; i++ {
		msg := v.msgs.rows[i]
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

func (v *queuesView) key(k tea.KeyMsg) tea.Cmd {
	c := v.c
	rows := v.rows()
	if c.listKey(k, &v.cursor, len(rows)) {
		return nil
	}
	switch {
	case key.Matches(k, c.keys.Enter) && len(rows) > 0:
		q := rows[clamp(v.cursor, 0, len(rows)-1)]
		v.msgs.openOn(q.Name)
		return peekCmd(c.ctx, c.ctrl, q.Name)
	}
	return nil
}

func (v *queuesView) messagesKey(k tea.KeyMsg) tea.Cmd {
	c := v.c
	if v.msgs.key(c, k) {
		return nil
	}
	msg, ok := v.msgs.selected()
	switch {
	case key.Matches(k, c.keys.Enter):
		return peekCmd(c.ctx, c.ctrl, v.msgs.name)
	case key.Matches(k, c.keys.Requeue) && ok:
		if !msg.poison {
			c.setStatus("", errorf("message %s is not in %s", msg.ID, PoisonQueueName(v.msgs.name)))
			return nil
		}
		return requeueCmd(c.ctx, c.ctrl, v.msgs.name, msg.ID)
	}
	return nil
}
