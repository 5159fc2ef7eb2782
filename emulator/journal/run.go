package journal

import (
	"context"
	"time"

	"github.com/funcemu/funcemu/emulator"
)

// SubscriptionBuffer is the bus buffer Run is meant to read from: room for
// a burst of several hundred invocations while a batch commits, so the bus,
// which drops rather than waits, drops nothing in normal use.
const SubscriptionBuffer = 4096

// maxBatch bounds the events written in one transaction, so one commit
// never holds the write lock for long.
const maxBatch = 512

// commitGap is the least time between two commits while events keep
// coming: a steady stream of invocations is written ten or more at a time
// instead of one commit per event, which would take as much CPU as the
// invocations themselves. The first event after a quiet spell is written
// at once; under load a record shows up in the journal at most this much
// later.
const commitGap = 10 * time.Millisecond

// Run files events from a bus subscription until ctx ends or events is
// closed. It waits for one event, then takes whatever else is already
// queued (up to maxBatch) and writes it all in one transaction, so a burst
// costs one commit instead of one per event while a quiet bus is written
// at once; while events keep coming, commits are at least commitGap apart
// and gather what arrived in between. Run never blocks the bus: the bus drops events for a full
// subscriber rather than wait. Events buffered when ctx ends are still
// written. Malformed events and failed writes go to Options.OnError; with
// no OnError, Run returns the first.
func (j *Journal) Run(ctx context.Context, events <-chan emulator.Event) error {
	// Writes outlive ctx: a batch taken off the bus is written even while
	// shutting down.
	wctx := context.WithoutCancel(ctx)
	batch := make([]emulator.Event, 0, maxBatch)
	var lastCommit time.Time
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
		// A full batch already queued gains nothing from waiting.
		if len(events) < maxBatch-1 && !pace(ctx, lastCommit) {
			return j.flush(wctx, events, len(events)+1, batch...)
		}
		batch, open := take(events, batch, maxBatch-1)
		if err := j.writeBatch(wctx, batch); err != nil {
			return err
		}
		lastCommit = time.Now()
		if !open {
			return nil
		}
	}
}

// pace waits until commitGap has passed since the last commit, so the
// events arriving meanwhile join the next one. It is real time: the cost
// it spreads is the machine's, whatever clock invocations run on. It
// reports false when ctx ended first.
func pace(ctx context.Context, lastCommit time.Time) bool {
	wait := time.Until(lastCommit.Add(commitGap))
	if wait <= 0 {
		return true
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// flush writes the n events queued when Run was cancelled, counting those
// already taken off events; later ones are left to the bus.
func (j *Journal) flush(ctx context.Context, events <-chan emulator.Event, n int, taken ...emulator.Event) error {
	batch := make([]emulator.Event, 0, maxBatch)
	for n > 0 {
		var open bool
		batch = append(batch[:0], taken...)
		batch, open = take(events, batch, min(n, maxBatch)-len(batch))
		taken = nil
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
