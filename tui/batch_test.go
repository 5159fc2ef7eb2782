package tui

import (
	"context"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator"
)

func TestBatcherDeliversEveryEventThenClosed(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	b := newBatcher(time.Millisecond, 1000)
	ch := make(chan emulator.Event)
	go b.run(ctx, ch)
	for i := 0; i < 250; i++ {
		ch <- logEvent(i, emulator.LevelInfo, emulator.CategoryFunction, "x")
	}
	close(ch)

	got := 0
	for {
		msg := b.next(ctx)
		if msg == nil {
			t.Fatal("context ended before the batcher reported the channel closed")
		}
		for _, e := range msg.events {
			if want := at(got); !e.Time.Equal(want) {
				t.Fatalf("event %d out of order: %v, want %v", got, e.Time, want)
			}
			got++
		}
		if msg.dropped != 0 {
			t.Fatalf("dropped %d with room to spare", msg.dropped)
		}
		if msg.closed {
			break
		}
	}
	if got != 250 {
		t.Fatalf("delivered %d events, want 250", got)
	}
}

func TestBatcherDropsOldestBeyondMax(t *testing.T) {
	b := newBatcher(0, 3)
	for i := 0; i < 5; i++ {
		b.add(logEvent(i, emulator.LevelInfo, emulator.CategoryFunction, "x"))
	}
	msg := b.next(context.Background())
	if msg.dropped != 2 || len(msg.events) != 3 || !msg.events[0].Time.Equal(at(2)) {
		t.Fatalf("got %d events from %v, dropped %d; want 3 from %v, dropped 2",
			len(msg.events), msg.events[0].Time, msg.dropped, at(2))
	}
}

func TestBatcherNextStopsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if msg := newBatcher(0, 3).next(ctx); msg != nil {
		t.Fatalf("next after cancel = %+v, want nil", msg)
	}
}
