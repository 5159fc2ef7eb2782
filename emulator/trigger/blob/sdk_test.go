package blob_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azqueue/v2"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/app"
	"github.com/funcemu/funcemu/emulator/storage"
	"github.com/funcemu/funcemu/emulator/storage/rest"
	"github.com/funcemu/funcemu/emulator/trigger/blob"
	"github.com/funcemu/funcemu/emulator/trigger/queue"
	"github.com/funcemu/funcemu/emulator/triggertest"
	"github.com/funcemu/funcemu/internal/cputime"
)

// embedded is the embedded store served over the Azure Storage REST API
// on random loopback ports, with SDK clients for it.
type embedded struct {
	store   *storage.Store
	queues  *azqueue.ServiceClient
	blobs   *azblob.Client
	blobURL string
}

func startEmbedded(tb testing.TB, path string) *embedded {
	tb.Helper()
	env, stop, err := openEmbedded(path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(stop)
	return env
}

// startEmbeddedForever starts an embedded store that lives as long as the
// test binary (a fixture shared by benchmark runs).
func startEmbeddedForever(path string) (*embedded, error) {
	env, _, err := openEmbedded(path)
	return env, err
}

func openEmbedded(path string) (*embedded, func(), error) {
	store, err := storage.Open(storage.Options{Path: path})
	if err != nil {
		return nil, nil, err
	}
	srv, err := rest.Start(rest.Config{Blob: rest.NewBlobService(store), Queue: rest.NewQueueService(store)})
	if err != nil {
		store.Close()
		return nil, nil, err
	}
	stop := func() {
		srv.Close(context.Background())
		store.Close()
	}
	noRetry := azcore.ClientOptions{Retry: policy.RetryOptions{MaxRetries: -1}}
	qcred, err := azqueue.NewSharedKeyCredential(rest.DevAccountName, rest.DevAccountKey)
	if err != nil {
		stop()
		return nil, nil, err
	}
	qc, err := azqueue.NewServiceClientWithSharedKeyCredential(srv.QueueURL+"/", qcred, &azqueue.ClientOptions{ClientOptions: noRetry})
	if err != nil {
		stop()
		return nil, nil, err
	}
	bcred, err := azblob.NewSharedKeyCredential(rest.DevAccountName, rest.DevAccountKey)
	if err != nil {
		stop()
		return nil, nil, err
	}
	bc, err := azblob.NewClientWithSharedKeyCredential(srv.BlobURL+"/", bcred, &azblob.ClientOptions{ClientOptions: noRetry})
	if err != nil {
		stop()
		return nil, nil, err
	}
	return &embedded{store: store, queues: qc, blobs: bc, blobURL: srv.BlobURL}, stop, nil
}

// benchStore is the file store the benchmarks run on, as funcemu does.
func benchStore(b *testing.B) string { return filepath.Join(b.TempDir(), "store.db") }

// TestSDKQueueChain drives fixtures/queue-chain through the embedded store:
// an order enqueued with the Azure SDK runs Archive, whose blob output runs
// Notify, whose queue output the SDK reads back.
func TestSDKQueueChain(t *testing.T) {
	a, err := app.Load(filepath.Join("..", "..", "..", "fixtures", "queue-chain"), app.Options{Environ: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	env := startEmbedded(t, "")
	account := rest.DevAccountName
	writer := newWriter(t, a, []string{}, env.store.QueueStore(account), env.store.BlobStore(account), emulator.SystemClock{})
	host := &chainHost{app: a, writer: writer, handlers: chainHandlers()}
	ql, err := queue.NewListener(queue.Options{Function: a.Function("Archive"), App: a, Store: env.store.QueueStore(account), Invoker: host})
	if err != nil {
		t.Fatal(err)
	}
	bl, err := blob.NewListener(blob.Options{Function: a.Function("Notify"), App: a, Blobs: env.store.BlobStore(account),
		Queues: env.store.QueueStore(account), Invoker: host, HostID: "sdk-host", BlobEndpoint: env.blobURL})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, l := range []interface{ Start(context.Context) error }{ql, bl} {
		if err := l.Start(ctx); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { ql.Close(); bl.Close() })

	orders := env.queues.NewQueueClient("orders")
	if _, err := orders.Create(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := orders.EnqueueMessage(ctx, base64.StdEncoding.EncodeToString([]byte(`{"id":9,"item":"tea"}`)), nil); err != nil {
		t.Fatal(err)
	}
	notes := env.queues.NewQueueClient("notifications")
	var text string
	triggertest.Eventually(t, "a notification through the SDK", func() bool {
		resp, err := notes.PeekMessages(ctx, nil)
		if err != nil || len(resp.Messages) == 0 {
			return false
		}
		text = *resp.Messages[0].MessageText
		return true
	})
	note, err := base64.StdEncoding.DecodeString(text)
	if err != nil || !strings.Contains(string(note), `"blob": "9"`) {
		t.Errorf("notification = %q, %v", note, err)
	}
	dl, err := env.blobs.DownloadStream(ctx, "archive", "9.json", nil)
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	got.ReadFrom(dl.Body)
	dl.Body.Close()
	if got.String() != `{"id":9,"item":"tea"}` {
		t.Errorf("archived blob = %q", got.String())
	}
	invs, reqs := host.invocations()
	if len(invs) != 2 || invs[1].ParentID != invs[0].ID {
		t.Fatalf("invocations = %+v", invs)
	}
	if reqs[1].Metadata["Uri"] != env.blobURL+"/archive/9.json" {
		t.Errorf("Uri = %v", reqs[1].Metadata["Uri"])
	}
	// The receipt is an ordinary blob, visible to any client. It is
	// written once the invocation has returned, which can be after its
	// output reached the notifications queue.
	var receipts []string
	triggertest.Eventually(t, "the receipt listed through the SDK", func() bool {
		page, err := env.blobs.NewListBlobsFlatPager("azure-webjobs-hosts", nil).NextPage(ctx)
		if err != nil {
			return false
		}
		receipts = receipts[:0]
		for _, b := range page.Segment.BlobItems {
			receipts = append(receipts, *b.Name)
		}
		return len(receipts) > 0
	})
	if len(receipts) != 1 || !strings.HasPrefix(receipts[0], "blobreceipts/sdk-host/Host.Functions.Notify/") {
		t.Errorf("receipts = %q", receipts)
	}
}

// TestSDKReceiptsSurviveRestart stops and reopens a file-backed store: a
// blob processed before the restart does not run again, one uploaded while
// stopped does.
func TestSDKReceiptsSurviveRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "store.db")
	fn := &emulator.Function{Name: "Ingest", Bindings: []*emulator.Binding{{Type: "blobTrigger", Direction: "in", Name: "doc", Path: "uploads/{name}"}}}
	a := &emulator.App{Host: emulator.HostConfig{Blobs: emulator.BlobsOptions{MaxDegreeOfParallelism: 1, PoisonBlobThreshold: 5}}, Functions: []*emulator.Function{fn}}
	ctx := context.Background()
	run := func(env *embedded, inv *triggertest.Invoker) *blob.Listener {
		l, err := blob.NewListener(blob.Options{Function: fn, App: a, Blobs: env.store.BlobStore("devstoreaccount1"),
			Queues: env.store.QueueStore("devstoreaccount1"), Invoker: inv, HostID: "restart-host"})
		if err != nil {
			t.Fatal(err)
		}
		if err := l.Start(ctx); err != nil {
			t.Fatal(err)
		}
		return l
	}

	env := startEmbedded(t, path)
	if _, err := env.blobs.CreateContainer(ctx, "uploads", nil); err != nil {
		t.Fatal(err)
	}
	first := &triggertest.Invoker{}
	l := run(env, first)
	if _, err := env.blobs.UploadBuffer(ctx, "uploads", "a.txt", []byte("A"), nil); err != nil {
		t.Fatal(err)
	}
	triggertest.Eventually(t, "a.txt", func() bool { return len(first.Requests()) == 1 })
	triggertest.Eventually(t, "its receipt", func() bool {
		page, err := env.blobs.NewListBlobsFlatPager("azure-webjobs-hosts", nil).NextPage(ctx)
		return err == nil && len(page.Segment.BlobItems) == 1
	})
	l.Close()
	env.store.Close()

	// Written while stopped, through a second client session.
	env2 := startEmbedded(t, path)
	if _, err := env2.blobs.UploadBuffer(ctx, "uploads", "b.txt", []byte("B"), nil); err != nil {
		t.Fatal(err)
	}
	second := &triggertest.Invoker{}
	l2 := run(env2, second)
	t.Cleanup(func() { l2.Close() })
	triggertest.Eventually(t, "b.txt", func() bool { return len(second.Requests()) >= 1 })
	if _, err := env2.blobs.UploadBuffer(ctx, "uploads", "c.txt", []byte("C"), nil); err != nil {
		t.Fatal(err)
	}
	triggertest.Eventually(t, "c.txt", func() bool { return len(second.Requests()) >= 2 })
	var names []string
	for _, r := range second.Requests() {
		names = append(names, r.Input.Blob.Name)
	}
	if strings.Join(names, ",") != "b.txt,c.txt" {
		t.Errorf("after restart ran %v, want b.txt,c.txt", names)
	}
}

// sdkBench starts the embedded file store with a listener of kind "queue" or
// "blob" whose invoker reports each call.
func sdkBench(b *testing.B, kind string, invoked chan<- struct{}) *embedded {
	env := startEmbedded(b, benchStore(b))
	ctx := context.Background()
	inv := &triggertest.Invoker{Func: func(context.Context, emulator.InvokeRequest) error { invoked <- struct{}{}; return nil }}
	var l interface{ Close() error }
	switch kind {
	case "queue":
		if _, err := env.queues.NewQueueClient("jobs").Create(ctx, nil); err != nil {
			b.Fatal(err)
		}
		fn := &emulator.Function{Name: "Work", Bindings: []*emulator.Binding{{Type: "queueTrigger", Direction: "in", Name: "msg", QueueName: "jobs"}}}
		a := &emulator.App{Host: emulator.HostConfig{Queues: emulator.QueuesOptions{BatchSize: 16, NewBatchThreshold: 16, MaxDequeueCount: 5, MessageEncoding: "none"}}}
		ql, err := queue.NewListener(queue.Options{Function: fn, App: a, Store: env.store.QueueStore("devstoreaccount1"), Invoker: inv})
		if err != nil {
			b.Fatal(err)
		}
		ql.Start(ctx)
		l = ql
	case "blob":
		if _, err := env.blobs.CreateContainer(ctx, "images", nil); err != nil {
			b.Fatal(err)
		}
		fn := &emulator.Function{Name: "Thumb", Bindings: []*emulator.Binding{{Type: "blobTrigger", Direction: "in", Name: "image", Path: "images/{name}"}}}
		bl, err := blob.NewListener(blob.Options{Function: fn, App: &emulator.App{}, Blobs: env.store.BlobStore("devstoreaccount1"),
			Queues: env.store.QueueStore("devstoreaccount1"), Invoker: inv, HostID: "bench"})
		if err != nil {
			b.Fatal(err)
		}
		bl.Start(ctx)
		l = bl
	}
	b.Cleanup(func() { l.Close() })
	return env
}

func report(b *testing.B, lat []time.Duration) {
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "ms-median")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "ms-p99")
}

