package cmd

import (
	"context"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/funcemu/funcemu/emulator/storage"
	"github.com/funcemu/funcemu/emulator/storage/odata"
	"github.com/funcemu/funcemu/tui"
)

// openStoreController is the UI controller of a started runner whose
// embedded store is an in-memory one, closed at the test's end.
func openStoreController(t *testing.T) (*storage.Store, *uiController) {
	t.Helper()
	s, err := storage.Open(storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	r := newRunner(&startOptions{}, io.Discard)
	r.store = s
	close(r.opened)
	return s, newUIController(context.Background(), r)
}

func TestUIControllerReadsTables(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, c := openStoreController(t)
	for _, name := range []string{"Customers", "Empty"} {
		if err := s.CreateTable(ctx, uiAccount, name); err != nil {
			t.Fatal(err)
		}
	}
	inserts := []storage.TableEntity{
		{PartitionKey: "us", RowKey: "grace", Properties: []storage.TableProperty{{Name: "Name", Type: odata.String, Value: "Grace"}}},
		{PartitionKey: "eu", RowKey: "ada", Properties: []storage.TableProperty{
			{Name: "Name", Type: odata.String, Value: "Ada"}, {Name: "Orders", Type: odata.Int32, Value: int64(3)},
			{Name: "Vip", Type: odata.Boolean, Value: true}, {Name: "Zip", Type: odata.String, Value: "042"}}},
		{PartitionKey: "eu", RowKey: "alan"},
	}
	for _, e := range inserts {
		if _, err := s.WriteEntity(ctx, uiAccount, "Customers", storage.TableOp{Kind: storage.OpInsert, Entity: e}); err != nil {
			t.Fatal(err)
		}
	}

	tables, err := c.Tables(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []tui.TableInfo{{Name: "Customers", Entities: 3}, {Name: "Empty", Entities: 0}}
	if !reflect.DeepEqual(tables, want) {
		t.Fatalf("tables %+v, want %+v", tables, want)
	}

	first, err := c.Entities(ctx, "customers", 2) // table names ignore case
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != 2 || first[0].RowKey != "ada" || first[1].RowKey != "alan" {
		t.Fatalf("first two entities %+v, want eu/ada and eu/alan in key order", first)
	}
	wantProps := []tui.Property{{Name: "Name", Value: `"Ada"`}, {Name: "Orders", Value: "3"}, {Name: "Vip", Value: "true"}, {Name: "Zip", Value: `"042"`}}
	if !reflect.DeepEqual(first[0].Properties, wantProps) {
		t.Fatalf("eu/ada properties %+v, want %+v", first[0].Properties, wantProps)
	}
	if first[0].Timestamp.IsZero() || first[0].PartitionKey != "eu" {
		t.Fatalf("eu/ada %+v lacks its partition key or Timestamp", first[0])
	}

	if err := s.DeleteTable(ctx, uiAccount, "Customers"); err != nil {
		t.Fatal(err)
	}
	gone, err := c.Entities(ctx, "Customers", 32)
	if err != nil || len(gone) != 0 {
		t.Fatalf("entities of a deleted table = %+v, %v; want none and no error", gone, err)
	}
}

func TestUIControllerTablesRefusals(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	starting := newUIController(ctx, newRunner(&startOptions{}, io.Discard))
	noStore := newRunner(&startOptions{}, io.Discard)
	close(noStore.opened)
	tests := []struct {
		name string
		c    *uiController
		want string
	}{
		{"while starting", starting, "still starting"},
		{"without the embedded storage", newUIController(ctx, noStore), "tables need the embedded storage"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := tc.c.Tables(ctx); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Tables: %v, want an error containing %q", err, tc.want)
			}
			if _, err := tc.c.Entities(ctx, "Customers", 32); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Entities: %v, want an error containing %q", err, tc.want)
			}
		})
	}
}
