package cmd

import (
	"context"
	"os"

	"github.com/funcemu/funcemu/tui"
)

// useUI reports whether start shows the terminal UI rather than printing
// lines: only funcemu start, which the UI can quit, and only when stdin and
// stdout are the terminal and neither --no-tui nor --json asks for lines.
// Tests and pipes have no terminal, so they keep the printer.
func (r *runner) useUI() bool {
	if r.quit == nil || r.opts.noTUI || r.opts.json {
		return false
	}
	in, inFile := r.opts.system().IO.In.(*os.File)
	out, outFile := r.stdout.(*os.File)
	return inFile && outFile && tui.Interactive(in, out)
}

// openUI shows the terminal UI on its own subscription to the events.
// Quitting it (q or ctrl-c) shuts funcemu down the way Ctrl-C does; at
// close the UI goes last of all, so the terminal is restored before
// funcemu exits.
func (r *runner) openUI(ctx context.Context) error {
	events, unsubscribe := r.bus.Subscribe(8192)
	uiCtx, stopUI := context.WithCancel(context.Background())
	opts := tui.Options{
		Verbose: r.opts.verbose || tui.CIEnvironment(r.opts.system().Getenv),
		Editor:  r.opts.system().Getenv("EDITOR"),
		Clock:   r.clock,
		Output:  r.stdout,
		NextRun: r.nextTimerRun,
	}
	ctl := newUIController(ctx, r)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := tui.Run(uiCtx, events, ctl, opts); err != nil {
			r.fail(err)
		}
		r.quit()
	}()
	r.onClose(func() {
		stopUI()
		<-done
		unsubscribe()
	})
	r.appLoaded(r.app)
	return nil
}
