package journal

import (
	"context"
	"fmt"
	"testing"

	"github.com/funcemu/funcemu/emulator"
)

// benchEvents is n events as the host publishes them: started, one log
// line and finished for each invocation.
func benchEvents(n int) []emulator.Event {
	events := make([]emulator.Event, 0, n)
	for i := 0; len(events) < n; i++ {
		id := fmt.Sprintf("inv-%08d", i)
		for _, e := range []emulator.Event{
			started(id, "Hello", at(i)),
			logLine(id, at(i), emulator.LevelInfo, "Executing 'Functions.Hello'"),
			finished(id, "Hello", at(i), at(i+1), ""),
		} {
			if len(events) < n {
				events = append(events, e)
			}
		}
	}
	return events
}

// feed writes events through j.Run as a bus subscription would, buffered
// (buffer), and waits until Run has written them all.
func feed(b *testing.B, j *Journal, events []emulator.Event, buffer int) {
	b.Helper()
	ch := make(chan emulator.Event, buffer)
	done := make(chan error, 1)
	go func() { done <- j.Run(context.Background(), ch) }()
	for _, e := range events {
		ch <- e
	}
	close(ch)
	if err := <-done; err != nil {
		b.Fatal(err)
	}
}

// BenchmarkRun measures events written per second through Run on a file
// journal with default retention, fed like a bus subscription.
func BenchmarkRun(b *testing.B) {
	j := openFile(b, Options{})
	events := benchEvents(b.N)
	b.ResetTimer()
	feed(b, j, events, 4096)
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkRecord is the unbatched baseline: one transaction per event.
func BenchmarkRecord(b *testing.B) {
	j := openFile(b, Options{})
	events := benchEvents(b.N)
	ctx := context.Background()
	b.ResetTimer()
	for _, e := range events {
		if err := j.Record(ctx, e); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkRunAtRetentionCap is BenchmarkRun on a journal already at its
// retention limit, so every write also prunes as many invocations as it
// adds: the steady state of a long session.
func BenchmarkRunAtRetentionCap(b *testing.B) {
	const limit = 1000
	j := openFile(b, Options{MaxInvocations: limit})
	events := benchEvents(3*limit + b.N)
	feed(b, j, events[:3*limit], 4096)
	b.ResetTimer()
	feed(b, j, events[3*limit:], 4096)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
	var n int
	if err := j.db.QueryRow(`SELECT count(*) FROM invocations`).Scan(&n); err != nil || n != limit {
		b.Fatalf("journal holds %d invocations (%v), want %d", n, err, limit)
	}
}
