package rest

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/funcemu/funcemu/emulator/storage"
	"github.com/funcemu/funcemu/emulator/storage/odata"
)

// BenchmarkTablePartitionQueryREST answers a filtered query over a
// partition of 1000 entities through HTTP (no SDK, no auth).
func BenchmarkTablePartitionQueryREST(b *testing.B) {
	store, err := storage.Open(storage.Options{Path: b.TempDir() + "/storage.db"})
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	ctx := context.Background()
	if err := store.CreateTable(ctx, DevAccountName, "bench"); err != nil {
		b.Fatal(err)
	}
	for start := 0; start < 1000; start += 100 {
		var ops []storage.TableOp
		for i := start; i < start+100; i++ {
			ops = append(ops, storage.TableOp{Kind: storage.OpInsert, Entity: storage.TableEntity{PartitionKey: "p0", RowKey: fmt.Sprintf("r%06d", i),
				Properties: []storage.TableProperty{{Name: "N", Type: odata.Int32, Value: int64(i)}, {Name: "Name", Type: odata.String, Value: fmt.Sprintf("entity %d", i)}, {Name: "Big", Type: odata.Int64, Value: int64(i) << 33}}}})
		}
		if _, err := store.WriteEntities(ctx, DevAccountName, "bench", ops); err != nil {
			b.Fatal(err)
		}
	}
	srv := httptest.NewServer(NewServer(noAuth{NewTableService(store)}, nil, nil, nil))
	defer srv.Close()
	url := srv.URL + "/" + DevAccountName + "/bench()?$filter=PartitionKey%20eq%20'p0'%20and%20N%20ge%200"
	b.ResetTimer()
	defer reportCPU(b)()
	for i := 0; i < b.N; i++ {
		resp, err := http.Get(url)
		if err != nil {
			b.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || n < 100000 {
			b.Fatalf("%d, %d bytes", resp.StatusCode, n)
		}
	}
}

// benchTableServer serves an empty table "bench" over HTTP (no auth).
func benchTableServer(b *testing.B) *httptest.Server {
	srv, _ := benchTableStore(b)
	return srv
}

// benchTableStore is benchTableServer with its store.
func benchTableStore(b *testing.B) (*httptest.Server, *storage.Store) {
	b.Helper()
	store, err := storage.Open(storage.Options{Path: b.TempDir() + "/storage.db"})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { store.Close() })
	if err := store.CreateTable(context.Background(), DevAccountName, "bench"); err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(NewServer(noAuth{NewTableService(store)}, nil, nil, nil))
	b.Cleanup(srv.Close)
	return srv, store
}

func benchEntityJSON(pk string, i int) string {
	return fmt.Sprintf(`{"PartitionKey":%q,"RowKey":"r%07d","N":%d,"Name":"entity %d","Big@odata.type":"Edm.Int64","Big":"%d"}`, pk, i, i, i, int64(i)<<33)
}

func benchDo(b *testing.B, req *http.Request, want int) {
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != want {
		b.Fatalf("%d: %s", resp.StatusCode, body)
	}
}