// BenchmarkSDKEnqueueToInvoke: EnqueueMessage through the SDK and the REST
// API into the embedded store -> the queue listener calls the invoker.
func BenchmarkSDKEnqueueToInvoke(b *testing.B) {
	invoked := make(chan struct{}, 1)
	env := sdkBench(b, "queue", invoked)
	q := env.queues.NewQueueClient("jobs")
	ctx := context.Background()
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		if _, err := q.EnqueueMessage(ctx, "x", nil); err != nil {
			b.Fatal(err)
		}
		<-invoked
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	report(b, lat)
}

// BenchmarkSDKBlobUploadToInvoke: UploadBuffer through the SDK -> the blob
// listener calls the invoker.
func BenchmarkSDKBlobUploadToInvoke(b *testing.B) {
	invoked := make(chan struct{}, 1)
	env := sdkBench(b, "blob", invoked)
	ctx := context.Background()
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		if _, err := env.blobs.UploadBuffer(ctx, "images", fmt.Sprintf("b%d", i), []byte("content"), nil); err != nil {
			b.Fatal(err)
		}
		<-invoked
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	report(b, lat)
}

// BenchmarkSDKQueueThroughput: messages/s from 8 SDK writers through the
// queue listener to a no-op invoker.
func BenchmarkSDKQueueThroughput(b *testing.B) {
	invoked := make(chan struct{}, 1024)
	env := sdkBench(b, "queue", invoked)
	q := env.queues.NewQueueClient("jobs")
	ctx := context.Background()
	const writers = 8
	b.ResetTimer()
	start, cpu := time.Now(), cputime.Process()
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < b.N; i += writers {
				if _, err := q.EnqueueMessage(ctx, "x", nil); err != nil {
					panic(err)
				}
			}
		}()
	}
	for range b.N {
		<-invoked
	}
	reportThroughput(b, start, cpu)
	wg.Wait()
}

