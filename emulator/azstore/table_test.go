package azstore

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/storage"
	"github.com/funcemu/funcemu/emulator/storage/rest"
)

// tableContract checks what the table bindings rely on, through the SDK.
func tableContract(t *testing.T, a *Account) {
	t.Helper()
	ts, err := NewTableStore(a, fast)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	entities := []emulator.TableEntityWrite{
		{PartitionKey: "p", RowKey: "1", Properties: []emulator.TableValue{{Name: "N", Value: int64(5)}, {Name: "S", Value: "x"}, {Name: "F", Value: 1.5}, {Name: "B", Value: true}}},
		{PartitionKey: "p", RowKey: "2", Properties: []emulator.TableValue{{Name: "N", Value: int64(7)}}},
		{PartitionKey: "q", RowKey: "1"},
	}
	// The table does not exist yet: the first insert creates it.
	if err := ts.InsertEntities(ctx, "bindingrows", entities, "inv-1"); err != nil {
		t.Fatalf("insert: %v", err)
	}
	e, err := ts.GetEntity(ctx, "bindingrows", "p", "1")
	if err != nil {
		t.Fatalf("get: %v", err)
	}
	if e["N"] != int64(5) || e["S"] != "x" || e["F"] != 1.5 || e["B"] != true || e["odata.etag"] == "" || e["Timestamp"] == "" {
		t.Fatalf("entity = %#v", e)
	}
	rows, err := ts.QueryEntities(ctx, "bindingrows", "PartitionKey eq 'p' and N gt 5L", 0)
	if err != nil || len(rows) != 1 || rows[0]["RowKey"] != "2" {
		t.Fatalf("query = %v, %v", rows, err)
	}
	rows, err = ts.QueryEntities(ctx, "bindingrows", "", 2)
	if err != nil || len(rows) != 2 {
		t.Fatalf("query take 2 = %v, %v", rows, err)
	}
	err = ts.InsertEntities(ctx, "bindingrows", entities[:1], "inv-2")
	if emulator.ErrorCode(err) != emulator.ECONFLICT {
		t.Fatalf("insert of an existing row: %v, want a conflict", err)
	}
	_, err = ts.GetEntity(ctx, "bindingrows", "p", "nope")
	if emulator.ErrorCode(err) != emulator.ENOTFOUND {
		t.Fatalf("missing entity: %v, want not found", err)
	}
}

func TestTableStoreOnFuncemu(t *testing.T) {
	t.Parallel()
	store, err := storage.Open(storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	srv := httptest.NewServer(rest.NewServer(rest.NewTableService(store), nil, nil, nil))
	defer srv.Close()
	a, err := ParseConnectionString("DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + DevelopmentKey +
		";TableEndpoint=" + srv.URL + "/devstoreaccount1;BlobEndpoint=" + srv.URL + "/devstoreaccount1;")
	if err != nil {
		t.Fatal(err)
	}
	tableContract(t, a)
}

func TestTableStoreOnAzurite(t *testing.T) {
	tableContract(t, azuriteAccount(t))
}
