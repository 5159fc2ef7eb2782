package journal

import (
	"context"

	"github.com/funcemu/funcemu/emulator"
)

// SubscriptionBuffer is the bus buffer Run is meant to read from: room for
// a burst of several hundred invocations while a batch commits, so the bus,
// which drops rather than waits, drops nothing in normal use.
const SubscriptionBuffer = 4096

// maxBatch bounds the events written in one transaction, so one commit
// never holds the write lock for long.
const maxBatch = 512

// Run files events from a bus subscription until ctx ends or events is
// closed. It waits for one event, then takes whatever else is already
// queued (up to maxBatch) and writes it all in one transaction, so a burst
// costs one commit instead of one per event while a quiet bus is written
// at once. Run never blocks the bus: the bus drops events for a full
// subscriber rather than wait. Events buffered when ctx ends are still
// written. Malformed events and failed writes go to Options.OnError; with
// no OnError, Run returns the first.
func (j *Journal) Run(ctx context.Context, events <-chan emulator.Event) error {
	// Writes outlive ctx: a batch taken off the bus is written even while
	// shutting down.
	wctx := context.WithoutCancel(ctx)
	batch := make([]emulator.Event, 0, maxBatch)
	for {
		batch = batch[:0]
		select {
		case e, ok := <-events:
			if !ok {
				return nil
			}
			batch = append(batch, e)
		case <-ctx.Done():
			return j.flush(wctx, events, len(events))
		}
		batch, open := take(events, batch, maxBatch-1)
		if err := j.writeBatch(wctx, batch); err != nil {
			return err
		}
		if !open {
			return nil
		}
	}
}

// flush writes the n events queued when Run was cancelled; later ones are
// left to the bus.
func (j *Journal) flush(ctx context.Context, events <-chan emulator.Event, n int) error {
	batch := make([]emulator.Event, 0, maxBatch)
	for n > 0 {
		var open bool
		batch, open = take(events, batch[:0], min(n, maxBatch))
		n -= len(batch)
		if err := j.writeBatch(ctx, batch); err != nil {
			return err
		}
		if !open || len(batch) == 0 {
			return nil
		}
	}
	return nil
}

// take appends up to n events already queued, without waiting. It reports
// whether events is still open.
func take(events <-chan emulator.Event, batch []emulator.Event, n int) ([]emulator.Event, bool) {
	for ; n > 0; n-- {
		select {
		case e, ok := <-events:
			if !ok {
				return batch, false
			}
			batch = append(batch, e)
		default:
			return batch, true
		}
	}
	return batch, true
}

// writeBatch writes the well-formed events of batch and reports the rest.
func (j *Journal) writeBatch(ctx context.Context, batch []emulator.Event) error {
	for _, e := range batch {
		if err := check(e); err != nil {
			if err := j.report(err); err != nil {
				return err
			}
		}
	}
	if len(batch) == 0 {
		return nil
	}
	return j.report(j.write(ctx, batch))
}

// report hands err to OnError, or returns it when there is none.
func (j *Journal) report(err error) error {
	if err == nil || j.onError == nil {
		return err
	}
	j.onError(err)
	return nil
}
