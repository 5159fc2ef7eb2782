package queue

import (
	"context"
	"sort"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/triggertest"
)

// benchListener starts a listener on an in-memory store whose invoker
// reports each invocation on a channel.
func benchListener(b *testing.B, invoked chan<- struct{}) *triggertest.Queues {
	b.Helper()
	store := triggertest.NewQueues(emulator.SystemClock{})
	if err := store.CreateQueue(context.Background(), "jobs"); err != nil {
		b.Fatal(err)
	}
	fn := &emulator.Function{Name: "Work", Bindings: []*emulator.Binding{{Type: "queueTrigger", Direction: "in", Name: "msg", QueueName: "jobs"}}}
	app := &emulator.App{Host: emulator.HostConfig{Queues: emulator.QueuesOptions{
		BatchSize: 16, NewBatchThreshold: 16, MaxDequeueCount: 5, MessageEncoding: "none"}}}
	inv := &triggertest.Invoker{Func: func(context.Context, emulator.InvokeRequest) error { invoked <- struct{}{}; return nil }}
	l, err := NewListener(Options{Function: fn, App: app, Store: store, Invoker: inv})
	if err != nil {
		b.Fatal(err)
	}
	if err := l.Start(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { l.Close() })
	return store
}

// BenchmarkEnqueueToInvoke measures the listener's own latency from Put
// to the invoker being called, on the in-memory store.
func BenchmarkEnqueueToInvoke(b *testing.B) {
	invoked := make(chan struct{}, 1)
	store := benchListener(b, invoked)
	ctx := context.Background()
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		if _, err := store.Put(ctx, "jobs", emulator.PutMessage{Text: "x"}); err != nil {
			b.Fatal(err)
		}
		<-invoked
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	reportLatency(b, lat)
}

// BenchmarkThroughput measures messages per second through the listener
// with a no-op function, on the in-memory store.
func BenchmarkThroughput(b *testing.B) {
	invoked := make(chan struct{}, 1024)
	store := benchListener(b, invoked)
	ctx := context.Background()
	b.ResetTimer()
	start := time.Now()
	go func() {
		for range b.N {
			if _, err := store.Put(ctx, "jobs", emulator.PutMessage{Text: "x"}); err != nil {
				panic(err)
			}
		}
	}()
	for range b.N {
		<-invoked
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "msg/s")
}

// reportLatency reports the median and 99th percentile.
func reportLatency(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "ms-median")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "ms-p99")
}
