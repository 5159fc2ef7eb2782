package tui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/funcemu/funcemu/emulator"
)

// Controller is what the UI asks of the running emulator and does to it.
// Every call may fail; the UI shows the error and carries on.
type Controller interface {
	Invoke(ctx context.Context, function, input string) error
	Replay(ctx context.Context, invocationID string) error
	Rebuild(ctx context.Context) error
	// Queues lists the app's queues; a poison queue is not listed on its
	// own but counted in its queue's PoisonDepth.
	Queues(ctx context.Context) ([]QueueInfo, error)
	// PeekMessages returns up to n messages without dequeuing them; the UI
	// peeks a poison queue by its name, PoisonQueueName(queue).
	PeekMessages(ctx context.Context, queue string, n int) ([]Message, error)
	// RequeuePoison moves a message from queue's poison queue back to queue.
	RequeuePoison(ctx context.Context, queue, messageID string) error
	TableReader
}

// TableReader reads the tables the Tables view lists.
type TableReader interface {
	// Tables lists the account's tables with their entity counts.
	Tables(ctx context.Context) ([]TableInfo, error)
	// Entities returns up to n of table's first entities, in
	// PartitionKey, RowKey order.
	Entities(ctx context.Context, table string, n int) ([]Entity, error)
}

// TableInfo is one table as the Tables view lists it.
type TableInfo struct {
	Name     string
	Entities int
}

// Entity is a table entity as the Tables view shows it.
type Entity struct {
	PartitionKey, RowKey string
	Timestamp            time.Time
	// Properties are the other properties, each value already rendered
	// as short text.
	Properties []Property
}

// Property is one entity property: its name and its value as text.
type Property struct{ Name, Value string }

// QueueInfo is one queue as the Queues view lists it.
type QueueInfo struct {
	Name        string
	Depth       int // messages in the queue
	PoisonDepth int // messages in <name>-poison
}

// Message is a queue message as peeked.
type Message struct {
	ID            string
	Body          string
	DequeueCount  int64
	InsertionTime time.Time
}

// PoisonQueueName is the queue the host moves a message to after too many
// failed attempts.
func PoisonQueueName(queue string) string { return queue + "-poison" }

// Options configure Run. Zero values take the documented defaults.
type Options struct {
	MaxInvocations int           // invocations kept; 5,000
	MaxLogLines    int           // log entries kept; 10,000
	BatchInterval  time.Duration // how often events reach the screen; 50ms
	Verbose        bool          // keep debug logs too
	// Editor is the command `e` runs on the payload file, usually $EDITOR;
	// "vi" when empty.
	Editor string
	Clock  emulator.Clock // stamps events that carry no time
	Input  io.Reader      // the terminal; os.Stdin when nil
	Output io.Writer      // the terminal; os.Stdout when nil
	// Inline draws in the normal screen instead of the alternate one.
	Inline bool
	// NextRun gives a timer function's next occurrence after a time, for
	// the Functions view; nil shows the schedule alone. The caller owns
	// schedule parsing and time zones, so the UI needs neither.
	NextRun func(f *emulator.Function, after time.Time) (time.Time, bool)
}

func (o Options) withDefaults() Options {
	if o.MaxInvocations <= 0 {
		o.MaxInvocations = 5000
	}
	if o.MaxLogLines <= 0 {
		o.MaxLogLines = 10000
	}
	if o.BatchInterval <= 0 {
		o.BatchInterval = 50 * time.Millisecond
	}
	if o.Editor == "" {
		o.Editor = "vi"
	}
	if o.Clock == nil {
		o.Clock = emulator.SystemClock{}
	}
	return o
}

// Run shows the terminal UI until the user quits (q or ctrl-c), ctx is
// done or the event channel is closed, and restores the terminal. Quitting
// is not an error: when Run returns, the caller shuts the emulator down.
func Run(ctx context.Context, events <-chan emulator.Event, c Controller, opts Options) error {
	opts = opts.withDefaults()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	b := newBatcher(opts.BatchInterval, opts.MaxInvocations+opts.MaxLogLines)
	go b.run(ctx, events)

	progOpts := []tea.ProgramOption{tea.WithContext(ctx)}
	if !opts.Inline {
		progOpts = append(progOpts, tea.WithAltScreen())
	}
	if opts.Input != nil {
		progOpts = append(progOpts, tea.WithInput(opts.Input))
	}
	if opts.Output != nil {
		progOpts = append(progOpts, tea.WithOutput(opts.Output))
	}
	p := tea.NewProgram(newModel(ctx, c, b, opts), progOpts...)
	_, err := p.Run()
	if err != nil && errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return nil // the caller is shutting down
	}
	if err != nil {
		return fmt.Errorf("terminal ui: %w", err)
	}
	return nil
}
