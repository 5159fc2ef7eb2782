package storage

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/funcemu/funcemu/emulator/storage/odata"
	"github.com/funcemu/funcemu/internal/cputime"
)

// benchTable fills a file-backed store with n entities in 100 partitions.
func benchTable(b *testing.B, n int) *Store {
	b.Helper()
	s, err := Open(Options{Path: filepath.Join(b.TempDir(), "storage.db")})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	ctx := context.Background()
	if err := s.CreateTable(ctx, "acct", "big"); err != nil {
		b.Fatal(err)
	}
	for start := 0; start < n; start += 100 {
		ops := make([]TableOp, 0, 100)
		for i := start; i < start+100 && i < n; i++ {
			ops = append(ops, TableOp{Kind: OpInsert, Entity: TableEntity{
				PartitionKey: fmt.Sprintf("p%02d", start/100%100), RowKey: fmt.Sprintf("r%07d", i),
				Properties: []TableProperty{{Name: "N", Type: odata.Int32, Value: int64(i)}, {Name: "S", Type: odata.String, Value: "some text"}},
			}})
		}
		if _, err := s.WriteEntities(ctx, "acct", "big", ops); err != nil {
			b.Fatal(err)
		}
	}
	return s
}

// BenchmarkTablePointRead100k is a point query in a 100,000-entity table.
func BenchmarkTablePointRead100k(b *testing.B) {
	s := benchTable(b, 100_000)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k := i % 100_000
		if _, err := s.GetEntity(ctx, "acct", "big", fmt.Sprintf("p%02d", k/100%100), fmt.Sprintf("r%07d", k)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTableFilteredPartitionQuery100k filters one partition of 1,000
// entities on a property, in SQL.
func BenchmarkTableFilteredPartitionQuery100k(b *testing.B) {
	s := benchTable(b, 100_000)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		es, _, _, err := s.QueryEntities(ctx, "acct", "big", TableQuery{Filter: fmt.Sprintf("PartitionKey eq 'p%02d' and N lt 50000", i%100)})
		if err != nil || len(es) == 0 {
			b.Fatal(len(es), err)
		}
	}
}

type discardPage struct{ n int }

func (d *discardPage) Begin(string)           {}
func (d *discardPage) Row(r *EntityRow) error { d.n++; return nil }

// BenchmarkTableScanPartition reads one partition of 1,000 entities as
// the REST layer does (ScanEntities), with and without a filter on a
// property.
func BenchmarkTableScanPartition(b *testing.B) {
	s := benchTable(b, 100_000)
	ctx := context.Background()
	for _, f := range []string{"PartitionKey eq 'p07'", "PartitionKey eq 'p07' and N ge 0", "PartitionKey eq 'p07' and N ge 0 and S eq 'some text'"} {
		b.Run(f, func(b *testing.B) {
			defer reportCPU(b)()
			for i := 0; i < b.N; i++ {
				var p discardPage
				if _, _, err := s.ScanEntities(ctx, "acct", "big", TableQuery{Filter: f}, &p); err != nil || p.n != 1000 {
					b.Fatal(p.n, err)
				}
			}
		})
	}
}

// reportCPU reports the process's CPU time per operation (cpu-ns/op) when
// the returned function runs: on a machine shared with other work it
// moves far less than the elapsed time does.
func reportCPU(b *testing.B) func() {
	start := cputime.Process()
	return func() { b.ReportMetric(float64(cputime.Process()-start)/float64(b.N), "cpu-ns/op") }
}