// BenchmarkTableInsertREST inserts one entity per request, as the SDK's
// AddEntity does.
func BenchmarkTableInsertREST(b *testing.B) {
	srv := benchTableServer(b)
	url := srv.URL + "/" + DevAccountName + "/bench"
	b.ResetTimer()
	defer reportCPU(b)()
	for i := 0; i < b.N; i++ {
		req, _ := http.NewRequest("POST", url, strings.NewReader(benchEntityJSON("p0", i)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json;odata=minimalmetadata")
		req.Header.Set("Prefer", "return-no-content")
		benchDo(b, req, http.StatusNoContent)
	}
}

// BenchmarkTableBatchInsertREST inserts 100 entities per $batch.
func BenchmarkTableBatchInsertREST(b *testing.B) {
	srv := benchTableServer(b)
	base := srv.URL + "/" + DevAccountName
	b.ResetTimer()
	defer reportCPU(b)()
	for i := 0; i < b.N; i++ {
		var body strings.Builder
		body.WriteString("--batch_1\r\nContent-Type: multipart/mixed; boundary=changeset_1\r\n\r\n")
		for j := 0; j < 100; j++ {
			fmt.Fprintf(&body, "--changeset_1\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\nPOST %s/bench HTTP/1.1\r\nContent-ID: %d\r\nAccept: application/json;odata=minimalmetadata\r\nContent-Type: application/json\r\nPrefer: return-no-content\r\n\r\n%s\r\n",
				base, j+1, benchEntityJSON(fmt.Sprintf("b%d", i), j))
		}
		body.WriteString("--changeset_1--\r\n--batch_1--\r\n")
		req, _ := http.NewRequest("POST", base+"/$batch", strings.NewReader(body.String()))
		req.Header.Set("Content-Type", "multipart/mixed; boundary=batch_1")
		benchDo(b, req, http.StatusAccepted)
	}
	b.ReportMetric(float64(b.N*100)/b.Elapsed().Seconds(), "entities/s")
}

// noAuth lets every request through, to time the service alone.
type noAuth struct{ *TableService }

func (n noAuth) AllowAnonymous(*Request, *Operation) bool { return true }

// BenchmarkTablePointReadREST100k reads one entity by its keys from a
// table of 100,000 in 100 partitions through HTTP (no SDK, no auth): the
// server's time for a point query, plus loopback HTTP.
func BenchmarkTablePointReadREST100k(b *testing.B) {
	srv, store := benchTableStore(b)
	ctx := context.Background()
	const n = 100_000
	for start := 0; start < n; start += 100 {
		ops := make([]storage.TableOp, 0, 100)
		for i := start; i < start+100; i++ {
			ops = append(ops, storage.TableOp{Kind: storage.OpInsert, Entity: storage.TableEntity{PartitionKey: fmt.Sprintf("p%02d", start/100%100), RowKey: fmt.Sprintf("r%07d", i),
				Properties: []storage.TableProperty{{Name: "N", Type: odata.Int32, Value: int64(i)}, {Name: "Name", Type: odata.String, Value: fmt.Sprintf("entity %d", i)}}}})
		}
		if _, err := store.WriteEntities(ctx, DevAccountName, "bench", ops); err != nil {
			b.Fatal(err)
		}
	}
	base := srv.URL + "/" + DevAccountName + "/bench"
	b.ResetTimer()
	defer reportCPU(b)()
	for i := 0; i < b.N; i++ {
		k := (i * 7919) % n
		req, _ := http.NewRequest("GET", fmt.Sprintf("%s(PartitionKey='p%02d',RowKey='r%07d')", base, k/100%100, k), nil)
		req.Header.Set("Accept", "application/json;odata=minimalmetadata")
		benchDo(b, req, http.StatusOK)
	}
}

// BenchmarkTablePageWrite renders a 1,000-entity page (minimal metadata)
// from stored rows: the server's share of a partition query after SQLite.
func BenchmarkTablePageWrite(b *testing.B) {
	rows := make([]storage.EntityRow, 1000)
	for i := range rows {
		rows[i] = storage.EntityRow{PartitionKey: "p0", RowKey: fmt.Sprintf("r%06d", i), Stamp: "2026-12-02T17:24:00.1234567Z",
			Props: fmt.Sprintf(`{"N":["i",%d],"Name":["s","entity %d"],"Big":["l",%d]}`, i, i, int64(i)<<33)}
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		page := &queryPage{w: entityWriter{level: minimalMetadata, account: "http://127.0.0.1:10002/" + DevAccountName}, b: getBody()}
		page.Begin("bench")
		for j := range rows {
			if err := page.Row(&rows[j]); err != nil {
				b.Fatal(err)
			}
		}
		putBody(page.b)
	}
}
