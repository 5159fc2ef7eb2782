package blob

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/triggertest"
)

// BenchmarkWriteToInvoke measures the listener's own latency from a blob
// write to the invoker being called (receipt check and blob read
// included), on the in-memory store.
func BenchmarkWriteToInvoke(b *testing.B) {
	blobs := triggertest.NewBlobs(emulator.SystemClock{})
	ctx := context.Background()
	if err := blobs.CreateContainer(ctx, "in"); err != nil {
		b.Fatal(err)
	}
	invoked := make(chan struct{}, 1)
	fn := &emulator.Function{Name: "Thumb", Bindings: []*emulator.Binding{{Type: "blobTrigger", Direction: "in", Name: "image", Path: "in/{name}"}}}
	l, err := NewListener(Options{Function: fn, App: &emulator.App{}, Blobs: blobs, Queues: triggertest.NewQueues(emulator.SystemClock{}),
		Invoker: &triggertest.Invoker{Func: func(context.Context, emulator.InvokeRequest) error { invoked <- struct{}{}; return nil }},
		HostID:  "bench"})
	if err != nil {
		b.Fatal(err)
	}
	if err := l.Start(ctx); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { l.Close() })
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		if _, err := blobs.WriteBlob(ctx, "in", fmt.Sprintf("b%d", i), strings.NewReader("content"), emulator.WriteBlob{}); err != nil {
			b.Fatal(err)
		}
		<-invoked
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "ms-median")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "ms-p99")
}
