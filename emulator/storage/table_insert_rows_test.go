package storage

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/funcemu/funcemu/emulator/storage/odata"
)

// insertOps is n inserts into partition pk, row keys r000, r001, ...
func insertOps(pk string, n int) []TableOp {
	ops := make([]TableOp, n)
	for i := range ops {
		ops[i] = TableOp{Kind: OpInsert, Entity: TableEntity{PartitionKey: pk, RowKey: fmt.Sprintf("r%03d", i),
			Properties: []TableProperty{{Name: "N", Type: odata.Int32, Value: int64(i)}, {Name: "S", Type: odata.String, Value: fmt.Sprintf("s%d", i)}}}}
	}
	return ops
}

// partitionSize counts the entities of a partition.
func partitionSize(t *testing.T, s *Store, pk string) int {
	t.Helper()
	es, _, _, err := s.QueryEntities(context.Background(), "acct", "rows", TableQuery{Filter: "PartitionKey eq '" + pk + "'"})
	if err != nil {
		t.Fatal(err)
	}
	return len(es)
}

// TestInsertGroupWritesEveryCount writes groups of inserts of sizes that
// take every statement size (100, 16, 4 and single rows) and reads each
// entity back as written.
func TestInsertGroupWritesEveryCount(t *testing.T) {
	t.Parallel()
	s := withTable(t, func(t *testing.T) *Store { st, _ := openFileStore(t); return st }, "rows")
	ctx := context.Background()
	for _, n := range []int{2, 5, 37, 99, 100} {
		pk := fmt.Sprintf("p%d", n)
		ops := insertOps(pk, n)
		out, err := s.WriteEntities(ctx, "acct", "rows", ops)
		if err != nil {
			t.Fatalf("%d inserts: %v", n, err)
		}
		if len(out) != n {
			t.Fatalf("%d inserts: %d results", n, len(out))
		}
		for i, e := range out {
			got, err := s.GetEntity(ctx, "acct", "rows", pk, e.RowKey)
			if err != nil {
				t.Fatalf("%d inserts, entity %d: %v", n, i, err)
			}
			if e.RowKey != ops[i].Entity.RowKey || e.ETag() != got.ETag() || got.Property("S").Value != fmt.Sprintf("s%d", i) {
				t.Fatalf("%d inserts, entity %d: result %s %s, stored %s %s %v", n, i, e.RowKey, e.ETag(), got.RowKey, got.ETag(), got.Properties)
			}
		}
		if got := partitionSize(t, s, pk); got != n {
			t.Fatalf("%d inserts stored %d entities", n, got)
		}
	}
}

// TestInsertGroupFailureNamesTheOperation: a group of inserts that fails
// (a key twice in the group, an entity that exists, a key refused) names
// the operation at fault as one-by-one inserts do, and writes nothing.
func TestInsertGroupFailureNamesTheOperation(t *testing.T) {
	t.Parallel()
	s := withTable(t, func(t *testing.T) *Store { st, _ := openFileStore(t); return st }, "rows")
	ctx := context.Background()
	if _, err := s.WriteEntity(ctx, "acct", "rows", insertOps("exists", 14)[13]); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		ops   func() []TableOp
		index int
		err   error
	}{
		{"a key twice in a 100-row statement", func() []TableOp {
			ops := insertOps("dup", 100)
			ops[57].Entity.RowKey = ops[3].Entity.RowKey
			return ops
		}, 57, ErrEntityAlreadyExists},
		{"a key twice across statements", func() []TableOp {
			ops := insertOps("dup2", 37)
			ops[36].Entity.RowKey = ops[0].Entity.RowKey
			return ops
		}, 36, ErrEntityAlreadyExists},
		{"an entity that exists", func() []TableOp { return insertOps("exists", 20) }, 13, ErrEntityAlreadyExists},
		{"a key refused", func() []TableOp {
			ops := insertOps("bad", 30)
			ops[21].Entity.RowKey = "a/b"
			return ops
		}, 21, ErrInvalidKey},
	}
	for _, c := range cases {
		ops := c.ops()
		_, err := s.WriteEntities(ctx, "acct", "rows", ops)
		var oe *TableOpError
		if !errors.As(err, &oe) || oe.Index != c.index || !errors.Is(err, c.err) {
			t.Errorf("%s: error %v, want operation %d failing with %v", c.name, err, c.index, c.err)
		}
		want := 0
		if ops[0].Entity.PartitionKey == "exists" {
			want = 1 // the entity there before
		}
		if got := partitionSize(t, s, ops[0].Entity.PartitionKey); got != want {
			t.Errorf("%s: %d entities in the partition after the failure, want %d", c.name, got, want)
		}
	}
}

// withTable is a store from open, closed when the test ends, holding the
// empty table "acct"/name.
func withTable(t *testing.T, open func(*testing.T) *Store, name string) *Store {
	t.Helper()
	s := open(t)
	t.Cleanup(func() { s.Close() })
	if err := s.CreateTable(context.Background(), "acct", name); err != nil {
		t.Fatal(err)
	}
	return s
}

// openMemoryStore is a store in memory.
func openMemoryStore(t *testing.T) *Store {
	t.Helper()
	s, err := Open(Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}
