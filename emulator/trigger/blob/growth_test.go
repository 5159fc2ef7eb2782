package blob_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/azstore/azuritetest"
	"github.com/funcemu/funcemu/emulator/trigger/blob"
	"github.com/funcemu/funcemu/emulator/triggertest"
)

func TestMain(m *testing.M) {
	azuritetest.Prewarm()
	code := m.Run()
	azuritetest.StopShared()
	if bigFixture.dir != "" {
		os.RemoveAll(bigFixture.dir)
	}
	os.Exit(code)
}

// bigBlobs is how many processed blobs the large container holds.
const bigBlobs = 100_000

// bigContainer is an embedded file store whose container "big" holds
// bigBlobs blobs already processed by a running listener (receipts
// written), and whose container "small" is empty, also watched. It is
// built once per test binary: the testing package runs a benchmark more
// than once.
var bigFixture struct {
	once    sync.Once
	dir     string
	env     *embedded
	invoked map[string]chan struct{}
	scan    time.Duration
	err     error
}

func bigContainer(b *testing.B) {
	f := &bigFixture
	f.once.Do(func() {
		f.dir, f.err = os.MkdirTemp("", "funcemu-growth-")
		if f.err != nil {
			return
		}
		f.env, f.err = startEmbeddedForever(filepath.Join(f.dir, "store.db"))
		if f.err != nil {
			return
		}
		ctx := context.Background()
		bs := f.env.store.BlobStore("devstoreaccount1")
		for _, c := range []string{"big", "small"} {
			if f.err = bs.CreateContainer(ctx, c); f.err != nil {
				return
			}
		}
		var wg sync.WaitGroup
		var failed atomic.Value
		for w := range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := w; i < bigBlobs; i += 16 {
					if _, err := bs.WriteBlob(ctx, "big", fmt.Sprintf("old-%06d", i), strings.NewReader("x"), emulator.WriteBlob{}); err != nil {
						failed.Store(err)
						return
					}
				}
			}()
		}
		wg.Wait()
		if err, ok := failed.Load().(error); ok {
			f.err = err
			return
		}
		f.invoked = map[string]chan struct{}{"big": make(chan struct{}, 1024), "small": make(chan struct{}, 1024)}
		start := time.Now()
		for c, ch := range f.invoked {
			fn := &emulator.Function{Name: "On" + c, Bindings: []*emulator.Binding{{Type: "blobTrigger", Direction: "in", Name: "b", Path: c + "/{name}"}}}
			l, err := blob.NewListener(blob.Options{Function: fn, App: &emulator.App{}, Blobs: bs,
				Queues: f.env.store.QueueStore("devstoreaccount1"), HostID: "growth",
				Invoker: &triggertest.Invoker{Func: func(context.Context, emulator.InvokeRequest) error { ch <- struct{}{}; return nil }}})
			if err != nil {
				f.err = err
				return
			}
			if f.err = l.Start(ctx); f.err != nil {
				return
			}
		}
		for range bigBlobs {
			<-f.invoked["big"]
		}
		f.scan = time.Since(start)
	})
	if f.err != nil {
		b.Fatal(f.err)
	}
}

// BenchmarkSDKBlobUploadToInvoke100k: UploadBuffer through the SDK ->
// function invoked, alternating between a container holding 100,000
// processed blobs and an empty one, watched by listeners on the same file
// store. ratio compares the medians. scan-s is how long the listener's
// start took to go through the 100,000 blobs (each invoked once, a
// receipt written for each).
func BenchmarkSDKBlobUploadToInvoke100k(b *testing.B) {
	bigContainer(b)
	f := &bigFixture
	ctx := context.Background()
	lat := map[string][]time.Duration{}
	b.ResetTimer()
	for i := range b.N {
		for _, c := range []string{"small", "big"} {
			start := time.Now()
			if _, err := f.env.blobs.UploadBuffer(ctx, c, fmt.Sprintf("new-%d-%d", b.N, i), []byte("content"), nil); err != nil {
				b.Fatal(err)
			}
			<-f.invoked[c]
			lat[c] = append(lat[c], time.Since(start))
		}
	}
	b.StopTimer()
	p := func(d []time.Duration, q int) float64 {
		sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
		return float64(d[len(d)*q/100].Microseconds()) / 1000
	}
	b.ReportMetric(p(lat["small"], 50), "ms-median-empty")
	b.ReportMetric(p(lat["big"], 50), "ms-median-100k")
	b.ReportMetric(p(lat["big"], 99), "ms-p99-100k")
	b.ReportMetric(p(lat["big"], 50)/p(lat["small"], 50), "ratio")
	b.ReportMetric(f.scan.Seconds(), "scan-s")
}
