package storage

import (
	"context"
	"errors"
	"testing"
)

// TestWriteToDeletedTable: a write finds a table gone even when the name
// cache still holds it (the foreign key refuses the row), and a table
// deleted and created again answers with its new name.
func TestWriteToDeletedTable(t *testing.T) {
	t.Parallel()
	s, _ := openFileStore(t)
	t.Cleanup(func() { s.Close() })
	ctx := context.Background()
	insert := func(table, rk string) (string, error) {
		name, _, err := s.WriteEntitiesNamed(ctx, "acct", table, []TableOp{{Kind: OpInsert, Entity: TableEntity{PartitionKey: "p", RowKey: rk}}})
		return name, err
	}
	if err := s.CreateTable(ctx, "acct", "Orders"); err != nil {
		t.Fatal(err)
	}
	if name, err := insert("orders", "a"); err != nil || name != "Orders" {
		t.Fatalf("insert: %q, %v", name, err)
	}
	// Behind the cache's back: only the foreign key can tell.
	if _, err := s.db.ExecContext(ctx, `DELETE FROM storage_tables WHERE account = 'acct' AND key = 'orders'`); err != nil {
		t.Fatal(err)
	}
	if _, err := insert("orders", "b"); !errors.Is(err, ErrTableNotFound) {
		t.Fatalf("insert into a deleted table: %v, want TableNotFound", err)
	}
	upsert := []TableOp{{Kind: OpInsertOrReplace, Entity: TableEntity{PartitionKey: "p", RowKey: "c"}}}
	if _, _, err := s.WriteEntitiesNamed(ctx, "acct", "orders", upsert); !errors.Is(err, ErrTableNotFound) {
		t.Fatalf("upsert into a deleted table: %v, want TableNotFound", err)
	}
	if err := s.CreateTable(ctx, "acct", "ORDERS"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteTable(ctx, "acct", "orders"); err != nil {
		t.Fatal(err)
	}
	if _, err := insert("orders", "d"); !errors.Is(err, ErrTableNotFound) {
		t.Fatalf("insert after DeleteTable: %v, want TableNotFound", err)
	}
	if err := s.CreateTable(ctx, "acct", "oRDERS"); err != nil {
		t.Fatal(err)
	}
	if name, err := insert("orders", "e"); err != nil || name != "oRDERS" {
		t.Fatalf("insert into the table created again: %q, %v", name, err)
	}
}

// TestReadFromDeletedTable: a point read tells a missing entity from a
// missing table even when the name cache still holds the table.
func TestReadFromDeletedTable(t *testing.T) {
	t.Parallel()
	s, _ := openFileStore(t)
	t.Cleanup(func() { s.Close() })
	ctx := context.Background()
	if err := s.CreateTable(ctx, "acct", "Stock"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.WriteEntity(ctx, "acct", "stock", TableOp{Kind: OpInsert, Entity: TableEntity{PartitionKey: "p", RowKey: "a"}}); err != nil {
		t.Fatal(err)
	}
	if name, _, err := s.ReadEntityRow(ctx, "acct", "STOCK", "p", "a"); err != nil || name != "Stock" {
		t.Fatalf("read: %q, %v", name, err)
	}
	if _, _, err := s.ReadEntityRow(ctx, "acct", "stock", "p", "b"); !errors.Is(err, ErrEntityNotFound) {
		t.Fatalf("missing entity: %v, want ResourceNotFound", err)
	}
	if _, err := s.db.ExecContext(ctx, `DELETE FROM storage_tables WHERE account = 'acct' AND key = 'stock'`); err != nil {
		t.Fatal(err)
	}
	for _, rk := range []string{"a", "b"} {
		if _, _, err := s.ReadEntityRow(ctx, "acct", "stock", "p", rk); !errors.Is(err, ErrTableNotFound) {
			t.Fatalf("read %s from a deleted table: %v, want TableNotFound", rk, err)
		}
	}
}
