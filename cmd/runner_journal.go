package cmd

import (
	"context"
	"fmt"
	"os"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/journal"
)

// openJournal records every invocation into <data-dir>/journal.db for
// funcemu events and replay. It subscribes to the bus before the handler
// starts, so the first invocation is recorded, but opens the database (and
// migrates a new one) in the background while the handler starts;
// awaitJournal, before ready, waits for it. It closes after the host, so
// the last invocations are written before funcemu exits.
func (r *runner) openJournal(context.Context) error {
	path := "" // --in-memory: nothing on disk
	if !r.opts.storageOpts.inMemory {
		if err := os.MkdirAll(r.dataDir(), 0o755); err != nil {
			return fmt.Errorf("journal: %w", err)
		}
		path = journal.PathIn(r.dataDir())
	}
	events, unsubscribe := r.bus.Subscribe(journal.SubscriptionBuffer)
	o := &journalOpening{done: make(chan struct{})}
	r.journalOpening = o
	go func() {
		defer close(o.done)
		o.j, o.err = journal.Open(journal.Options{
			Path:           path,
			ClockKind:      r.clockKind(),
			Clock:          r.clock,
			MaxInvocations: r.opts.journalMaxInvocations,
			MaxBytes:       r.opts.journalMaxBytes,
			OnError: func(err error) {
				r.log(emulator.LevelWarning, "Invocations may be missing from the journal: %v", err)
			},
		})
	}()
	written := make(chan struct{})
	go func() {
		defer close(written)
		<-o.done
		if o.err != nil {
			return // awaitJournal reports it
		}
		_ = o.j.Run(context.Background(), events) // until unsubscribed; errors go to OnError
		o.j.Close()
	}()
	r.onClose(func() {
		unsubscribe()
		<-written
	})
	r.trackIdle()
	return nil
}

// journalOpening is the journal being opened in the background.
type journalOpening struct {
	done chan struct{} // closed when j or err is set
	j    *journal.Journal
	err  error
}

// awaitJournal waits for the journal openJournal opens in the background.
func (r *runner) awaitJournal(ctx context.Context) error {
	if r.journalOpening == nil {
		return nil
	}
	select {
	case <-r.journalOpening.done:
	case <-ctx.Done():
		return ctx.Err()
	}
	if err := r.journalOpening.err; err != nil {
		return err
	}
	r.journal = r.journalOpening.j
	return nil
}
