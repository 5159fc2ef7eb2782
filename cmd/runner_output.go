package cmd

import (
	"context"

	"github.com/funcemu/funcemu/tui"
)

// openOutput shows the event stream: in the terminal UI when start runs
// in a terminal, else through the console printer.
func (r *runner) openOutput(ctx context.Context) error {
	if r.useUI() {
		return r.openUI(ctx)
	}
	events, unsubscribe := r.bus.Subscribe(8192)
	printer := tui.NewPrinter(r.stdout, tui.PrinterOptions{
		JSON:    r.opts.json,
		Verbose: r.opts.verbose || tui.CIEnvironment(r.opts.system().Getenv),
		Color:   !r.opts.json && colourOutput(r.opts.system(), r.stdout),
	})
	printed := make(chan struct{})
	go func() {
		defer close(printed)
		_ = printer.Run(context.Background(), events) // until unsubscribed
	}()
	r.onClose(func() {
		unsubscribe()
		<-printed
	})
	r.appLoaded(r.app)
	return nil
}
