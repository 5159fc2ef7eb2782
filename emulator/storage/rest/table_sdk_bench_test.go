package rest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/data/aztables"

	"github.com/funcemu/funcemu/emulator/storage"
	"github.com/funcemu/funcemu/internal/benchmeter"
	"github.com/funcemu/funcemu/internal/cputime"
)

// The benchmarks below run bench/storage's table workload in process:
// aztables with SharedKey against the server on a file store, so that
// a CPU profile shows the server's whole path (auth included) beside
// the SDK's own work. wire-µs/op is the time from sending each request
// to the last byte of its answer, as the driver's wire figures count.

// wireTimer is the SDK's transport, timing the wire, and the process's
// CPU time at the start of the measured loop.
type wireTimer struct {
	benchmeter.Wire
	cpu time.Duration
}

// start zeroes the timer and notes the process's CPU time.
func (w *wireTimer) start(b *testing.B) {
	b.ResetTimer()
	w.Elapsed, w.cpu = 0, cputime.Process()
}

// report adds wire-µs/op and cpu-µs/op, the process's CPU time (SDK and
// server) per operation, which moves far less than elapsed time on a
// machine shared with other work.
func (w *wireTimer) report(b *testing.B, ops int) {
	b.ReportMetric(float64(w.Elapsed.Microseconds())/float64(ops), "wire-µs/op")
	b.ReportMetric(float64(cputime.Process()-w.cpu)/1e3/float64(ops), "cpu-µs/op")
}

// reportCPU reports the process's CPU time per operation (cpu-µs/op)
// when the returned function runs.
func reportCPU(b *testing.B) func() {
	start := cputime.Process()
	return func() {
		b.ReportMetric(float64(cputime.Process()-start)/1e3/float64(b.N), "cpu-µs/op")
	}
}

// benchSDKTable serves a new table "bench" and returns an aztables
// client of it and the transport's timer.
func benchSDKTable(b *testing.B) (*aztables.Client, *wireTimer) {
	b.Helper()
	store, err := storage.Open(storage.Options{Path: b.TempDir() + "/storage.db"})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { store.Close() })
	srv := httptest.NewServer(NewServer(NewTableService(store), nil, nil, nil))
	b.Cleanup(srv.Close)
	cred, err := aztables.NewSharedKeyCredential(DevAccountName, DevAccountKey)
	if err != nil {
		b.Fatal(err)
	}
	wire := &wireTimer{Wire: benchmeter.Wire{Client: &http.Client{}}}
	svc, err := aztables.NewServiceClientWithSharedKey(srv.URL+"/"+DevAccountName, cred,
		&aztables.ClientOptions{ClientOptions: azcore.ClientOptions{Transport: wire}})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := svc.CreateTable(context.Background(), "bench", nil); err != nil {
		b.Fatal(err)
	}
	return svc.NewClient("bench"), wire
}

// sdkEntity is the driver's entity: three properties, one an Int64.
func sdkEntity(b *testing.B, pk, rk string, i int) []byte {
	e, err := json.Marshal(aztables.EDMEntity{Entity: aztables.Entity{PartitionKey: pk, RowKey: rk},
		Properties: map[string]any{"N": int32(i), "Name": fmt.Sprintf("entity %d", i), "Big": aztables.EDMInt64(int64(i) << 33)}})
	if err != nil {
		b.Fatal(err)
	}
	return e
}

// sdkFill inserts n entities into partition pk in batches of 100.
func sdkFill(b *testing.B, t *aztables.Client, pk string, n int) {
	b.Helper()
	for start := 0; start < n; start += 100 {
		var actions []aztables.TransactionAction
		for i := start; i < start+100 && i < n; i++ {
			actions = append(actions, aztables.TransactionAction{ActionType: aztables.TransactionTypeAdd, Entity: sdkEntity(b, pk, fmt.Sprintf("r%06d", i), i)})
		}
		if _, err := t.SubmitTransaction(context.Background(), actions, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTableSDKInsert(b *testing.B) {
	t, wire := benchSDKTable(b)
	ctx := context.Background()
	wire.start(b)
	for i := 0; i < b.N; i++ {
		if _, err := t.AddEntity(ctx, sdkEntity(b, fmt.Sprintf("p%d", i/1000), fmt.Sprintf("r%06d", i), i), nil); err != nil {
			b.Fatal(err)
		}
	}
	wire.report(b, b.N)
}

func BenchmarkTableSDKPointRead(b *testing.B) {
	t, wire := benchSDKTable(b)
	sdkFill(b, t, "p0", 1000)
	ctx := context.Background()
	wire.start(b)
	for i := 0; i < b.N; i++ {
		if _, err := t.GetEntity(ctx, "p0", fmt.Sprintf("r%06d", i%1000), nil); err != nil {
			b.Fatal(err)
		}
	}
	wire.report(b, b.N)
}

func BenchmarkTableSDKPartitionQuery(b *testing.B) {
	t, wire := benchSDKTable(b)
	sdkFill(b, t, "p0", 1000)
	ctx := context.Background()
	wire.start(b)
	for i := 0; i < b.N; i++ {
		pager := t.NewListEntitiesPager(&aztables.ListEntitiesOptions{Filter: to.Ptr("PartitionKey eq 'p0' and N ge 0")})
		n := 0
		for pager.More() {
			page, err := pager.NextPage(ctx)
			if err != nil {
				b.Fatal(err)
			}
			n += len(page.Entities)
		}
		if n != 1000 {
			b.Fatalf("%d entities, want 1000", n)
		}
	}
	wire.report(b, b.N)
}

func BenchmarkTableSDKBatch(b *testing.B) {
	t, wire := benchSDKTable(b)
	wire.start(b)
	for i := 0; i < b.N; i++ {
		sdkFill(b, t, fmt.Sprintf("b%d", i), 100)
	}
	wire.report(b, b.N)
}

// BenchmarkTableSDKPartitionQueryAlone is the SDK's own cost of the
// partition query: the first answer is recorded from the server and every
// query after it is answered from memory, with no server and no socket.
// It bounds the ratio any server can reach through aztables: a server
// answering in no time still leaves this much of every query.
func BenchmarkTableSDKPartitionQueryAlone(b *testing.B) {
	t, wire := benchSDKTable(b)
	sdkFill(b, t, "p0", 1000)
	rec := &benchmeter.Replay{Next: http.DefaultTransport}
	wire.Client.Transport = rec
	ctx := context.Background()
	query := func() {
		pager := t.NewListEntitiesPager(&aztables.ListEntitiesOptions{Filter: to.Ptr("PartitionKey eq 'p0' and N ge 0")})
		page, err := pager.NextPage(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if len(page.Entities) != 1000 || pager.More() {
			b.Fatalf("%d entities in the page, want 1000 and no more", len(page.Entities))
		}
	}
	query()
	b.ResetTimer()
	start := cputime.Process()
	for i := 0; i < b.N; i++ {
		query()
	}
	b.ReportMetric(float64(cputime.Process()-start)/1e3/float64(b.N), "cpu-µs/op")
	if rec.Replayed() != b.N {
		b.Fatalf("%d answers replayed, want %d", rec.Replayed(), b.N)
	}
}
