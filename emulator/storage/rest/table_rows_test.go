package rest

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"math/rand"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/funcemu/funcemu/emulator/storage"
	"github.com/funcemu/funcemu/emulator/storage/odata"
)

// rowCollector keeps a page's rows.
type rowCollector struct {
	table string
	rows  []storage.EntityRow
}

func (c *rowCollector) Begin(table string)             { c.table = table }
func (c *rowCollector) Row(r *storage.EntityRow) error { c.rows = append(c.rows, *r); return nil }

// randomProperty is one property of every type, with the values that
// take another path: escapes, non-ASCII, NaN and infinities, integral
// and huge Doubles, empty Binary.
func randomProperty(rng *rand.Rand, name string) storage.TableProperty {
	strs := []string{"", "plain", `quote " and \ backslash`, "<tag>&amp;", "tab\tnew\nline\x01", "é ü 漢字 🙂", "\u2028\u2029", "'single'"}
	doubles := []float64{0, math.Copysign(0, -1), 1, -5, 0.1, 1e20, 1e21, 1e-7, 123456789.125, math.MaxFloat64, math.SmallestNonzeroFloat64,
		math.NaN(), math.Inf(1), math.Inf(-1), rng.NormFloat64() * 1e6}
	switch rng.Intn(8) {
	case 0:
		return storage.TableProperty{Name: name, Type: odata.String, Value: strs[rng.Intn(len(strs))]}
	case 1:
		return storage.TableProperty{Name: name, Type: odata.Boolean, Value: rng.Intn(2) == 0}
	case 2:
		return storage.TableProperty{Name: name, Type: odata.Int32, Value: int64(rng.Int31()) - 1<<30}
	case 3:
		return storage.TableProperty{Name: name, Type: odata.Int64, Value: []int64{math.MinInt64, math.MaxInt64, 0, -1, rng.Int63()}[rng.Intn(5)]}
	case 4:
		return storage.TableProperty{Name: name, Type: odata.Double, Value: storage.DoubleValue(doubles[rng.Intn(len(doubles))])}
	case 5:
		ts := time.Unix(rng.Int63n(1<<35), rng.Int63n(1e9)).UTC().Truncate(100 * time.Nanosecond)
		return storage.TableProperty{Name: name, Type: odata.DateTime, Value: odata.FormatDateTime(ts)}
	case 6:
		return storage.TableProperty{Name: name, Type: odata.Guid, Value: fmt.Sprintf("%08x-0000-4000-8000-%012x", rng.Uint32(), rng.Int63n(1<<48))}
	}
	raw := make([]byte, rng.Intn(40))
	rng.Read(raw)
	return storage.TableProperty{Name: name, Type: odata.Binary, Value: odata.EncodeBinary(raw)}
}

