package tui

import (
	"context"
	"fmt"
	"testing"

	"github.com/funcemu/funcemu/emulator"
)

// benchEvents is n events of a busy app: each invocation starts, logs a
// line and finishes; one in ten fails.
func benchEvents(n int) []emulator.Event {
	events := make([]emulator.Event, 0, n)
	for i := 0; len(events) < n; i++ {
		id := fmt.Sprintf("inv-%08d", i)
		fn := fmt.Sprintf("Func%d", i%8)
		status, errText := emulator.StatusSucceeded, ""
		if i%10 == 0 {
			status, errText = emulator.StatusFailed, "boom"
		}
		log := logEvent(i, emulator.LevelInfo, emulator.CategoryFunction, "handled request "+id)
		log.Log.InvocationID, log.Log.Function = id, fn
		events = append(events, startedEvent(i, fn, id), log, finishedEvent(i+1, 1, fn, id, status, errText))
	}
	return events[:n]
}

// benchBatch is what 50ms of events holds at 1,000 events a second.
const benchBatch = 50

func benchmarkUpdate(b *testing.B, render bool) {
	events := benchEvents(100_000)
	for b.Loop() {
		m := newModel(context.Background(), &fakeController{}, nil, Options{})
		m.show("Invocations", "")
		for i := 0; i < len(events); i += benchBatch {
			m.Update(eventsMsg{events: events[i:min(i+benchBatch, len(events))]})
			if render {
				_ = m.View()
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(events)), "ns/event")
}

// BenchmarkUpdate100kEvents feeds 100,000 events through Update in 50-event
// batches, as the batcher delivers them at 1,000 events a second.
func BenchmarkUpdate100kEvents(b *testing.B) { benchmarkUpdate(b, false) }

// BenchmarkUpdateAndView100kEvents also draws the screen after every batch.
func BenchmarkUpdateAndView100kEvents(b *testing.B) { benchmarkUpdate(b, true) }

// BenchmarkBatcher100kEvents pushes 100,000 events through a channel, the
// batcher and Update, as Run wires them, with no pause between batches.
func BenchmarkBatcher100kEvents(b *testing.B) {
	events := benchEvents(100_000)
	dropped := 0
	for b.Loop() {
		ctx, cancel := context.WithCancel(context.Background())
		ch := make(chan emulator.Event, 1024)
		bt := newBatcher(0, 15_000)
		go bt.run(ctx, ch)
		go func() {
			for _, e := range events {
				ch <- e
			}
			close(ch)
		}()
		m := newModel(ctx, &fakeController{}, nil, Options{})
		for {
			msg := bt.next(ctx)
			m.Update(*msg)
			if msg.closed {
				break
			}
		}
		dropped += m.st.dropped // the batcher sheds load rather than block the sender
		cancel()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(events)), "ns/event")
	b.ReportMetric(float64(dropped)/float64(b.N), "dropped/op")
}
