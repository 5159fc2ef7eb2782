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

// printBatch bounds the output Run gathers into one write.
const printBatch = 64 << 10

// Run prints events until ctx is done, the channel is closed or a write
// fails; it returns the write error, or nil. The lines of events already
// queued behind the one it received go out in the same write: under load
// that is one system call for many lines instead of one each, and no line
// ever waits for a later event.
func (p *Printer) Run(ctx context.Context, events <-chan emulator.Event) error {
	var buf []byte
	for {
		select {
		case <-ctx.Done():
			return p.writeErr()
		case e, ok := <-events:
			if !ok {
				return p.writeErr()
			}
			open := true
			p.mu.Lock()
			buf = p.appendEvent(buf[:0], e)
			for open && len(buf) < printBatch && len(events) > 0 {
				if e, open = <-events; open {
					buf = p.appendEvent(buf, e)
				}
			}
			p.write(buf)
			err := p.err
			p.mu.Unlock()
			if err != nil || !open {
				return err
			}
		}
	}
}

// Print writes one event.
func (p *Printer) Print(e emulator.Event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.write(p.appendEvent(nil, e))
}

// appendEvent appends e's line, if it has one, to buf; p.mu is held.
func (p *Printer) appendEvent(buf []byte, e emulator.Event) []byte {
	if e.Time.IsZero() {
		e.Time = p.opts.Clock.Now()
	}
	if p.opts.JSON {
		buf = append(buf, p.formatJSON(e)...)
	} else {
		buf = append(buf, p.formatText(e)...)
	}
	if e.Kind == emulator.EventAppLoaded {
		p.app = e.App
	}
	if e.Kind == emulator.EventReady {
		p.ready = true
	}
	return buf
}

// write writes out unless an earlier write failed; p.mu is held.
func (p *Printer) write(out []byte) {
	if p.err == nil && len(out) > 0 {
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
