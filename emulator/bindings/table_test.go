package bindings

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/funcemu/funcemu/emulator"
	"github.com/funcemu/funcemu/emulator/storage"
	"github.com/funcemu/funcemu/emulator/storage/odata"
)

func tableFixture(t *testing.T, fns ...*emulator.Function) (*Bindings, *storage.Store) {
	t.Helper()
	store, err := storage.Open(storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	app := &emulator.App{Functions: fns}
	tables := store.TableStore("devstoreaccount1")
	b := New(Options{App: app, TableStore: func(string) (emulator.TableStore, error) { return tables, nil }})
	return b, store
}

func TestTableOutputInsertsWithKeysFromBindingAndObject(t *testing.T) {
	t.Parallel()
	out := &emulator.Binding{Type: "table", Name: "rows", Table: &emulator.TableBinding{TableName: "Orders{region}", PartitionKey: "{region}"}}
	fn := queueFunction(out)
	b, store := tableFixture(t, fn)
	ctx := context.Background()
	inv := queueInvocation(`{"region":"EU"}`)
	written, err := b.Write(ctx, fn, inv, map[string]*emulator.OutputValue{"rows": value(out,
		`[{"RowKey":"1","Qty":3,"Price":2.5,"Note":"x","Paid":true,"Skip":null},{"partitionKey":"other","rowkey":"2"}]`)})
	if err != nil {
		t.Fatal(err)
	}
	if len(written) != 2 || written[0].Table == nil || written[0].Table.Table != "OrdersEU" || written[1].Table.PartitionKey != "other" {
		t.Fatalf("written = %+v", written)
	}
	e, err := store.GetEntity(ctx, "devstoreaccount1", "OrdersEU", "EU", "1")
	if err != nil {
		t.Fatal(err)
	}
	if e.ParentID != inv.ID || len(e.Properties) != 4 {
		t.Fatalf("entity = %+v", e)
	}
	for name, typ := range map[string]odata.Type{"Qty": odata.Int64, "Price": odata.Double, "Note": odata.String, "Paid": odata.Boolean} {
		if p := e.Property(name); p == nil || p.Type != typ {
			t.Errorf("%s = %+v, want type %c", name, p, typ)
		}
	}
	if _, err := store.GetEntity(ctx, "devstoreaccount1", "OrdersEU", "other", "2"); err != nil {
		t.Fatalf("keys from the object: %v", err)
	}
	// Insert semantics: writing the same row again fails the invocation.
	_, err = b.Write(ctx, fn, inv, map[string]*emulator.OutputValue{"rows": value(out, `{"RowKey":"1"}`)})
	if err == nil || emulator.ErrorCode(err) != emulator.ECONFLICT {
		t.Fatalf("second insert: %v, want a conflict", err)
	}
	_, err = b.Write(ctx, fn, inv, map[string]*emulator.OutputValue{"rows": value(out, `{"Qty":1}`)})
	if err == nil || !strings.Contains(err.Error(), "no RowKey") {
		t.Fatalf("missing RowKey: %v", err)
	}
	_, err = b.Write(ctx, fn, inv, map[string]*emulator.OutputValue{"rows": value(out, `{"RowKey":"9","Nested":{"a":1}}`)})
	if err == nil || !strings.Contains(err.Error(), "Nested") {
		t.Fatalf("nested value: %v", err)
	}
	// A dry run records the entity and writes nothing.
	written, err = b.Write(emulator.WithDryRun(ctx), fn, inv, map[string]*emulator.OutputValue{"rows": value(out, `{"RowKey":"dry"}`)})
	if err != nil || len(written) != 1 {
		t.Fatalf("dry run: %+v %v", written, err)
	}
	if _, err := store.GetEntity(ctx, "devstoreaccount1", "OrdersEU", "EU", "dry"); err == nil {
		t.Fatal("dry run wrote the entity")
	}
}

func TestTableInputEntityAndQuery(t *testing.T) {
	t.Parallel()
	one := &emulator.Binding{Type: "table", Direction: "in", Name: "one", Table: &emulator.TableBinding{TableName: "people", PartitionKey: "team", RowKey: "{id}"}}
	many := &emulator.Binding{Type: "table", Direction: "in", Name: "many", Table: &emulator.TableBinding{TableName: "people", PartitionKey: "team", Filter: "Age gt {min}L", Take: 2}}
	fn := &emulator.Function{Name: "Get", Bindings: []*emulator.Binding{{Type: "httpTrigger", Direction: "in", Name: "req"}, one, many}}
	b, store := tableFixture(t, fn)
	ctx := context.Background()
	var writes []emulator.TableEntityWrite
	for i, age := range []int64{30, 40, 50, 60} {
		writes = append(writes, emulator.TableEntityWrite{PartitionKey: "team", RowKey: string(rune('a' + i)), Properties: []emulator.TableValue{{Name: "Age", Value: age}}})
	}
	if err := store.TableStore("devstoreaccount1").InsertEntities(ctx, "people", writes, ""); err != nil {
		t.Fatal(err)
	}
	req := &emulator.InvokeRequest{Metadata: map[string]any{"id": "b", "min": "35"}}
	if err := b.Read(ctx, fn, req); err != nil {
		t.Fatal(err)
	}
	e, ok := req.Data["one"].(map[string]any)
	if !ok || e["RowKey"] != "b" || e["Age"] != int64(40) || !strings.HasPrefix(e["odata.etag"].(string), `W/"datetime'`) {
		t.Fatalf("one = %#v", req.Data["one"])
	}
	text, ok := req.Data["many"].(string)
	var rows []map[string]any
	if !ok || json.Unmarshal([]byte(text), &rows) != nil || len(rows) != 2 || rows[0]["RowKey"] != "b" || rows[1]["RowKey"] != "c" {
		t.Fatalf("many = %#v", req.Data["many"])
	}
	// A query on a table that does not exist yet gives an empty array.
	none := &emulator.Binding{Type: "table", Direction: "in", Name: "none", Table: &emulator.TableBinding{TableName: "nothere"}}
	v, err := b.readTable(ctx, fn, none, withSys(fn, nil))
	if err != nil || v != "[]" {
		t.Fatalf("query of a missing table = %#v, %v; want \"[]\"", v, err)
	}
	req = &emulator.InvokeRequest{Metadata: map[string]any{"id": "zz", "min": "0"}}
	if err := b.Read(ctx, fn, req); err == nil || emulator.ErrorCode(err) != emulator.ENOTFOUND {
		t.Fatalf("missing entity: %v, want not found", err)
	}
}
