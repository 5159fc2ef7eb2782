package rest

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
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

// noAuth lets every request through, to time the service alone.
type noAuth struct{ *TableService }

func (n noAuth) AllowAnonymous(*Request, *Operation) bool { return true }