// BenchmarkSDKEnqueueOnly is the baseline for BenchmarkSDKQueueThroughput:
// the same 8 SDK writers with no listener.
func BenchmarkSDKEnqueueOnly(b *testing.B) {
	env := startEmbedded(b, benchStore(b))
	ctx := context.Background()
	q := env.queues.NewQueueClient("jobs")
	if _, err := q.Create(ctx, nil); err != nil {
		b.Fatal(err)
	}
	const writers = 8
	b.ResetTimer()
	start, cpu := time.Now(), cputime.Process()
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < b.N; i += writers {
				if _, err := q.EnqueueMessage(ctx, "x", nil); err != nil {
					panic(err)
				}
			}
		}()
	}
	wg.Wait()
	reportThroughput(b, start, cpu)
}

// reportThroughput reports messages/s since start and the process CPU time
// per message since cpu: on a shared machine the second moves far less.
func reportThroughput(b *testing.B, start time.Time, cpu time.Duration) {
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "msg/s")
	b.ReportMetric(float64(cputime.Process()-cpu)/1e3/float64(b.N), "cpu-µs/msg")
}

// BenchmarkStoreQueueDrain measures the queue listener alone on the
// embedded store: b.N messages are in the queue before it starts, and the
// clock runs until a no-op function has seen them all.
func BenchmarkStoreQueueDrain(b *testing.B) {
	env := startEmbedded(b, benchStore(b))
	ctx := context.Background()
	qs := env.store.QueueStore("devstoreaccount1")
	if err := qs.CreateQueue(ctx, "jobs"); err != nil {
		b.Fatal(err)
	}
	for range b.N {
		if _, err := qs.Put(ctx, "jobs", emulator.PutMessage{Text: "x"}); err != nil {
			b.Fatal(err)
		}
	}
	invoked := make(chan struct{}, 1024)
	inv := &triggertest.Invoker{Func: func(context.Context, emulator.InvokeRequest) error { invoked <- struct{}{}; return nil }}
	fn := &emulator.Function{Name: "Work", Bindings: []*emulator.Binding{{Type: "queueTrigger", Direction: "in", Name: "msg", QueueName: "jobs"}}}
	a := &emulator.App{Host: emulator.HostConfig{Queues: emulator.QueuesOptions{BatchSize: 16, NewBatchThreshold: 16, MaxDequeueCount: 5, MessageEncoding: "none"}}}
	l, err := queue.NewListener(queue.Options{Function: fn, App: a, Store: qs, Invoker: inv})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	start := time.Now()
	l.Start(ctx)
	for range b.N {
		<-invoked
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "msg/s")
	b.StopTimer()
	l.Close()
}

// BenchmarkSDKBlobUploadOnly is the baseline for
// BenchmarkSDKBlobUploadToInvoke: the same uploads with no listener.
func BenchmarkSDKBlobUploadOnly(b *testing.B) {
	env := startEmbedded(b, benchStore(b))
	ctx := context.Background()
	if _, err := env.blobs.CreateContainer(ctx, "images", nil); err != nil {
		b.Fatal(err)
	}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		if _, err := env.blobs.UploadBuffer(ctx, "images", fmt.Sprintf("b%d", i), []byte("content"), nil); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	report(b, lat)
}
