package journal

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator"
)

func TestRunWritesEverythingUntilTheChannelCloses(t *testing.T) {
	j := openMemory(t, Options{})
	bus := emulator.NewBus()
	events, unsubscribe := bus.Subscribe(4096)
	done := make(chan error, 1)
	go func() { done <- j.Run(context.Background(), events) }()
	const n = 400
	for i := range n {
		id := fmt.Sprintf("inv-%04d", i)
		bus.Publish(started(id, "Hello", at(i)))
		bus.Publish(logLine(id, at(i), emulator.LevelInfo, "hi"))
		bus.Publish(finished(id, "Hello", at(i), at(i+1), ""))
	}
	unsubscribe()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if bus.Dropped() != 0 {
		t.Fatalf("bus dropped %d events; the buffer should hold them all", bus.Dropped())
	}
	got, err := j.List(context.Background(), Filter{Status: emulator.StatusSucceeded})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != n {
		t.Fatalf("%d succeeded invocations, want %d", len(got), n)
	}
}

func TestRunFlushesQueuedEventsWhenCancelled(t *testing.T) {
	j := openMemory(t, Options{})
	events := make(chan emulator.Event, 2*maxBatch)
	for i := range 2 * maxBatch {
		events <- started(fmt.Sprintf("inv-%04d", i), "Hello", at(i))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := j.Run(ctx, events); err != nil {
		t.Fatal(err)
	}
	got, err := j.List(context.Background(), Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2*maxBatch {
		t.Fatalf("%d invocations written, want the %d queued", len(got), 2*maxBatch)
	}
}

func TestRunReportsMalformedEventsAndWritesTheRest(t *testing.T) {
	var mu sync.Mutex
	var reported []error
	j := openMemory(t, Options{OnError: func(err error) {
		mu.Lock()
		defer mu.Unlock()
		reported = append(reported, err)
	}})
	events := make(chan emulator.Event, 3)
	events <- emulator.Event{Kind: emulator.EventInvocationStarted}
	events <- started("inv-1", "Hello", at(1))
	events <- emulator.Event{Kind: emulator.EventLog}
	close(events)
	if err := j.Run(context.Background(), events); err != nil {
		t.Fatal(err)
	}
	if len(reported) != 2 {
		t.Fatalf("reported %v, want the two malformed events", reported)
	}
	if _, err := j.Get(context.Background(), "inv-1"); err != nil {
		t.Fatalf("the good event was not written: %v", err)
	}
}

func TestRunWithoutOnErrorReturnsTheFirstError(t *testing.T) {
	j := openMemory(t, Options{})
	events := make(chan emulator.Event, 1)
	events <- emulator.Event{Kind: emulator.EventLog}
	err := j.Run(context.Background(), events)
	if emulator.ErrorCode(err) != emulator.EINVALID {
		t.Fatalf("Run = %v, want the invalid-event error", err)
	}
}

func TestRunReportsFailedWrites(t *testing.T) {
	reported := make(chan error, 1)
	j := openMemory(t, Options{OnError: func(err error) { reported <- err }})
	j.Close() // every write now fails
	events := make(chan emulator.Event, 1)
	events <- started("inv-1", "Hello", at(1))
	close(events)
	if err := j.Run(context.Background(), events); err != nil {
		t.Fatalf("Run = %v; with OnError it should keep going", err)
	}
	if err := <-reported; err == nil || errors.Is(err, context.Canceled) {
		t.Fatalf("reported %v, want the write error", err)
	}
}

// TestConcurrentUse records, runs, lists, reads and exports at once on a
// file journal; run it with -race.
func TestConcurrentUse(t *testing.T) {
	j := openFile(t, Options{MaxInvocations: 50})
	ctx := context.Background()
	events := make(chan emulator.Event, 64)
	errs := make(chan error, 16)
	var writers, others sync.WaitGroup
	others.Add(2)
	go func() {
		defer others.Done()
		errs <- j.Run(ctx, events)
	}()
	for w := range 3 {
		writers.Add(1)
		go func() {
			defer writers.Done()
			for i := range 40 {
				id := fmt.Sprintf("w%d-%02d", w, i)
				if err := j.Record(ctx, started(id, "Hello", at(i))); err != nil {
					errs <- err
					return
				}
				events <- logLine(id, at(i), emulator.LevelInfo, "hi")
				if err := j.Record(ctx, finished(id, "Hello", at(i), at(i+1), "")); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	go func() {
		defer others.Done()
		for range 20 {
			list, err := j.List(ctx, Filter{Limit: 10})
			if err != nil {
				errs <- err
				return
			}
			for _, inv := range list {
				// Pruned between List and Get is fine.
				if _, err := j.Get(ctx, inv.ID); err != nil && emulator.ErrorCode(err) != emulator.ENOTFOUND {
					errs <- err
					return
				}
			}
			if err := j.Export(ctx, discard{}, Filter{}); err != nil {
				errs <- err
				return
			}
		}
	}()
	writers.Wait()
	close(events)
	others.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if kept, counted := totals(t, j); kept != counted || kept[0] > 50 {
		t.Fatalf("totals %v, tables %v; want equal and at most 50 invocations", kept, counted)
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// TestRunLosesNothingCancelledWhilePacing: an event taken off the bus
// while Run waits out the gap between two commits is still written when
// Run is cancelled during the wait.
func TestRunLosesNothingCancelledWhilePacing(t *testing.T) {
	j := openMemory(t, Options{})
	events := make(chan emulator.Event, 8)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- j.Run(ctx, events) }()
	events <- started("inv-1", "Hello", at(1))
	for {
		if got, _ := j.List(context.Background(), Filter{}); len(got) == 1 {
			break // the first commit is done: the next one is paced
		}
		time.Sleep(time.Millisecond)
	}
	events <- started("inv-2", "Hello", at(2))
	events <- started("inv-3", "Hello", at(3))
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	got, err := j.List(context.Background(), Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("%d invocations written, want all 3", len(got))
	}
}
