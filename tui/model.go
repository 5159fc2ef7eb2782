package tui

import (
	"context"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/spinner"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
)

// model is the UI's top-level bubbletea model. It owns what spans views
// (the shared state in common, the help overlay, the filter line's focus,
// the fire prompt, the periodic reload) and delegates the rest to the
// view shown.
type model struct {
	*common
	batches *batcher // nil when events arrive as messages only, as in tests

	views   []view
	current int // index of the view shown

	help       bool              // the help overlay is open
	footerHelp footerHelp        // renders a view's ShortHelp
	filtering  bool              // the filter line has the keyboard
	prompt     *firePrompt       // the fire prompt, when open
	payloads   map[string]string // last payload fired, per function

	queueRefresh time.Duration // 0 turns the periodic reload off
	queueTicking bool
	closed       bool // the event stream ended
}

func newModel(ctx context.Context, c Controller, b *batcher, opts Options) *model {
	return newModelWithViews(ctx, c, b, opts, newViews)
}

// newModelWithViews builds the root model over the views views returns.
func newModelWithViews(ctx context.Context, c Controller, b *batcher, opts Options, views func(*common) []view) *model {
	opts = opts.withDefaults()
	f := textinput.New()
	f.Prompt = "/"
	f.Cursor.SetMode(cursor.CursorStatic) // a blinking cursor would redraw twice a second
	sp := spinner.New()
	sp.Spinner = spinner.Line
	m := &model{
		common: &common{
			ctx: ctx, ctrl: c, opts: opts,
			st:    newState(opts.MaxInvocations, opts.MaxLogLines, opts.Verbose, opts.Clock),
			width: 80, height: 24,
			filter: f, spinner: sp,
		},
		batches:      b,
		footerHelp:   newFooterHelp(),
		payloads:     make(map[string]string),
		queueRefresh: queueRefresh,
	}
	m.root = m
	m.keys = newKeyMap()
	m.views = views(m.common)
	m.keys.Views = viewKeys(len(m.views))
	return m
}

// Init starts reading the event stream.
func (m *model) Init() tea.Cmd {
	return waitEvents(m.ctx, m.batches)
}

// Update handles one message: keys through handleKey, the event stream
// into the state, and everything else to every view.
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
	case queueTickMsg:
		load := m.views[m.current].Refresh()
		if load == nil {
			m.queueTicking = false
			return m, nil
		}
		return m, tea.Batch(load, queueTick(m.queueRefresh))
	case editorDoneMsg:
		return m, m.applyEditor(msg)
	}
	return m, m.broadcast(msg)
}

// broadcast hands msg to every view.
func (m *model) broadcast(msg tea.Msg) tea.Cmd {
	var cmds []tea.Cmd
	for i, v := range m.views {
		var cmd tea.Cmd
		m.views[i], cmd = v.Update(msg)
		if cmd != nil {
			cmds = append(cmds, cmd)
		}
	}
	return tea.Batch(cmds...)
}

// updateCurrent hands msg to the view shown. The view may switch views
// (root.show), so its slot is taken before the call.
func (m *model) updateCurrent(msg tea.Msg) tea.Cmd {
	i := m.current
	v, cmd := m.views[i].Update(msg)
	m.views[i] = v
	return cmd
}

// applyEvents folds a batch into the state, lets the views catch up and
// asks for the next batch.
func (m *model) applyEvents(msg eventsMsg) tea.Cmd {
	wasBuilding := m.st.building()
	for _, e := range msg.events {
		m.st.apply(e)
	}
	m.st.dropped += msg.dropped
	viewCmd := m.broadcast(msg)
	if msg.closed {
		m.closed = true
		return tea.Quit
	}
	cmds := []tea.Cmd{waitEvents(m.ctx, m.batches), viewCmd}
	if m.st.building() && !wasBuilding {
		cmds = append(cmds, m.spinner.Tick)
	}
	return tea.Batch(cmds...)
}
