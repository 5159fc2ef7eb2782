package cmd

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/journal"
)

// openJournal records every invocation into <data-dir>/journal.db for
// funcemu events and replay. It subscribes to the bus before the host
// exists, so the first invocation is recorded; the database is opened (and
// a new one migrated) by openJournalFile in the background once HTTP is
// served, so that work does not compete with the handler's start and the
// first request for the CPU. awaitJournal, before ready, waits for it. It
// closes after the host, so the last invocations are written before
// funcemu exits.
func (r *runner) openJournal(context.Context) error {
	path := "" // --in-memory: nothing on disk
	if !r.opts.storageOpts.inMemory {
		if err := os.MkdirAll(r.dataDir(), 0o755); err != nil {
			return fmt.Errorf("journal: %w", err)
		}
		path = journal.PathIn(r.dataDir())
	}
	events, unsubscribe := r.bus.Subscribe(journal.SubscriptionBuffer)
	o := &journalOpening{start: make(chan bool, 1), done: make(chan struct{})}
	r.journalOpening = o
	go func() {
		defer close(o.done)
		if !<-o.start {
			o.err = errJournalNotOpened
			return
		}
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
		o.begin(false) // a start that failed before openJournalFile
		unsubscribe()
		<-written
	})
	r.trackIdle()
	return nil
}

// openJournalFile starts opening the journal's database in the
// background (see openJournal).
func (r *runner) openJournalFile(context.Context) error {
	if r.journalOpening != nil {
		r.journalOpening.begin(true)
	}
	return nil
}

// errJournalNotOpened is the opening given up before it began.
var errJournalNotOpened = errors.New("journal: not opened")

// journalOpening is the journal being opened in the background.
type journalOpening struct {
	once  sync.Once
	start chan bool     // true to open the database, false to give up
	done  chan struct{} // closed when j or err is set
	j     *journal.Journal
	err   error
}

// begin starts opening the database, or gives it up; only the first
// call counts.
func (o *journalOpening) begin(open bool) {
	o.once.Do(func() { o.start <- open })
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
