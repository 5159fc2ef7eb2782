package storage

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/funcemu/funcemu/emulator/storage/odata"
)

// TestFilterOnStoredProperties runs property comparisons against stored
// entities whose text is built to mislead a search for a property's
// prefix: names that contain or extend one another, string values that
// hold another property's stored text, one name with a different type in
// each entity, and integers at the edges of their range.
func TestFilterOnStoredProperties(t *testing.T) {
	t.Parallel()
	s := withTable(t, openMemoryStore, "filtered")
	ctx := context.Background()
	prop := func(name string, typ odata.Type, v any) TableProperty {
		return TableProperty{Name: name, Type: typ, Value: v}
	}
	entities := map[string][]TableProperty{
		"int":     {prop("N", odata.Int32, int64(5)), prop("NN", odata.Int32, int64(-7))},
		"neg":     {prop("N", odata.Int32, int64(math.MinInt32))},
		"long":    {prop("N", odata.Int64, int64(math.MaxInt64)), prop("xN", odata.Int32, int64(3))},
		"double":  {prop("N", odata.Double, 5.5)},
		"nan":     {prop("N", odata.Double, "NaN")},
		"bool":    {prop("N", odata.Boolean, true)},
		"string":  {prop("N", odata.String, "5")},
		"decoy":   {prop("S", odata.String, `"N":["i",9],"M":["s","x"]`), prop("T", odata.String, `a\`)},
		"escaped": {prop("M", odata.String, "it's \"quoted\""), prop("N", odata.Int32, int64(0))},
		// Characters of several bytes before the integers: offsets in
		// bytes and in characters differ.
		"wide": {prop("U", odata.String, "é漢🙂\u2028"), prop("W", odata.Int32, int64(42)), prop("L", odata.Int64, int64(math.MinInt64))},
	}
	for rk, ps := range entities {
		if _, err := s.WriteEntity(ctx, "acct", "filtered", TableOp{Kind: OpInsert, Entity: TableEntity{PartitionKey: "p", RowKey: rk, Properties: ps}}); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct{ filter, want string }{
		{"N ge 0", "double escaped int nan"}, // NaN is stored as text, which SQLite orders after numbers
		{"N lt 0", "neg"},
		{"N eq -2147483648", "neg"},
		{"N eq 5", "int"},
		{"N eq 5.0", "int"},
		{"N gt 5", "double nan"},
		{"N le 5.5 and N gt 5", "double"},
		{"N eq 9", ""},
		{"N eq 9223372036854775807L", "long"},
		{"N gt 0L", "long"},
		{"NN lt 0", "int"},
		{"xN eq 3", "long"},
		{"N eq true", "bool"},
		{"N eq '5'", "string"},
		{"M eq 'x'", ""},
		{"M eq 'it''s \"quoted\"'", "escaped"},
		{"S ge '\"'", "decoy"},
		{"not (N ge 0)", "bool decoy long neg string wide"},
		{"N eq 0 or NN eq -7", "escaped int"},
		{"W eq 42", "wide"},
		{"W gt 41 and W lt 43", "wide"},
		{"L eq -9223372036854775808L", "wide"},
		{"L lt -9223372036854775807L", "wide"},
		{"N eq true and PartitionKey eq 'p' and Timestamp gt datetime'2000-01-01T00:00:00Z'", "bool"},
	}
	for _, tc := range cases {
		es, _, _, err := s.QueryEntities(ctx, "acct", "filtered", TableQuery{Filter: tc.filter})
		if err != nil {
			t.Fatalf("%s: %v", tc.filter, err)
		}
		var got []string
		for _, e := range es {
			got = append(got, e.RowKey)
		}
		if g := strings.Join(got, " "); g != tc.want {
			t.Errorf("%s: got %q, want %q", tc.filter, g, tc.want)
		}
		// ScanEntities, which answers REST queries, binds the same
		// arguments on the driver itself.
		var scanned rowKeys
		if _, _, err := s.ScanEntities(ctx, "acct", "filtered", TableQuery{Filter: tc.filter}, &scanned); err != nil {
			t.Fatalf("%s: scan: %v", tc.filter, err)
		}
		if g := strings.Join(scanned, " "); g != tc.want {
			t.Errorf("%s: scan got %q, want %q", tc.filter, g, tc.want)
		}
	}
}

// TestScanEntitiesContinues: a page cut by $top names the next entity
// as its continuation, and the query resumes there.
func TestScanEntitiesContinues(t *testing.T) {
	t.Parallel()
	s := withTable(t, openMemoryStore, "pages")
	ctx := context.Background()
	for _, rk := range []string{"a", "b", "c", "d", "e"} {
		op := TableOp{Kind: OpInsert, Entity: TableEntity{PartitionKey: "p", RowKey: rk, Properties: []TableProperty{{Name: "N", Type: odata.Int32, Value: int64(len(rk))}}}}
		if _, err := s.WriteEntity(ctx, "acct", "pages", op); err != nil {
			t.Fatal(err)
		}
	}
	var first, second rowKeys
	npk, nrk, err := s.ScanEntities(ctx, "acct", "pages", TableQuery{Filter: "N eq 1", Top: 2}, &first)
	if err != nil || strings.Join(first, " ") != "a b" || npk != "p" || nrk != "c" {
		t.Fatalf("first page %q, next %q %q, %v; want a b, next p c", first, npk, nrk, err)
	}
	npk, nrk, err = s.ScanEntities(ctx, "acct", "pages", TableQuery{Filter: "N eq 1", Top: 3, NextPartitionKey: npk, NextRowKey: nrk}, &second)
	if err != nil || strings.Join(second, " ") != "c d e" || npk != "" || nrk != "" {
		t.Fatalf("second page %q, next %q %q, %v; want c d e and no more", second, npk, nrk, err)
	}
}

// rowKeys is an EntityPage keeping the row keys.
type rowKeys []string

func (k *rowKeys) Begin(string)           {}
func (k *rowKeys) Row(r *EntityRow) error { *k = append(*k, r.RowKey); return nil }
