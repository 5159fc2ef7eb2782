package storage

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator/storage/odata"
)

// The in-memory store has one connection: entity writes must not wait
// for a second one to prepare their statements, and a failed insert in a
// group leaves nothing written.
func TestTableWritesOnSingleConnectionStore(t *testing.T) {
	t.Parallel()
	s, err := Open(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := s.CreateTable(ctx, "acct", "tbl"); err != nil {
		t.Fatal(err)
	}
	ent := func(rk string) TableEntity {
		return TableEntity{PartitionKey: "p", RowKey: rk, Properties: []TableProperty{{Name: "N", Type: odata.Int32, Value: int64(1)}}}
	}
	if _, err := s.WriteEntity(ctx, "acct", "tbl", TableOp{Kind: OpInsert, Entity: ent("a")}); err != nil {
		t.Fatal(err)
	}
	_, err = s.WriteEntities(ctx, "acct", "tbl", []TableOp{{Kind: OpInsert, Entity: ent("b")}, {Kind: OpInsert, Entity: ent("a")}})
	var oe *TableOpError
	if !errors.As(err, &oe) || oe.Index != 1 {
		t.Fatalf("duplicate insert in a group: %v", err)
	}
	if _, err := s.GetEntity(ctx, "acct", "tbl", "p", "b"); err == nil {
		t.Fatal("entity b of the failed group was written")
	}
	if _, err := s.WriteEntity(ctx, "acct", "tbl", TableOp{Kind: OpDelete, Entity: ent("a"), IfMatch: "*"}); err != nil {
		t.Fatal(err)
	}
}
