package tui

import (
	"context"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/spinner"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
)

// viewID is one of the tabs.
type viewID int

const (
	viewFunctions viewID = iota
	viewInvocations
	viewLogs
	viewQueues
	viewBuild
	viewTables
	numViews
)

var viewNames = [numViews]string{"Functions", "Invocations", "Logs", "Queues", "Build", "Tables"}

func (v viewID) String() string { return viewNames[v] }

// model is the UI's top-level bubbletea model.
type model struct {
	ctx     context.Context
	ctrl    Controller
	batches *batcher // nil when events arrive as messages only, as in tests
	opts    Options
	keys    keyMap
	st      *state

	width, height int
	view          viewID
	cursor        [numViews]int

	help      bool
	filter    textinput.Model
	filtering bool // the filter line has the keyboard

	detailID     string // the invocation whose detail is open
	detailScroll int

	follow    bool
	logScroll int // log entries hidden below the view while paused
	logSeen   int // log entries ever added, to keep a paused view still

	invSeen int // invocations ever added, to keep the selection still

	queues       []QueueInfo
	queueRefresh time.Duration // 0 turns the periodic reload of Queues and Tables off
	queueTicking bool
	openQueue    string // the queue whose messages are shown
	messages     []queueMessageRow
	msgCursor    int

	tables    []TableInfo
	openTable string // the table whose entities are shown
	entities  []Entity
	entCursor int

	prompt   *firePrompt
	payloads map[string]string // last payload fired, per function

	status      string
	statusIsErr bool
	spinner     spinner.Model
	closed      bool // the event stream ended
}

func newModel(ctx context.Context, c Controller, b *batcher, opts Options) *model {
	opts = opts.withDefaults()
	f := textinput.New()
	f.Prompt = "/"
	f.Cursor.SetMode(cursor.CursorStatic) // a blinking cursor would redraw twice a second
	sp := spinner.New()
	sp.Spinner = spinner.Line
	return &model{
		ctx: ctx, ctrl: c, batches: b, opts: opts, keys: newKeyMap(),
		st:     newState(opts.MaxInvocations, opts.MaxLogLines, opts.Verbose, opts.Clock),
		width:  80,
		height: 24,
		filter: f, follow: true, spinner: sp,
		payloads:     make(map[string]string),
		queueRefresh: queueRefresh,
	}
}

// Init starts reading the event stream.
func (m *model) Init() tea.Cmd {
	return waitEvents(m.ctx, m.batches)
}

// Update handles one message.
func (m *model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case eventsMsg:
		return m, m.applyEvents(msg)
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		return m, nil
	case tea.KeyMsg:
		return m, m.handleKey(msg)
	case spinner.TickMsg:
		if !m.st.building() {
			return m, nil // let the spinner stop
		}
		var cmd tea.Cmd
		m.spinner, cmd = m.spinner.Update(msg)
		return m, cmd
	case opDoneMsg:
		m.setStatus(msg.what, msg.err)
		if msg.err == nil && msg.refreshQueue != "" {
			return m, tea.Batch(loadQueuesCmd(m.ctx, m.ctrl), peekCmd(m.ctx, m.ctrl, msg.refreshQueue))
		}
		return m, nil
	case queuesMsg:
		if msg.err != nil {
			m.setStatus("", msg.err)
			return m, nil
		}
		m.queues = msg.queues
		return m, nil
	case messagesMsg:
		return m, m.applyMessages(msg)
	case tablesMsg:
		if msg.err != nil {
			m.setStatus("", msg.err)
			return m, nil
		}
		m.tables = msg.tables
		return m, nil
	case entitiesMsg:
		return m, m.applyEntities(msg)
	case queueTickMsg:
		load := m.storageLoad()
		if load == nil {
			m.queueTicking = false
			return m, nil
		}
		return m, tea.Batch(load, queueTick(m.queueRefresh))
	case editorDoneMsg:
		return m, m.applyEditor(msg)
	}
	return m, nil
}

// applyEvents folds a batch into the state and asks for the next one.
func (m *model) applyEvents(msg eventsMsg) tea.Cmd {
	wasBuilding := m.st.building()
	for _, e := range msg.events {
		m.st.apply(e)
	}
	m.st.dropped += msg.dropped
	m.keepSelectionsStill()
	if msg.closed {
		m.closed = true
		return tea.Quit
	}
	cmds := []tea.Cmd{waitEvents(m.ctx, m.batches)}
	if m.st.building() && !wasBuilding {
		cmds = append(cmds, m.spinner.Tick)
	}
	return tea.Batch(cmds...)
}

// keepSelectionsStill shifts the invocation cursor and the paused log view
// by what arrived, so the rows under the user's eyes do not move.
func (m *model) keepSelectionsStill() {
	added := m.st.invAdded - m.invSeen
	m.invSeen = m.st.invAdded
	if m.cursor[viewInvocations] > 0 && m.filter.Value() == "" {
		m.cursor[viewInvocations] += added
	}
	m.cursor[viewInvocations] = clamp(m.cursor[viewInvocations], 0, m.st.invs.len()-1)

	logsAdded := m.st.logAdded - m.logSeen
	m.logSeen = m.st.logAdded
	if !m.follow {
		m.logScroll = clamp(m.logScroll+logsAdded, 0, m.st.logs.len()-1)
	}
}

func (m *model) setStatus(text string, err error) {
	if err != nil {
		m.status, m.statusIsErr = err.Error(), true
		return
	}
	m.status, m.statusIsErr = text, false
}

func clamp(v, lo, hi int) int {
	if hi < lo {
		return lo
	}
	return max(lo, min(v, hi))
}
