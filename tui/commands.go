package tui

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// Messages that commands send back to Update.
type (
	// opDoneMsg reports a Controller action; refreshQueue names a queue
	// whose view must be reloaded after it.
	opDoneMsg struct {
		what         string
		err          error
		refreshQueue string
	}
	queuesMsg struct {
		queues []QueueInfo
		err    error
	}
	messagesMsg struct {
		queue string
		rows  []queueMessageRow
		err   error
	}
	editorDoneMsg struct {
		function, payload string
		err               error
	}
	tablesMsg struct {
		tables []TableInfo
		err    error
	}
	entitiesMsg struct {
		table string
		rows  []Entity
		err   error
	}
	queueTickMsg struct{}
)

// entityCount is how many entities the Tables view shows of a table.
const entityCount = 32

// peekCount is how many messages the Queues view peeks from each queue.
const peekCount = 32

// queueRefresh is how often the Queues view reloads depths while shown.
const queueRefresh = 2 * time.Second

// waitEvents waits for the next batch of events; it re-arms itself from
// Update after every batch.
func waitEvents(ctx context.Context, b *batcher) tea.Cmd {
	if b == nil {
		return nil
	}
	return func() tea.Msg {
		msg := b.next(ctx)
		if msg == nil {
			return nil
		}
		return *msg
	}
}

func invokeCmd(ctx context.Context, c Controller, function, input string) tea.Cmd {
	return func() tea.Msg {
		if err := c.Invoke(ctx, function, input); err != nil {
			return opDoneMsg{err: fmt.Errorf("fire %s: %w", function, err)}
		}
		return opDoneMsg{what: "fired Functions." + function}
	}
}

func replayCmd(ctx context.Context, c Controller, id string) tea.Cmd {
	return func() tea.Msg {
		if err := c.Replay(ctx, id); err != nil {
			return opDoneMsg{err: fmt.Errorf("replay %s: %w", id, err)}
		}
		return opDoneMsg{what: "replayed " + id}
	}
}

func rebuildCmd(ctx context.Context, c Controller) tea.Cmd {
	return func() tea.Msg {
		if err := c.Rebuild(ctx); err != nil {
			return opDoneMsg{err: fmt.Errorf("rebuild: %w", err)}
		}
		return opDoneMsg{what: "rebuild requested"}
	}
}

func loadQueuesCmd(ctx context.Context, c Controller) tea.Cmd {
	return func() tea.Msg {
		qs, err := c.Queues(ctx)
		if err != nil {
			return queuesMsg{err: fmt.Errorf("list queues: %w", err)}
		}
		return queuesMsg{queues: qs}
	}
}

// peekCmd peeks a queue and its poison queue.
func peekCmd(ctx context.Context, c Controller, queue string) tea.Cmd {
	return func() tea.Msg {
		live, err := c.PeekMessages(ctx, queue, peekCount)
		if err != nil {
			return messagesMsg{queue: queue, err: fmt.Errorf("peek %s: %w", queue, err)}
		}
		poison, err := c.PeekMessages(ctx, PoisonQueueName(queue), peekCount)
		if err != nil {
			return messagesMsg{queue: queue, err: fmt.Errorf("peek %s: %w", PoisonQueueName(queue), err)}
		}
		rows := make([]queueMessageRow, 0, len(live)+len(poison))
		for _, msg := range live {
			rows = append(rows, queueMessageRow{Message: msg})
		}
		for _, msg := range poison {
			rows = append(rows, queueMessageRow{Message: msg, poison: true})
		}
		return messagesMsg{queue: queue, rows: rows}
	}
}

func loadTablesCmd(ctx context.Context, c Controller) tea.Cmd {
	return func() tea.Msg {
		ts, err := c.Tables(ctx)
		if err != nil {
			return tablesMsg{err: fmt.Errorf("list tables: %w", err)}
		}
		return tablesMsg{tables: ts}
	}
}

func loadEntitiesCmd(ctx context.Context, c Controller, table string) tea.Cmd {
	return func() tea.Msg {
		es, err := c.Entities(ctx, table, entityCount)
		if err != nil {
			return entitiesMsg{table: table, err: fmt.Errorf("read %s: %w", table, err)}
		}
		return entitiesMsg{table: table, rows: es}
	}
}

func requeueCmd(ctx context.Context, c Controller, queue, id string) tea.Cmd {
	return func() tea.Msg {
		if err := c.RequeuePoison(ctx, queue, id); err != nil {
			return opDoneMsg{err: fmt.Errorf("move %s back to %s: %w", id, queue, err)}
		}
		return opDoneMsg{what: "moved " + id + " back to " + queue, refreshQueue: queue}
	}
}

func queueTick(every time.Duration) tea.Cmd {
	if every <= 0 {
		return nil
	}
	return tea.Tick(every, func(time.Time) tea.Msg { return queueTickMsg{} })
}

// editPayloadCmd opens the payload in the editor, suspending the UI, and
// reads it back when the editor exits.
func editPayloadCmd(editor, function, payload string) tea.Cmd {
	f, err := os.CreateTemp("", "funcemu-"+function+"-*.json")
	if err != nil {
		return func() tea.Msg { return editorDoneMsg{function: function, err: fmt.Errorf("payload file: %w", err)} }
	}
	path := f.Name()
	_, werr := f.WriteString(payload)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		os.Remove(path)
		return func() tea.Msg { return editorDoneMsg{function: function, err: fmt.Errorf("payload file: %w", werr)} }
	}
	args := strings.Fields(editor)
	if len(args) == 0 {
		args = []string{"vi"}
	}
	cmd := exec.Command(args[0], append(args[1:], path)...)
	return tea.ExecProcess(cmd, func(err error) tea.Msg {
		defer os.Remove(path)
		if err != nil {
			return editorDoneMsg{function: function, err: fmt.Errorf("editor %s: %w", args[0], err)}
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return editorDoneMsg{function: function, err: fmt.Errorf("payload file: %w", err)}
		}
		return editorDoneMsg{function: function, payload: strings.TrimRight(string(b), "\n")}
	})
}
