package cmd

import (
	"context"
	"fmt"
	"os"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/journal"
)

// openJournal records every invocation into <data-dir>/journal.db for
// funcemu events and replay. It opens before the handler builds, so the
// first invocation is recorded, and closes after the host, so the last
// ones are written before funcemu exits.
func (r *runner) openJournal(context.Context) error {
	path := "" // --in-memory: nothing on disk
	if !r.opts.storageOpts.inMemory {
		if err := os.MkdirAll(r.dataDir(), 0o755); err != nil {
			return fmt.Errorf("journal: %w", err)
		}
		path = journal.PathIn(r.dataDir())
	}
	j, err := journal.Open(journal.Options{
		Path:           path,
		ClockKind:      r.clockKind(),
		Clock:          r.clock,
		MaxInvocations: r.opts.journalMaxInvocations,
		MaxBytes:       r.opts.journalMaxBytes,
		OnError: func(err error) {
			r.log(emulator.LevelWarning, "Invocations may be missing from the journal: %v", err)
		},
	})
	if err != nil {
		return err
	}
	r.journal = j
	events, unsubscribe := r.bus.Subscribe(journal.SubscriptionBuffer)
	written := make(chan struct{})
	go func() {
		defer close(written)
		_ = j.Run(context.Background(), events) // until unsubscribed; errors go to OnError
	}()
	r.onClose(func() {
		unsubscribe()
		<-written
		j.Close()
	})
	r.trackIdle()
	return nil
}
