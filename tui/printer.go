package tui

import (
	"context"
	"io"
	"sync"
	"time"

	"github.com/funcemu/funcemu/emulator"
)

// PrinterOptions configure a Printer.
type PrinterOptions struct {
	JSON    bool // one JSON object a line instead of text
	Verbose bool // show host logs below warning; set it too when CIEnvironment says so
	Color   bool // ANSI colours like func start; leave off when not a terminal
	// Clock stamps events that carry no time; event times are used otherwise.
	Clock emulator.Clock
}

// Printer writes events as `func start` prints them, or as JSON lines.
// It is safe for concurrent use.
type Printer struct {
	opts PrinterOptions

	mu    sync.Mutex
	w     io.Writer
	err   error         // first write error
	app   *emulator.App // from the last EventAppLoaded
	base  string        // the function URLs' base, from EventReady
	ready bool          // EventReady seen
}

// timeLayout is Core Tools' timestamp: UTC with milliseconds.
const timeLayout = "2006-01-02T15:04:05.000Z"

// NewPrinter returns a Printer writing to w.
func NewPrinter(w io.Writer, opts PrinterOptions) *Printer {
	if opts.Clock == nil {
		opts.Clock = emulator.SystemClock{}
	}
	return &Printer{w: w, opts: opts}
}

// Run prints events until ctx is done, the channel is closed or a write
// fails; it returns the write error, or nil.
func (p *Printer) Run(ctx context.Context, events <-chan emulator.Event) error {
	for {
		select {
		case <-ctx.Done():
			return p.writeErr()
		case e, ok := <-events:
			if !ok {
				return p.writeErr()
			}
			p.Print(e)
			if err := p.writeErr(); err != nil {
				return err
			}
		}
	}
}

// Print writes one event.
func (p *Printer) Print(e emulator.Event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.err != nil {
		return
	}
	if e.Time.IsZero() {
		e.Time = p.opts.Clock.Now()
	}
	var out []byte
	if p.opts.JSON {
		out = p.formatJSON(e)
	} else {
		out = p.formatText(e)
	}
	if e.Kind == emulator.EventAppLoaded {
		p.app = e.App
	}
	if e.Kind == emulator.EventReady {
		p.ready = true
	}
	if len(out) > 0 {
		_, p.err = p.w.Write(out)
	}
}

func (p *Printer) writeErr() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err
}

// stamp formats an event time like Core Tools.
func stamp(t time.Time) string { return t.UTC().Format(timeLayout) }