// randomStoredRows stores n entities of random properties (randomProperty)
// in a table "Rows" and returns them as a scan reads them.
func randomStoredRows(t *testing.T, n int) rowCollector {
	t.Helper()
	store, err := storage.Open(storage.Options{Path: filepath.Join(t.TempDir(), "storage.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ctx := context.Background()
	if err := store.CreateTable(ctx, DevAccountName, "Rows"); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewSource(14))
	keys := []string{"plain", "it's", "<&>", "ünï", "with space"}
	for i := 0; i < n; i++ {
		e := storage.TableEntity{PartitionKey: keys[i%len(keys)], RowKey: fmt.Sprintf("%s%03d", keys[rng.Intn(len(keys))], i)}
		for j := 0; j < rng.Intn(12); j++ {
			e.Properties = append(e.Properties, randomProperty(rng, fmt.Sprintf("P%d_%d", j, rng.Intn(3))))
		}
		if _, err := store.WriteEntity(ctx, DevAccountName, "rows", storage.TableOp{Kind: storage.OpInsert, Entity: uniqueProperties(e)}); err != nil {
			t.Fatal(err)
		}
	}
	var page rowCollector
	if _, _, err := store.ScanEntities(ctx, DevAccountName, "rows", storage.TableQuery{}, &page); err != nil {
		t.Fatal(err)
	}
	if page.table != "Rows" || len(page.rows) != n {
		t.Fatalf("scan: table %q, %d rows; want Rows, %d", page.table, len(page.rows), n)
	}
	return page
}

// TestWriteRowMatchesDecodedEntity checks that answering from the stored
// text gives the very bytes of decoding the entity and writing it, for
// every property type and metadata level, in feeds and single answers.
func TestWriteRowMatchesDecodedEntity(t *testing.T) {
	t.Parallel()
	page := randomStoredRows(t, 100)
	for _, level := range []metadataLevel{noMetadata, minimalMetadata, fullMetadata} {
		for _, element := range []bool{false, true} {
			w := &entityWriter{level: level, account: "http://127.0.0.1:10002/" + DevAccountName, table: page.table}
			for i := range page.rows {
				row := &page.rows[i]
				e, err := row.Entity()
				if err != nil {
					t.Fatal(err)
				}
				var want, got bytes.Buffer
				w.write(&want, &e, element)
				if err := w.writeRow(&got, row, element); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got.Bytes(), want.Bytes()) {
					t.Fatalf("level %d element %v, stored %s:\n got %s\nwant %s", level, element, row.Props, got.Bytes(), want.Bytes())
				}
				var tag [96]byte
				if string(row.AppendETag(tag[:0])) != e.ETag() {
					t.Fatalf("row ETag %s, entity ETag %s", row.AppendETag(nil), e.ETag())
				}
			}
		}
	}
}

// uniqueProperties drops repeated property names, which the store refuses.
func uniqueProperties(e storage.TableEntity) storage.TableEntity {
	seen := map[string]bool{}
	var ps []storage.TableProperty
	for _, p := range e.Properties {
		if !seen[p.Name] {
			seen[p.Name] = true
			ps = append(ps, p)
		}
	}
	e.Properties = ps
	return e
}

// spaced is stored JSON with spaces wherever EachStoredProp allows them
// (around the members and after each name and value), a form the store
// never writes.
func spaced(compact string) string {
	var b strings.Builder
	inString, escaped, depth := false, false, 0
	for i := 0; i < len(compact); i++ {
		c := compact[i]
		switch {
		case inString:
			b.WriteByte(c)
			if escaped {
				escaped = false
			} else if c == '\\' {
				escaped = true
			} else if c == '"' {
				inString = false
			}
		case c == '"':
			inString = true
			b.WriteByte(c)
		case c == '{' || c == '[':
			depth++
			b.WriteByte(c)
			if c == '{' {
				b.WriteString(" \n")
			}
		case c == '}':
			depth--
			b.WriteByte(c)
		case c == ']':
			depth--
			b.WriteString(" ]\t ")
		case c == ':':
			b.WriteString(" \r:")
		case c == ',' && depth == 1:
			b.WriteString(", ")
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// TestWriteRowCompactAndSpacedAgree checks that stored properties as the
// store writes them (read in one pass) and the same properties spaced out
// (read by EachStoredProp) give the same bytes, and that each form takes
// its own path.
func TestWriteRowCompactAndSpacedAgree(t *testing.T) {
	t.Parallel()
	page := randomStoredRows(t, 60)
	stored := len(page.rows)
	odd := []string{`{}`, `{"A":["i",1],}`, `{"A\"B":["i",1]}`, `{"A\\\\":["l",2]}`, `{"A":["s","]\\\"],"],"B":["b",true]}`, `{"A":["i",1]}`}
	for _, props := range odd {
		page.rows = append(page.rows, storage.EntityRow{PartitionKey: "p", RowKey: "r", Stamp: "2026-12-02T10:00:00.0000000Z", Props: props})
	}
	for _, level := range []metadataLevel{noMetadata, minimalMetadata, fullMetadata} {
		w := &entityWriter{level: level, account: "http://127.0.0.1:10002/" + DevAccountName, table: page.table}
		for i, row := range page.rows {
			spacedRow := row
			spacedRow.Props = spaced(row.Props)
			var compactOut, spacedOut bytes.Buffer
			if err := w.writeRow(&compactOut, &row, false); err != nil {
				t.Fatalf("%s: %v", row.Props, err)
			}
			if err := w.writeRow(&spacedOut, &spacedRow, false); err != nil {
				t.Fatalf("%s: %v", spacedRow.Props, err)
			}
			if !bytes.Equal(compactOut.Bytes(), spacedOut.Bytes()) {
				t.Fatalf("level %d:\ncompact %s gave %s\n spaced %s gave %s", level, row.Props, compactOut.Bytes(), spacedRow.Props, spacedOut.Bytes())
			}
			if _, ok, _ := w.appendCompactProps(nil, true, spacedRow.Props); ok && spacedRow.Props != row.Props {
				t.Fatalf("spaced %s was read as compact", spacedRow.Props)
			}
			if _, ok, _ := w.appendCompactProps(nil, true, row.Props); !ok && i < stored {
				t.Fatalf("compact %s was not read as compact", row.Props)
			}
		}
	}
}

// TestWriteRowWithSelect answers $select from the decoded entity, with
// null for a selected property the entity lacks.
func TestWriteRowWithSelect(t *testing.T) {
	t.Parallel()
	row := storage.EntityRow{PartitionKey: "p", RowKey: "r", Stamp: "2026-12-02T10:00:00.0000000Z",
		Props: `{"Big":["l",5],"Name":["s","x"]}`}
	w := &entityWriter{level: noMetadata, selected: []string{"Big", "Missing", "RowKey"}}
	var b bytes.Buffer
	if err := w.writeRow(&b, &row, false); err != nil {
		t.Fatal(err)
	}
	if want := `{"RowKey":"r","Big":"5","Missing":null}`; b.String() != want {
		t.Fatalf("got %s, want %s", b.String(), want)
	}
}

// TestWriteRowRejectsMalformedStore names the entity whose stored
// properties cannot be read, rather than writing broken JSON.
func TestWriteRowRejectsMalformedStore(t *testing.T) {
	t.Parallel()
	for _, props := range []string{`{"A":["d",x]}`, `{"A":["x","ZZ"]}`, `{"A":["s"`, `[]`} {
		row := storage.EntityRow{PartitionKey: "p", RowKey: "r", Stamp: "2026-12-02T10:00:00.0000000Z", Props: props}
		var b bytes.Buffer
		if err := (&entityWriter{level: minimalMetadata}).writeRow(&b, &row, false); err == nil {
			t.Errorf("%s: no error, wrote %s", props, b.String())
		}
	}
}
